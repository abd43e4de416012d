import { describe, expect, it } from "vitest";
import { law } from "~/lib/law";
import {
  estateSettings,
  integerAtLeast,
  parseProcedureForm,
  procedureDefaults,
  procedureSettings,
  settingKeys,
  thresholdAtLeast,
  thresholdFromForm,
  thresholdToForm,
} from "./procedure";

function form(entries: [string, string][]) {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
}

describe("the rules of procedure", () => {
  it("has a default, a label and a control for every setting", () => {
    expect(settingKeys).toEqual([
      "votingUnitKinds",
      "ballotsChangeable",
      "paperOnlineConflict",
      "ballotListAccess",
      "electionZoneVoting",
      "proxyCap",
      "spoiledTakesPart",
      "coOwnersNameOne",
      "voteNoticeDays",
      "queryPeriodDays",
    ]);
    expect(procedureDefaults).toEqual({
      votingUnitKinds: ["residential", "commercial", "parking", "storage"],
      ballotsChangeable: true,
      paperOnlineConflict: "online",
      ballotListAccess: "verified_owners",
      electionZoneVoting: "all",
      proxyCap: 5,
      spoiledTakesPart: true,
      coOwnersNameOne: false,
      voteNoticeDays: 15,
      queryPeriodDays: 7,
    });
    for (const key of settingKeys) {
      const def = procedureSettings[key];
      expect(def.schema.safeParse(def.default).success).toBe(true);
      expect(def.label).toMatch(/^estate\.settings\./);
    }
  });

  it("reads the settings form the way each control sends it", () => {
    const parsed = parseProcedureForm(
      form([
        ["votingUnitKinds", "storage"],
        ["votingUnitKinds", "residential"],
        ["ballotsChangeable", "no"],
        ["paperOnlineConflict", "paper"],
        ["ballotListAccess", "nobody"],
        ["electionZoneVoting", "own"],
        ["proxyCap", "3"],
        ["spoiledTakesPart", "no"],
        ["coOwnersNameOne", "yes"],
        ["voteNoticeDays", "21"],
        ["queryPeriodDays", "10"],
      ]),
    );
    expect(parsed.success && parsed.data).toEqual({
      votingUnitKinds: ["residential", "storage"],
      ballotsChangeable: false,
      paperOnlineConflict: "paper",
      ballotListAccess: "nobody",
      electionZoneVoting: "own",
      proxyCap: 3,
      spoiledTakesPart: false,
      coOwnersNameOne: true,
      voteNoticeDays: 21,
      queryPeriodDays: 10,
    });
    const bad = parseProcedureForm(
      form([
        ["votingUnitKinds", "parking"],
        ["ballotsChangeable", "yes"],
        ["paperOnlineConflict", "online"],
        ["ballotListAccess", "nobody"],
        ["electionZoneVoting", "own"],
        ["proxyCap", "5"],
        ["spoiledTakesPart", "yes"],
        ["coOwnersNameOne", "no"],
        ["queryPeriodDays", "7"],
      ]),
    );
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toBe("estate.settings.errors.residential");
  });

  it("never takes fewer days of vote notice than the law's 15", () => {
    const days = procedureSettings.voteNoticeDays.schema;
    expect(days.safeParse(15).success).toBe(true);
    expect(days.safeParse(20).success).toBe(true);
    expect(days.safeParse(14).success).toBe(false);
    expect(days.safeParse(0).success).toBe(false);
    // A value stored before a rule tightened, or by hand, falls back to the law's default.
    expect(estateSettings({ voteNoticeDays: 10 }).voteNoticeDays).toBe(15);
    expect(estateSettings({ voteNoticeDays: 20 }).voteNoticeDays).toBe(20);
  });

  it("keeps valid stored values and fills missing or no longer valid ones with defaults", () => {
    expect(estateSettings(null)).toEqual(procedureDefaults);
    expect(estateSettings({ ballotsChangeable: false })).toEqual({ ...procedureDefaults, ballotsChangeable: false });
    expect(estateSettings({ paperOnlineConflict: "fax", votingUnitKinds: ["parking"], extra: 1 })).toEqual(
      procedureDefaults,
    );
  });

  it("keeps a query period of at least one whole day", () => {
    const days = procedureSettings.queryPeriodDays.schema;
    expect(days.safeParse("1").success).toBe(true);
    expect(days.safeParse(0).success).toBe(false);
    expect(days.safeParse(1.5).success).toBe(false);
    expect(days.safeParse(31).success).toBe(false);
  });
});

describe("the proxy cap", () => {
  it("is a whole number from 1 to 20, as the proxy_holder_cap trigger reads it", () => {
    const cap = procedureSettings.proxyCap.schema;
    for (const ok of ["1", "5", "20"]) expect(cap.safeParse(ok).success).toBe(true);
    for (const bad of ["0", "21", "2.5", "", "five"]) expect(cap.safeParse(bad).success).toBe(false);
    expect(estateSettings({ proxyCap: 0 }).proxyCap).toBe(5);
    expect(estateSettings({ proxyCap: 2 }).proxyCap).toBe(2);
  });
});

describe("the law's floor for settings that later rules add", () => {
  it("takes a threshold at least as strict as the law's, never looser", () => {
    const majority = thresholdAtLeast(law.committeeDecision, "common.errors.invalid");
    expect(majority.safeParse({ num: 2, den: 3, inclusive: true }).success).toBe(true);
    expect(majority.safeParse({ num: 1, den: 2, inclusive: false }).success).toBe(true);
    expect(majority.safeParse({ num: 1, den: 2, inclusive: true }).success).toBe(false);
    expect(majority.safeParse({ num: 1, den: 3, inclusive: true }).success).toBe(false);
    expect(majority.safeParse({ num: 3, den: 2, inclusive: true }).success).toBe(false);
    expect(majority.safeParse({ num: 1, den: 1, inclusive: true }).success).toBe(true); // unanimity
    expect(majority.safeParse({ num: 1, den: 1, inclusive: false }).success).toBe(false); // more than everyone
    expect(majority.safeParse(thresholdFromForm(">1/2")).success).toBe(true);
    expect(majority.safeParse(thresholdFromForm("1/2")).success).toBe(false);
    expect(majority.safeParse(thresholdFromForm("half")).success).toBe(false);
    expect(thresholdToForm(law.ordinaryApproval)).toBe(">1/2");
    expect(thresholdFromForm(thresholdToForm(law.quorum))).toEqual(law.quorum);
  });

  it("takes a whole number at least the law's floor", () => {
    const noticeDays = integerAtLeast(15, 90, "common.errors.invalid");
    expect(noticeDays.safeParse("15").success).toBe(true);
    expect(noticeDays.safeParse("14").success).toBe(false);
    expect(noticeDays.safeParse("15.5").success).toBe(false);
    expect(noticeDays.safeParse("91").success).toBe(false);
  });
});
