import { describe, expect, it } from "vitest";
import { formatYuan, ledgerTotals, parseYuan, quarterOf, reportTotals } from "./money";

describe("yuan and fen", () => {
  it("parses what people type, digit by digit, never through a float", () => {
    expect(parseYuan("0.1")).toBe(10);
    expect(parseYuan("0.29")).toBe(29); // 0.29 * 100 is 28.999… as a float
    expect(parseYuan("1,234.5")).toBe(123_450);
    expect(parseYuan("￥12")).toBe(1200);
    expect(parseYuan(" 152300.00 ")).toBe(15_230_000);
    for (const bad of ["", "-1", "1.234", "1e3", "abc", "1.2.3", "１２"]) expect(parseYuan(bad), bad).toBeNull();
  });

  it("formats fen as yuan", () => {
    expect(formatYuan(123_456)).toBe("1,234.56");
    expect(formatYuan(-5)).toBe("-0.05");
    expect(formatYuan(0)).toBe("0.00");
  });

  it("totals add up: income − spending = balance; a ledger's running balance ends at its balance", () => {
    const lines = [
      { kind: "income" as const, label: "a", amountFen: 1001 },
      { kind: "spending" as const, label: "b", amountFen: 2002 },
      { kind: "income" as const, label: "c", amountFen: 3 },
    ];
    expect(reportTotals(lines)).toEqual({ incomeFen: 1004, spendingFen: 2002, balanceFen: -998 });
    const l = ledgerTotals([
      { direction: "in", amountFen: 500 },
      { direction: "out", amountFen: 200 },
      { direction: "in", amountFen: 1 },
    ]);
    expect(l).toEqual({ inFen: 501, outFen: 200, balanceFen: 301, running: [500, 300, 301] });
  });

  it("names the Beijing quarter", () => {
    expect(quarterOf(new Date("2026-09-30T16:30:00Z"))).toBe("2026-Q4"); // 00:30 on 1 October in Beijing
    expect(quarterOf(new Date("2026-09-30T15:30:00Z"))).toBe("2026-Q3");
  });
});
