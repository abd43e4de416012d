/**
 * The law's thresholds, as data (DESIGN.md "Domain rules"). Every rule that compares a part
 * with a whole reads its fraction from this one table; nothing else in the app writes `2/3`,
 * `3/4` or "more than half" as arithmetic. Pure: no I/O, integers only.
 *
 * A threshold is an exact fraction and whether its boundary counts: "以上" includes the
 * boundary (Civil Code Art. 1259), "过半数" is strictly more than half. Parts and wholes are
 * compared by cross-multiplication in BigInt (`part × den ≥ num × whole`), never as floats.
 */

export interface Threshold {
  /** The fraction num/den of the whole. */
  readonly num: number;
  readonly den: number;
  /** true: at least the fraction (以上); false: strictly more than it (过半数, 超过). */
  readonly inclusive: boolean;
}

export const law = {
  /** Owners' joint decision: participants hold ≥ 2/3 of the total area AND headcount (Civil Code Art. 278). */
  quorum: { num: 2, den: 3, inclusive: true },
  /** Major matters: ≥ 3/4 of the participating area AND headcount agree (Art. 278). */
  majorApproval: { num: 3, den: 4, inclusive: true },
  /** All other matters, and each candidate of a committee election: > 1/2 of both (Art. 278). */
  ordinaryApproval: { num: 1, den: 2, inclusive: false },
  /** Owners holding ≥ 20% of the area AND headcount can force a matter onto the agenda. */
  petition: { num: 1, den: 5, inclusive: true },
  /** A committee meeting is quorate with > 1/2 of ALL members present (MOHURD guidance Art. 35). */
  committeeQuorum: { num: 1, den: 2, inclusive: false },
  /** A committee decision needs > 1/2 of ALL members agreeing, not of those present (guidance Art. 35). */
  committeeDecision: { num: 1, den: 2, inclusive: false },
  /** A third of the members (三分之一以上) can require a meeting (guidance Art. 35). */
  requisition: { num: 1, den: 3, inclusive: true },
  /** Minutes are published once > 1/2 of the attending members have signed them. */
  minutesSignoff: { num: 1, den: 2, inclusive: false },
  /** A general election constitutes the committee when > 1/2 of its seats are filled. */
  committeeConstituted: { num: 1, den: 2, inclusive: false },
} as const satisfies Record<string, Threshold>;

export type LawKey = keyof typeof law;

function exact(n: number, what: string): bigint {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${n}`);
  return BigInt(n);
}

/**
 * Whether `part` of `whole` reaches the threshold. An empty whole reaches nothing (0 ≥ 2/3 × 0
 * must not count as a quorum).
 */
export function meets(t: Threshold, part: number, whole: number): boolean {
  const p = exact(part, "part");
  const w = exact(whole, "whole");
  if (w === 0n) return false;
  const left = p * BigInt(t.den);
  const right = BigInt(t.num) * w;
  return t.inclusive ? left >= right : left > right;
}

/** The least whole number that reaches the threshold of `whole` (e.g. 2/3 of 9 → 6; > 1/2 of 8 → 5). */
export function leastMeeting(t: Threshold, whole: number): number {
  const w = exact(whole, "whole");
  const num = BigInt(t.num) * w;
  const den = BigInt(t.den);
  // inclusive: ceil(num / den); exclusive: floor(num / den) + 1.
  const least = t.inclusive ? (num + den - 1n) / den : num / den + 1n;
  return Number(least);
}

/** Whether `a` asks at least as much as `b` of every whole (an estate may be stricter than the law, never looser). */
export function atLeastAsStrict(a: Threshold, b: Threshold): boolean {
  const left = BigInt(a.num) * BigInt(b.den);
  const right = BigInt(b.num) * BigInt(a.den);
  if (left !== right) return left > right;
  return a.inclusive === b.inclusive || !a.inclusive;
}

/** One criterion of a decision: what it needed, what it reached, of what whole, and whether it is met. */
export interface Criterion {
  threshold: Threshold;
  whole: number;
  /** The least part that meets the threshold of `whole`. */
  needed: number;
  reached: number;
  met: boolean;
}

export function criterion(threshold: Threshold, reached: number, whole: number): Criterion {
  return {
    threshold: { num: threshold.num, den: threshold.den, inclusive: threshold.inclusive },
    whole,
    needed: leastMeeting(threshold, whole),
    reached,
    met: meets(threshold, reached, whole),
  };
}

/** How much more is needed to meet the criterion (0 once met). */
export function shortfall(c: Criterion): number {
  return c.met ? 0 : Math.max(0, c.needed - c.reached);
}
