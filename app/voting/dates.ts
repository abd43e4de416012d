/** Times are stored in UTC and entered and shown in Asia/Shanghai (UTC+8, no daylight saving). */
const offsetMs = 8 * 3_600_000;

/** "2026-12-01T09:30" (a datetime-local value, Beijing time) → the instant; null when malformed. */
export function parseShanghaiLocal(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const utc = Date.UTC(y, mo - 1, d, h, mi, s || 0) - offsetMs;
  const check = new Date(utc + offsetMs);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  return new Date(utc);
}

/** The instant as a datetime-local value in Beijing time. */
export function toShanghaiLocal(date: Date): string {
  return new Date(date.getTime() + offsetMs).toISOString().slice(0, 16);
}

/** part / whole as a percentage with two decimals, for display only (the rules never use it). */
export function percent(part: number, whole: number): string {
  if (whole <= 0) return "0.00";
  const hundredths = Math.floor((part * 10_000) / whole);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;
}
