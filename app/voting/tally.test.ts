import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  electorate,
  storedTally,
  tally,
  type Ballot,
  type BallotChoice,
  type Choice,
  type Matter,
  type RosterUnit,
  type Voter,
} from "./tally";

/** Voters named v0, v1, … with the given areas (hundredths of m²). */
const voters = (...areas: number[]): Voter[] =>
  areas.map((a, i) => ({ voterId: `v${i}`, areaCentiSqm: a, unitIds: [`u${i}`] }));
/** Ballots for voters v0, v1, … in order. */
const ballots = (...choices: Choice[]): Ballot[] => choices.map((choice, i) => ({ voterId: `v${i}`, choice }));
const repeat = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);

describe("electorate (SPC interpretation Art. 9)", () => {
  it("makes one voter of an exact set of owners, whatever the order, with area summed", () => {
    const units: RosterUnit[] = [
      { unitId: "101", areaCentiSqm: 8_000, ownerIds: ["b", "a"], developerUnsold: false },
      { unitId: "102", areaCentiSqm: 9_050, ownerIds: ["a", "b"], developerUnsold: false },
      { unitId: "201", areaCentiSqm: 7_001, ownerIds: ["a"], developerUnsold: false },
      { unitId: "202", areaCentiSqm: 6_000, ownerIds: ["c"], developerUnsold: false },
      { unitId: "203", areaCentiSqm: 6_500, ownerIds: ["c", "c"], developerUnsold: false },
    ];
    expect(electorate(units)).toEqual([
      { voterId: "a", areaCentiSqm: 7_001, unitIds: ["201"] },
      { voterId: "a+b", areaCentiSqm: 17_050, unitIds: ["101", "102"] },
      { voterId: "c", areaCentiSqm: 12_500, unitIds: ["202", "203"] },
    ]);
  });

  it("someone who owns one flat alone and co-owns another is in two voters", () => {
    const result = electorate([
      { unitId: "1", areaCentiSqm: 100, ownerIds: ["x"], developerUnsold: false },
      { unitId: "2", areaCentiSqm: 100, ownerIds: ["x", "y"], developerUnsold: false },
    ]);
    expect(result.map((v) => v.voterId)).toEqual(["x", "x+y"]);
  });

  it("makes all developer-unsold units one voter called developer", () => {
    const result = electorate([
      { unitId: "1", areaCentiSqm: 100, ownerIds: [], developerUnsold: true },
      { unitId: "2", areaCentiSqm: 250, ownerIds: ["dev-co"], developerUnsold: true },
      { unitId: "3", areaCentiSqm: 300, ownerIds: ["z"], developerUnsold: false },
    ]);
    expect(result).toEqual([
      { voterId: "developer", areaCentiSqm: 350, unitIds: ["1", "2"] },
      { voterId: "z", areaCentiSqm: 300, unitIds: ["3"] },
    ]);
  });

  it("throws on a unit with no owner that is not the developer's", () => {
    expect(() => electorate([{ unitId: "9", areaCentiSqm: 100, ownerIds: [], developerUnsold: false }])).toThrow(
      /no owner/,
    );
  });

  it("throws on areas that are not positive integers, and on a unit listed twice", () => {
    expect(() => electorate([{ unitId: "1", areaCentiSqm: 100.5, ownerIds: ["a"], developerUnsold: false }])).toThrow(
      RangeError,
    );
    expect(() => electorate([{ unitId: "1", areaCentiSqm: 0, ownerIds: ["a"], developerUnsold: false }])).toThrow(
      RangeError,
    );
    const u = { unitId: "1", areaCentiSqm: 100, ownerIds: ["a"], developerUnsold: false };
    expect(() => electorate([u, u])).toThrow(/twice/);
  });

  it("refuses owner ids that would make voter ids ambiguous", () => {
    expect(() => electorate([{ unitId: "1", areaCentiSqm: 100, ownerIds: ["a+b"], developerUnsold: false }])).toThrow(
      RangeError,
    );
    expect(() =>
      electorate([{ unitId: "1", areaCentiSqm: 100, ownerIds: ["developer"], developerUnsold: false }]),
    ).toThrow(RangeError);
  });
});

