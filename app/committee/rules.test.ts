import { describe, expect, it } from "vitest";
import {
  committeeConstituted,
  minutesSignoffsNeeded,
  requisitionSignersNeeded,
  addMonths,
  allocateSeats,
  apportion,
  decisionPasses,
  decisionsDueAt,
  decisionsLate,
  defaultMeetingAt,
  electionDefaults,
  firstMeetingDueAt,
  firstMeetingLate,
  followsApportionment,
  isQuorate,
  isShortNotice,
  isValidSize,
  minutesPublishable,
  requisitionDueAt,
  requisitionOverdue,
  requisitionThresholdMet,
  termEndsWithinLimit,
  termState,
  type CandidateResult,
} from "./rules";
import holidaysCn from "#db/data/holidays-cn.json";
import { restDayTableOf, restDaysOf, weekendsOnly, type HolidayArrangement } from "~/lib/calendar";
import { parseBeijingDateTime } from "~/lib/time";

const table = restDayTableOf(restDaysOf(holidaysCn as unknown as HolidayArrangement));
const bj = (v: string) => parseBeijingDateTime(v)!;

describe("committee size", () => {
  it("is 5 to 11 and odd", () => {
    expect([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].filter(isValidSize)).toEqual([5, 7, 9, 11]);
    expect(isValidSize(5.5)).toBe(false);
    expect(isValidSize(Number.NaN)).toBe(false);
  });
});

describe("term", () => {
  const start = new Date("2026-03-15T00:00:00Z");
  it("is at most five years", () => {
    expect(termEndsWithinLimit(start, new Date("2031-03-15T00:00:00Z"))).toBe(true);
    expect(termEndsWithinLimit(start, new Date("2031-03-15T00:00:00.001Z"))).toBe(false);
    expect(termEndsWithinLimit(start, new Date("2029-03-14T00:00:00Z"))).toBe(true);
  });
  it("must end after it starts", () => {
    expect(termEndsWithinLimit(start, start)).toBe(false);
    expect(termEndsWithinLimit(start, new Date("2026-03-14T00:00:00Z"))).toBe(false);
  });
  it("counts from 29 February as PostgreSQL does (to 28 February)", () => {
    const leap = new Date("2028-02-29T04:00:00Z");
    expect(termEndsWithinLimit(leap, new Date("2033-02-28T04:00:00Z"))).toBe(true);
    expect(termEndsWithinLimit(leap, new Date("2033-03-01T04:00:00Z"))).toBe(false);
  });
});

