/**
 * The collection rate: paid amount / billed amount, and paid units / billed units (a unit
 * counts as paid for a period once all its bills of that period are paid). Shown in tenths of
 * a percent, computed in integers and rounded half up.
 */

export interface Tally {
  billedFen: number;
  paidFen: number;
  billedUnits: number;
  paidUnits: number;
}

/** paid / total in tenths of a percent (per mille), rounded half up; null when nothing was billed. */
export function permille(paid: number, total: number): number | null {
  if (!Number.isSafeInteger(paid) || !Number.isSafeInteger(total) || paid < 0 || total < 0)
    throw new RangeError("counts must be non-negative integers");
  if (total === 0) return null;
  if (paid > total) throw new RangeError("paid exceeds total");
  return Number((BigInt(paid) * 2000n + BigInt(total)) / (BigInt(total) * 2n));
}

/** 823 → "82.3%". */
export function formatPermille(value: number | null): string {
  if (value === null) return "—";
  return `${Math.trunc(value / 10)}.${value % 10}%`;
}

export type Trend = "up" | "down" | "flat" | null;

/** Compared with the period before: up, down or flat (by the amount rate). */
export function trend(current: number | null, previous: number | null): { trend: Trend; deltaPermille: number | null } {
  if (current === null || previous === null) return { trend: null, deltaPermille: null };
  const delta = current - previous;
  return { trend: delta > 0 ? "up" : delta < 0 ? "down" : "flat", deltaPermille: delta };
}

/** "+1.2" / "-0.4" / "0.0" percentage points. */
export function formatDelta(delta: number | null): string {
  if (delta === null) return "—";
  const sign = delta > 0 ? "+" : delta < 0 ? "-" : "";
  const abs = Math.abs(delta);
  return `${sign}${Math.trunc(abs / 10)}.${abs % 10}`;
}

export interface RateRow extends Tally {
  amountRate: number | null;
  unitRate: number | null;
}

export function withRates<T extends Tally>(row: T): T & RateRow {
  return {
    ...row,
    amountRate: permille(row.paidFen, row.billedFen),
    unitRate: permille(row.paidUnits, row.billedUnits),
  };
}