describe("participation quorum: ≥ 2/3 of area AND ≥ 2/3 of headcount", () => {
  it("is met at exactly 2/3 of the area", () => {
    // Five voters with 600.00 m² take part; one with 300.00 m² does not: 600/900 = 2/3.
    const t = tally(
      "ordinary",
      voters(12_000, 12_000, 12_000, 12_000, 12_000, 30_000),
      ballots(...repeat(5, "agree" as const)),
    );
    expect(t.totalArea).toBe(90_000);
    expect(t.participatingArea).toBe(60_000);
    expect(t.quorumMet).toBe(true);
    expect(t.passed).toBe(true);
  });

  it("is not met one hundredth of a m² under 2/3 of the area, even with 5/6 of the headcount", () => {
    const t = tally(
      "ordinary",
      voters(12_000, 12_000, 12_000, 12_000, 12_000, 30_001),
      ballots(...repeat(5, "agree" as const)),
    );
    expect(t.participatingHeadcount * 6).toBe(t.totalHeadcount * 5);
    expect(t.quorumMet).toBe(false);
    expect(t.passed).toBe(false);
    const under = tally(
      "ordinary",
      voters(11_999, 12_000, 12_000, 12_000, 12_000, 30_000),
      ballots(...repeat(5, "agree" as const)),
    );
    expect(under.participatingArea).toBe(59_999);
    expect(under.quorumMet).toBe(false);
  });

  it("is met at exactly 2/3 of the headcount, not one voter under", () => {
    // Six voters; the four who take part hold most of the area.
    const six = voters(50_000, 50_000, 50_000, 50_000, 100, 100);
    expect(tally("ordinary", six, ballots(...repeat(4, "agree" as const))).quorumMet).toBe(true);
    expect(tally("ordinary", six, ballots(...repeat(3, "agree" as const))).quorumMet).toBe(false);
    // Nine voters: six is exactly 2/3, five is not.
    const nine = voters(90_000, 90_000, 90_000, 90_000, 90_000, 90_000, 1, 1, 1);
    expect(tally("ordinary", nine, ballots(...repeat(6, "agree" as const))).quorumMet).toBe(true);
    const five = tally("ordinary", nine, ballots(...repeat(5, "agree" as const)));
    expect(five.participatingArea * 3 >= five.totalArea * 2).toBe(true); // area alone would do
    expect(five.quorumMet).toBe(false);
  });

  it("counts an abstention as taking part", () => {
    const t = tally("ordinary", voters(100, 100, 100), ballots("agree", "abstain"));
    expect(t.participatingHeadcount).toBe(2);
    expect(t.quorumMet).toBe(true);
    expect(t.abstainArea).toBe(100);
    expect(t.abstainHeadcount).toBe(1);
  });

  it("is never met by an empty electorate", () => {
    expect(tally("major", [], [])).toMatchObject({ totalArea: 0, totalHeadcount: 0, quorumMet: false, passed: false });
  });
});

