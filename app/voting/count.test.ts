import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countInputs } from "./count";
import { tally, type Choice, type Matter } from "./tally";

describe("counting from totals and current ballots", () => {
  it("gives the same tally as counting voter by voter", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            area: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 500_000 })),
            choice: fc.option(fc.constantFrom<Choice>("agree", "oppose", "abstain")),
          }),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        fc.constantFrom<Matter>("ordinary", "major"),
        (people, matter) => {
          const voters = people.map((p, i) => ({ voterId: `v${i}`, areaCentiSqm: p.area, unitIds: [] }));
          const ballots = people.flatMap((p, i) => (p.choice ? [{ voterId: `v${i}`, choice: p.choice }] : []));
          const totals = { headcount: voters.length, areaCentiSqm: voters.reduce((s, v) => s + v.areaCentiSqm, 0) };
          const current = people.flatMap((p) => (p.choice ? [{ areaCentiSqm: p.area, choice: p.choice }] : []));
          const input = countInputs(totals, current);
          expect(tally(matter, input.voters, input.ballots)).toEqual(tally(matter, voters, ballots));
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("refuses ballots that do not fit the totals", () => {
    expect(() =>
      countInputs({ headcount: 1, areaCentiSqm: 100 }, [
        { areaCentiSqm: 100, choice: "agree" },
        { areaCentiSqm: 1, choice: "agree" },
      ]),
    ).toThrow(RangeError);
    expect(() => countInputs({ headcount: 2, areaCentiSqm: 100 }, [{ areaCentiSqm: 100, choice: "agree" }])).toThrow(
      RangeError,
    );
    expect(() => countInputs({ headcount: 1, areaCentiSqm: 100 }, [{ areaCentiSqm: 90, choice: "agree" }])).toThrow(
      RangeError,
    );
  });
});
