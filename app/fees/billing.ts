/**
 * How much a bill is. Pure rules, no I/O; the set-based SQL in bills.server.ts computes the
 * same numbers (tests compare the two).
 *
 * Rounding (documented rule): a bill's amount is computed once, in integer arithmetic, and
 * rounded to the fen, half up:
 *
 *   area basis:  amount = round_half_up(rate_fen × area_centi_sqm × months / 100)
 *                       = floor((rate_fen × area_centi_sqm × months + 50) / 100)
 *   unit basis:  amount = rate_fen × months                      (already whole fen)
 *
 * The rate is fen per m² per month, the area hundredths of a m², so the product is in
 * hundredths of a fen; adding 50 before the integer division rounds a half up (all terms are
 * positive). No float is involved at any step, and the rounding happens once per bill — never
 * per month — so a quarterly bill equals three monthly ones only up to one fen, by design:
 * 185 fen/m²/month × 89.37 m² = 16,533.45 fen → 16,533 fen a month; × 3 months = 49,600.35 →
 * 49,600 fen a quarter (not 3 × 16,533 = 49,599).
 */

export type Basis = "area" | "unit";

export interface AmountInput {
  basis: Basis;
  /** Fen per m² per month ("area") or fen per unit per month ("unit"). */
  rateFen: number;
  /** Exclusive area in hundredths of a m² (ignored for "unit"). */
  areaCentiSqm: number;
  months: number;
}

/** Integer division rounding half up, for non-negative numerator and positive denominator. */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n)
    throw new RangeError("divRoundHalfUp takes a non-negative numerator and a positive denominator");
  return (numerator * 2n + denominator) / (denominator * 2n);
}

export function billAmountFen({ basis, rateFen, areaCentiSqm, months }: AmountInput): number {
  for (const [name, value] of [
    ["rateFen", rateFen],
    ["areaCentiSqm", areaCentiSqm],
    ["months", months],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
  }
  if (basis === "unit") return rateFen * months;
  return Number(divRoundHalfUp(BigInt(rateFen) * BigInt(areaCentiSqm) * BigInt(months), 100n));
}

/** The most a rate may be: ¥100,000.00 per m² or per unit a month (the fee_rate_positive CHECK). */
export const maxRateFen = 10_000_000;
