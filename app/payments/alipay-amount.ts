/*
 * Alipay's amounts (total_amount, refund_amount, refund_fee, …) are decimal strings in yuan with
 * at most two decimals ("1234.50"). We keep integer fen everywhere else, so the conversion
 * happens here, at the edge, on strings and integers only: never through a float.
 */

/** Alipay's ceiling for one trade: 100 000 000 yuan. */
export const alipayMaxFen = 10_000_000_000;

/** Integer fen → Alipay's yuan string with exactly two decimals: 123450 → "1234.50". */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`not a whole, non-negative number of fen: ${fen}`);
  const digits = String(fen).padStart(3, "0");
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

// Digits only: no sign, no exponent, no spaces, no thousands separators, no leading zeros
// (except a single 0 before the point), at most two decimals.
const yuanPattern = /^(0|[1-9]\d{0,10})(?:\.(\d{1,2}))?$/;

/**
 * Alipay's yuan string → integer fen: "1234.5" → 123450, "0.01" → 1. Anything else (more
 * than two decimals, a sign, an exponent, "", " 1", "1.", ".5", "01") throws: an amount we
 * cannot read exactly is never guessed.
 */
export function yuanToFen(yuan: string): number {
  const match = typeof yuan === "string" ? yuanPattern.exec(yuan) : null;
  if (!match) throw new RangeError(`not an Alipay amount in yuan: ${JSON.stringify(yuan)}`);
  const fraction = (match[2] ?? "").padEnd(2, "0");
  return Number(match[1]) * 100 + Number(fraction);
}

/** yuanToFen, or null for anything that is not an exact Alipay amount. */
export function tryYuanToFen(yuan: string | null | undefined): number | null {
  if (yuan == null) return null;
  try {
    return yuanToFen(yuan);
  } catch {
    return null;
  }
}
