import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { resources } from "~/i18n/resources";
import { voteNoticeText, type VoteNoticeFacts } from "./notice-text";

async function translator(lng: "zh-CN" | "en") {
  const i18n = i18next.createInstance();
  await i18n.init({ resources, lng, interpolation: { escapeValue: false } });
  return i18n.t;
}

const facts: VoteNoticeFacts = {
  estateName: "宜馨花园",
  title: "3幢电梯更新",
  matters: {
    kind: "proposal",
    title: "3幢电梯更新",
    typeLabel: "使用建筑物及其附属设施的维修资金",
    matterLabel: "重大事项",
    ruleText: "须参与表决专有部分面积四分之三以上……",
    body: "**理由**：电梯已运行二十年。",
  },
  scopeBuildings: ["3幢", "4幢"],
  totals: { headcount: 120, areaCentiSqm: 1_234_567 },
  votingStartsAt: new Date("2026-12-16T00:00:00+08:00"),
  votingEndsAt: new Date("2026-12-30T18:00:00+08:00"),
  url: "https://yishitang.example/e/yixin/proposals/p1",
  postedAt: new Date("2026-12-01T10:00:00+08:00"),
};

describe("the vote notice's text", () => {
  it("states the matters, the scope with its totals, the window and how to vote online and on paper", async () => {
    const { title, body } = voteNoticeText(await translator("zh-CN"), "zh-CN", facts);
    expect(title).toBe("关于“3幢电梯更新”的业主表决公告");
    expect(body).toContain("3幢电梯更新（使用建筑物及其附属设施的维修资金，重大事项）");
    expect(body).toContain("**理由**：电梯已运行二十年。");
    expect(body).toContain("3幢、4幢的业主");
    expect(body).toContain("范围内业主总人数 120 人，专有部分总面积 12345.67 平方米。");
    expect(body).toContain("2026年12月16日 00:00");
    expect(body).toContain("2026年12月30日 18:00");
    expect(body).toContain(
      "网上投票：登录议事堂，打开本次表决的页面投票：https://yishitang.example/e/yixin/proposals/p1",
    );
    expect(body).toContain("纸质投票");
    expect(body).toContain("宜馨花园业主委员会");
    expect(body).not.toMatch(/voteNotice\./);
  });

  it("names the whole estate when no buildings are chosen, and an election's races and candidates", async () => {
    const { title, body } = voteNoticeText(await translator("en"), "en", {
      ...facts,
      title: "The first committee",
      scopeBuildings: null,
      matters: {
        kind: "election",
        races: [
          { name: "Zone A", seats: 2 },
          { name: null, seats: 1 },
        ],
        candidates: ["Wang **", "Li **"],
        nominationEndsAt: new Date("2026-12-10T18:00:00+08:00"),
      },
    });
    expect(title).toBe("Notice of the election “The first committee”");
    expect(body).toContain("Every owner of the estate.");
    expect(body).toContain("Zone A: 2 member(s) to elect");
    expect(body).toContain("Estate-wide (X seats): 1 member(s) to elect");
    expect(body).toContain("Candidates: Wang **, Li **");
    expect(body).toContain("120 owners with 12345.67 m²");
    expect(body).not.toMatch(/voteNotice\./);
  });
});
