import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import holidaysCn from "../../db/data/holidays-cn.json";
import { deadlineWithin, isRestDay, restDaysOf, type HolidayArrangement } from "../../app/lib/calendar";
import {
  calendarAuditSubjectId,
  enteredYears,
  markYearEntered,
  removeRestDay,
  restDaysOfYear,
  setRestDay,
} from "../../app/calendar/rest-days-admin.server";
import { restDayTable } from "../../app/lib/rest-days.server";
import { parseBeijingDateTime } from "../../app/lib/time";
import { makeUser } from "../fixtures";

const { auditEvents, restDayOverrides } = schema;
const bj = (v: string) => parseBeijingDateTime(v)!;

async function calendarAudit(actorUserId: string) {
  return getDb()
    .select({ actor: auditEvents.actorUserId, detail: auditEvents.detail, estateId: auditEvents.estateId })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.subjectType, "calendar"),
        eq(auditEvents.subjectId, calendarAuditSubjectId),
        eq(auditEvents.actorUserId, actorUserId),
      ),
    )
    .orderBy(auditEvents.createdAt);
}

describe("the rest-day table", () => {
  it("is seeded by the migration with exactly the published arrangement of the data file", async () => {
    const rows = await getDb()
      .select({ date: restDayOverrides.date, kind: restDayOverrides.kind, name: restDayOverrides.name })
      .from(restDayOverrides)
      .orderBy(restDayOverrides.date);
    expect(rows).toEqual(restDaysOf(holidaysCn as unknown as HolidayArrangement));
    expect(await enteredYears()).toEqual([2026]);
    const table = await restDayTable();
    expect(isRestDay("2026-10-05", table)).toBe(true);
    expect(isRestDay("2026-10-10", table)).toBe(false);
    expect(table.years?.has("2027")).toBe(false);
  });

  it("an edit reaches the clocks at once, and is audited; a removal too", async () => {
    const admin = await makeUser();
    // Friday 14 May 2027: an invented holiday, far from the published ones.
    const event = bj("2027-05-11T19:00");
    expect(deadlineWithin(event, 3, await restDayTable())).toEqual(bj("2027-05-15T00:00"));
    expect(await setRestDay({ date: "2027-05-14", kind: "holiday", name: "测试", userId: admin.id })).toEqual({
      ok: true,
      change: "add",
    });
    // 14 May (holiday), 15–16 May (weekend) → Monday 17 May.
    expect(deadlineWithin(event, 3, await restDayTable())).toEqual(bj("2027-05-18T00:00"));
    expect(await setRestDay({ date: "2027-05-14", kind: "holiday", name: "改名", userId: admin.id })).toEqual({
      ok: true,
      change: "edit",
    });
    expect((await restDaysOfYear(2027)).rows.map((r) => [r.date, r.name])).toEqual([["2027-05-14", "改名"]]);
    expect(await removeRestDay({ date: "2027-05-14", userId: admin.id })).toBe(true);
    expect(await removeRestDay({ date: "2027-05-14", userId: admin.id })).toBe(false);
    expect(deadlineWithin(event, 3, await restDayTable())).toEqual(bj("2027-05-15T00:00"));
    const audit = await calendarAudit(admin.id);
    expect(audit.map((a) => [a.actor, a.estateId, a.detail.change, a.detail.date])).toEqual([
      [admin.id, null, "add", "2027-05-14"],
      [admin.id, null, "edit", "2027-05-14"],
      [admin.id, null, "remove", "2027-05-14"],
    ]);
  });

  it("refuses a make-up working day on a weekday, changing nothing", async () => {
    const admin = await makeUser();
    expect(await setRestDay({ date: "2027-05-12", kind: "workday", name: null, userId: admin.id })).toEqual({
      ok: false,
      error: "workdayNotWeekend",
    });
    expect((await restDaysOfYear(2027)).rows).toEqual([]);
    expect(await calendarAudit(admin.id)).toEqual([]);
    // A Saturday is fine.
    expect((await setRestDay({ date: "2027-05-15", kind: "workday", name: null, userId: admin.id })).ok).toBe(true);
    expect(isRestDay("2027-05-15", await restDayTable())).toBe(false);
  });

  it("marks a year entered once", async () => {
    const admin = await makeUser();
    expect(await markYearEntered({ year: 2027, userId: admin.id })).toBe(true);
    expect(await markYearEntered({ year: 2027, userId: admin.id })).toBe(false);
    expect(await enteredYears()).toEqual([2026, 2027]);
    expect((await restDayTable()).years?.has("2027")).toBe(true);
  });
});
