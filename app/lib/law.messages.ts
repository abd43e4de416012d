import { defineMessages } from "~/i18n/define";

/** How a threshold of app/lib/law.ts reads (shareText in law-text.ts). */
export const law = defineMessages(
  {
    share: {
      atLeast: "{{den}}分之{{num}}以上",
      moreThan: "超过{{den}}分之{{num}}",
      atLeastHalf: "半数以上",
      moreThanHalf: "过半数",
    },
    numerals: { n1: "一", n2: "二", n3: "三", n4: "四", n5: "五", n6: "六", n7: "七", n8: "八", n9: "九", n10: "十" },
    listSeparator: "；",
  },
  {
    share: {
      atLeast: "at least {{num}}/{{den}}",
      moreThan: "more than {{num}}/{{den}}",
      atLeastHalf: "at least half",
      moreThanHalf: "more than half",
    },
    numerals: { n1: "1", n2: "2", n3: "3", n4: "4", n5: "5", n6: "6", n7: "7", n8: "8", n9: "9", n10: "10" },
    listSeparator: "; ",
  },
);
