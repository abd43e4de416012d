import { describe, expect, it } from "vitest";
import type { Choice, Voter } from "~/voting/tally";
import { countElection } from "./count";

// Six voters of 100.00 m² and one of 400.00 m² (total 1,000.00 m², headcount 7).
const voters: Voter[] = [
  ...["a", "b", "c", "d", "e", "f"].map((id) => ({ voterId: id, areaCentiSqm: 10000, unitIds: [`u-${id}`] })),
  { voterId: "g", areaCentiSqm: 40000, unitIds: ["u-g"] },
];
const ballot = (voterId: string, marks: Record<string, Choice>) => ({ voterId, marks: new Map(Object.entries(marks)) });
const candidates = [
  { id: "n1", seat: "N" as const, zoneId: "z" },
  { id: "n2", seat: "N" as const, zoneId: "z" },
  { id: "x1", seat: "X" as const, zoneId: null },
];
const races = [
  { race: "z", zoneId: "z", seats: 1 },
  { race: "X", zoneId: null, seats: 1 },
];

describe("counting an election", () => {
  it("approves each candidate by the ordinary rule over everyone who returned a ballot; unmarked is an abstention", () => {
    const r = countElection(
      voters,
      [
        ballot("a", { n1: "agree", x1: "agree" }),
        ballot("b", { n1: "agree", x1: "agree" }),
        ballot("c", { n1: "agree", n2: "agree" }),
        ballot("d", { n2: "agree", x1: "oppose" }),
        ballot("g", { n1: "agree", x1: "agree" }),
      ],
      candidates,
      races,
      5,
    );
    // 5 of 7 heads (≥ 2/3) and 800 of 1000 m² took part.
    const byId = Object.fromEntries(r.candidates.map((c) => [c.id, c]));
    expect(byId.n1).toMatchObject({ approved: true, agreeHeadcount: 4, agreeArea: 70000 });
    // n2: 2 of 5 heads agree — not more than half.
    expect(byId.n2).toMatchObject({ approved: false, agreeHeadcount: 2 });
    expect(byId.n2.tally.abstainHeadcount).toBe(3); // a, b and g left n2 unmarked
    // x1: 3 of 5 heads and 600 of 800 m² agree.
    expect(byId.x1).toMatchObject({ approved: true, agreeHeadcount: 3, agreeArea: 60000 });
    expect(r.races).toEqual([
      { race: "z", seats: 1, elected: ["n1"], tied: [], tiedSeats: 0, unfilled: 0 },
      { race: "X", seats: 1, elected: ["x1"], tied: [], tiedSeats: 0, unfilled: 0 },
    ]);
    expect(r.constituted).toBe(false); // 2 of 5 seats is not more than half
  });

  it("approves nobody without the 2/3 participation quorum", () => {
    const r = countElection(
      voters,
      [
        ballot("a", { n1: "agree" }),
        ballot("b", { n1: "agree" }),
        ballot("c", { n1: "agree" }),
        ballot("d", { n1: "agree" }),
      ],
      candidates,
      races,
      5,
    );
    expect(r.candidates.every((c) => !c.approved)).toBe(true);
    expect(r.races.map((x) => x.unfilled)).toEqual([1, 1]);
  });

  it("reports a tie on headcount and area instead of choosing", () => {
    const all = ["a", "b", "c", "d", "e", "f", "g"];
    // Everyone agrees to both N candidates — more than the one seat allows per ballot in practice,
    // but the count itself must still report the tie rather than pick one.
    const r = countElection(
      voters,
      all.map((v) => ballot(v, { n1: "agree", n2: "agree", x1: "agree" })),
      candidates,
      races,
      5,
    );
    expect(r.races[0]).toEqual({ race: "z", seats: 1, elected: [], tied: ["n1", "n2"], tiedSeats: 1, unfilled: 0 });
  });

  it("counts a race spoiled on a paper ballot as spoiled for that race's candidates only: taking part, never agreeing", () => {
    const cast = [
      ballot("a", { n1: "agree", x1: "agree" }),
      ballot("b", { n1: "agree", x1: "agree" }),
      ballot("c", { n1: "agree", x1: "agree" }),
      // Over-marked in zone z (both N candidates agreed for one seat): spoiled there, X still counts.
      { ...ballot("d", { n1: "agree", n2: "agree", x1: "agree" }), spoiledRaces: new Set(["z"]) },
      { ...ballot("e", { n1: "oppose", x1: "oppose" }), spoiledRaces: new Set(["z"]) },
      ballot("g", { n1: "agree", x1: "agree" }),
    ];
    const r = countElection(voters, cast, candidates, races, 5);
    const byId = Object.fromEntries(r.candidates.map((c) => [c.id, c]));
    // n1: 4 agree of 6 taking part (d and e spoiled, taking part) — 4/6 heads, 700 of 900 m².
    expect(byId.n1.tally).toMatchObject({
      participatingHeadcount: 6,
      agreeHeadcount: 4,
      opposeHeadcount: 0,
      spoiledHeadcount: 2,
      spoiledArea: 20000,
    });
    expect(byId.n1.approved).toBe(true);
    expect(byId.n2.tally).toMatchObject({ agreeHeadcount: 0, spoiledHeadcount: 2, abstainHeadcount: 4 });
    // The X race of the same ballots is counted as marked.
    expect(byId.x1.tally).toMatchObject({ agreeHeadcount: 5, opposeHeadcount: 1, spoiledHeadcount: 0 });

    // Where spoiled ballots do not take part, 4 of 7 heads took part in z's race: no quorum there.
    const strict = countElection(voters, cast, candidates, races, 5, { spoiledTakesPart: false });
    const n1 = strict.candidates.find((c) => c.id === "n1")!;
    expect(n1.tally).toMatchObject({ participatingHeadcount: 4, spoiledHeadcount: 2, quorumMet: false });
    expect(n1.approved).toBe(false);
    expect(strict.candidates.find((c) => c.id === "x1")!.approved).toBe(true);
  });
});
