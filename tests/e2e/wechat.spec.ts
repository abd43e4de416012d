import { standinsOfRun } from "../standins/read";
import { expect, test } from "./fixtures";

// WeChat's own browser: its user agent says MicroMessenger, and the site logs in through the
// official account's web authorisation (the local stand-in, tests/standins/wechat-oa.ts). Which
// WeChat user a browser is: the stand-in's wx_openid cookie.
const wechatUa =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322f) NetType/WIFI Language/zh_CN";
test.use({ userAgent: wechatUa });

test("inside WeChat: the first visit binds by phone code and logs in; another browser of the same WeChat user logs in silently", async ({
  page,
  browser,
}) => {
  const run = standinsOfRun();
  const wx = run.info["wechat-oa"] as { url: string };
  const sms = run.info["aliyun-sms"] as { inbox: string; templates: Record<string, string> };
  const openid = `o_e2e_${Date.now()}`;
  const phone = `138${String(Date.now()).slice(-8)}`;
  await page.context().addCookies([{ name: "wx_openid", value: openid, url: wx.url }]);

  // First visit: silently through WeChat, back to the bind page (this WeChat is bound to nobody).
  await page.goto("/notices");
  await expect(page).toHaveURL(/\/wechat\/bind(#wechat_redirect)?$/);
  await expect(page.getByRole("heading", { name: "绑定微信" })).toBeVisible();
  await page.getByLabel("手机号").fill(phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByRole("status")).toContainText("验证码已发送");
  const codes = async () => {
    const sent = (await (await fetch(`${sms.inbox}?phone=${phone}`)).json()) as {
      templateCode: string;
      params: Record<string, string>;
    }[];
    return sent.filter((m) => m.templateCode === sms.templates.code).map((m) => m.params.code);
  };
  await expect.poll(async () => (await codes()).length, { timeout: 15_000 }).toBe(1);
  const [code] = await codes();
  await page.getByLabel("短信验证码").fill(code);
  await page.getByLabel("称呼（新账号使用）").fill("王阿姨");
  await page.getByRole("button", { name: "验证并绑定" }).click();
  // Logged in, back where the visit began.
  await expect(page).toHaveURL(/\/notices(#wechat_redirect)?$/);
  await expect(page.getByRole("link", { name: "我的账号" })).toBeVisible();

  // Another phone (a new browser) of the same WeChat user: opening a page logs in without a word.
  const origin = new URL(page.url()).origin;
  const other = await browser.newContext({ userAgent: wechatUa, baseURL: origin });
  await other.addCookies([{ name: "wx_openid", value: openid, url: wx.url }]);
  const second = await other.newPage();
  await second.goto("/account");
  await expect(second).toHaveURL(/\/account(#wechat_redirect)?$/);
  await expect(second.getByRole("heading", { name: "我的账号" })).toBeVisible();
  await expect(second.getByText("已绑定微信")).toBeVisible();

  // Unbinding there: the next visit inside WeChat no longer logs in.
  await second.getByRole("button", { name: "解除绑定" }).click();
  await expect(second.getByText("未绑定微信。")).toBeVisible();
  const third = await (await browser.newContext({ userAgent: wechatUa, baseURL: origin })).newPage();
  await third.context().addCookies([{ name: "wx_openid", value: openid, url: wx.url }]);
  await third.goto("/account");
  await expect(third).toHaveURL(/\/wechat\/bind(#wechat_redirect)?$/);
  await other.close();
  await third.context().close();
});
