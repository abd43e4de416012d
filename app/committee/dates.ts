/** Times are stored in UTC and entered and shown in Asia/Shanghai (UTC+8, no daylight saving). */
const offsetMs = 8 * 3_600_000;

/** "2026-12-01T09:30" (a datetime-local value, Beijing time) → the instant; null when malformed. */
export function fromShanghaiLocal(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number);
  if (h > 23 || mi > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi) - offsetMs;
  const check = new Date(utc + offsetMs);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return new Date(utc);
}

/** "2026-12-01" (a date value) → midnight of that day in Beijing; null when malformed. */
export function fromShanghaiDate(value: string): Date | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? fromShanghaiLocal(`${value.trim()}T00:00`) : null;
}

/** The instant as a datetime-local value in Beijing time. */
export function toShanghaiLocal(date: Date): string {
  return new Date(date.getTime() + offsetMs).toISOString().slice(0, 16);
}

/** The instant's Beijing date as yyyy-mm-dd. */
export function toShanghaiDate(date: Date): string {
  return toShanghaiLocal(date).slice(0, 10);
}
