import {
  atHour,
  deadlineWithin,
  earliestAfterNotice,
  lastDayWithin,
  noticeMet,
  type RestDayTable,
} from "~/lib/calendar";
import { dayMs } from "~/lib/time";

/**
 * The N+X committee's rules (DESIGN.md "The N+X committee"; MOHURD guidance for owners'
 * assemblies and committees, Art. 31–36). Pure: no I/O, integers only.
 */
import { law, leastMeeting, meets } from "~/lib/law";

export const minSize = 5;
export const maxSize = 11;
export const maxTermYears = 5;
/*
 * The clocks below count Beijing calendar dates (app/lib/calendar.ts, Civil Code Art. 201, 203):
 * a notice of 7 days is met when the meeting's date is 7 dates after the notice's; "within k
 * days" ends at 24:00 of the k-th day after the event, moved past rest days.
 */
/** Notice of a meeting and posting of its agenda: 7 days ahead; a shorter notice is flagged. */
export const noticeDays = 7;
/** The first meeting is due within 7 days of the election; a required meeting within 7 days of the request. */
export const firstMeetingDays = 7;
export const requisitionDays = 7;
/** Decisions are published within 3 days of the meeting. */
export const decisionDays = 3;

/**
 * A meeting's default time: 19:00 (after work) on the first date a notice given now allows
 * (7 dates on).
 */
export function defaultMeetingAt(now: Date): Date {
  return new Date(earliestAfterNotice(now, noticeDays).getTime() + 19 * 3_600_000);
}

/**
 * A new election's dates: nominations for 14 days (to 24:00 of the 14th day, moved past rest
 * days); voting opens when an election notice posted as nominations close has run its 15 days
 * (物业管理条例 Art. 14), and lasts two weeks, to 20:00 of the last day (a working day).
 */
export function electionDefaults(now: Date, table: RestDayTable) {
  const nominationEndsAt = deadlineWithin(now, 14, table);
  const votingStartsAt = earliestAfterNotice(nominationEndsAt, 15);
  const votingEndsAt = atHour(lastDayWithin(votingStartsAt, 14, table), 20);
  return { nominationEndsAt, votingStartsAt, votingEndsAt };
}

/** 5 to 11 members, an odd number. */
export function isValidSize(size: number): boolean {
  return Number.isInteger(size) && size >= minSize && size <= maxSize && size % 2 === 1;
}

/** The date `months` later, as PostgreSQL adds an interval: 31 January plus one month is 28 (29) February. */
export function addMonths(at: Date, months: number): Date {
  const total = at.getUTCMonth() + months;
  const year = at.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const out = new Date(at);
  out.setUTCFullYear(year, month, Math.min(at.getUTCDate(), lastDay));
  return out;
}

/** A term of at most 5 years (29 February plus five years is 28 February, as in the database's check). */
export function termEndsWithinLimit(startsAt: Date, endsAt: Date): boolean {
  return endsAt > startsAt && endsAt <= addMonths(startsAt, maxTermYears * 12);
}

/** Quorate only with law.committeeQuorum (more than half) of ALL members (with a vote) present. */
export function isQuorate(present: number, members: number): boolean {
  return meets(law.committeeQuorum, present, members);
}

/** A decision passes only with law.committeeDecision (more than half) of ALL members agreeing, not of those present. */
export function decisionPasses(agree: number, members: number): boolean {
  return meets(law.committeeDecision, agree, members);
}

/** law.requisition of the members (a third, 三分之一以上: the boundary counts) can require a meeting. */
export function requisitionThresholdMet(signers: number, members: number): boolean {
  return meets(law.requisition, signers, members);
}

/** How many members make the requisition threshold. */
export function requisitionSignersNeeded(members: number): number {
  return leastMeeting(law.requisition, members);
}

/** Minutes are published once law.minutesSignoff (more than half) of the attending members have signed. */
export function minutesPublishable(signed: number, attendees: number): boolean {
  return meets(law.minutesSignoff, signed, attendees);
}

/** How many signatures publish the minutes. */
export function minutesSignoffsNeeded(attendees: number): number {
  return attendees ? leastMeeting(law.minutesSignoff, attendees) : 0;
}

/** A general election constitutes the committee when law.committeeConstituted (more than half) of its seats are filled. */
export function committeeConstituted(elected: number, size: number): boolean {
  return meets(law.committeeConstituted, elected, size);
}

/** A committee is flagged when its term has ended, or ends within 90 days (an election takes that long to run). */
export const termWarningDays = 90;

/**
 * "ended" once the term's end has come, "ending" when it comes within 90 days (the 90th day
 * included), else null. A committee without a recorded end (still forming) is never flagged.
 */
