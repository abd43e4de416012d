/**
 * How phone numbers are stored and matched everywhere (sign-up, login, proxies, the roster):
 * digits only (full-width digits too), a mainland mobile number without its +86 / 0086 / 86
 * prefix; null when the input is not a phone number.
 */
export function normalisePhone(input: string): string | null {
  const digits = input.normalize("NFKC").replace(/[\s\-()+]/g, "");
  if (!/^\d{5,17}$/.test(digits)) return null;
  const national = digits.replace(/^(?:0086|86)(?=1\d{10}$)/, "");
  return national.length <= 15 ? national : null;
}