describe("adding months", () => {
  it("clamps to the end of a shorter month, as PostgreSQL does", () => {
    expect(addMonths(new Date("2026-01-31T10:00:00Z"), 1).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(addMonths(new Date("2026-11-30T16:00:00Z"), 60).toISOString()).toBe("2031-11-30T16:00:00.000Z");
    expect(addMonths(new Date("2026-10-15T00:00:00Z"), 3).toISOString()).toBe("2027-01-15T00:00:00.000Z");
  });
});

describe("quorum: more than half of ALL members present", () => {
  it("at the boundary for 9 members: 4 is not quorate, 5 is", () => {
    expect(isQuorate(4, 9)).toBe(false);
    expect(isQuorate(5, 9)).toBe(true);
  });
  it("at the boundary for 5, 7 and 11 members", () => {
    expect([isQuorate(2, 5), isQuorate(3, 5)]).toEqual([false, true]);
    expect([isQuorate(3, 7), isQuorate(4, 7)]).toEqual([false, true]);
    expect([isQuorate(5, 11), isQuorate(6, 11)]).toEqual([false, true]);
  });
  it("exactly half is not more than half (an even roll after a vacancy)", () => {
    expect(isQuorate(4, 8)).toBe(false);
    expect(isQuorate(5, 8)).toBe(true);
  });
  it("an empty committee is never quorate", () => {
    expect(isQuorate(0, 0)).toBe(false);
  });
});

describe("decisions: more than half of ALL members agree, not of those present", () => {
  it("5 of 9 agreeing passes, 4 of 9 does not", () => {
    expect(decisionPasses(5, 9)).toBe(true);
    expect(decisionPasses(4, 9)).toBe(false);
  });
  it("4 of 9 fails even when the 5 present split 4 to 1 (a majority of those present)", () => {
    expect(isQuorate(5, 9)).toBe(true);
    expect(decisionPasses(4, 9)).toBe(false);
  });
  it("at the boundary for 5, 7 and 11 members", () => {
    expect([decisionPasses(2, 5), decisionPasses(3, 5)]).toEqual([false, true]);
    expect([decisionPasses(3, 7), decisionPasses(4, 7)]).toEqual([false, true]);
    expect([decisionPasses(5, 11), decisionPasses(6, 11)]).toEqual([false, true]);
    expect(decisionPasses(0, 0)).toBe(false);
  });
});

describe("a third of the members can require a meeting", () => {
  it("the boundary counts (三分之一以上)", () => {
    expect([requisitionThresholdMet(2, 9), requisitionThresholdMet(3, 9)]).toEqual([false, true]);
    expect([requisitionThresholdMet(2, 7), requisitionThresholdMet(3, 7)]).toEqual([false, true]);
    expect([requisitionThresholdMet(1, 5), requisitionThresholdMet(2, 5)]).toEqual([false, true]);
    expect([requisitionThresholdMet(3, 11), requisitionThresholdMet(4, 11)]).toEqual([false, true]);
    expect(requisitionThresholdMet(0, 0)).toBe(false);
  });
  it("counts exactly a third when a vacancy leaves an even number of members", () => {
    expect([requisitionThresholdMet(1, 6), requisitionThresholdMet(2, 6)]).toEqual([false, true]);
    expect([requisitionThresholdMet(2, 8), requisitionThresholdMet(3, 8)]).toEqual([false, true]);
  });
  it("says how many signers that is, the boundary included", () => {
    expect([5, 6, 7, 8, 9, 11].map(requisitionSignersNeeded)).toEqual([2, 2, 3, 3, 3, 4]);
  });
});

describe("a required meeting is held within 7 days", () => {
  // A third signed on Tuesday 1 Dec 2026 (any hour): due by Tuesday 8 Dec 24:00 Beijing.
  const due = requisitionDueAt(bj("2026-12-01T21:00"), table);
  it("is due at 24:00 Beijing of the 7th day after the threshold was met", () => {
    expect(due).toEqual(bj("2026-12-09T00:00"));
    // The 7th day a Saturday (met Saturday 5 Dec): moved to Monday 14 Dec.
    expect(requisitionDueAt(bj("2026-12-05T09:00"), table)).toEqual(bj("2026-12-15T00:00"));
  });
  it("is overdue only from 24:00 of the last day, while none was held", () => {
    expect(requisitionOverdue(due, null, bj("2026-12-08T23:59"))).toBe(false);
    expect(requisitionOverdue(due, null, new Date(due.getTime() - 1))).toBe(false);
    expect(requisitionOverdue(due, null, bj("2026-12-09T00:00"))).toBe(true);
  });
  it("held on time is not flagged; held late stays flagged", () => {
    expect(requisitionOverdue(due, bj("2026-12-08T23:59"), bj("2027-01-01T00:00"))).toBe(false);
    expect(requisitionOverdue(due, bj("2026-12-09T00:00"), bj("2027-01-01T00:00"))).toBe(true);
  });
  it("has no due date before a third signed", () => {
    expect(requisitionOverdue(null, null, new Date("2030-01-01T00:00:00Z"))).toBe(false);
  });
});

describe("the first meeting within 7 days of the result", () => {
  // Term from 23:30 on Wednesday 30 Sep 2026: the 7th day is 7 Oct, in the National Day holiday → Thursday 8 Oct.
  const due = firstMeetingDueAt(bj("2026-09-30T23:30"), table);
  it("is due at the end of the next working day when the 7th day is a holiday", () => {
    expect(due).toEqual(bj("2026-10-09T00:00"));
    expect(firstMeetingDueAt(bj("2026-09-30T23:30"), weekendsOnly)).toEqual(bj("2026-10-08T00:00"));
  });
  it("is late once the due end came unheld, or when held at or after it", () => {
    expect(firstMeetingLate(due, null, new Date(due.getTime() - 1))).toBe(false);
    expect(firstMeetingLate(due, null, due)).toBe(true);
    expect(firstMeetingLate(due, bj("2026-10-08T23:59"), bj("2027-01-01T00:00"))).toBe(false);
    expect(firstMeetingLate(due, bj("2026-10-09T00:00"), bj("2027-01-01T00:00"))).toBe(true);
    expect(firstMeetingLate(null, null, bj("2027-01-01T00:00"))).toBe(false);
  });
});

describe("term expiry", () => {
  const ends = new Date("2027-03-31T16:00:00Z");
  const day = 24 * 60 * 60 * 1000;
  it("is flagged from 90 days before the end (the 90th day included)", () => {
    expect(termState(ends, new Date(ends.getTime() - 90 * day - 1))).toBeNull();
    expect(termState(ends, new Date(ends.getTime() - 90 * day))).toBe("ending");
    expect(termState(ends, new Date(ends.getTime() - 1))).toBe("ending");
  });
  it("has ended from the end moment on", () => {
    expect(termState(ends, ends)).toBe("ended");
    expect(termState(ends, new Date("2030-01-01T00:00:00Z"))).toBe("ended");
  });
  it("is never flagged without an end (a committee still forming)", () => {
    expect(termState(null, new Date())).toBeNull();
  });
});

describe("minutes are published once a majority of attendees signed", () => {
  it("more than half of those who attended", () => {
    expect([minutesPublishable(2, 5), minutesPublishable(3, 5)]).toEqual([false, true]);
    expect([minutesPublishable(3, 6), minutesPublishable(4, 6)]).toEqual([false, true]);
    expect(minutesPublishable(1, 1)).toBe(true);
    expect(minutesPublishable(0, 0)).toBe(false);
  });
});

describe("notice and publication deadlines", () => {
  // Calendar dates, not 24-hour multiples (Civil Code Art. 201): the old arithmetic flagged a
  // 7 Nov 19:00 meeting noticed on 31 Oct 20:00 as short, and decisions at 23:00 on 13 Nov late.
  it("a meeting less than 7 dates after the notice's date is short notice", () => {
    const noticed = bj("2026-11-01T10:00");
    expect(isShortNotice(noticed, bj("2026-11-08T00:00"))).toBe(false);
    expect(isShortNotice(noticed, bj("2026-11-07T23:59"))).toBe(true);
    expect(isShortNotice(noticed, bj("2026-11-02T10:00"))).toBe(true);
    // Noticed at 23:59 on 1 Nov counts from 1 Nov; at 00:00 on 2 Nov from 2 Nov.
    expect(isShortNotice(bj("2026-11-01T23:59"), bj("2026-11-08T09:00"))).toBe(false);
    expect(isShortNotice(bj("2026-11-02T00:00"), bj("2026-11-08T09:00"))).toBe(true);
  });
  it("the meeting at 19:00 on 10 Nov with decisions posted at 23:00 on 13 Nov is on time", () => {
    const meeting = bj("2026-11-10T19:00");
    expect(decisionsDueAt(meeting, table)).toEqual(bj("2026-11-14T00:00"));
    expect(decisionsLate(meeting, bj("2026-11-13T23:00"), bj("2026-12-01T00:00"), table)).toBe(false);
    expect(decisionsLate(meeting, bj("2026-11-13T23:59"), bj("2026-12-01T00:00"), table)).toBe(false);
    expect(decisionsLate(meeting, bj("2026-11-14T00:00"), bj("2026-12-01T00:00"), table)).toBe(true);
    expect(decisionsLate(meeting, null, bj("2026-11-13T23:59"), table)).toBe(false);
    expect(decisionsLate(meeting, null, bj("2026-11-14T00:00"), table)).toBe(true);
  });
  it("the 3 days to publish run past a holiday to the next working day", () => {
    // Meeting 29 Sep: the 3rd day is 2 Oct (National Day) → Thursday 8 Oct.
    const meeting = bj("2026-09-29T19:00");
    expect(decisionsLate(meeting, bj("2026-10-08T20:00"), bj("2026-12-01T00:00"), table)).toBe(false);
    expect(decisionsLate(meeting, bj("2026-10-09T00:00"), bj("2026-12-01T00:00"), table)).toBe(true);
  });
});

describe("apportionment of N seats by households (largest remainder)", () => {
  it("gives each zone one seat first, the rest by households", () => {
    // 7 seats, 3 zones: one each, 4 by quota over 400+300+100=800: 2, 1.5, 0.5.
    const r = apportion(
      [
        { id: "a", households: 400 },
        { id: "b", households: 300 },
        { id: "c", households: 100 },
      ],
      7,
    );
    // Whole parts 2,1,0 (3 seats); remainders 0, 400, 400 (of 800): one seat left, b and c tie.
    expect(r.minimumApplied).toBe(true);
    expect(r.seats).toEqual({ a: 3, b: 2, c: 1 });
    expect(r.ties).toEqual([{ zoneIds: ["b", "c"], seats: 1 }]);
  });

  it("gives remainder seats to the largest remainders, compared exactly", () => {
    const r = apportion(
      [
        { id: "a", households: 520 },
        { id: "b", households: 310 },
        { id: "c", households: 170 },
      ],
      8,
    );
    // Rest 5 over 1000: 2.6, 1.55, 0.85 → 2,1,0 then remainders .85 (c), .6 (a) get the two seats.
    expect(r.seats).toEqual({ a: 1 + 3, b: 1 + 1, c: 1 + 1 });
    expect(r.ties).toEqual([]);
  });

  it("reports a tie for the last seat instead of choosing (two equal zones, one seat)", () => {
    const r = apportion(
      [
        { id: "east", households: 300 },
        { id: "west", households: 300 },
      ],
      3,
    );
    expect(r.seats).toEqual({ east: 1, west: 1 });
    expect(r.ties).toEqual([{ zoneIds: ["east", "west"], seats: 1 }]);
  });

  it("gives a tied group its seats when there are enough for all of them", () => {
    const r = apportion(
      [
        { id: "a", households: 100 },
        { id: "b", households: 100 },
        { id: "c", households: 100 },
        { id: "d", households: 300 },
      ],
      6,
    );
    // Rest 2 over 600: .33,.33,.33,1 → d 1 whole; 1 seat left for a three-way tie.
    expect(r.seats).toEqual({ a: 1, b: 1, c: 1, d: 2 });
    expect(r.ties).toEqual([{ zoneIds: ["a", "b", "c"], seats: 1 }]);
  });

  it("without enough seats for every zone, apportions all seats by households", () => {
    const r = apportion(
      [
        { id: "a", households: 500 },
        { id: "b", households: 300 },
        { id: "c", households: 150 },
        { id: "d", households: 50 },
      ],
      3,
    );
    expect(r.minimumApplied).toBe(false);
    // 1.5, .9, .45, .15 → a 1; remainders .9 (b), .5 (a) → b, a.
    expect(r.seats).toEqual({ a: 2, b: 1, c: 0, d: 0 });
    expect(r.ties).toEqual([]);
  });

  it("exactly as many seats as zones: one each", () => {
    const r = apportion(
      [
        { id: "a", households: 900 },
        { id: "b", households: 10 },
      ],
      2,
    );
    expect(r.seats).toEqual({ a: 1, b: 1 });
  });

  it("handles no households, no zones and no seats", () => {
    expect(apportion([], 5)).toEqual({ seats: {}, ties: [], minimumApplied: false });
    expect(apportion([{ id: "a", households: 10 }], 0).seats).toEqual({ a: 0 });
    expect(
      apportion(
        [
          { id: "a", households: 0 },
          { id: "b", households: 0 },
        ],
        3,
      ),
    ).toEqual({ seats: { a: 1, b: 1 }, ties: [{ zoneIds: ["a", "b"], seats: 1 }], minimumApplied: true });
  });

  it("refuses bad input", () => {
    expect(() => apportion([{ id: "a", households: -1 }], 3)).toThrow(RangeError);
    expect(() => apportion([{ id: "a", households: 1.5 }], 3)).toThrow(RangeError);
    expect(() => apportion([{ id: "a", households: 1 }], -1)).toThrow(RangeError);
    expect(() =>
      apportion(
        [
          { id: "a", households: 1 },
          { id: "a", households: 2 },
        ],
        3,
      ),
    ).toThrow(RangeError);
  });

  it("always gives out every seat but the tied ones, and every zone one when seats allow (random cases)", () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 500; n++) {
      const zones = Array.from({ length: 1 + Math.floor(rand() * 8) }, (_, i) => ({
        id: `z${i}`,
        households: Math.floor(rand() * 400),
      }));
      const seats = Math.floor(rand() * 12);
      const r = apportion(zones, seats);
      const given = Object.values(r.seats).reduce((a, b) => a + b, 0);
      const tied = r.ties.reduce((a, t) => a + t.seats, 0);
      expect(given + tied).toBe(seats);
      if (seats >= zones.length) expect(Object.values(r.seats).every((s) => s >= 1)).toBe(true);
      for (const t of r.ties) expect(t.zoneIds.length).toBeGreaterThan(t.seats);
    }
  });
});

