import { describe, expect, it } from "vitest";
import holidaysCn from "#db/data/holidays-cn.json";
import {
  deadlineWithin,
  earliestAfterNotice,
  isRestDay,
  lastDayWithin,
  nextWorkingDay,
  noticeMet,
  restDayTableOf,
  restDaysOf,
  type HolidayArrangement,
  weekendsOnly,
  withinDeadline,
} from "./calendar";
import { parseBeijingDateTime } from "./time";

/** An instant written in Beijing time. */
function bj(value: string): Date {
  const at = parseBeijingDateTime(value);
  if (!at) throw new Error(value);
  return at;
}

// The 2026 arrangement as the State Council published it (the project's data file).
const rows = restDaysOf(holidaysCn as unknown as HolidayArrangement);
const table = restDayTableOf(rows);

describe("rest days", () => {
  it("spells out the published arrangement day by day", () => {
    expect(rows.filter((r) => r.kind === "holiday")).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect(rows.filter((r) => r.kind === "workday").map((r) => r.date)).toEqual(holidaysCn.years["2026"].work);
    expect(rows.find((r) => r.date === "2026-02-20")).toEqual({ date: "2026-02-20", kind: "holiday", name: "春节" });
  });

  it("are weekends and holidays, minus make-up working days", () => {
    expect(isRestDay("2026-11-13", table)).toBe(false); // a Friday
    expect(isRestDay("2026-11-14", table)).toBe(true); // a Saturday
    expect(isRestDay("2026-11-15", table)).toBe(true); // a Sunday
    expect(isRestDay("2026-10-01", table)).toBe(true); // National Day, a Thursday
    expect(isRestDay("2026-10-10", table)).toBe(false); // a Saturday worked for National Day
    expect(isRestDay("2026-10-10", weekendsOnly)).toBe(true);
    expect(isRestDay("2026-02-16", table)).toBe(true); // Spring Festival, a Monday
  });

  it("knows which years were entered", () => {
    expect(table.years?.has("2026")).toBe(true);
    expect(table.years?.has("2027")).toBe(false);
  });

  it("finds the next working day past a holiday run", () => {
    expect(nextWorkingDay("2026-10-03", table)).toBe("2026-10-08");
    expect(nextWorkingDay("2026-10-08", table)).toBe("2026-10-08");
    expect(nextWorkingDay("2026-02-15", table)).toBe("2026-02-24");
  });
});

describe("a notice of k days", () => {
  it("notice on 1 Dec: the event may not happen on 15 Dec 23:59, may on 16 Dec 00:00", () => {
    const notice = bj("2026-12-01T10:00");
    expect(earliestAfterNotice(notice, 15).toISOString()).toBe(bj("2026-12-16T00:00").toISOString());
    expect(noticeMet(notice, bj("2026-12-15T23:59"), 15)).toBe(false);
    expect(noticeMet(notice, new Date(bj("2026-12-16T00:00").getTime() - 1), 15)).toBe(false);
    expect(noticeMet(notice, bj("2026-12-16T00:00"), 15)).toBe(true);
  });

  it("counts the notice's Beijing date, whatever its hour: 23:59 and 00:00 fall on different days", () => {
    expect(earliestAfterNotice(bj("2026-12-01T00:00"), 15)).toEqual(bj("2026-12-16T00:00"));
    expect(earliestAfterNotice(bj("2026-12-01T23:59"), 15)).toEqual(bj("2026-12-16T00:00"));
    expect(earliestAfterNotice(bj("2026-12-02T00:00"), 15)).toEqual(bj("2026-12-17T00:00"));
  });

  it("runs through holidays (a notice is counted, not worked), across the year's end", () => {
    expect(earliestAfterNotice(bj("2026-09-30T12:00"), 7)).toEqual(bj("2026-10-07T00:00"));
    expect(earliestAfterNotice(bj("2026-12-20T09:00"), 15)).toEqual(bj("2027-01-04T00:00"));
  });

  it("refuses a negative or fractional number of days", () => {
    expect(() => earliestAfterNotice(bj("2026-12-01T00:00"), -1)).toThrow(RangeError);
    expect(() => deadlineWithin(bj("2026-12-01T00:00"), 1.5, table)).toThrow(RangeError);
  });
});

describe("a deadline within k days", () => {
  it("meeting 19:00 on 10 Nov, decisions posted 23:00 on 13 Nov: on time (3 days)", () => {
    const meeting = bj("2026-11-10T19:00");
    expect(deadlineWithin(meeting, 3, table)).toEqual(bj("2026-11-14T00:00"));
    expect(withinDeadline(meeting, bj("2026-11-13T23:00"), 3, table)).toBe(true);
    expect(withinDeadline(meeting, bj("2026-11-13T23:59"), 3, table)).toBe(true);
    expect(withinDeadline(meeting, bj("2026-11-14T00:00"), 3, table)).toBe(false);
  });

  it("an event at 23:59 and one at 00:00 the next day have deadlines a day apart", () => {
    expect(deadlineWithin(bj("2026-11-09T23:59"), 3, table)).toEqual(bj("2026-11-13T00:00"));
    expect(deadlineWithin(bj("2026-11-10T00:00"), 3, table)).toEqual(bj("2026-11-14T00:00"));
  });

  it("moves a last day on a weekend to the end of the next working day", () => {
    // Wednesday 11 Nov + 3 = Saturday 14 Nov → Monday 16 Nov.
    expect(lastDayWithin(bj("2026-11-11T10:00"), 3, table)).toBe("2026-11-16");
    expect(deadlineWithin(bj("2026-11-11T10:00"), 3, table)).toEqual(bj("2026-11-17T00:00"));
  });

  it("moves a last day in a holiday past the whole holiday", () => {
    // 30 Sep + 3 = 3 Oct, inside National Day (1–7 Oct) → Thursday 8 Oct.
    expect(deadlineWithin(bj("2026-09-30T20:00"), 3, table)).toEqual(bj("2026-10-09T00:00"));
    expect(withinDeadline(bj("2026-09-30T20:00"), bj("2026-10-08T23:59"), 3, table)).toBe(true);
    expect(withinDeadline(bj("2026-09-30T20:00"), bj("2026-10-09T00:00"), 3, table)).toBe(false);
    // Weekends only, the same deadline would end on Monday 5 Oct.
    expect(deadlineWithin(bj("2026-09-30T20:00"), 3, weekendsOnly)).toEqual(bj("2026-10-06T00:00"));
  });

  it("does not move a last day on a make-up working day", () => {
    // 7 Oct + 3 = Saturday 10 Oct, worked for National Day: the deadline stays there.
    expect(deadlineWithin(bj("2026-10-07T09:00"), 3, table)).toEqual(bj("2026-10-11T00:00"));
    expect(deadlineWithin(bj("2026-10-07T09:00"), 3, weekendsOnly)).toEqual(bj("2026-10-13T00:00"));
    // 13 Feb + 1 = Saturday 14 Feb, worked before Spring Festival.
    expect(lastDayWithin(bj("2026-02-13T18:00"), 1, table)).toBe("2026-02-14");
  });

  it("runs through holidays inside the period (only the last day moves)", () => {
    // 29 Sep + 7 = 6 Oct (holiday) → 8 Oct; 28 Sep + 12 = 10 Oct (make-up day) → 10 Oct.
    expect(lastDayWithin(bj("2026-09-29T09:00"), 7, table)).toBe("2026-10-08");
    expect(lastDayWithin(bj("2026-09-28T09:00"), 12, table)).toBe("2026-10-10");
  });
});
