import { describe, expect, it } from "vitest";
import { ledgerTotals, quarterOf, reportTotals } from "./money";

describe("service report and ledger money", () => {
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