describe("a seat plan must follow the apportionment", () => {
  const r = apportion(
    [
      { id: "east", households: 300 },
      { id: "west", households: 300 },
      { id: "north", households: 600 },
    ],
    5,
  );
  it("accepts the computed seats with the tie resolved either way", () => {
    // Rest 2 over 1200: .5, .5, 1 → north 1; one seat tied between east and west.
    expect(r.seats).toEqual({ east: 1, west: 1, north: 2 });
    expect(r.ties).toEqual([{ zoneIds: ["east", "west"], seats: 1 }]);
    expect(followsApportionment(r, { east: 2, west: 1, north: 2 })).toBe(true);
    expect(followsApportionment(r, { east: 1, west: 2, north: 2 })).toBe(true);
  });
  it("refuses other plans", () => {
    expect(followsApportionment(r, { east: 1, west: 1, north: 2 })).toBe(false); // tie left open
    expect(followsApportionment(r, { east: 2, west: 2, north: 1 })).toBe(false);
    expect(followsApportionment(r, { east: 1, west: 1, north: 3 })).toBe(false); // the tied seat elsewhere
    expect(followsApportionment(r, { east: 2, west: 1 })).toBe(false);
    expect(followsApportionment(r, { east: 2, west: 1, north: 2, south: 0 })).toBe(false);
  });
});

