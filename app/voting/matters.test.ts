import { describe, expect, it } from "vitest";
import { proposalTypes } from "#db/schema/voting";
import { matterOfType, petitionThresholdMet, proposalTypeList, votingRoster } from "./matters";

describe("matters (Civil Code Art. 278)", () => {
  it("makes exactly raising the fund, rebuilding/renovating and changing the use of common parts major", () => {
    expect([...proposalTypeList].sort()).toEqual([...proposalTypes].sort());
    expect(proposalTypeList.filter((t) => matterOfType[t] === "major").sort()).toEqual([
      "common_parts_use",
      "fund_raise",
      "rebuild_renovate",
    ]);
    expect(matterOfType.fund_use).toBe("ordinary");
  });
});

describe("the voting roster", () => {
  it("keeps only the unit kinds the estate counts", () => {
    const units = [
      { unitId: "a", kind: "residential" as const, areaCentiSqm: 100, developerUnsold: false, ownerIds: ["x"] },
      { unitId: "b", kind: "parking" as const, areaCentiSqm: 12, developerUnsold: false, ownerIds: ["x"] },
      { unitId: "c", kind: "storage" as const, areaCentiSqm: 8, developerUnsold: true, ownerIds: [] },
    ];
    expect(votingRoster(units, ["residential", "commercial"]).map((u) => u.unitId)).toEqual(["a"]);
    expect(votingRoster(units, ["residential", "parking", "storage"]).map((u) => u.unitId)).toEqual(["a", "b", "c"]);
  });
});

describe("petition threshold: 20% of the area AND 20% of the headcount", () => {
  it("is met at exactly 20% of both, not one hundredth of a m² or one person under", () => {
    expect(petitionThresholdMet({ area: 2_000, headcount: 2 }, { area: 10_000, headcount: 10 })).toBe(true);
    expect(petitionThresholdMet({ area: 1_999, headcount: 10 }, { area: 10_000, headcount: 10 })).toBe(false);
    expect(petitionThresholdMet({ area: 10_000, headcount: 1 }, { area: 10_000, headcount: 10 })).toBe(false);
    expect(petitionThresholdMet({ area: 0, headcount: 0 }, { area: 0, headcount: 0 })).toBe(false);
  });
});
