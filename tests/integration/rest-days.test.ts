import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import holidaysCn from "../../db/data/holidays-cn.json";
import { deadlineWithin, isRestDay, restDaysOf, type HolidayArrangement } from "../../app/lib/calendar";
import {
  calendarAuditSubjectId,
  enteredYears,
  markYearEntered,
  missingYears,
  removeRestDay,
  restDaysOfYear,
  setRestDay,
} from "../../app/calendar/rest-days-admin.server";
import { restDayTable } from "../../app/lib/rest-days.server";
import { parseBeijingDateTime } from "../../app/lib/time";
import { action as calendarAction, loader as calendarLoader } from "../../app/routes/admin.calendar";
import { call, makeEstate, makeUser, statusOf } from "../fixtures";

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
      count: 1,
    });
    // 14 May (holiday), 15–16 May (weekend) → Monday 17 May.
    expect(deadlineWithin(event, 3, await restDayTable())).toEqual(bj("2027-05-18T00:00"));
    expect(await setRestDay({ date: "2027-05-14", kind: "holiday", name: "改名", userId: admin.id })).toEqual({
      ok: true,
      change: "edit",
      count: 1,
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
      params: { date: "2027-05-12" },
    });
    // A range of make-up days that reaches a weekday is refused whole.
    expect(
      await setRestDay({ date: "2027-05-15", to: "2027-05-17", kind: "workday", name: null, userId: admin.id }),
    ).toMatchObject({ ok: false, params: { date: "2027-05-17" } });
    expect(
      await setRestDay({ date: "2027-05-15", to: "2027-05-14", kind: "holiday", name: null, userId: admin.id }),
    ).toEqual({ ok: false, error: "badRange" });
    expect(
      await setRestDay({ date: "2027-01-01", to: "2027-02-01", kind: "holiday", name: null, userId: admin.id }),
    ).toEqual({ ok: false, error: "badRange" });
    expect((await restDaysOfYear(2027)).rows).toEqual([]);
    expect(await calendarAudit(admin.id)).toEqual([]);
    // A Saturday is fine.
    expect((await setRestDay({ date: "2027-05-15", kind: "workday", name: null, userId: admin.id })).ok).toBe(true);
    expect(isRestDay("2027-05-15", await restDayTable())).toBe(false);
  });

  it("enters a holiday as published, a range of dates at once, in one audit row", async () => {
    const admin = await makeUser();
    expect(
      await setRestDay({ date: "2027-10-01", to: "2027-10-07", kind: "holiday", name: "国庆节", userId: admin.id }),
    ).toEqual({ ok: true, change: "add", count: 7 });
    const year = await restDaysOfYear(2027);
    expect(year.rows.filter((r) => r.name === "国庆节").map((r) => r.date)).toEqual([
      "2027-10-01",
      "2027-10-02",
      "2027-10-03",
      "2027-10-04",
      "2027-10-05",
      "2027-10-06",
      "2027-10-07",
    ]);
    expect(await calendarAudit(admin.id)).toHaveLength(1);
  });

  it("marks a year entered once", async () => {
    const admin = await makeUser();
    expect(await markYearEntered({ year: 2027, userId: admin.id })).toBe(true);
    expect(await markYearEntered({ year: 2027, userId: admin.id })).toBe(false);
    expect(await enteredYears()).toEqual([2026, 2027]);
    expect((await restDayTable()).years?.has("2027")).toBe(true);
  });

  it("asks for this year, and from October for next year, until each is marked entered", async () => {
    const admin = await makeUser();
    expect(await missingYears(bj("2026-09-30T23:59"))).toEqual([]);
    // On 2 Dec 2026, as on 1 Oct: 2027 not yet entered (another test here enters it: use 2031–32).
    expect(await missingYears(bj("2031-09-30T23:59"))).toEqual([2031]);
    expect(await missingYears(bj("2031-10-01T00:00"))).toEqual([2031, 2032]);
    await markYearEntered({ year: 2032, userId: admin.id });
    expect(await missingYears(bj("2031-12-02T12:00"))).toEqual([2031]);
  });
});

describe("/admin/calendar", () => {
  it("a platform admin views a year, adds a holiday run and removes a day; a bad make-up day is refused", async () => {
    const platform = await makeUser([{ role: "platform_admin" }]);
    const url = "/admin/calendar?year=2026";
    const page = (await call(calendarLoader, { url, user: platform })) as Awaited<ReturnType<typeof calendarLoader>>;
    expect(page.year).toBe(2026);
    expect(page.entered).toBe(true);
    expect(page.rows.find((r) => r.date === "2026-10-10")).toMatchObject({ kind: "workday", weekday: 6 });
    const post = (form: Record<string, string>) => call(calendarAction, { url, user: platform, form });
    expect(
      statusOf(await post({ intent: "set", date: "2029-02-12", to: "2029-02-18", kind: "holiday", name: "春节" })),
    ).toBe(302);
    expect((await restDaysOfYear(2029)).rows).toHaveLength(7);
    expect(statusOf(await post({ intent: "remove", date: "2029-02-18" }))).toBe(302);
    expect((await restDaysOfYear(2029)).rows).toHaveLength(6);
    // Monday 12 Feb 2029 as a make-up working day: refused, nothing changed.
    expect(statusOf(await post({ intent: "set", date: "2029-02-12", kind: "workday", name: "" }))).toBe(400);
    expect(statusOf(await post({ intent: "set", date: "2029-02-30", kind: "holiday" }))).toBe(400);
    expect((await restDaysOfYear(2029)).rows.every((r) => r.kind === "holiday")).toBe(true);
    expect(statusOf(await post({ intent: "markEntered", year: "2029" }))).toBe(302);
    expect((await restDaysOfYear(2029)).entered).toBe(true);
    expect((await calendarAudit(platform.id)).map((a) => a.detail.change)).toEqual(["add", "remove", "year"]);
  });

  it("is a 404 for anyone but a platform admin, and changes nothing", async () => {
    const estate = await makeEstate();
    const url = "/admin/calendar";
    for (const user of [
      await makeUser([{ role: "community_admin", communityId: estate.communityId }]),
      await makeUser([{ role: "committee", estateId: estate.id }]),
    ]) {
      expect(statusOf(await call(calendarLoader, { url, user }))).toBe(404);
      expect(
        statusOf(
          await call(calendarAction, { url, user, form: { intent: "set", date: "2030-05-06", kind: "holiday" } }),
        ),
      ).toBe(404);
    }
    expect((await restDaysOfYear(2030)).rows).toEqual([]);
  });
});