describe("election seat allocation", () => {
  const c = (
    id: string,
    seat: "N" | "X",
    zoneId: string | null,
    approved: boolean,
    agreeHeadcount: number,
    agreeArea: number,
  ): CandidateResult => ({
    id,
    seat,
    zoneId,
    approved,
    agreeHeadcount,
    agreeArea,
  });
  const zones = [
    { id: "z1", seats: 2 },
    { id: "z2", seats: 1 },
  ];

  it("fills zone by zone for N and overall for X, by headcount then area, approved candidates only", () => {
    const races = allocateSeats(zones, 2, [
      c("a", "N", "z1", true, 500, 40000),
      c("b", "N", "z1", true, 480, 50000),
      c("c", "N", "z1", true, 600, 30000),
      c("d", "N", "z2", false, 900, 90000), // not approved: never seated, however many votes
      c("e", "N", "z2", true, 300, 20000),
      c("x1", "X", null, true, 700, 60000),
      c("x2", "X", null, true, 700, 61000), // same headcount, more area: first
      c("x3", "X", null, true, 650, 70000),
    ]);
    expect(races).toEqual([
      { race: "z1", seats: 2, elected: ["c", "a"], tied: [], tiedSeats: 0, unfilled: 0 },
      { race: "z2", seats: 1, elected: ["e"], tied: [], tiedSeats: 0, unfilled: 0 },
      { race: "X", seats: 2, elected: ["x2", "x1"], tied: [], tiedSeats: 0, unfilled: 0 },
    ]);
  });

  it("reports a tie on headcount and area for the last seat and leaves it open", () => {
    const races = allocateSeats(zones, 1, [
      c("a", "N", "z1", true, 500, 40000),
      c("b", "N", "z1", true, 400, 30000),
      c("c", "N", "z1", true, 400, 30000),
      c("e", "N", "z2", true, 300, 20000),
      c("x1", "X", null, true, 700, 60000),
      c("x2", "X", null, true, 700, 60000),
    ]);
    expect(races[0]).toEqual({ race: "z1", seats: 2, elected: ["a"], tied: ["b", "c"], tiedSeats: 1, unfilled: 0 });
    expect(races[2]).toEqual({ race: "X", seats: 1, elected: [], tied: ["x1", "x2"], tiedSeats: 1, unfilled: 0 });
  });

  it("elects a whole tied group that fits", () => {
    const races = allocateSeats([{ id: "z1", seats: 2 }], 0, [
      c("a", "N", "z1", true, 400, 30000),
      c("b", "N", "z1", true, 400, 30000),
      c("c", "N", "z1", true, 300, 30000),
    ]);
    expect(races[0]).toMatchObject({ elected: ["a", "b"], tied: [], unfilled: 0 });
  });

  it("reports seats left unfilled when too few candidates were approved", () => {
    const races = allocateSeats(zones, 2, [
      c("a", "N", "z1", true, 500, 40000),
      c("b", "N", "z1", false, 480, 50000),
      c("x1", "X", null, true, 700, 60000),
    ]);
    expect(races).toEqual([
      { race: "z1", seats: 2, elected: ["a"], tied: [], tiedSeats: 0, unfilled: 1 },
      { race: "z2", seats: 1, elected: [], tied: [], tiedSeats: 0, unfilled: 1 },
      { race: "X", seats: 2, elected: ["x1"], tied: [], tiedSeats: 0, unfilled: 1 },
    ]);
  });

  it("refuses an N candidate of an unknown zone", () => {
    expect(() => allocateSeats(zones, 1, [c("a", "N", "z9", true, 1, 1)])).toThrow(RangeError);
  });
});