describe("major matters: ≥ 3/4 of participating area AND headcount", () => {
  it("pass at exactly 3/4 of the area", () => {
    // agree 300.00 of 400.00 participating; headcount 3 of 4.
    const t = tally("major", voters(10_000, 10_000, 10_000, 10_000), ballots("agree", "agree", "agree", "oppose"));
    expect(t.agreeArea * 4).toBe(t.participatingArea * 3);
    expect(t.passed).toBe(true);
  });

  it("fail one hundredth of a m² under 3/4 of the area", () => {
    const t = tally("major", voters(9_999, 10_000, 10_000, 10_001), ballots("agree", "agree", "agree", "oppose"));
    expect(t.participatingArea).toBe(40_000);
    expect(t.agreeArea).toBe(29_999);
    expect(t.agreeHeadcount * 4).toBe(t.participatingHeadcount * 3); // headcount exactly 3/4
    expect(t.quorumMet).toBe(true);
    expect(t.passed).toBe(false);
  });

  it("pass at exactly 3/4 of the headcount, fail one voter under", () => {
    // 4 take part, 3 agree: exactly 3/4.
    expect(
      tally("major", voters(10_000, 10_000, 10_000, 100), ballots("agree", "agree", "agree", "oppose")).passed,
    ).toBe(true);
    // 8 take part, 5 agree (5/8 < 3/4) although they hold almost all the area.
    const t = tally(
      "major",
      voters(90_000, 90_000, 90_000, 90_000, 90_000, 1, 1, 1),
      ballots("agree", "agree", "agree", "agree", "agree", "oppose", "oppose", "abstain"),
    );
    expect(t.agreeArea * 4 >= t.participatingArea * 3).toBe(true);
    expect(t.passed).toBe(false);
    // 7 of 9 (> 3/4 by headcount) but not 3/4 of the area.
    const u = tally(
      "major",
      voters(...repeat(7, 100), 10_000, 10_000),
      ballots(...repeat(7, "agree" as const), "oppose", "oppose"),
    );
    expect(u.agreeHeadcount * 4 >= u.participatingHeadcount * 3).toBe(true);
    expect(u.passed).toBe(false);
  });

  it("count abstentions against approval", () => {
    expect(tally("major", voters(100, 100, 100, 100), ballots("agree", "agree", "abstain", "abstain")).passed).toBe(
      false,
    );
    expect(tally("major", voters(100, 100, 100, 100), ballots("agree", "agree", "agree", "abstain")).passed).toBe(true);
  });
});

describe("ordinary matters: > 1/2 of participating area AND headcount", () => {
  it("fail at exactly half of the area", () => {
    const t = tally("ordinary", voters(20_000, 10_000, 10_000), ballots("agree", "oppose", "oppose"));
    expect(t.agreeArea * 2).toBe(t.participatingArea);
    expect(t.passed).toBe(false);
  });

  it("pass one hundredth of a m² over half of the area", () => {
    const t = tally("ordinary", voters(20_001, 10_000, 10_000), ballots("agree", "oppose", "oppose"));
    expect(t.agreeHeadcount).toBe(1); // 1 of 3 by headcount: still fails on headcount
    expect(t.passed).toBe(false);
    const u = tally("ordinary", voters(20_001, 10_000, 10_000, 1), ballots("agree", "oppose", "oppose", "agree"));
    expect(u.agreeArea).toBe(20_002);
    expect(u.agreeHeadcount * 2).toBe(u.participatingHeadcount); // exactly half by headcount
    expect(u.passed).toBe(false);
    const v = tally(
      "ordinary",
      voters(20_001, 10_000, 10_000, 1, 1),
      ballots("agree", "oppose", "oppose", "agree", "agree"),
    );
    expect(v.passed).toBe(true);
  });

  it("fail at exactly half of the headcount, pass one over", () => {
    expect(tally("ordinary", voters(100, 100, 1, 1), ballots("agree", "agree", "oppose", "oppose")).passed).toBe(false);
    expect(
      tally("ordinary", voters(100, 100, 100, 1, 1), ballots("agree", "agree", "agree", "oppose", "oppose")).passed,
    ).toBe(true);
  });

  it("need both majorities: area without headcount fails, headcount without area fails", () => {
    expect(tally("ordinary", voters(100_000, 1, 1), ballots("agree", "oppose", "oppose")).passed).toBe(false);
    expect(tally("ordinary", voters(1, 1, 100_000), ballots("agree", "agree", "oppose")).passed).toBe(false);
  });

  it("do not pass without a quorum, even unanimously", () => {
    const t = tally("ordinary", voters(100, 100, 100, 100), ballots("agree", "agree"));
    expect(t.quorumMet).toBe(false);
    expect(t.passed).toBe(false);
  });
});

