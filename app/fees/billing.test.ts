import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDaysToDate, beijingDate } from "~/lib/time";
import { billAmountFen, divRoundHalfUp } from "./billing";
import { formatDelta, formatPermille, permille, trend } from "./collection";
import { overlaps, parsePeriod, periodContaining, shiftPeriod } from "./periods";

describe("bill amounts: rounded once, to the fen, half up", () => {
  it("rounds a half fen up and anything less down", () => {
    // 1 fen/m² × 0.50 m² = 0.5 fen → 1 fen; × 0.49 m² → 0 fen.
    expect(billAmountFen({ basis: "area", rateFen: 1, areaCentiSqm: 50, months: 1 })).toBe(1);
    expect(billAmountFen({ basis: "area", rateFen: 1, areaCentiSqm: 49, months: 1 })).toBe(0);
    expect(billAmountFen({ basis: "area", rateFen: 1, areaCentiSqm: 150, months: 1 })).toBe(2);
    expect(billAmountFen({ basis: "area", rateFen: 1, areaCentiSqm: 249, months: 1 })).toBe(2);
  });

  it("computes the documented example: a quarter is rounded once, not three times", () => {
    const month = billAmountFen({ basis: "area", rateFen: 185, areaCentiSqm: 8_937, months: 1 });
    const quarter = billAmountFen({ basis: "area", rateFen: 185, areaCentiSqm: 8_937, months: 3 });
    expect(month).toBe(16_533); // 16,533.45 fen
    expect(quarter).toBe(49_600); // 49,600.35 fen
    expect(quarter).not.toBe(3 * month);
  });

  it("charges a fixed rate per unit per month whatever the area", () => {
    expect(billAmountFen({ basis: "unit", rateFen: 15_000, areaCentiSqm: 1_250, months: 3 })).toBe(45_000);
    expect(billAmountFen({ basis: "unit", rateFen: 15_000, areaCentiSqm: 99_999, months: 12 })).toBe(180_000);
  });

  it("stays exact where a float would not (large areas, many months)", () => {
    // 9,999,999 fen × 2,147,483,647 × 12 is far beyond 2^53.
    const exact = (9_999_999n * 2_147_483_647n * 12n * 2n + 100n) / 200n;
    expect(billAmountFen({ basis: "area", rateFen: 9_999_999, areaCentiSqm: 2_147_483_647, months: 12 })).toBe(
      Number(exact),
    );
  });

  it("agrees with a reference definition of half-up rounding for any input", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.constantFrom(1, 3, 12),
        (rate, area, months) => {
          const hundredths = BigInt(rate) * BigInt(area) * BigInt(months);
          const whole = hundredths / 100n;
          const rest = hundredths % 100n;
          const expected = rest >= 50n ? whole + 1n : whole;
          expect(billAmountFen({ basis: "area", rateFen: rate, areaCentiSqm: area, months })).toBe(Number(expected));
        },
      ),
    );
  });

  it("refuses negative or fractional inputs", () => {
    expect(() => billAmountFen({ basis: "area", rateFen: 1.5, areaCentiSqm: 100, months: 1 })).toThrow(RangeError);
    expect(() => billAmountFen({ basis: "area", rateFen: 100, areaCentiSqm: -1, months: 1 })).toThrow(RangeError);
    expect(() => divRoundHalfUp(-1n, 2n)).toThrow(RangeError);
  });
});

describe("billing periods", () => {
  it("parses month, quarter and year keys with exclusive ends", () => {
    expect(parsePeriod("2026-11")).toEqual({
      key: "2026-11",
      cycle: "monthly",
      start: "2026-11-01",
      end: "2026-12-01",
      months: 1,
    });
    expect(parsePeriod("2026-12")?.end).toBe("2027-01-01");
    expect(parsePeriod("2026-Q4")).toEqual({
      key: "2026-Q4",
      cycle: "quarterly",
      start: "2026-10-01",
      end: "2027-01-01",
      months: 3,
    });
    expect(parsePeriod("2026")).toEqual({
      key: "2026",
      cycle: "yearly",
      start: "2026-01-01",
      end: "2027-01-01",
      months: 12,
    });
    for (const bad of ["2026-13", "2026-00", "2026-Q5", "26-01", "2026-1", ""]) expect(parsePeriod(bad)).toBeNull();
  });

  it("finds the period containing a Beijing date, and the ones around it", () => {
    expect(periodContaining("monthly", "2026-11-30").key).toBe("2026-11");
    expect(periodContaining("quarterly", "2026-11-30").key).toBe("2026-Q4");
    expect(periodContaining("yearly", "2026-11-30").key).toBe("2026");
    expect(shiftPeriod(parsePeriod("2026-01")!, -1).key).toBe("2025-12");
    expect(shiftPeriod(parsePeriod("2026-Q1")!, -1).key).toBe("2025-Q4");
    expect(shiftPeriod(parsePeriod("2026-Q4")!, 1).key).toBe("2027-Q1");
    expect(shiftPeriod(parsePeriod("2026")!, -2).key).toBe("2024");
  });

  it("takes the Beijing date of a moment (UTC+8)", () => {
    expect(beijingDate(new Date("2026-11-30T15:59:59Z"))).toBe("2026-11-30");
    expect(beijingDate(new Date("2026-11-30T16:00:00Z"))).toBe("2026-12-01");
    expect(addDaysToDate("2026-12-20", 15)).toBe("2027-01-04");
    expect(addDaysToDate("2028-02-28", 1)).toBe("2028-02-29");
  });

  it("sees that a month overlaps its quarter but not the next", () => {
    expect(overlaps(parsePeriod("2026-11")!, parsePeriod("2026-Q4")!)).toBe(true);
    expect(overlaps(parsePeriod("2026-09")!, parsePeriod("2026-Q4")!)).toBe(false);
    expect(overlaps(parsePeriod("2026")!, parsePeriod("2026-Q1")!)).toBe(true);
  });
});

describe("collection rate", () => {
  it("is in tenths of a percent, rounded half up, in integers", () => {
    expect(permille(1, 3)).toBe(333);
    expect(permille(2, 3)).toBe(667);
    expect(permille(1, 2000)).toBe(1); // 0.05% → 0.1%
    expect(permille(1, 2001)).toBe(0);
    expect(permille(0, 10)).toBe(0);
    expect(permille(10, 10)).toBe(1000);
    expect(permille(0, 0)).toBeNull();
    expect(() => permille(11, 10)).toThrow(RangeError);
    expect(formatPermille(823)).toBe("82.3%");
    expect(formatPermille(1000)).toBe("100.0%");
    expect(formatPermille(null)).toBe("—");
  });

  it("says whether the rate went up or down since the period before", () => {
    expect(trend(823, 801)).toEqual({ trend: "up", deltaPermille: 22 });
    expect(trend(700, 801)).toEqual({ trend: "down", deltaPermille: -101 });
    expect(trend(500, 500)).toEqual({ trend: "flat", deltaPermille: 0 });
    expect(trend(500, null)).toEqual({ trend: null, deltaPermille: null });
    expect(formatDelta(22)).toBe("+2.2");
    expect(formatDelta(-101)).toBe("-10.1");
    expect(formatDelta(0)).toBe("0.0");
  });
});
