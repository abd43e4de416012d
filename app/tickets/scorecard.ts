import { parseBeijingDate } from "~/lib/time";

/*
 * The monthly scorecard's shapes and the little arithmetic around them. The figures themselves
 * are computed in SQL (scorecard.server.ts); rates here are integers in tenths of a percent, as
 * the fee collection rate is (app/fees/collection.ts), so the two read alike.
 */

/** "2026-11": a month in Beijing time. */
export type Month = string;

export function isMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/** The instant a month starts (00:00 Beijing time on its first day). */
export function monthStart(month: Month): Date {
  const start = parseBeijingDate(`${month}-01`);
  if (!start) throw new RangeError(`not a month: ${month}`);
  return start;
}

export function addMonths(month: Month, n: number): Month {
  const [y, m] = month.split("-").map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The `n` months ending with `last`, oldest first. */
export function monthsEnding(last: Month, n: number): Month[] {
  return Array.from({ length: n }, (_, i) => addMonths(last, i - n + 1));
}

/** The fee period keys a month falls in: the month itself, its quarter, its year. */
export function periodKeysOf(month: Month): [string, string, string] {
  const [y, m] = month.split("-").map(Number);
  return [month, `${y}-Q${Math.floor((m - 1) / 3) + 1}`, String(y)];
}

/** part / whole in tenths of a percent, rounded half up, in integers; null when whole is 0. */
export function permille(part: number, whole: number): number | null {
  if (!Number.isSafeInteger(part) || !Number.isSafeInteger(whole) || part < 0 || whole < 0 || part > whole)
    throw new RangeError(`bad ratio ${part}/${whole}`);
  if (whole === 0) return null;
  return Math.floor((part * 2000 + whole) / (whole * 2));
}

/** The average of ratings from their sum and count, in tenths of a star, rounded half up. */
export function ratingTenths(sum: number, n: number): number | null {
  if (n === 0) return null;
  return Math.floor((sum * 20 + n) / (n * 2));
}

export interface MonthFigures {
  month: Month;
  /** Tickets filed in the month. */
  opened: number;
  /** Minutes from filing to the first acknowledgement; null when none was acknowledged. */
  medianResponseMin: number | null;
  p90ResponseMin: number | null;
  /** Minutes from filing to the (latest) resolution. */
  medianResolutionMin: number | null;
  p90ResolutionMin: number | null;
  /** Resolved in time, of those resolved or already past their resolution deadline. */
  resolvedInTime: number;
  targetDue: number;
  withinTarget: number | null;
  /** Reopened at least once, of those resolved at least once. */
  reopened: number;
  everResolved: number;
  reopenRate: number | null;
  ratingSum: number;
  ratings: number;
  /** Tenths of a star: 43 = 4.3. */
  avgRating: number | null;
  /** The estate's fee collection rate for the period the month falls in (per mille), from the fees feature. */
  collectionRate: number | null;
}

export function emptyMonth(month: Month): MonthFigures {
  return {
    month,
    opened: 0,
    medianResponseMin: null,
    p90ResponseMin: null,
    medianResolutionMin: null,
    p90ResolutionMin: null,
    resolvedInTime: 0,
    targetDue: 0,
    withinTarget: null,
    reopened: 0,
    everResolved: 0,
    reopenRate: null,
    ratingSum: 0,
    ratings: 0,
    avgRating: null,
    collectionRate: null,
  };
}

/** 823 → "82.3%". */
export function formatPermille(value: number | null): string {
  if (value === null) return "—";
  return `${Math.trunc(value / 10)}.${value % 10}%`;
}

/** 43 → "4.3". */
export function formatTenths(value: number | null): string {
  if (value === null) return "—";
  return `${Math.trunc(value / 10)}.${value % 10}`;
}

/** Minutes as hours with one decimal: 95 → "1.6". */
export function formatHours(minutes: number | null): string {
  if (minutes === null) return "—";
  const tenths = Math.round(minutes / 6);
  return `${Math.trunc(tenths / 10)}.${tenths % 10}`;
}

/**
 * Which way a measure went: the mean of the last `window` months against the `window` before,
 * ignoring months without data. "down" when it fell by more than `tolerance` (same unit).
 */
export function direction(
  values: readonly (number | null)[],
  window = 3,
  tolerance = 0,
): "up" | "down" | "flat" | null {
  const recent = values.slice(-window).filter((v): v is number => v !== null);
  const before = values.slice(-2 * window, -window).filter((v): v is number => v !== null);
  if (recent.length === 0 || before.length === 0) return null;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const delta = mean(recent) - mean(before);
  if (delta > tolerance) return "up";
  if (delta < -tolerance) return "down";
  return "flat";
}

/**
 * An estate drifting toward the vicious circle: the fee collection rate and the owners'
 * satisfaction both falling (the circle DESIGN.md describes: distrust → unpaid fees → worse
 * service → more distrust).
 */
export function drifting(
  collection: "up" | "down" | "flat" | null,
  satisfaction: "up" | "down" | "flat" | null,
): boolean {
  return collection === "down" && satisfaction === "down";
}

/** What the committee may propose about the company from a scorecard. */
export const proposalIntents = ["renew", "renegotiate", "replace"] as const;
export type ProposalIntent = (typeof proposalIntents)[number];
