import { defineMessages } from "~/i18n/define";

export const estate = defineMessages(
  {
    home: {
      title: "我的小区",
      none: "您还没有加入任何小区。收到业主认领函后，可以用认领码认领房屋。",
      claimLink: "用认领码认领房屋",
      welcome: "欢迎来到议事堂",
      intro: "业主自己选举业委会、表决小区大事、查看会议纪要、缴纳物业费、向物业反映问题。",
      yourRoles: "您的身份",
    },
    estateHome: {
      notices: "公告",
      links: "常用入口",
      myUnits: "我的房屋",
      roster: "业主名册管理",
      claims: "认领审核",
      stats: "共 {{buildings}} 栋楼、{{units}} 户",
    },
  },
  {
    home: {
      title: "My estates",
      none: "You have not joined an estate yet. With the claim code from your owner's letter you can claim your unit.",
      claimLink: "Claim a unit with a code",
      welcome: "Welcome to Yishitang",
      intro: "Owners elect their committee, vote on the estate's big decisions, read the minutes, pay property fees and report problems to the property company.",
      yourRoles: "Your roles",
    },
    estateHome: {
      notices: "Notices",
      links: "Quick links",
      myUnits: "My units",
      roster: "Owner roster",
      claims: "Claim requests",
      stats: "{{buildings}} buildings, {{units}} units",
    },
  },
);