describe("criteria: what each rule needed and what it reached", () => {
  it("reports the quorum and the major approval by area and by headcount, at their boundaries", () => {
    // 4 of 5 voters take part holding 400.00 of 500.00 m²; 3 agree holding 300.00 m².
    const t = tally(
      "major",
      voters(10_000, 10_000, 10_000, 10_000, 10_000),
      ballots("agree", "agree", "agree", "oppose"),
    );
    expect(t.criteria).toEqual({
      quorumArea: {
        threshold: { num: 2, den: 3, inclusive: true },
        whole: 50_000,
        needed: 33_334,
        reached: 40_000,
        met: true,
      },
      quorumHeadcount: { threshold: { num: 2, den: 3, inclusive: true }, whole: 5, needed: 4, reached: 4, met: true },
      approvalArea: {
        threshold: { num: 3, den: 4, inclusive: true },
        whole: 40_000,
        needed: 30_000,
        reached: 30_000,
        met: true,
      },
      approvalHeadcount: { threshold: { num: 3, den: 4, inclusive: true }, whole: 4, needed: 3, reached: 3, met: true },
    });
    expect(t.passed).toBe(true);
  });

  it("needs one more than half for an ordinary matter, and says which criterion failed", () => {
    const t = tally("ordinary", voters(100, 100, 100, 100), ballots("agree", "agree", "oppose", "oppose"));
    expect(t.criteria.approvalHeadcount).toEqual({
      threshold: { num: 1, den: 2, inclusive: false },
      whole: 4,
      needed: 3,
      reached: 2,
      met: false,
    });
    expect(t.criteria.approvalArea).toMatchObject({ whole: 400, needed: 201, reached: 200, met: false });
    expect(t.criteria.quorumHeadcount.met).toBe(true);
    expect(t.passed).toBe(false);
  });

  it("reports a quorum missed by headcount alone", () => {
    const t = tally("ordinary", voters(100_000, 1, 1, 1, 1, 1), ballots("agree", "agree", "agree"));
    expect(t.criteria.quorumArea.met).toBe(true);
    expect(t.criteria.quorumHeadcount).toMatchObject({ whole: 6, needed: 4, reached: 3, met: false });
    expect(t.quorumMet).toBe(false);
  });

  it("agrees with quorumMet and passed for any count (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Matter>("ordinary", "major"),
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 50_000 }),
            fc.constantFrom<Choice | null>("agree", "oppose", "abstain", null),
          ),
          { maxLength: 30 },
        ),
        (matter, rows) => {
          const t = tally(
            matter,
            voters(...rows.map((r) => r[0])),
            rows.flatMap((r, i) => (r[1] ? [{ voterId: `v${i}`, choice: r[1] }] : [])),
          );
          const c = t.criteria;
          for (const k of ["quorumArea", "quorumHeadcount", "approvalArea", "approvalHeadcount"] as const) {
            if (c[k].whole > 0 && c[k].met !== c[k].reached >= c[k].needed) return false;
          }
          return (
            t.quorumMet === (c.quorumArea.met && c.quorumHeadcount.met) &&
            t.passed === (t.quorumMet && c.approvalArea.met && c.approvalHeadcount.met)
          );
        },
      ),
    );
  });

  it("gives a stored result from before the criteria its criteria, keeping its verdict", () => {
    const t = tally("major", voters(100, 100, 100, 100), ballots("agree", "agree", "agree", "oppose"));
    const { criteria: _, ...old } = t;
    expect(storedTally("major", old)).toEqual(t);
    expect(storedTally("major", t)).toBe(t);
  });
});

