import { describe, expect, it } from "vitest";
import {
  autoCloseAt,
  deadlines,
  defaultTargets,
  dueForAutoClose,
  effectiveTargets,
  overdueReason,
  resolutionClock,
  responseClock,
  splitDuration,
  validTarget,
  withinConfirmWindow,
  type ClockTicket,
} from "./sla";

const hour = 3_600_000;
const day = 24 * hour;
// 2026-11-26 22:30 Beijing time (14:30 UTC): late evening, so 4 hours crosses midnight.
const filed = new Date("2026-11-26T14:30:00Z");
const at = (ms: number) => new Date(filed.getTime() + ms);

function ticket(over: Partial<ClockTicket> = {}): ClockTicket {
  const { responseDueAt, resolutionDueAt } = deadlines(filed, "repair", defaultTargets);
  return {
    status: "open",
    createdAt: filed,
    responseDueAt,
    resolutionDueAt,
    acknowledgedAt: null,
    resolvedAt: null,
    closedAt: null,
    ...over,
  };
}

describe("targets", () => {
  it("uses the estate's own targets where set, the defaults elsewhere, and ignores bad ones", () => {
    const t = effectiveTargets({
      repair: { responseHours: 2, resolutionHours: 48 },
      noise: { responseHours: 10, resolutionHours: 5 },
    });
    expect(t.repair).toEqual({ responseHours: 2, resolutionHours: 48 });
    expect(t.noise).toEqual(defaultTargets.noise); // resolution before response: refused
    expect(t.cleaning).toEqual(defaultTargets.cleaning);
    expect(effectiveTargets(null)).toEqual(defaultTargets);
    expect(validTarget({ responseHours: 0, resolutionHours: 4 })).toBe(false);
    expect(validTarget({ responseHours: 1.5, resolutionHours: 4 })).toBe(false);
    expect(validTarget({ responseHours: 1, resolutionHours: 90 * 24 + 1 })).toBe(false);
    expect(validTarget({ responseHours: 4, resolutionHours: 4 })).toBe(true);
  });

  it("fixes both deadlines at filing, across midnight and across days (wall-clock hours)", () => {
    const d = deadlines(filed, "repair", defaultTargets);
    expect(d.responseDueAt.toISOString()).toBe("2026-11-26T18:30:00.000Z"); // 02:30 the next day in Beijing
    expect(d.resolutionDueAt.toISOString()).toBe("2026-11-29T14:30:00.000Z"); // three days later
    const g = deadlines(filed, "greenery", defaultTargets);
    expect(g.resolutionDueAt.getTime() - filed.getTime()).toBe(7 * day);
  });
});

describe("response clock", () => {
  it("runs while nobody answers, is still met at the deadline itself, then is overdue", () => {
    const t = ticket();
    expect(responseClock(t, at(1 * hour))).toEqual({ state: "running", remainingMs: 3 * hour });
    expect(responseClock(t, at(4 * hour))).toEqual({ state: "running", remainingMs: 0 });
    expect(responseClock(t, at(4 * hour + 1))).toEqual({ state: "overdue", overdueMs: 1 });
    expect(responseClock(t, at(2 * day))).toEqual({ state: "overdue", overdueMs: 2 * day - 4 * hour });
  });

  it("stops at the acknowledgement: met in time, or missed by how much", () => {
    expect(responseClock(ticket({ status: "acknowledged", acknowledgedAt: at(3 * hour) }), at(5 * day))).toEqual({
      state: "met",
      tookMs: 3 * hour,
    });
    expect(responseClock(ticket({ status: "acknowledged", acknowledgedAt: at(5 * hour) }), at(5 * day))).toEqual({
      state: "missed",
      tookMs: 5 * hour,
      lateMs: hour,
    });
  });
});

describe("resolution clock", () => {
  it("runs through acknowledgement, stops at resolution, and runs on after a reopening", () => {
    const acknowledged = ticket({ status: "acknowledged", acknowledgedAt: at(hour) });
    expect(resolutionClock(acknowledged, at(day))).toEqual({ state: "running", remainingMs: 2 * day });
    const resolved = ticket({ status: "resolved", acknowledgedAt: at(hour), resolvedAt: at(2 * day) });
    expect(resolutionClock(resolved, at(10 * day))).toEqual({ state: "met", tookMs: 2 * day });
    // Reopened on day 4: the clock was not reset, the deadline (day 3) has passed.
    const reopened = ticket({ status: "acknowledged", acknowledgedAt: at(hour), resolvedAt: null });
    expect(resolutionClock(reopened, at(4 * day))).toEqual({ state: "overdue", overdueMs: day });
    const late = ticket({ status: "closed", acknowledgedAt: at(hour), resolvedAt: at(4 * day), closedAt: at(5 * day) });
    expect(resolutionClock(late, at(30 * day))).toEqual({ state: "missed", tookMs: 4 * day, lateMs: day });
  });
});

describe("escalation", () => {
  it("an unanswered ticket escalates for its response target, an unresolved one for its resolution target", () => {
    expect(overdueReason(ticket(), at(4 * hour))).toBeNull();
    expect(overdueReason(ticket(), at(4 * hour + 60_000))).toBe("response");
    // Answered in time, then left: overdue once the three days pass.
    const answered = ticket({ status: "acknowledged", acknowledgedAt: at(hour) });
    expect(overdueReason(answered, at(3 * day))).toBeNull();
    expect(overdueReason(answered, at(3 * day + 1))).toBe("resolution");
    // Never answered and past both: the response target is the one missed first.
    expect(overdueReason(ticket(), at(5 * day))).toBe("response");
  });

  it("resolved and closed tickets are never overdue, however late", () => {
    expect(
      overdueReason(ticket({ status: "resolved", acknowledgedAt: at(hour), resolvedAt: at(5 * day) }), at(6 * day)),
    ).toBeNull();
    expect(
      overdueReason(
        ticket({ status: "closed", acknowledgedAt: at(hour), resolvedAt: at(5 * day), closedAt: at(6 * day) }),
        at(60 * day),
      ),
    ).toBeNull();
  });
});

describe("confirmation window and auto-close", () => {
  const resolvedAt = new Date("2026-11-30T15:59:00Z"); // 23:59 Beijing time

  it("closes exactly 7 days after the resolution, not a minute before", () => {
    expect(autoCloseAt(resolvedAt).toISOString()).toBe("2026-12-07T15:59:00.000Z");
    const t = { status: "resolved" as const, resolvedAt };
    expect(dueForAutoClose(t, new Date("2026-12-07T15:58:59Z"))).toBe(false);
    expect(dueForAutoClose(t, new Date("2026-12-07T15:59:00Z"))).toBe(true);
    expect(withinConfirmWindow(resolvedAt, new Date("2026-12-07T15:58:59Z"))).toBe(true);
    expect(withinConfirmWindow(resolvedAt, new Date("2026-12-07T15:59:00Z"))).toBe(false);
  });

  it("never closes a ticket that is not resolved", () => {
    expect(dueForAutoClose({ status: "acknowledged", resolvedAt: null }, new Date("2027-01-01T00:00:00Z"))).toBe(false);
    expect(dueForAutoClose({ status: "closed", resolvedAt }, new Date("2027-01-01T00:00:00Z"))).toBe(false);
  });
});

describe("splitDuration", () => {
  it("floors to minutes", () => {
    expect(splitDuration(2 * day + 3 * hour + 59_999)).toEqual({ days: 2, hours: 3, minutes: 0 });
    expect(splitDuration(-5)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });
});
