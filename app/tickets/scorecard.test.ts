import { describe, expect, it } from "vitest";
import { beijingMonth } from "~/lib/time";
import {
  addMonths,
  direction,
  drifting,
  formatHours,
  formatPermille,
  formatTenths,
  monthStart,
  monthsEnding,
  periodKeysOf,
  permille,
  ratingTenths,
} from "./scorecard";

describe("months in Beijing time", () => {
  it("puts an instant in its Beijing month and starts a month at Beijing midnight", () => {
    expect(beijingMonth(new Date("2026-10-31T16:00:00Z"))).toBe("2026-11");
    expect(beijingMonth(new Date("2026-10-31T15:59:59Z"))).toBe("2026-10");
    expect(monthStart("2026-11").toISOString()).toBe("2026-10-31T16:00:00.000Z");
    expect(monthStart("2026-01").toISOString()).toBe("2025-12-31T16:00:00.000Z");
  });

  it("counts months across years", () => {
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2025-12", 13)).toBe("2027-01");
    expect(monthsEnding("2026-02", 3)).toEqual(["2025-12", "2026-01", "2026-02"]);
    expect(monthsEnding("2026-11", 12)[0]).toBe("2025-12");
    expect(periodKeysOf("2026-11")).toEqual(["2026-11", "2026-Q4", "2026"]);
  });
});

describe("rates in integers", () => {
  it("rounds half up in tenths of a percent and refuses impossible ratios", () => {
    expect(permille(1, 3)).toBe(333);
    expect(permille(2, 3)).toBe(667);
    expect(permille(1, 8)).toBe(125);
    expect(permille(1, 2000)).toBe(1); // 0.05% rounds up to 0.1%
    expect(permille(0, 0)).toBeNull();
    expect(() => permille(4, 3)).toThrow(RangeError);
    expect(() => permille(0.5, 3)).toThrow(RangeError);
    expect(ratingTenths(11, 3)).toBe(37);
    expect(ratingTenths(9, 2)).toBe(45);
    expect(ratingTenths(0, 0)).toBeNull();
  });

  it("formats", () => {
    expect(formatPermille(677)).toBe("67.7%");
    expect(formatPermille(null)).toBe("—");
    expect(formatTenths(37)).toBe("3.7");
    expect(formatHours(90)).toBe("1.5");
    expect(formatHours(5400)).toBe("90.0");
    expect(formatHours(null)).toBe("—");
  });
});

describe("drift toward the vicious circle", () => {
  it("compares the last months with the months before, ignoring months without data", () => {
    expect(direction([800, 810, 790, 700, 690, 650])).toBe("down");
    expect(direction([700, 690, 650, 800, 810, 790])).toBe("up");
    expect(direction([800, null, 800, 800, null, 800])).toBe("flat");
    expect(direction([null, null, null, 800, 800, 800])).toBeNull();
    expect(direction([800, 797], 1, 5)).toBe("flat"); // within the tolerance
  });

  it("flags an estate only when collection and satisfaction both fall", () => {
    expect(drifting("down", "down")).toBe(true);
    expect(drifting("down", "flat")).toBe(false);
    expect(drifting("up", "down")).toBe(false);
    expect(drifting(null, "down")).toBe(false);
  });
});