export function termState(termEndsAt: Date | null, now: Date): "ended" | "ending" | null {
  if (!termEndsAt) return null;
  if (now >= termEndsAt) return "ended";
  return termEndsAt.getTime() - now.getTime() <= termWarningDays * dayMs ? "ending" : null;
}

/** When the first meeting is due: within 7 days of the committee's term starting (the end, exclusive). */
export function firstMeetingDueAt(termStartsAt: Date, table: RestDayTable): Date {
  return deadlineWithin(termStartsAt, firstMeetingDays, table);
}

/** When a required meeting is due: within 7 days of a third of the members signing (the end, exclusive). */
export function requisitionDueAt(thresholdMetAt: Date, table: RestDayTable): Date {
  return deadlineWithin(thresholdMetAt, requisitionDays, table);
}

/**
 * The first meeting is late when it was held at or after its due end (24:00 of the last day),
 * or has not been held and that end has come (like late decisions, a late meeting stays
 * flagged once held).
 */
export function firstMeetingLate(dueAt: Date | null, heldAt: Date | null, now: Date): boolean {
  if (!dueAt) return false;
  return heldAt ? heldAt >= dueAt : now >= dueAt;
}

/** A required meeting is overdue when none was held by its due date (held late counts as late). */
export function requisitionOverdue(dueAt: Date | null, heldAt: Date | null, now: Date): boolean {
  return firstMeetingLate(dueAt, heldAt, now);
}

/** The meeting's date is less than 7 dates after the notice's (noticed 1 Nov: from 8 Nov 00:00 is fine). */
export function isShortNotice(noticedAt: Date, scheduledAt: Date): boolean {
  return !noticeMet(noticedAt, scheduledAt, noticeDays);
}

/** The end (exclusive) of the 3 days to publish a meeting's decisions: 24:00 of the 3rd day after it, moved past rest days. */
export function decisionsDueAt(scheduledAt: Date, table: RestDayTable): Date {
  return deadlineWithin(scheduledAt, decisionDays, table);
}

/** Decisions published after the 3 days, or still unpublished once they have passed. */
export function decisionsLate(scheduledAt: Date, publishedAt: Date | null, now: Date, table: RestDayTable): boolean {
  const due = decisionsDueAt(scheduledAt, table);
  return publishedAt ? publishedAt >= due : now >= due;
}

// ---------------------------------------------------------------------------------------------
// Apportionment of N seats to zones by household count.

export interface ZoneHouseholds {
  id: string;
  households: number;
}

export interface Apportionment {
  /** Seats per zone id, excluding seats still to be settled between tied zones. */
  seats: Record<string, number>;
  /** Remainder seats the largest-remainder method cannot give: the zones tied for them, and how many seats. */
  ties: { zoneIds: string[]; seats: number }[];
  /** Whether every zone was first given one seat (seats ≥ zones). */
  minimumApplied: boolean;
}

/**
 * N seats to zones by household count, largest remainder (Hamilton): when there are at least
 * as many seats as zones, every zone first gets one seat ("每个楼栋（片区）至少一名") and the
 * rest go in proportion to households; otherwise all seats go in proportion. Each zone gets
 * the whole part of its quota (households × seats ÷ total households), then the remaining
 * seats go to the largest remainders. Remainders are compared as integers
 * (households × seats mod total), so no float decides a seat. When zones are tied for the
 * last remainder seats and there are fewer seats than tied zones, those seats are reported
 * as a tie, not given by an arbitrary order.
 */
export function apportion(zones: readonly ZoneHouseholds[], seats: number): Apportionment {
  if (!Number.isInteger(seats) || seats < 0) throw new RangeError(`seats must be a non-negative integer, got ${seats}`);
  const ids = new Set<string>();
  for (const z of zones) {
    if (ids.has(z.id)) throw new RangeError(`zone ${z.id} appears twice`);
    ids.add(z.id);
    if (!Number.isSafeInteger(z.households) || z.households < 0)
      throw new RangeError(`zone ${z.id}: households must be a non-negative integer`);
  }
  const result: Record<string, number> = Object.fromEntries(zones.map((z) => [z.id, 0]));
  if (zones.length === 0 || seats === 0) return { seats: result, ties: [], minimumApplied: false };

  const minimumApplied = seats >= zones.length;
  let rest = seats;
  if (minimumApplied) {
    for (const z of zones) result[z.id] = 1;
    rest -= zones.length;
  }
  const total = zones.reduce((sum, z) => sum + z.households, 0);
  if (rest === 0) return { seats: result, ties: [], minimumApplied };
  if (total === 0) {
    // Nobody lives anywhere: every zone is tied for every seat.
    return { seats: result, ties: [{ zoneIds: zones.map((z) => z.id), seats: rest }], minimumApplied };
  }

  const remainders: { id: string; remainder: number }[] = [];
  let given = 0;
  for (const z of zones) {
    const product = z.households * rest;
    if (!Number.isSafeInteger(product)) throw new RangeError("households × seats overflows");
    const whole = Math.floor(product / total);
    result[z.id] += whole;
    given += whole;
    remainders.push({ id: z.id, remainder: product - whole * total });
  }
  let left = rest - given;
  const ties: Apportionment["ties"] = [];
  // Group by remainder, largest first; give whole groups while they fit.
  const levels = [...new Set(remainders.map((r) => r.remainder))].sort((a, b) => b - a);
  for (const level of levels) {
    if (left === 0) break;
    const group = remainders.filter((r) => r.remainder === level).map((r) => r.id);
    if (group.length <= left) {
      for (const id of group) result[id] += 1;
      left -= group.length;
    } else {
      ties.push({ zoneIds: group, seats: left });
      left = 0;
    }
  }
  return { seats: result, ties, minimumApplied };
}

