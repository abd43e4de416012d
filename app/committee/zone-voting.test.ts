import { describe, expect, it } from "vitest";
import { defaultCountRules, type Choice, type Voter } from "~/voting/tally";
import { countElection } from "./count";
import { onVotersBallot, unmarkedCandidates, zonesOfVoter, zonesShortAlone } from "./zone-voting";

// Two zones of three voters each, 100.00 m² a voter; everyone returns a ballot.
const east = ["e1", "e2", "e3"];
const west = ["w1", "w2", "w3"];
const voters: Voter[] = [...east, ...west].map((id) => ({ voterId: id, areaCentiSqm: 10000, unitIds: [`u-${id}`] }));
const zoneAreas = new Map<string, Record<string, number>>([
  ...east.map((id) => [id, { E: 10000 }] as const),
  ...west.map((id) => [id, { W: 10000 }] as const),
]);
const candidates = [
  { id: "nE", seat: "N" as const, zoneId: "E" },
  { id: "nW", seat: "N" as const, zoneId: "W" },
  { id: "x", seat: "X" as const, zoneId: null },
];
const races = [
  { race: "E", zoneId: "E", seats: 1 },
  { race: "W", zoneId: "W", seats: 1 },
  { race: "X", zoneId: null, seats: 1 },
];
const ballot = (voterId: string, marks: Record<string, Choice>) => ({ voterId, marks: new Map(Object.entries(marks)) });
// Every owner agrees to their own zone's candidate and to X, and leaves the other zone unmarked.
const ownZoneOnly = [
  ...east.map((id) => ballot(id, { nE: "agree", x: "agree" })),
  ...west.map((id) => ballot(id, { nW: "agree", x: "agree" })),
];

describe("zone voting", () => {
  it("under `all`, owners marking only their own zone elect nobody to the zones (3 of 6 is not more than half)", () => {
    const r = countElection(voters, ownZoneOnly, candidates, races, null);
    expect(r.candidates.map((c) => [c.id, c.approved, c.agreeHeadcount])).toEqual([
      ["nE", false, 3],
      ["nW", false, 3],
      ["x", true, 6],
    ]);
    // The warning the committee sees before voting says exactly this.
    const zones = [
      { zoneId: "E", headcount: 3, areaCentiSqm: 30000 },
      { zoneId: "W", headcount: 3, areaCentiSqm: 30000 },
    ];
    expect(zonesShortAlone(zones, { headcount: 6, areaCentiSqm: 60000 })).toEqual(["E", "W"]);
  });

  it("under `own`, each zone's candidates are decided by that zone's voters with their area there", () => {
    const r = countElection(voters, ownZoneOnly, candidates, races, null, defaultCountRules, zoneAreas);
    const byId = Object.fromEntries(r.candidates.map((c) => [c.id, c]));
    expect(byId.nE).toMatchObject({ approved: true, agreeHeadcount: 3 });
    expect(byId.nE.tally).toMatchObject({ totalHeadcount: 3, totalArea: 30000, participatingHeadcount: 3 });
    expect(byId.nW).toMatchObject({ approved: true, agreeHeadcount: 3 });
    // X: every voter.
    expect(byId.x.tally).toMatchObject({ totalHeadcount: 6, participatingHeadcount: 6 });
    expect(r.races.map((x) => x.elected)).toEqual([["nE"], ["nW"], ["x"]]);
  });

  it("a voter with flats in two zones counts in both, with the area held in each", () => {
    const areas = new Map(zoneAreas);
    areas.set("e1", { E: 4000, W: 6000 });
    const r = countElection(
      voters,
      [ballot("e1", { nE: "agree", nW: "oppose" })],
      candidates,
      races,
      null,
      defaultCountRules,
      areas,
    );
    const byId = Object.fromEntries(r.candidates.map((c) => [c.id, c]));
    expect(byId.nE.tally).toMatchObject({ totalHeadcount: 3, totalArea: 24000, agreeArea: 4000 });
    expect(byId.nW.tally).toMatchObject({ totalHeadcount: 4, totalArea: 36000, opposeArea: 6000 });
  });

  it("puts on a voter's ballot the X candidates and, under `own`, only their zones' N candidates", () => {
    expect(onVotersBallot(candidates, "all", ["E"]).map((c) => c.id)).toEqual(["nE", "nW", "x"]);
    expect(onVotersBallot(candidates, "own", ["E"]).map((c) => c.id)).toEqual(["nE", "x"]);
    expect(onVotersBallot(candidates, "own", zonesOfVoter({ E: 1, W: 0 })).map((c) => c.id)).toEqual(["nE", "x"]);
    expect(zonesOfVoter(null)).toEqual([]);
  });

  it("lists the unmarked candidates of a ballot", () => {
    expect(unmarkedCandidates(["nE", "nW", "x"], { nE: "agree", x: "abstain" })).toEqual(["nW"]);
    expect(unmarkedCandidates(["nE"], { nE: "oppose" })).toEqual([]);
  });

  it("warns of a zone just at half, and not of one past it", () => {
    const total = { headcount: 10, areaCentiSqm: 100000 };
    expect(zonesShortAlone([{ zoneId: "A", headcount: 5, areaCentiSqm: 60000 }], total)).toEqual(["A"]);
    expect(zonesShortAlone([{ zoneId: "A", headcount: 6, areaCentiSqm: 50000 }], total)).toEqual(["A"]);
    expect(zonesShortAlone([{ zoneId: "A", headcount: 6, areaCentiSqm: 50001 }], total)).toEqual([]);
  });
});
