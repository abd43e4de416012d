import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { atLeastAsStrict, criterion, law, leastMeeting, meets, shortfall, type Threshold } from "./law";

describe("the law's table (DESIGN.md Domain rules)", () => {
  it("holds the thresholds the law sets, with their boundaries", () => {
    expect(law.quorum).toEqual({ num: 2, den: 3, inclusive: true });
    expect(law.majorApproval).toEqual({ num: 3, den: 4, inclusive: true });
    expect(law.ordinaryApproval).toEqual({ num: 1, den: 2, inclusive: false });
    expect(law.petition).toEqual({ num: 1, den: 5, inclusive: true });
    expect(law.committeeQuorum).toEqual({ num: 1, den: 2, inclusive: false });
    expect(law.committeeDecision).toEqual({ num: 1, den: 2, inclusive: false });
    expect(law.requisition).toEqual({ num: 1, den: 3, inclusive: true });
  });
});

describe("meets", () => {
  it("counts the boundary for an inclusive threshold (以上)", () => {
    expect(meets(law.quorum, 6, 9)).toBe(true);
    expect(meets(law.quorum, 5, 9)).toBe(false);
    expect(meets(law.quorum, 60_000, 90_000)).toBe(true);
    expect(meets(law.quorum, 59_999, 90_000)).toBe(false);
    expect(meets(law.majorApproval, 3, 4)).toBe(true);
    expect(meets(law.majorApproval, 74_999, 100_000)).toBe(false);
  });

  it("does not count the boundary for an exclusive one (过半数)", () => {
    expect(meets(law.ordinaryApproval, 5, 10)).toBe(false);
    expect(meets(law.ordinaryApproval, 6, 10)).toBe(true);
    expect(meets(law.ordinaryApproval, 5, 9)).toBe(true);
  });

  it("never meets an empty whole, and refuses fractions of a unit", () => {
    expect(meets(law.quorum, 0, 0)).toBe(false);
    expect(meets(law.ordinaryApproval, 0, 0)).toBe(false);
    expect(() => meets(law.quorum, 1.5, 3)).toThrow(RangeError);
    expect(() => meets(law.quorum, -1, 3)).toThrow(RangeError);
  });

  it("stays exact where floats would not (products beyond 2^53)", () => {
    const whole = 9_007_199_254_740_990; // 3 × 3,002,399,751,580,330, just under 2^53
    const twoThirds = 6_004_799_503_160_660;
    expect(meets(law.quorum, twoThirds, whole)).toBe(true);
    expect(meets(law.quorum, twoThirds - 1, whole)).toBe(false);
    expect(leastMeeting(law.quorum, whole)).toBe(twoThirds);
  });
});

describe("leastMeeting", () => {
  it("is the least part that meets the threshold", () => {
    expect(leastMeeting(law.quorum, 9)).toBe(6);
    expect(leastMeeting(law.quorum, 10)).toBe(7);
    expect(leastMeeting(law.ordinaryApproval, 8)).toBe(5);
    expect(leastMeeting(law.ordinaryApproval, 9)).toBe(5);
    expect(leastMeeting(law.majorApproval, 4)).toBe(3);
    expect(leastMeeting(law.requisition, 9)).toBe(3);
    expect(leastMeeting(law.requisition, 10)).toBe(4);
  });

  it("agrees with meets for every threshold and whole (property)", () => {
    const thresholds = Object.values(law) as Threshold[];
    fc.assert(
      fc.property(fc.constantFrom(...thresholds), fc.integer({ min: 1, max: 1_000_000_000 }), (t, whole) => {
        const least = leastMeeting(t, whole);
        return meets(t, least, whole) && (least === 0 || !meets(t, least - 1, whole));
      }),
    );
  });
});

describe("criterion", () => {
  it("says what was needed, what was reached and whether it is met", () => {
    expect(criterion(law.quorum, 5, 9)).toEqual({ threshold: law.quorum, whole: 9, needed: 6, reached: 5, met: false });
    expect(shortfall(criterion(law.quorum, 5, 9))).toBe(1);
    expect(shortfall(criterion(law.quorum, 7, 9))).toBe(0);
  });
});

describe("atLeastAsStrict (the law is a floor)", () => {
  it("orders thresholds by what they ask of every whole", () => {
    expect(atLeastAsStrict({ num: 2, den: 3, inclusive: true }, law.ordinaryApproval)).toBe(true);
    expect(atLeastAsStrict(law.ordinaryApproval, law.ordinaryApproval)).toBe(true);
    expect(atLeastAsStrict({ num: 1, den: 2, inclusive: true }, law.ordinaryApproval)).toBe(false);
    expect(atLeastAsStrict({ num: 2, den: 4, inclusive: false }, law.ordinaryApproval)).toBe(true);
    expect(atLeastAsStrict({ num: 1, den: 2, inclusive: false }, { num: 1, den: 2, inclusive: true })).toBe(true);
    expect(atLeastAsStrict({ num: 2, den: 5, inclusive: false }, law.ordinaryApproval)).toBe(false);
  });
});
