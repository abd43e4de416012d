/** What a deleted account is called from then on (stored on the account and on records that copied its name). */
export const deletedUserName = "已注销用户";

/** 张三丰 → 张**; Alice Wang → A****: names of other people are never shown whole. A deleted account's placeholder names nobody, so it stays readable. */
export function maskName(name: string): string {
  if (name === deletedUserName) return name;
  const chars = [...name.trim()];
  if (chars.length === 0) return "";
  return chars[0] + "*".repeat(Math.max(chars.length - 1, 1));
}

/** 13812345678 → 138****5678: for the account holder's own view only. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return "*".repeat(phone.length);
  return phone.slice(0, 3) + "*".repeat(phone.length - 7) + phone.slice(-4);
}

/**
 * The last 4 digits of a roster phone, for a reviewer to check against the paper letter (each
 * look is audited by the caller); null when the roster has no phone.
 */
export function phoneTail(phone: string | null | undefined): string | null {
  const digits = (phone ?? "").replace(/\D/g, "");
  return digits.length >= 4 ? digits.slice(-4) : null;
}

/** Integer hundredths of m² as text, without going through a float: 12345 → "123.45". */
export function formatArea(centiSqm: number): string {
  const whole = Math.trunc(centiSqm / 100);
  const cents = Math.abs(centiSqm % 100);
  return `${whole}.${String(cents).padStart(2, "0")}`;
}

/** a***@example.org: enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email[0]}***${email.slice(at)}`;
}