/**
 * Whether a seat plan follows the apportionment: every zone has its computed seats, except that
 * the seats of a reported tie may be split among the tied zones (one seat each at most, as a
 * remainder seat is one seat), as the person resolving the tie decided.
 */
export function followsApportionment(result: Apportionment, plan: Record<string, number>): boolean {
  const tied = new Map<string, number>();
  for (const [i, tie] of result.ties.entries()) for (const id of tie.zoneIds) tied.set(id, i);
  const extra = result.ties.map(() => 0);
  for (const [id, base] of Object.entries(result.seats)) {
    const planned = plan[id];
    if (!Number.isInteger(planned)) return false;
    const group = tied.get(id);
    if (group === undefined) {
      if (planned !== base) return false;
    } else {
      if (planned !== base && planned !== base + 1) return false;
      extra[group] += planned - base;
    }
  }
  if (Object.keys(plan).some((id) => !(id in result.seats))) return false;
  return result.ties.every((tie, i) => extra[i] === tie.seats);
}

// ---------------------------------------------------------------------------------------------
// Election: seats to approved candidates.

export interface CandidateResult {
  id: string;
  seat: "N" | "X";
  /** For N candidates, the zone they stand in. */
  zoneId: string | null;
  /** The candidate passed the ordinary approval (with the 2/3 participation quorum). */
  approved: boolean;
  agreeHeadcount: number;
  agreeArea: number;
}

export interface SeatRace {
  /** "X", or the zone id for N seats. */
  race: string;
  seats: number;
  elected: string[];
  /** Candidates tied at the boundary for the last seats; those seats stay unfilled until resolved. */
  tied: string[];
  tiedSeats: number;
  /** Seats left empty because too few candidates were approved. */
  unfilled: number;
}

/**
 * Seats go zone by zone for N and overall for X, to approved candidates by approving headcount,
 * then area. Candidates tied on both for the last seats in a race share a reported tie; those
 * seats stay open (a by-election or the rules of procedure settle them), and so do seats for
 * which too few candidates were approved.
 */
export function allocateSeats(
  zones: readonly { id: string; seats: number }[],
  xSeats: number,
  candidates: readonly CandidateResult[],
): SeatRace[] {
  const races: { race: string; seats: number; pool: CandidateResult[] }[] = [
    ...zones.map((z) => ({
      race: z.id,
      seats: z.seats,
      pool: candidates.filter((c) => c.seat === "N" && c.zoneId === z.id),
    })),
    { race: "X", seats: xSeats, pool: candidates.filter((c) => c.seat === "X") },
  ];
  const zoneIds = new Set(zones.map((z) => z.id));
  for (const c of candidates) {
    if (c.seat === "N" && (!c.zoneId || !zoneIds.has(c.zoneId)))
      throw new RangeError(`candidate ${c.id} stands in an unknown zone`);
  }
  return races.map(({ race, seats, pool }) => {
    const approved = pool
      .filter((c) => c.approved)
      .sort(
        (a, b) =>
          b.agreeHeadcount - a.agreeHeadcount || b.agreeArea - a.agreeArea || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
    const elected: string[] = [];
    let tied: string[] = [];
    let tiedSeats = 0;
    let i = 0;
    while (i < approved.length && elected.length < seats) {
      const c = approved[i];
      const same = approved.filter((o) => o.agreeHeadcount === c.agreeHeadcount && o.agreeArea === c.agreeArea);
      const free = seats - elected.length;
      if (same.length <= free) {
        elected.push(...same.map((o) => o.id));
        i += same.length;
      } else {
        tied = same.map((o) => o.id);
        tiedSeats = free;
        break;
      }
    }
    return { race, seats, elected, tied, tiedSeats, unfilled: seats - elected.length - tiedSeats };
  });
}
