import { and, asc, desc, eq, gte, inArray, lt } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import { weekday, yearsWanted } from "~/lib/calendar";
import { invalidateRestDays } from "~/lib/rest-days.server";
import { addDaysToDate, beijingDate, type BeijingDate } from "~/lib/time";

/*
 * The platform admin's holiday table (/admin/calendar): view a year, add, change and remove
 * dates, mark a year entered. Each change is audited (platform-wide, subject "calendar") and
 * drops the clocks' cached table.
 */

const { auditEvents, restDayOverrides, restDayYears, users } = schema;

/** The holiday table is one audit subject on the platform; the detail names the date or year changed. */
export const calendarAuditSubjectId = "00000000-0000-0000-0000-000000000000";

export interface RestDayRow {
  date: BeijingDate;
  kind: "holiday" | "workday";
  name: string | null;
  updatedAt: Date;
}

/** One year's dates, in order, and whether the year was marked entered. */
export async function restDaysOfYear(year: number, db: Queryable = getDb()) {
  const [rows, entered] = await Promise.all([
    db
      .select({
        date: restDayOverrides.date,
        kind: restDayOverrides.kind,
        name: restDayOverrides.name,
        updatedAt: restDayOverrides.updatedAt,
      })
      .from(restDayOverrides)
      .where(and(gte(restDayOverrides.date, `${year}-01-01`), lt(restDayOverrides.date, `${year + 1}-01-01`)))
      .orderBy(asc(restDayOverrides.date)),
    db.select().from(restDayYears).where(eq(restDayYears.year, year)),
  ]);
  return { rows: rows as RestDayRow[], entered: entered.length > 0, enteredAt: entered[0]?.enteredAt ?? null };
}

/** The years marked entered, ascending. */
export async function enteredYears(db: Queryable = getDb()): Promise<number[]> {
  const rows = await db.select({ year: restDayYears.year }).from(restDayYears).orderBy(asc(restDayYears.year));
  return rows.map((r) => r.year);
}

/** The years the clocks need by now (this year; from October the next too) and nobody has entered. */
export async function missingYears(now = new Date(), db: Queryable = getDb()): Promise<number[]> {
  const entered = await enteredYears(db);
  return yearsWanted(beijingDate(now)).filter((y) => !entered.includes(y));
}

/** The latest changes to the table, newest first (the page's record of who changed what). */
export async function restDayChanges(limit = 20, db: Queryable = getDb()) {
  return db
    .select({ at: auditEvents.createdAt, detail: auditEvents.detail, actor: users.displayName })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorUserId))
    .where(and(eq(auditEvents.subjectType, "calendar"), eq(auditEvents.act, "rest_day_change")))
    .orderBy(desc(auditEvents.createdAt))
    .limit(limit);
}

export type RestDayError = "workdayNotWeekend" | "badRange";

/** The longest run entered at once (the longest holiday, Spring Festival, is nine days). */
export const maxRangeDays = 31;

/**
 * Adds or changes a date, or each date from `date` to `to` (a holiday entered as published:
 * "2月15日至23日放假"). A make-up working day is a weekend day worked; on a weekday it would
 * change nothing, and is refused as a likely typing slip.
 */
export async function setRestDay(input: {
  date: BeijingDate;
  /** The last date of a range, inclusive; absent or equal to `date` for one date. */
  to?: BeijingDate | null;
  kind: "holiday" | "workday";
  name: string | null;
  userId: string;
  now?: Date;
}): Promise<
  { ok: true; change: "add" | "edit"; count: number } | { ok: false; error: RestDayError; params?: { date: string } }
> {
  const to = input.to || input.date;
  if (to < input.date || addDaysToDate(input.date, maxRangeDays - 1) < to) return { ok: false, error: "badRange" };
  const dates: BeijingDate[] = [];
  for (let d = input.date; d <= to; d = addDaysToDate(d, 1)) dates.push(d);
  const notWeekend = dates.find((d) => ![0, 6].includes(weekday(d)));
  if (input.kind === "workday" && notWeekend)
    return { ok: false, error: "workdayNotWeekend", params: { date: notWeekend } };
  const now = input.now ?? new Date();
  const change = await getDb().transaction(async (tx) => {
    const before = await tx
      .select({ date: restDayOverrides.date, kind: restDayOverrides.kind })
      .from(restDayOverrides)
      .where(inArray(restDayOverrides.date, dates))
      .for("update");
    await tx
      .insert(restDayOverrides)
      .values(
        dates.map((date) => ({ date, kind: input.kind, name: input.name, updatedBy: input.userId, updatedAt: now })),
      )
      .onConflictDoUpdate({
        target: restDayOverrides.date,
        set: { kind: input.kind, name: input.name, updatedBy: input.userId, updatedAt: now },
      });
    const change = before.length > 0 ? ("edit" as const) : ("add" as const);
    await recordAudit(tx, {
      estateId: null,
      actorUserId: input.userId,
      act: "rest_day_change",
      subjectType: "calendar",
      subjectId: calendarAuditSubjectId,
      detail: {
        change,
        date: input.date,
        to,
        kind: input.kind,
        name: input.name,
        replaced: before.map((b) => `${b.date}:${b.kind}`),
      },
      at: now,
    });
    return change;
  });
  invalidateRestDays();
  return { ok: true, change, count: dates.length };
}

/** Removes a date (it becomes an ordinary weekday or weekend day again). */
export async function removeRestDay(input: { date: BeijingDate; userId: string; now?: Date }): Promise<boolean> {
  const removed = await getDb().transaction(async (tx) => {
    const [row] = await tx
      .delete(restDayOverrides)
      .where(eq(restDayOverrides.date, input.date))
      .returning({ kind: restDayOverrides.kind, name: restDayOverrides.name });
    if (!row) return false;
    await recordAudit(tx, {
      estateId: null,
      actorUserId: input.userId,
      act: "rest_day_change",
      subjectType: "calendar",
      subjectId: calendarAuditSubjectId,
      detail: { change: "remove", date: input.date, kind: row.kind, name: row.name },
      at: input.now,
    });
    return true;
  });
  invalidateRestDays();
  return removed;
}

/** Marks a year's arrangement as entered (the page stops asking for it); false when it already was. */
export async function markYearEntered(input: { year: number; userId: string; now?: Date }): Promise<boolean> {
  const marked = await getDb().transaction(async (tx) => {
    const rows = await tx
      .insert(restDayYears)
      .values({ year: input.year, enteredBy: input.userId, enteredAt: input.now ?? new Date() })
      .onConflictDoNothing()
      .returning({ year: restDayYears.year });
    if (rows.length === 0) return false;
    await recordAudit(tx, {
      estateId: null,
      actorUserId: input.userId,
      act: "rest_day_change",
      subjectType: "calendar",
      subjectId: calendarAuditSubjectId,
      detail: { change: "year", year: input.year },
      at: input.now,
    });
    return true;
  });
  invalidateRestDays();
  return marked;
}
