/*
 * Money is kept in integer fen (分) and shown and typed as yuan (元). No floats anywhere:
 * "0.29" is read digit by digit into 29 fen (0.29 * 100 is 28.999… as a float).
 *
 * The one grammar for an amount a person types, in every form and upload:
 *   - optional ¥ or ￥ in front, spaces around are ignored;
 *   - whole yuan as plain digits ("1234") or grouped in threes with ASCII commas ("1,234");
 *   - optionally a point and one or two decimals ("12.3", "12.34").
 * Refused, each with its own message: empty, a minus sign, more than two decimals, an amount
 * over the caller's ceiling, anything else ("1e3", "1,23", "１２", "12.").
 */

/** The most any field takes: ¥1,000,000,000.00, the ledgers' and service reports' CHECK. */
export const maxAmountFen = 100_000_000_000;

export type YuanError =
  | "common.money.empty"
  | "common.money.negative"
  | "common.money.decimals"
  | "common.money.tooLarge"
  | "common.money.invalid";

export type YuanResult = { ok: true; fen: number } | { ok: false; error: YuanError };

const amount = /^(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/;

/** The grammar as an HTML `pattern`, for the browser's own check before the server's. */
export const yuanInputPattern = "[¥￥]?\\s*[0-9][0-9,]*(\\.[0-9]{1,2})?";

/** Yuan as typed ("12", "12.3", "¥1,234.56") → integer fen, or why not (a catalogue key). */
export function parseYuan(text: string, { maxFen = maxAmountFen }: { maxFen?: number } = {}): YuanResult {
  const clean = text.trim().replace(/^[¥￥]\s*/, "");
  if (clean === "") return { ok: false, error: "common.money.empty" };
  if (/^[-−－]/.test(clean)) return { ok: false, error: "common.money.negative" };
  const m = amount.exec(clean);
  if (!m) return { ok: false, error: "common.money.invalid" };
  const [, wholeText, decimals = ""] = m;
  if (decimals.length > 2) return { ok: false, error: "common.money.decimals" };
  const whole = wholeText.replace(/,/g, "").replace(/^0+(?=\d)/, "");
  if (whole.length > 13) return { ok: false, error: "common.money.tooLarge" };
  const fen = Number(whole) * 100 + Number(decimals.padEnd(2, "0"));
  if (fen > maxFen) return { ok: false, error: "common.money.tooLarge" };
  return { ok: true, fen };
}

/** Integer fen as yuan, grouped in thousands: 123456 → "1,234.56", -5 → "-0.05", 0 → "0.00". */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(fen));
  const whole = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+$)/g, ",");
  return `${sign}${whole}.${String(abs % 100).padStart(2, "0")}`;
}
