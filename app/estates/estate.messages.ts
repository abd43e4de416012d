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
      links: "常用入口",
      myUnits: "我的房屋",
      roster: "业主名册管理",
      claims: "认领审核",
      stats: "共 {{buildings}} 栋楼、{{units}} 户",
    },
    settings: {
      title: "表决规则",
      link: "表决规则设置",
      intro: "本小区业主共同决定事项的地方性规则。这些规则由议事规则确定，由社区管理员录入；业委会可以查看。",
      kinds: "计入表决的房屋类型",
      kindsHint: "有些城市不把车位、储藏室计入表决面积和人数。住宅始终计入。",
      changeable: "投票后能否修改",
      changeableYes: "可以修改，以最后一次为准",
      changeableNo: "不能修改（如北京）",
      conflict: "同一业主既有纸质票又有网上投票时",
      conflictOnline: "以网上投票为准（如深圳）",
      conflictPaper: "以纸质票为准",
      ballotList: "谁可以查阅完整投票清单",
      ballotListHint:
        "表决结束后的完整清单列出每张票的面积、精确时间和哈希链，可以重新核验整条链；因为面积能认出房屋，每次查阅都记入审计日志。公开账本不含面积，时间只到分钟。",
      ballotListOptions: { verified_owners: "本小区已认证的业主", committee: "仅业委会委员", nobody: "任何人都不可以" },
      zoneVoting: "业委会选举中，业主给哪些片区的候选人投票",
      zoneVotingHint:
        "法律规定业委会委员由全体业主选举，默认每位业主对所有片区的候选人投票；未勾选的候选人按弃权计入（该票仍算参与表决）。如本小区议事规则规定业主只选本片区的委员，可改为“只投本片区”：每个片区的候选人只由该片区的业主表决，X 席仍由全体业主表决。选举开始投票时固定。",
      zoneVotingOptions: {
        all: "所有片区（法律的一般理解，默认）",
        own: "只投本片区的候选人，另加 X 席",
      },
      appliesLater: "修改只对之后开始的表决生效；正在进行的表决按开始时的规则进行。",
      save: "保存规则",
      saved: "表决规则已保存。",
      readOnly: "只有社区管理员可以修改这些规则。",
      errors: {
        kinds: "请选择计入表决的房屋类型。",
        residential: "住宅必须计入表决。",
        changeable: "请选择投票后能否修改。",
        conflict: "请选择纸质票与网上投票冲突时以哪一个为准。",
        ballotList: "请选择谁可以查阅完整投票清单。",
        zoneVoting: "请选择业主给哪些片区的候选人投票。",
      },
    },
    contact: {
      title: "认领函联系人",
      label: "业主有疑问时联系谁",
      hint: "印在每封认领函上，如“物业服务中心 0512-6888 0000（3幢底商）”或业委会的联系方式。最多 120 字，可以留空。",
      save: "保存联系人",
      saved: "认领函联系人已保存。",
    },
  },
  {
    home: {
      title: "My estates",
      none: "You have not joined an estate yet. With the claim code from your owner's letter you can claim your unit.",
      claimLink: "Claim a unit with a code",
      welcome: "Welcome to Yishitang",
      intro:
        "Owners elect their committee, vote on the estate's big decisions, read the minutes, pay property fees and report problems to the property company.",
      yourRoles: "Your roles",
    },
    estateHome: {
      links: "Quick links",
      myUnits: "My units",
      roster: "Owner roster",
      claims: "Claim requests",
      stats: "{{buildings}} buildings, {{units}} units",
    },
    settings: {
      title: "Voting rules",
      link: "Voting rules",
      intro:
        "The local rules this estate's owners vote under. They come from the rules of procedure and are recorded by the community admin; the committee can read them.",
      kinds: "Unit kinds that count in votes",
      kindsHint:
        "Some cities leave parking spaces and storage rooms out of the voting area and headcount. Homes always count.",
      changeable: "Can a ballot be changed?",
      changeableYes: "Yes, the last one counts",
      changeableNo: "No (as in Beijing)",
      conflict: "When an owner voted both on paper and online",
      conflictOnline: "The online ballot counts (as in Shenzhen)",
      conflictPaper: "The paper ballot counts",
      ballotList: "Who may inspect the full ballot list",
      ballotListHint:
        "After a vote closes, the full list gives each ballot's area, exact time and the hash chain, so the whole chain can be rechecked; since areas identify units, every look is written to the audit log. The public ledger has no areas and times to the minute only.",
      ballotListOptions: {
        verified_owners: "The estate's verified owners",
        committee: "Committee members only",
        nobody: "Nobody",
      },
      zoneVoting: "In committee elections, whose candidates an owner votes on",
      zoneVotingHint:
        "The law has the committee elected by all owners: by default every owner votes on every zone's candidates, and a candidate left unmarked counts as an abstention (the ballot still takes part). Where the estate's rules of procedure say owners elect their own zone's members, choose “own zone”: each zone's candidates are decided by that zone's owners, the X seats by all owners. Fixed when an election's voting opens.",
      zoneVotingOptions: {
        all: "Every zone (the law's reading; default)",
        own: "Their own zone's candidates, plus the X seats",
      },
      appliesLater: "Changes apply to votes opened later; a vote in progress keeps the rules it opened with.",
      save: "Save rules",
      saved: "Voting rules saved.",
      readOnly: "Only the community admin can change these rules.",
      errors: {
        kinds: "Choose the unit kinds that count.",
        residential: "Homes must count in votes.",
        changeable: "Choose whether a ballot can be changed.",
        conflict: "Choose which ballot counts when paper and online conflict.",
        ballotList: "Choose who may inspect the full ballot list.",
        zoneVoting: "Choose whose candidates an owner votes on.",
      },
    },
    contact: {
      title: "Contact for claim letters",
      label: "Whom owners ask with questions",
      hint: "Printed on every claim letter, e.g. “Property office 0512-6888 0000 (shop level, building 3)” or the committee's contact. At most 120 characters; may be left empty.",
      save: "Save the contact",
      saved: "The contact for claim letters is saved.",
    },
  },
);
