import { useMemo } from "react";
import { useTranslation } from "react-i18next";

/*
 * Time on the platform: instants are stored in UTC and entered, shown and counted in days in
 * Beijing time (Asia/Shanghai, UTC+8 all year: China keeps no daylight saving, so a Beijing
 * day is always 24 hours and the offset is a constant). Domain rules (a bill's due date, a
 * meeting's notice, a ticket's clock) live in their features and use these.
 *
 *  - a `Date` is an instant;
 *  - a date ("2026-12-01", `BeijingDate`) is a calendar day in Beijing;
 *  - a date-time ("2026-12-01T09:30") is what a datetime-local input holds, in Beijing time.
 */

export const timeZone = "Asia/Shanghai";
export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;
const offsetMs = 8 * hourMs;

/** A calendar day in Beijing, "YYYY-MM-DD" (sorts in time order as text). */
export type BeijingDate = string;

/** The Beijing calendar day of an instant. */
export function beijingDate(at: Date): BeijingDate {
  return new Date(at.getTime() + offsetMs).toISOString().slice(0, 10);
}

/** The Beijing month of an instant, "YYYY-MM". */
export function beijingMonth(at: Date): string {
  return beijingDate(at).slice(0, 7);
}

/** 00:00 in Beijing of the day an instant falls in. */
export function startOfBeijingDay(at: Date): Date {
  return new Date(Math.floor((at.getTime() + offsetMs) / dayMs) * dayMs - offsetMs);
}

/** The end of the Beijing day an instant falls in: the next day's 00:00 (exclusive). */
export function endOfBeijingDay(at: Date): Date {
  return new Date(startOfBeijingDay(at).getTime() + dayMs);
}

/** An instant plus whole days (of 24 hours: Beijing has no daylight saving). */
export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * dayMs);
}

/** A Beijing date plus whole days: "2026-12-20" + 15 → "2027-01-04". */
export function addDaysToDate(date: BeijingDate, days: number): BeijingDate {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * dayMs;
  return new Date(t).toISOString().slice(0, 10);
}

/** "2026-12-01T09:30" (a datetime-local value, seconds optional, Beijing time) → the instant; null when malformed or impossible. */
export function parseBeijingDateTime(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  if (h > 23 || mi > 59 || s > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s || 0) - offsetMs;
  const check = new Date(utc + offsetMs);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return new Date(utc);
}

/** "2026-12-01" (a date value) → 00:00 of that day in Beijing; null when malformed or impossible. */
export function parseBeijingDate(value: string): Date | null {
  return /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? parseBeijingDateTime(`${value.trim()}T00:00`) : null;
}

/** The instant as a datetime-local value in Beijing time ("2026-12-01T09:30"). */
export function toBeijingDateTime(at: Date): string {
  return new Date(at.getTime() + offsetMs).toISOString().slice(0, 16);
}

/**
 * A formatter for instants in Beijing time, in a language, always on a 24-hour clock ("21:30",
 * never "9:30 PM"): for the server (mail, files). Pages use useDateTimeFormat.
 */
export function beijingDateTimeFormat(
  locale: string,
  options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" },
): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { ...options, timeZone, hourCycle: "h23" });
}

/** The page's formatter for instants: the reader's language, Beijing time, a 24-hour clock. */
export function useDateTimeFormat(
  options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" },
): Intl.DateTimeFormat {
  const { i18n } = useTranslation();
  const key = JSON.stringify(options);
  return useMemo(
    () => beijingDateTimeFormat(i18n.language, JSON.parse(key) as Intl.DateTimeFormatOptions),
    [i18n.language, key],
  );
}