describe("spoiled ballots (废票)", () => {
  const cast = (...choices: BallotChoice[]): Ballot[] => choices.map((choice, i) => ({ voterId: `v${i}`, choice }));

  it("take part by default and never agree: 2 of 3 took part, one agrees, one spoiled → quorum met, not passed", () => {
    const t = tally("ordinary", voters(100, 100, 100), cast("agree", "spoiled"));
    expect(t).toMatchObject({
      participatingArea: 200,
      participatingHeadcount: 2,
      agreeArea: 100,
      agreeHeadcount: 1,
      spoiledArea: 100,
      spoiledHeadcount: 1,
      quorumMet: true,
      passed: false,
    });
    expect(t.criteria.approvalHeadcount).toMatchObject({ reached: 1, whole: 2, met: false });
  });

  it("where the estate's rule says they do not take part, they leave the quorum and the denominator", () => {
    // Four voters, two agree, one spoiled: taking part, 3/4 took part and 2/3 of them agree.
    const four = voters(100, 100, 100, 100);
    const ballotsCast = cast("agree", "agree", "spoiled");
    expect(tally("ordinary", four, ballotsCast, { spoiledTakesPart: true })).toMatchObject({
      participatingHeadcount: 3,
      quorumMet: true,
      passed: true,
    });
    // Not taking part: 2 of 4 took part, below 2/3: no quorum. The spoiled ballot is still shown.
    expect(tally("ordinary", four, ballotsCast, { spoiledTakesPart: false })).toMatchObject({
      participatingArea: 200,
      participatingHeadcount: 2,
      spoiledArea: 100,
      spoiledHeadcount: 1,
      quorumMet: false,
      passed: false,
    });
  });

  it("a later ballot of the voter replaces a spoiled one, and a stored result from before has none", () => {
    expect(tally("ordinary", voters(100), [...cast("spoiled"), { voterId: "v0", choice: "agree" }])).toMatchObject({
      spoiledHeadcount: 0,
      agreeHeadcount: 1,
      passed: true,
    });
    const { spoiledArea: _a, spoiledHeadcount: _h, ...old } = tally("ordinary", voters(100), cast("agree"));
    expect(storedTally("ordinary", old)).toMatchObject({ spoiledArea: 0, spoiledHeadcount: 0, passed: true });
  });
});

describe("ballots", () => {
  it("later ballots of a voter replace earlier ones", () => {
    const t = tally("ordinary", voters(100, 100, 100), [
      { voterId: "v0", choice: "oppose" },
      { voterId: "v1", choice: "agree" },
      { voterId: "v0", choice: "agree" },
      { voterId: "v2", choice: "abstain" },
      { voterId: "v2", choice: "agree" },
    ]);
    expect(t).toMatchObject({
      participatingHeadcount: 3,
      agreeHeadcount: 3,
      opposeHeadcount: 0,
      abstainHeadcount: 0,
      agreeArea: 300,
      passed: true,
    });
  });

  it("throws on a ballot from someone not in the electorate, and on a voter listed twice", () => {
    expect(() => tally("ordinary", voters(100), [{ voterId: "stranger", choice: "agree" }])).toThrow(
      /not in the electorate/,
    );
    expect(() => tally("ordinary", [...voters(100), ...voters(100)], [])).toThrow(/twice/);
  });

  it("throws on an unknown choice or matter", () => {
    expect(() => tally("ordinary", voters(100), [{ voterId: "v0", choice: "maybe" as Choice }])).toThrow(RangeError);
    expect(() => tally("grave" as Matter, voters(100), [])).toThrow(RangeError);
  });
});

// ---- Property: the tally equals a brute-force recount -------------------------------------

/** The figures and the verdict (the criteria are checked against the verdict above). */
const withoutCriteria = ({ criteria: _, ...rest }: ReturnType<typeof tally>) => rest;

