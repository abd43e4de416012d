import type { TicketCategory, TicketStatus, TicketTargets } from "#db/schema/tickets";
import { dayMs, hourMs } from "~/lib/time";

/*
 * The service-level clocks of a ticket. Targets are in hours of wall-clock time: property
 * companies keep a 24-hour duty desk (物业24小时值班), so nights and weekends count. The
 * deadlines are fixed when the ticket is filed (a later change of the estate's targets does
 * not move them) and are not reset by a reopening: a resolution that did not hold does not
 * earn the company a new clock.
 */

export const ticketCategoryList = [
  "repair",
  "cleaning",
  "security",
  "greenery",
  "parking",
  "noise",
  "other",
] as const satisfies readonly TicketCategory[];

/** Defaults, per category: how soon the company must answer, and resolve. */
export const defaultTargets: TicketTargets = {
  repair: { responseHours: 4, resolutionHours: 72 },
  cleaning: { responseHours: 8, resolutionHours: 24 },
  security: { responseHours: 1, resolutionHours: 12 },
  greenery: { responseHours: 24, resolutionHours: 168 },
  parking: { responseHours: 4, resolutionHours: 48 },
  noise: { responseHours: 2, resolutionHours: 24 },
  other: { responseHours: 24, resolutionHours: 120 },
};

/** Limits on what an estate may set: at least an hour to answer, at most 90 days to resolve. */
export const targetLimits = { minHours: 1, maxHours: 90 * 24 } as const;

/** The estate's targets: its own where set, the defaults elsewhere. */
export function effectiveTargets(overrides: Partial<TicketTargets> | null | undefined): TicketTargets {
  const out = { ...defaultTargets };
  for (const category of ticketCategoryList) {
    const o = overrides?.[category];
    if (o && validTarget(o)) out[category] = { responseHours: o.responseHours, resolutionHours: o.resolutionHours };
  }
  return out;
}

export function validTarget(t: { responseHours: number; resolutionHours: number }): boolean {
  const ok = (h: number) => Number.isInteger(h) && h >= targetLimits.minHours && h <= targetLimits.maxHours;
  return ok(t.responseHours) && ok(t.resolutionHours) && t.resolutionHours >= t.responseHours;
}

export function addHours(at: Date, hours: number): Date {
  return new Date(at.getTime() + hours * hourMs);
}

/** The deadlines of a ticket filed at `filedAt`. */
export function deadlines(
  filedAt: Date,
  category: TicketCategory,
  targets: TicketTargets,
): { responseDueAt: Date; resolutionDueAt: Date } {
  const t = targets[category];
  return { responseDueAt: addHours(filedAt, t.responseHours), resolutionDueAt: addHours(filedAt, t.resolutionHours) };
}

/** A ticket as far as its clocks go. */
export interface ClockTicket {
  status: TicketStatus;
  createdAt: Date;
  responseDueAt: Date;
  resolutionDueAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
}

export type ClockState =
  /** Still running; `remainingMs` until the deadline. */
  | { state: "running"; remainingMs: number }
  /** Past the deadline and still running; `overdueMs` past it. */
  | { state: "overdue"; overdueMs: number }
  /** Stopped in time (`tookMs` from filing). */
  | { state: "met"; tookMs: number }
  /** Stopped, but after the deadline. */
  | { state: "missed"; tookMs: number; lateMs: number };

function clock(start: Date, due: Date, stoppedAt: Date | null, now: Date): ClockState {
  if (stoppedAt) {
    const tookMs = stoppedAt.getTime() - start.getTime();
    const lateMs = stoppedAt.getTime() - due.getTime();
    return lateMs > 0 ? { state: "missed", tookMs, lateMs } : { state: "met", tookMs };
  }
  const remainingMs = due.getTime() - now.getTime();
  // At the deadline itself the target still holds ("within 4 hours" includes the fourth hour).
  return remainingMs >= 0 ? { state: "running", remainingMs } : { state: "overdue", overdueMs: -remainingMs };
}

/** The response clock stops at the first acknowledgement. */
export function responseClock(t: ClockTicket, now: Date): ClockState {
  return clock(t.createdAt, t.responseDueAt, t.acknowledgedAt, now);
}

/** The resolution clock stops at the (latest) resolution; a reopening clears it and it runs on. */
export function resolutionClock(t: ClockTicket, now: Date): ClockState {
  const stoppedAt = t.status === "resolved" || t.status === "closed" ? (t.resolvedAt ?? t.closedAt) : null;
  return clock(t.createdAt, t.resolutionDueAt, stoppedAt, now);
}

/**
 * Whether a ticket is overdue now, and which target it missed first: the response target of a
 * ticket nobody answered, else the resolution target of one not resolved. Resolved and closed
 * tickets are never overdue.
 */
export function overdueReason(t: ClockTicket, now: Date): "response" | "resolution" | null {
  if (t.status === "resolved" || t.status === "closed") return null;
  if (t.status === "open" && responseClock(t, now).state === "overdue") return "response";
  if (resolutionClock(t, now).state === "overdue") return "resolution";
  return null;
}

/** After a resolution, the filer has this long to confirm or reopen; then the ticket closes by itself. */
export const confirmDays = 7;

export function autoCloseAt(resolvedAt: Date): Date {
  return new Date(resolvedAt.getTime() + confirmDays * dayMs);
}

/** May the filer still reopen (or confirm) a resolved ticket? Until 7 days after the resolution. */
export function withinConfirmWindow(resolvedAt: Date, now: Date): boolean {
  return now.getTime() < autoCloseAt(resolvedAt).getTime();
}

/** Does a resolved ticket close by itself now? */
export function dueForAutoClose(t: Pick<ClockTicket, "status" | "resolvedAt">, now: Date): boolean {
  return t.status === "resolved" && t.resolvedAt !== null && !withinConfirmWindow(t.resolvedAt, now);
}

/** A duration as days, hours and minutes (floor), for "2天3小时" or "2d 3h". */
export function splitDuration(ms: number): { days: number; hours: number; minutes: number } {
  const total = Math.max(0, Math.floor(ms / 60_000));
  return { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}