describe("minutes and constitution: more than half", () => {
  it("publishes minutes once more than half of the attending members signed", () => {
    expect([4, 5, 6, 7].map(minutesSignoffsNeeded)).toEqual([3, 3, 4, 4]);
    expect(minutesSignoffsNeeded(0)).toBe(0);
  });
  it("constitutes the committee when more than half of its seats are filled", () => {
    expect([committeeConstituted(4, 9), committeeConstituted(5, 9)]).toEqual([false, true]);
    expect([committeeConstituted(3, 6), committeeConstituted(4, 6)]).toEqual([false, true]);
  });
});

describe("default dates in calendar days", () => {
  it("a meeting defaults to 19:00 on the first date a notice given now allows", () => {
    expect(defaultMeetingAt(bj("2026-12-02T23:59"))).toEqual(bj("2026-12-09T19:00"));
    expect(defaultMeetingAt(bj("2026-12-03T00:00"))).toEqual(bj("2026-12-10T19:00"));
    expect(isShortNotice(bj("2026-12-02T23:59"), defaultMeetingAt(bj("2026-12-02T23:59")))).toBe(false);
  });
  it("an election: nominations 14 days, then 15 dates of notice, then two weeks to 20:00 of a working day", () => {
    // Called Wed 2 Dec 2026: the 14th day is Wed 16 Dec; notice from 17 Dec → voting from 1 Jan 2027 (元旦 is not
    // entered for 2027: only the 20:00 end, Fri 15 Jan, could move).
    expect(electionDefaults(bj("2026-12-02T10:00"), table)).toEqual({
      nominationEndsAt: bj("2026-12-17T00:00"),
      votingStartsAt: bj("2027-01-01T00:00"),
      votingEndsAt: bj("2027-01-15T20:00"),
    });
    // Called Tue 15 Sep 2026: nominations to 29 Sep 24:00 (a working day); notice from 30 Sep → voting from 15 Oct.
    expect(electionDefaults(bj("2026-09-15T10:00"), table).votingStartsAt).toEqual(bj("2026-10-15T00:00"));
  });
});
