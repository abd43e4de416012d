import { defineMessages } from "~/i18n/define";

export const grants = defineMessages(
  {
    staff: {
      nav: "物业人员",
      title: "物业人员",
      intro:
        "服务本小区的物业公司的工作人员：处理报修、登记收费。社区管理员在此授予或撤销，每次授予和撤销都记入操作日志。",
      empty: "还没有物业人员",
      since: "授予时间",
      grantTitle: "授予物业人员",
      contact: "对方的邮箱或已验证手机号",
      contactHint: "对方须已注册账号；不能授予自己。",
      grant: "授予",
      revoke: "撤销",
      granted: "已授予物业人员",
      revoked: "已撤销物业人员",
    },
    admins: {
      nav: "社区管理员",
      title: "社区管理员",
      intro:
        "社区管理员管理本社区的所有小区：名册、认领、选举组织、物业人员。平台管理员在此授予或撤销，每次授予和撤销都记入该社区各小区的操作日志。",
      none: "本社区还没有管理员",
      contact: "对方的邮箱或已验证手机号",
      grant: "授予管理员",
      revoke: "撤销",
      granted: "已授予社区管理员",
      revoked: "已撤销社区管理员",
      lastHint: "每个社区至少保留一名管理员：请先授予接任者，再撤销。",
    },
    errors: {
      forbidden: "你没有这项权限",
      noAccount: "没有找到这个邮箱或已验证手机号对应的账号",
      self: "不能给自己授予角色",
      already: "对方已经担任这个角色",
      notHeld: "对方没有担任这个角色",
      lastAdmin: "这是本社区最后一名管理员，不能撤销；请先授予接任者",
    },
  },
  {
    staff: {
      nav: "Property staff",
      title: "Property staff",
      intro:
        "The staff of the property company serving this estate: they work on tickets and record payments. Community admins grant and revoke the role here; every grant and revoke is written to the audit log.",
      empty: "No property staff yet",
      since: "Granted",
      grantTitle: "Grant property staff",
      contact: "Their email or verified phone number",
      contactHint: "They need an account already; you cannot grant a role to yourself.",
      grant: "Grant",
      revoke: "Revoke",
      granted: "Property staff granted",
      revoked: "Property staff revoked",
    },
    admins: {
      nav: "Community admins",
      title: "Community admins",
      intro:
        "A community admin runs every estate of the community: roster, claims, elections, property staff. Platform admins grant and revoke the role here; every grant and revoke is written to the audit log of each of the community's estates.",
      none: "This community has no admin yet",
      contact: "Their email or verified phone number",
      grant: "Grant admin",
      revoke: "Revoke",
      granted: "Community admin granted",
      revoked: "Community admin revoked",
      lastHint: "Every community keeps at least one admin: grant the successor first, then revoke.",
    },
    errors: {
      forbidden: "You may not do this",
      noAccount: "No account has this email or verified phone number",
      self: "You cannot grant a role to yourself",
      already: "They already hold this role",
      notHeld: "They do not hold this role",
      lastAdmin: "This is the community's last admin and cannot be revoked; grant the successor first",
    },
  },
);
