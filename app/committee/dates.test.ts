import { describe, expect, it } from "vitest";
import { fromShanghaiDate, fromShanghaiLocal, toShanghaiDate, toShanghaiLocal } from "./dates";

describe("Beijing time in forms", () => {
  it("reads a datetime-local value as Beijing time", () => {
    expect(fromShanghaiLocal("2026-12-01T09:30")?.toISOString()).toBe("2026-12-01T01:30:00.000Z");
    expect(fromShanghaiLocal("2026-12-01T00:15")?.toISOString()).toBe("2026-11-30T16:15:00.000Z");
    expect(toShanghaiLocal(new Date("2026-11-30T16:15:00Z"))).toBe("2026-12-01T00:15");
  });
  it("reads a date as midnight in Beijing", () => {
    expect(fromShanghaiDate("2026-03-01")?.toISOString()).toBe("2026-02-28T16:00:00.000Z");
    expect(toShanghaiDate(new Date("2026-02-28T16:00:00Z"))).toBe("2026-03-01");
  });
  it("refuses malformed and impossible values", () => {
    for (const v of ["", "2026-02-30T10:00", "2026-12-01T24:00", "2026-12-01 10:00", "tomorrow"]) expect(fromShanghaiLocal(v)).toBeNull();
    expect(fromShanghaiDate("2026-13-01")).toBeNull();
    expect(fromShanghaiDate("2026-12-01T10:00")).toBeNull();
  });
});
