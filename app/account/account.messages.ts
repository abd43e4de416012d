import { defineMessages } from "~/i18n/define";

export const account = defineMessages(
  {
    nav: "我的账号",
    home: {
      title: "我的账号",
      signedInAs: "登录账号：{{email}}",
      notifications: "通知设置",
      notificationsHint: "选择哪些通知也发到邮箱",
      data: "下载我的数据",
      dataHint:
        "平台保存的与您有关的全部信息（账号、角色、房屋、认领、投票、委托、报修、账单和缴费、通知、登录会话、相关操作记录），JSON 格式",
      delete: "注销账号",
      deleteHint: "删除您的姓名、邮箱、手机号和密码；投票和缴费记录以匿名方式保留",
      signedInAsPhone: "登录手机号：{{phone}}",
    },
    phone: {
      title: "手机号",
      current: "当前手机号：{{phone}}",
      unverified: "（未验证：验证前不能用于登录、委托或认领）",
      none: "尚未添加手机号",
      newPhone: "新手机号",
      sendNewCode: "向新号码发送验证码",
      newCode: "新号码收到的验证码",
      password: "账号密码",
      sendOldCode: "向当前号码发送验证码",
      oldCode: "当前号码收到的验证码（没有密码时填写）",
      submit: "验证并保存",
      codeSent: "验证码已发送至 {{phone}}",
      changed: "手机号已更新，其他设备上的登录已退出",
      errors: {
        invalidPhone: "请输入 11 位中国大陆手机号",
        newCode: "新号码的验证码不正确或已失效",
        oldCode: "请填写当前号码收到的验证码，或填写账号密码",
        password: "密码不正确",
        taken: "这个号码已是另一个账号的手机号",
        same: "这就是当前的手机号",
        locked: "尝试过于频繁，请稍后再试",
      },
    },
    delete: {
      title: "注销账号",
      intro:
        "注销后您将立即退出登录，且无法再登录此账号。您的姓名、邮箱、手机号和密码会被删除，名字显示为“已注销用户”。",
      kept: "以下记录属于小区，会保留但不再显示您的姓名：您投过的票（已结束表决的结果不变）、缴费记录和收据、报修单。",
      removed:
        "以下内容会被删除：登录会话、密码重置链接、通知设置和站内通知、尚未发出的邮件、家属/租户关联和邀请、您在各小区的角色。名册上您的业主信息会与账号解除关联，房屋可由本人或其他业主重新认领。",
      blockedTitle: "暂时不能注销",
      blocked: {
        committeeSeat: "您目前是业委会成员（或列席成员）。请先由社区登记您离任，再注销账号。",
        admin: "您是社区或平台管理员。请先请其他管理员接手并撤销您的管理员角色。",
        candidate: "您正在参选业委会，选举尚未计票结束。请在选举结束后再注销。",
      },
      openVotes: "有 {{count}} 项表决正在进行，您的房屋在投票范围内。已投的票仍然有效，但注销后您不能再修改。",
      soleAccountUnits:
        "有 {{count}} 套房屋只有您一个业主账号。注销后在有人重新认领前，这些房屋无法在线投票（仍可投纸质票）。",
      password: "当前密码",
      passwordHint: "为确认是您本人操作，请再次输入密码",
      confirm: "我了解注销后无法恢复",
      submit: "永久注销账号",
      cancel: "返回",
      wrongPassword: "密码不正确，账号未注销",
      locked: "密码错误次数过多，请稍后再试",
      notConfirmed: "请勾选确认",
      done: "账号已注销",
    },
  },
  {
    nav: "My account",
    home: {
      title: "My account",
      signedInAs: "Signed in as {{email}}",
      notifications: "Notification settings",
      notificationsHint: "Choose which notices also come by email",
      data: "Download my data",
      dataHint:
        "Everything the platform holds about you (account, roles, units, claims, ballots, proxies, tickets, bills and payments, notices, sessions, related audit records), as JSON",
      delete: "Delete my account",
      deleteHint: "Removes your name, email, phone and password; ballots and payments are kept anonymously",
      signedInAsPhone: "Signed in with {{phone}}",
    },
    phone: {
      title: "Mobile number",
      current: "Current number: {{phone}}",
      unverified: "(unverified: until verified it logs nobody in and names no proxy or claim)",
      none: "No mobile number yet",
      newPhone: "New mobile number",
      sendNewCode: "Send a code to the new number",
      newCode: "Code sent to the new number",
      password: "Your password",
      sendOldCode: "Send a code to the current number",
      oldCode: "Code sent to the current number (if you have no password)",
      submit: "Verify and save",
      codeSent: "A code was sent to {{phone}}",
      changed: "Number saved; you were logged out everywhere else",
      errors: {
        invalidPhone: "Enter an 11-digit mainland mobile number",
        newCode: "Wrong or expired code for the new number",
        oldCode: "Give the code sent to the current number, or your password",
        password: "Wrong password",
        taken: "This number belongs to another account",
        same: "That is already your number",
        locked: "Too many attempts; try again later",
      },
    },
    delete: {
      title: "Delete my account",
      intro:
        "You will be logged out at once and cannot log in to this account again. Your name, email, phone number and password are deleted; your name shows as “已注销用户” (deleted user).",
      kept: "These records belong to the estate and are kept, without your name: ballots you cast (the results of closed votes do not change), payments and receipts, tickets.",
      removed:
        "These are deleted: login sessions, password reset links, notification settings and in-app notices, mail not yet sent, family/tenant links and invitations, your roles in every estate. Your roster entry is unlinked from the account, so the unit can be claimed again.",
      blockedTitle: "Your account cannot be deleted yet",
      blocked: {
        committeeSeat:
          "You sit on the owners' committee (or observe it). The community must first record that you have left; then delete the account.",
        admin:
          "You are a community or platform admin. Ask another admin to take over and remove your admin role first.",
        candidate:
          "You are standing in a committee election that has not been counted yet. Delete the account after the election.",
      },
      openVotes:
        "{{count}} votes are open in which your units vote. Ballots you cast still count, but you cannot change them after deletion.",
      soleAccountUnits:
        "For {{count}} units yours is the only owner account. Until someone claims them again, nobody can vote for them online (paper ballots still count).",
      password: "Current password",
      passwordHint: "Enter your password again to confirm it is you",
      confirm: "I understand this cannot be undone",
      submit: "Delete my account for good",
      cancel: "Back",
      wrongPassword: "Wrong password; the account was not deleted",
      locked: "Too many wrong passwords; try again later",
      notConfirmed: "Please tick the box to confirm",
      done: "Your account has been deleted",
    },
  },
);
