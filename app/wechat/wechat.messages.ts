import { defineMessages } from "~/i18n/define";

export const wechat = defineMessages(
  {
    bind: {
      title: "绑定微信",
      intro: "这个微信还没有绑定议事堂账号。绑定后，在微信里打开议事堂会自动登录，通知也可以发到微信。",
      phoneIntro: "输入手机号和短信验证码：已注册的手机号直接登录并绑定，未注册的会新建账号。",
      phone: "手机号",
      code: "短信验证码",
      displayName: "称呼（新账号使用）",
      sendCode: "获取验证码",
      codeSent: "如果号码有效，验证码已发送，5 分钟内有效",
      submit: "验证并绑定",
      passwordInstead: "用密码登录后绑定",
      bindCurrent: "把这个微信绑定到当前账号（{{name}}）",
      noPending: "没有待绑定的微信。请在微信里打开议事堂的链接。",
      expired: "绑定已超时，请重新从微信打开链接",
      badCode: "验证码不正确或已失效",
      badPhone: "请输入 11 位手机号",
      tooMany: "请求过于频繁，请稍后再试",
      home: "返回首页",
    },
    errors: {
      openidTaken: "这个微信已绑定另一个账号，请先在那个账号里解绑",
      userHasOther: "您的账号已绑定另一个微信，请先在“我的账号”里解绑",
    },
    account: {
      title: "微信",
      bound: "已绑定微信（{{date}}绑定）。在微信里打开议事堂会自动登录，通知可发到微信。",
      notBound: "未绑定微信。",
      bindHere: "绑定当前微信",
      bindHint: "在微信里打开本页即可绑定。",
      unbind: "解除绑定",
      unbound: "已解除微信绑定",
      boundNow: "微信已绑定",
    },
  },
  {
    bind: {
      title: "Link WeChat",
      intro:
        "This WeChat is not linked to a Yishitang account yet. Once linked, opening Yishitang inside WeChat logs you in, and notices can come by WeChat.",
      phoneIntro:
        "Enter your mobile number and the SMS code: a registered number logs in and is linked; a new one gets a new account.",
      phone: "Mobile number",
      code: "SMS code",
      displayName: "Your name (for a new account)",
      sendCode: "Send code",
      codeSent: "If the number is valid, a code is on its way; it is valid for 5 minutes",
      submit: "Verify and link",
      passwordInstead: "Log in with a password, then link",
      bindCurrent: "Link this WeChat to the account you are logged in as ({{name}})",
      noPending: "There is no WeChat waiting to be linked. Open a Yishitang link inside WeChat.",
      expired: "Linking timed out; open the link from WeChat again",
      badCode: "The code is wrong or no longer valid",
      badPhone: "Enter an 11-digit mainland mobile number",
      tooMany: "Too many requests; try again later",
      home: "Home",
    },
    errors: {
      openidTaken: "This WeChat is linked to another account; unlink it there first",
      userHasOther: "Your account is linked to another WeChat; unlink it under “My account” first",
    },
    account: {
      title: "WeChat",
      bound:
        "Linked to WeChat (since {{date}}). Opening Yishitang inside WeChat logs you in; notices can come by WeChat.",
      notBound: "Not linked to WeChat.",
      bindHere: "Link this WeChat",
      bindHint: "Open this page inside WeChat to link it.",
      unbind: "Unlink",
      unbound: "WeChat unlinked",
      boundNow: "WeChat linked",
    },
  },
);
