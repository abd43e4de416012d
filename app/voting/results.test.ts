import { describe, expect, it } from "vitest";
import { mayPostFinal, mayQuery, resultPhase, resultVisible } from "./results";

// The period of a vote closed on Mon 7 Dec 2026 with 7 days ends at 24:00 Beijing on Mon 14 Dec (16:00 UTC).
const queryEndsAt = new Date("2026-12-14T16:00:00Z");
const lastMinute = new Date("2026-12-14T15:59:00Z"); // 23:59 Beijing, the last day
const midnight = new Date("2026-12-14T16:00:00Z"); // 00:00 Beijing, the day after

describe("a closed vote's phases", () => {
  it("takes queries up to 23:59 of the last day and not from 00:00", () => {
    const v = { status: "closed", queryEndsAt };
    expect(resultPhase(v, lastMinute)).toBe("query");
    expect(mayQuery(v, lastMinute)).toBe(true);
    expect(mayPostFinal(v, lastMinute)).toBe(false);
    expect(resultPhase(v, midnight)).toBe("due");
    expect(mayQuery(v, midnight)).toBe(false);
    expect(mayPostFinal(v, midnight)).toBe(true);
  });

  it("has no preliminary result before close and no queries after the final result", () => {
    for (const status of ["draft", "comment", "voting", "nominating"]) {
      expect(resultPhase({ status, queryEndsAt: null }, midnight)).toBe("open");
      expect(resultVisible({ status, queryEndsAt: null })).toBe(false);
      expect(mayPostFinal({ status, queryEndsAt: null }, midnight)).toBe(false);
    }
    for (const status of ["published", "carried_out"]) {
      expect(resultPhase({ status, queryEndsAt }, lastMinute)).toBe("final");
      expect(mayQuery({ status, queryEndsAt }, lastMinute)).toBe(false);
      expect(mayPostFinal({ status, queryEndsAt }, midnight)).toBe(false);
      expect(resultVisible({ status, queryEndsAt })).toBe(true);
    }
  });

  it("lets a vote closed before the query period existed be finalised at once", () => {
    expect(mayPostFinal({ status: "closed", queryEndsAt: null }, lastMinute)).toBe(true);
    expect(mayQuery({ status: "closed", queryEndsAt: null }, lastMinute)).toBe(false);
  });
});
