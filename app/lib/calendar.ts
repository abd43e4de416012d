import { addDaysToDate, beijingDate, parseBeijingDate, type BeijingDate } from "~/lib/time";

/*
 * Legal clocks count calendar dates in Beijing (Civil Code Art. 201, 203; DESIGN.md "Proposals
 * and votes"), never multiples of 24 hours from an instant. Two kinds:
 *
 *  - a NOTICE of k days is met when the event's date is at least k dates after the notice's
 *    date: a notice posted any time on 1 December lets the event happen from 16 December 00:00
 *    (k = 15). Rest days do not matter: a notice period is counted, not worked.
 *  - a DEADLINE "within k days" of an event runs from the day after the event to 24:00 of the
 *    k-th day; when that day is a rest day it moves to the end of the next working day
 *    (Art. 203: "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日").
 *
 * Rest days are weekends and the State Council's holidays, minus its make-up working days
 * (调休上班). The table comes from the database (`rest-days.server.ts`), which the platform
 * admin keeps; this module is pure so pages and rules can share it.
 */

export interface RestDayTable {
  /** State Council holidays (including the weekend days folded into them). */
  holidays: ReadonlySet<BeijingDate>;
  /** Make-up working days: weekend days that are working days. */
  workdays: ReadonlySet<BeijingDate>;
  /** The years ("2026") whose arrangement has been entered; a year not here counts weekends only. */
  years?: ReadonlySet<string>;
}

/** A table without holidays: weekends only (for rules whose caller has no database at hand, and for tests). */
export const weekendsOnly: RestDayTable = { holidays: new Set(), workdays: new Set(), years: new Set() };

/** Builds a table from rows as the database keeps them. */
export function restDayTableOf(
  rows: readonly { date: BeijingDate; kind: "holiday" | "workday" }[],
  years: Iterable<string> = rows.map((r) => r.date.slice(0, 4)),
): RestDayTable {
  const holidays = new Set<BeijingDate>();
  const workdays = new Set<BeijingDate>();
  for (const r of rows) (r.kind === "holiday" ? holidays : workdays).add(r.date);
  return { holidays, workdays, years: new Set(years) };
}

/** The State Council's arrangement as published (the format of `db/data/holidays-cn.json`). */
export interface HolidayArrangement {
  years: Record<
    string,
    { rest: readonly (readonly [BeijingDate, BeijingDate, string])[]; work: readonly BeijingDate[] }
  >;
}

/** One row per date of an arrangement: each holiday range spelled out, each make-up working day. */
export function restDaysOf(
  arrangement: HolidayArrangement,
): { date: BeijingDate; kind: "holiday" | "workday"; name: string | null }[] {
  const out: { date: BeijingDate; kind: "holiday" | "workday"; name: string | null }[] = [];
  for (const year of Object.values(arrangement.years)) {
    for (const [from, to, name] of year.rest)
      for (let d = from; d <= to; d = addDaysToDate(d, 1)) out.push({ date: d, kind: "holiday", name });
    for (const date of year.work) out.push({ date, kind: "workday", name: null });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** 0 = Sunday … 6 = Saturday, of a Beijing date. */
export function weekday(date: BeijingDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Whether a Beijing date is a rest day: a holiday, or a weekend day that is not a make-up working day. */
export function isRestDay(date: BeijingDate, table: RestDayTable): boolean {
  if (table.workdays.has(date)) return false;
  if (table.holidays.has(date)) return true;
  const d = weekday(date);
  return d === 0 || d === 6;
}

/** The date itself when it is a working day, else the first working day after it. */
export function nextWorkingDay(date: BeijingDate, table: RestDayTable): BeijingDate {
  let d = date;
  // The longest run of rest days (Spring Festival plus weekends) is far below a year.
  for (let i = 0; i < 366 && isRestDay(d, table); i++) d = addDaysToDate(d, 1);
  return d;
}

function checkDays(days: number): void {
  if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`days must be a non-negative integer, got ${days}`);
}

function startOf(date: BeijingDate): Date {
  // A date built from addDaysToDate is always well formed.
  return parseBeijingDate(date) as Date;
}

/** The first instant an event may happen after a k-day notice given at `noticeAt` (00:00 Beijing of notice date + k). */
export function earliestAfterNotice(noticeAt: Date, days: number): Date {
  checkDays(days);
  return startOf(addDaysToDate(beijingDate(noticeAt), days));
}

/** Whether an event at `eventAt` had its k days' notice from `noticeAt`. */
export function noticeMet(noticeAt: Date, eventAt: Date, days: number): boolean {
  return eventAt >= earliestAfterNotice(noticeAt, days);
}

/** The last Beijing date of "within k days" of `eventAt` (the k-th day, moved past rest days). */
export function lastDayWithin(eventAt: Date, days: number, table: RestDayTable): BeijingDate {
  checkDays(days);
  return nextWorkingDay(addDaysToDate(beijingDate(eventAt), days), table);
}

/** End (exclusive instant, i.e. 24:00 Beijing) of "within k days" of `eventAt`, moved past rest days. On time iff at < it. */
export function deadlineWithin(eventAt: Date, days: number, table: RestDayTable): Date {
  return startOf(addDaysToDate(lastDayWithin(eventAt, days, table), 1));
}

/** Whether `at` is within k days of `eventAt` (see deadlineWithin). */
export function withinDeadline(eventAt: Date, at: Date, days: number, table: RestDayTable): boolean {
  return at < deadlineWithin(eventAt, days, table);
}

/**
 * The years whose arrangement the clocks need by `today`: this year, and from October (the
 * State Council publishes the next year's arrangement in the autumn, and a deadline in late
 * December runs into January) the next one too.
 */
export function yearsWanted(today: BeijingDate): number[] {
  const year = Number(today.slice(0, 4));
  return Number(today.slice(5, 7)) >= 10 ? [year, year + 1] : [year];
}