/** A different route to the same answer: group with strings, recount by scanning backwards, compare in BigInt fractions. */
function recount(matter: Matter, units: RosterUnit[], cast: Ballot[], spoiledTakesPart = true) {
  const keys = new Map<string, { area: bigint; units: number }>();
  for (const u of units) {
    const key = u.developerUnsold ? "developer" : [...new Set(u.ownerIds)].sort().join("+");
    const entry = keys.get(key) ?? { area: 0n, units: 0 };
    entry.area += BigInt(u.areaCentiSqm);
    entry.units += 1;
    keys.set(key, entry);
  }
  let totalArea = 0n;
  const sum = { agree: [0n, 0n], oppose: [0n, 0n], abstain: [0n, 0n], spoiled: [0n, 0n] } as Record<
    BallotChoice,
    [bigint, bigint]
  >;
  for (const [key, { area }] of keys) {
    totalArea += area;
    let choice: BallotChoice | undefined;
    for (let i = cast.length - 1; i >= 0; i--) {
      if (cast[i].voterId === key) {
        choice = cast[i].choice;
        break;
      }
    }
    if (choice) {
      sum[choice][0] += area;
      sum[choice][1] += 1n;
    }
  }
  const totalHead = BigInt(keys.size);
  const spoiled = spoiledTakesPart ? sum.spoiled : [0n, 0n];
  const partArea = sum.agree[0] + sum.oppose[0] + sum.abstain[0] + spoiled[0];
  const partHead = sum.agree[1] + sum.oppose[1] + sum.abstain[1] + spoiled[1];
  // x/y ≥ p/q ⟺ x·q ≥ p·y (y > 0)
  const ge = (x: bigint, y: bigint, p: bigint, q: bigint) => x * q >= p * y;
  const quorumMet = totalHead > 0n && ge(partArea, totalArea, 2n, 3n) && ge(partHead, totalHead, 2n, 3n);
  const approved =
    partHead > 0n &&
    (matter === "major"
      ? ge(sum.agree[0], partArea, 3n, 4n) && ge(sum.agree[1], partHead, 3n, 4n)
      : sum.agree[0] * 2n > partArea && sum.agree[1] * 2n > partHead);
  return {
    totalArea: Number(totalArea),
    totalHeadcount: Number(totalHead),
    participatingArea: Number(partArea),
    participatingHeadcount: Number(partHead),
    agreeArea: Number(sum.agree[0]),
    agreeHeadcount: Number(sum.agree[1]),
    opposeArea: Number(sum.oppose[0]),
    opposeHeadcount: Number(sum.oppose[1]),
    abstainArea: Number(sum.abstain[0]),
    abstainHeadcount: Number(sum.abstain[1]),
    spoiledArea: Number(sum.spoiled[0]),
    spoiledHeadcount: Number(sum.spoiled[1]),
    quorumMet,
    passed: quorumMet && approved,
  };
}

const ownerPool = ["o1", "o2", "o3", "o4", "o5", "o6"];
const unitArb = fc.record({
  // Small areas make exact boundaries (2/3, 3/4, 1/2) come up often.
  areaCentiSqm: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 2_000_000 })),
  ownerIds: fc.subarray(ownerPool, { minLength: 1, maxLength: 3 }),
  developerUnsold: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
});
const choiceArb = fc.constantFrom<BallotChoice>("agree", "oppose", "abstain", "spoiled");

describe("property: tally equals a brute-force recount", () => {
  it("for random rosters and ballot sequences", () => {
    fc.assert(
      fc.property(
        fc.array(unitArb, { minLength: 0, maxLength: 25 }),
        fc.array(fc.tuple(fc.nat(), choiceArb), { maxLength: 40 }),
        fc.constantFrom<Matter>("ordinary", "major"),
        fc.boolean(),
        (specs, picks, matter, spoiledTakesPart) => {
          const units: RosterUnit[] = specs.map((s, i) => ({ unitId: `u${i}`, ...s }));
          const elect = electorate(units);
          // Every unit lands in exactly one voter, and no area is lost or made up.
          expect(elect.flatMap((v) => v.unitIds).sort()).toEqual(units.map((u) => u.unitId).sort());
          expect(elect.reduce((s, v) => s + v.areaCentiSqm, 0)).toBe(units.reduce((s, u) => s + u.areaCentiSqm, 0));
          const cast: Ballot[] = elect.length
            ? picks.map(([n, choice]) => ({ voterId: elect[n % elect.length].voterId, choice }))
            : [];
          expect(withoutCriteria(tally(matter, elect, cast, { spoiledTakesPart }))).toEqual(
            recount(matter, units, cast, spoiledTakesPart),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("for electorates built to sit on the boundaries", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(choiceArb, { maxLength: 12 }),
        (n, area, picks) => {
          const elect = voters(...repeat(n, area));
          const cast = picks.slice(0, n).map((choice, i) => ({ voterId: `v${i}`, choice }));
          const units = elect.map((v) => ({
            unitId: v.unitIds[0],
            areaCentiSqm: v.areaCentiSqm,
            ownerIds: [v.voterId],
            developerUnsold: false,
          }));
          for (const matter of ["ordinary", "major"] as const)
            expect(withoutCriteria(tally(matter, elect, cast))).toEqual(recount(matter, units, cast));
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
