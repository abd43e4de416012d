import { describe, expect, it } from "vitest";
import holidaysCn from "#db/data/holidays-cn.json";
import { noticeMet, restDayTableOf, restDaysOf, type HolidayArrangement } from "~/lib/calendar";
import { parseBeijingDateTime } from "~/lib/time";
import { draftDefaults } from "./forms";

const table = restDayTableOf(restDaysOf(holidaysCn as unknown as HolidayArrangement));
const bj = (v: string) => parseBeijingDateTime(v)!;

describe("a new proposal's default dates", () => {
  it("comments for 15 days, moved past a holiday; voting once a notice at the comments' close ran 15 dates", () => {
    // Drafted Wed 16 Sep 2026: the 15th day, 1 Oct, is National Day → comments to 8 Oct 24:00.
    const d = draftDefaults(bj("2026-09-16T15:00"), table);
    expect(d.commentEndsAt).toEqual(bj("2026-10-09T00:00"));
    expect(d.votingStartsAt).toEqual(bj("2026-10-24T00:00"));
    expect(noticeMet(d.commentEndsAt, d.votingStartsAt, 15)).toBe(true);
    // 24 Oct + 14 = Sat 7 Nov → Mon 9 Nov, 20:00.
    expect(d.votingEndsAt).toEqual(bj("2026-11-09T20:00"));
  });
});
