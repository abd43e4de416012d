import { createHash } from "node:crypto";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import type { AgendaKind, MeetingKind } from "#db/schema/committee";
import { isUuid } from "~/lib/ids";
import { enqueue } from "~/notify/outbox.server";
import { fail, votingSeatOf, type Failure, type Member, type Ok } from "./access.server";
import { assignOffice } from "./composition.server";
import { decisionPasses, isQuorate, isShortNotice, minutesPublishable } from "./rules";
import { recordAudit } from "~/audit/audit.server";
import { postNotice } from "~/board/board.server";
import { getT } from "~/i18n/i18n.server";
import { beijingDate } from "~/lib/time";
import { longBeijingDate } from "~/board/publicity";

const {
  agendaItems,
  committeeMeetings,
  committeeMembers,
  estates,
  meetingAttendance,
  memberVotes,
  minutesSignoffs,
  requisitions,
} = schema;

export type Meeting = typeof committeeMeetings.$inferSelect;
export const maxMinutesLength = 50_000;

export interface AgendaInput {
  kind: AgendaKind;
  title: string;
  description?: string | null;
  candidateMemberId?: string | null;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** A meeting of one estate, locked for the rest of the transaction (the tenant boundary applies). */
async function lockMeeting(tx: Queryable, estateId: string, meetingId: string): Promise<Meeting | null> {
  if (!isUuid(meetingId)) return null;
  const [row] = await tx
    .select()
    .from(committeeMeetings)
    .where(and(eq(committeeMeetings.id, meetingId), eq(committeeMeetings.estateId, estateId)))
    .for("update");
  return row ?? null;
}

/**
 * The record of a held meeting (roll, votes, minutes) is frozen once a member has signed the
 * minutes or the decisions are published: what was signed or published never changes.
 */
async function isFrozen(tx: Queryable, meeting: Meeting): Promise<boolean> {
  if (meeting.decisionsPublishedAt || meeting.minutesPublishedAt) return true;
  const [signed] = await tx
    .select({ m: minutesSignoffs.memberId })
    .from(minutesSignoffs)
    .where(eq(minutesSignoffs.meetingId, meeting.id))
    .limit(1);
  return Boolean(signed);
}

/** The caller must hold a voting seat on the committee the meeting belongs to. */
async function writerFor(tx: Queryable, meeting: Meeting, userId: string) {
  const seat = await votingSeatOf(tx, meeting.estateId, userId);
  return seat && seat.committee.id === meeting.committeeId ? seat : null;
}

async function seatedMembers(tx: Queryable, committeeId: string): Promise<Member[]> {
  return tx
    .select()
    .from(committeeMembers)
    .where(and(eq(committeeMembers.committeeId, committeeId), isNull(committeeMembers.leftAt)));
}

export interface ScheduleInput {
  estateId: string;
  userId: string;
  title: string;
  kind: MeetingKind;
  scheduledAt: Date;
  place?: string | null;
  onlineLink?: string | null;
  agenda: AgendaInput[];
  requisitionId?: string | null;
  now?: Date;
}

/**
 * A member schedules a meeting: members are notified (outbox) and the agenda is posted to
 * owners at once. Less than 7 days' notice is allowed and flagged. A meeting a third of the
 * members required is scheduled by the chair, for no later than 7 days after the requirement.
 */
export async function scheduleMeeting(input: ScheduleInput): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  if (!input.place?.trim() && !input.onlineLink?.trim()) return fail("placeMissing");
  if (input.onlineLink && !/^https:\/\/\S+$/i.test(input.onlineLink.trim())) return fail("linkInvalid");
  if (input.agenda.length === 0) return fail("agendaMissing");
  return getDb().transaction(async (tx) => {
    const seat = await votingSeatOf(tx, input.estateId, input.userId);
    if (!seat) return fail("notMember");
    const members = await seatedMembers(tx, seat.committee.id);
    for (const item of input.agenda) {
      if (item.kind === "elect_chair" || item.kind === "elect_vice_chair") {
        const candidate = members.find((m) => m.id === item.candidateMemberId);
        if (!candidate || candidate.seat === "observer") return fail("candidateInvalid");
      }
    }
    let requisitionId: string | null = null;
    if (input.kind === "requisitioned") {
      if (!input.requisitionId || !isUuid(input.requisitionId)) return fail("requisitionMissing");
      const [req] = await tx
        .select()
        .from(requisitions)
        .where(and(eq(requisitions.id, input.requisitionId), eq(requisitions.committeeId, seat.committee.id)))
        .for("update");
      if (!req || !req.thresholdMetAt || !req.dueAt) return fail("requisitionMissing");
      if (req.meetingId) return fail("requisitionScheduled");
      const chair = members.find((m) => m.office === "chair");
      if (chair && chair.id !== seat.member.id) return fail("chairOnly");
      // Due by 24:00 of the last day: dueAt itself is the first instant too late.
      if (input.scheduledAt >= req.dueAt) return fail("requisitionDue");
      requisitionId = req.id;
    } else if (input.requisitionId) return fail("requisitionMissing");

    const [meeting] = await tx
      .insert(committeeMeetings)
      .values({
        estateId: input.estateId,
        committeeId: seat.committee.id,
        title: input.title,
        kind: input.kind,
        scheduledAt: input.scheduledAt,
        place: input.place?.trim() || null,
        onlineLink: input.onlineLink?.trim() || null,
        scheduledBy: input.userId,
        noticedAt: now,
        shortNotice: isShortNotice(now, input.scheduledAt),
        requisitionId,
      })
      .returning();
    await tx.insert(agendaItems).values(
      input.agenda.map((item, i) => ({
        estateId: input.estateId,
        meetingId: meeting.id,
        position: i + 1,
        kind: item.kind,
        title: item.title,
        description: item.description?.trim() || null,
        candidateMemberId:
          item.kind === "elect_chair" || item.kind === "elect_vice_chair" ? item.candidateMemberId! : null,
      })),
    );
    if (requisitionId)
      await tx.update(requisitions).set({ meetingId: meeting.id }).where(eq(requisitions.id, requisitionId));
    const [estate] = await tx.select({ slug: estates.slug }).from(estates).where(eq(estates.id, input.estateId));
    await enqueue(
      tx,
      members.map((m) => ({
        template: "meeting-notice" as const,
        userId: m.userId,
        estateId: input.estateId,
        idempotencyKey: `meeting-notice:${meeting.id}`,
        props: {
          meetingTitle: meeting.title,
          scheduledAt: meeting.scheduledAt.toISOString(),
          place: meeting.place ?? meeting.onlineLink ?? "",
          agendaCount: input.agenda.length,
          shortNotice: meeting.shortNotice,
          path: `/e/${estate.slug}/committee/meetings/${meeting.id}`,
        },
      })),
    );
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "meeting_schedule",
      subjectType: "meeting",
      subjectId: meeting.id,
      detail: { shortNotice: meeting.shortNotice },
      at: now,
    });
    return { ok: true, id: meeting.id } as const;
  });
}

/** A scheduled meeting that will not take place: kept, with the reason. */
export async function cancelMeeting(input: {
  estateId: string;
  meetingId: string;
  userId: string;
  reason: string;
  now?: Date;
}): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const meeting = await lockMeeting(tx, input.estateId, input.meetingId);
    if (!meeting) return fail("notFound");
    if (!(await writerFor(tx, meeting, input.userId))) return fail("notMember");
    if (meeting.status !== "scheduled") return fail("wrongStatus");
    await tx
      .update(committeeMeetings)
      .set({ status: "cancelled", cancelledAt: now, cancelReason: input.reason })
      .where(eq(committeeMeetings.id, meeting.id));
    if (meeting.requisitionId)
      await tx.update(requisitions).set({ meetingId: null }).where(eq(requisitions.id, meeting.requisitionId));
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "meeting_cancel",
      subjectType: "meeting",
      subjectId: meeting.id,
      at: now,
    });
    return { ok: true } as const;
  });
}

/**
 * Records who attended: the roll holds every member seated at the time, present or not, and
 * whether they have a vote. The meeting is then held. May be corrected until the record freezes.
 */
export async function recordAttendance(input: {
  estateId: string;
  meetingId: string;
  userId: string;
  present: string[];
  now?: Date;
}): Promise<Ok<{ quorate: boolean }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const meeting = await lockMeeting(tx, input.estateId, input.meetingId);
    if (!meeting) return fail("notFound");
    if (!(await writerFor(tx, meeting, input.userId))) return fail("notMember");
    if (meeting.status === "cancelled") return fail("wrongStatus");
    if (meeting.scheduledAt > now) return fail("notYetHeld");
    if (await isFrozen(tx, meeting)) return fail("frozen");
    const members = await seatedMembers(tx, meeting.committeeId);
    const present = new Set(input.present);
    if ([...present].some((id) => !members.some((m) => m.id === id))) return fail("notOnRoll");
    // Members who were on an earlier roll and have since left stay on it as they were.
    for (const m of members) {
      await tx
        .insert(meetingAttendance)
        .values({
          meetingId: meeting.id,
          memberId: m.id,
          estateId: input.estateId,
          voting: m.seat !== "observer",
          present: present.has(m.id),
          recordedBy: input.userId,
          recordedAt: now,
        })
        .onConflictDoUpdate({
          target: [meetingAttendance.meetingId, meetingAttendance.memberId],
          set: { present: present.has(m.id), recordedBy: input.userId, recordedAt: now },
        });
    }
    // A member marked absent cannot keep a vote on this meeting's items.
    const absent = members.filter((m) => !present.has(m.id)).map((m) => m.id);
    if (absent.length)
      await tx
        .delete(memberVotes)
        .where(and(eq(memberVotes.meetingId, meeting.id), inArray(memberVotes.memberId, absent)));
    await tx
      .update(committeeMeetings)
      .set({ status: "held", attendanceRecordedAt: now })
      .where(eq(committeeMeetings.id, meeting.id));
    const roll = await tx.select().from(meetingAttendance).where(eq(meetingAttendance.meetingId, meeting.id));
    const voting = roll.filter((r) => r.voting);
    return { ok: true, quorate: isQuorate(voting.filter((r) => r.present).length, voting.length) } as const;
  });
}

/**
 * Records each present member's own vote on an agenda item, and the decision's wording. No
 * proxies: only a member present with a vote can have one. Nothing is decided at a meeting
 * that is not quorate.
 */
export async function recordVotes(input: {
  estateId: string;
  meetingId: string;
  itemId: string;
  userId: string;
  resolution: string | null;
  votes: Record<string, "agree" | "oppose" | "abstain" | null>;
  now?: Date;
}): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const meeting = await lockMeeting(tx, input.estateId, input.meetingId);
    if (!meeting) return fail("notFound");
    if (!(await writerFor(tx, meeting, input.userId))) return fail("notMember");
    if (meeting.status !== "held") return fail("attendanceFirst");
    if (await isFrozen(tx, meeting)) return fail("frozen");
    if (!isUuid(input.itemId)) return fail("notFound");
    const [item] = await tx
      .select()
      .from(agendaItems)
      .where(and(eq(agendaItems.id, input.itemId), eq(agendaItems.meetingId, meeting.id)));
    if (!item) return fail("notFound");
    if (item.kind === "information") return fail("noVoteOnInformation");
    const roll = await tx.select().from(meetingAttendance).where(eq(meetingAttendance.meetingId, meeting.id));
    const voting = roll.filter((r) => r.voting);
    if (!isQuorate(voting.filter((r) => r.present).length, voting.length)) return fail("notQuorate");
    for (const [memberId, choice] of Object.entries(input.votes)) {
      const entry = roll.find((r) => r.memberId === memberId);
      if (!entry || !entry.voting || !entry.present) return fail("notPresent");
      if (choice === null) {
        await tx.delete(memberVotes).where(and(eq(memberVotes.itemId, item.id), eq(memberVotes.memberId, memberId)));
      } else {
        await tx
          .insert(memberVotes)
          .values({
            itemId: item.id,
            memberId,
            meetingId: meeting.id,
            estateId: input.estateId,
            choice,
            recordedBy: input.userId,
            recordedAt: now,
          })
          .onConflictDoUpdate({
            target: [memberVotes.itemId, memberVotes.memberId],
            set: { choice, recordedBy: input.userId, recordedAt: now },
          });
      }
    }
    await tx
      .update(agendaItems)
      .set({ resolution: input.resolution?.trim() || null })
      .where(eq(agendaItems.id, item.id));
    return { ok: true } as const;
  });
}

/**
 * Publishes the meeting's decisions: each item's counts and outcome are frozen (a decision
 * passes only with more than half of ALL members with a vote agreeing); an office election
 * that passed takes effect. Within 3 days of the meeting; later is flagged on the committee page.
 */
async function freezeDecisions(tx: Queryable, meeting: Meeting, userId: string, now: Date) {
  const roll = await tx.select().from(meetingAttendance).where(eq(meetingAttendance.meetingId, meeting.id));
  const voting = roll.filter((r) => r.voting);
  const quorate = isQuorate(voting.filter((r) => r.present).length, voting.length);
  const items = await tx
    .select()
    .from(agendaItems)
    .where(eq(agendaItems.meetingId, meeting.id))
    .orderBy(asc(agendaItems.position));
  const votes = await tx.select().from(memberVotes).where(eq(memberVotes.meetingId, meeting.id));
  for (const item of items) {
    if (item.kind === "information") continue;
    const mine = votes.filter((v) => v.itemId === item.id);
    const agree = mine.filter((v) => v.choice === "agree").length;
    const passed = quorate && decisionPasses(agree, voting.length);
    await tx
      .update(agendaItems)
      .set({
        agreeCount: agree,
        opposeCount: mine.filter((v) => v.choice === "oppose").length,
        abstainCount: mine.filter((v) => v.choice === "abstain").length,
        memberCount: voting.length,
        passed,
      })
      .where(eq(agendaItems.id, item.id));
    if (passed && item.candidateMemberId) {
      const [candidate] = await tx
        .select()
        .from(committeeMembers)
        .where(and(eq(committeeMembers.id, item.candidateMemberId), isNull(committeeMembers.leftAt)));
      if (candidate && candidate.seat !== "observer") {
        await assignOffice(tx, meeting.committeeId, candidate.id, item.kind === "elect_chair" ? "chair" : "vice_chair");
      }
    }
  }
  await tx
    .update(committeeMeetings)
    .set({ decisionsPublishedAt: now, decisionsPublishedBy: userId })
    .where(eq(committeeMeetings.id, meeting.id));
  await recordAudit(tx, {
    estateId: meeting.estateId,
    actorUserId: userId,
    act: "decisions_publish",
    subjectType: "meeting",
    subjectId: meeting.id,
    detail: { quorate },
    at: now,
  });
  await postDecisionsNotice(tx, meeting, quorate, userId, now);
}

/**
 * The decisions on the estate's notice board (业主委员会 decisions are posted "in a conspicuous
 * place"), with each item's outcome and counts as frozen. In Chinese, as posted in the lobbies.
 */
async function postDecisionsNotice(tx: Queryable, meeting: Meeting, quorate: boolean, userId: string, now: Date) {
  const t = await getT("zh-CN");
  const items = (
    await tx.select().from(agendaItems).where(eq(agendaItems.meetingId, meeting.id)).orderBy(asc(agendaItems.position))
  ).filter((i) => i.kind !== "information");
  const date = longBeijingDate(beijingDate(meeting.scheduledAt), "zh-CN");
  const lines = !quorate
    ? [t("board.posts.notQuorate")]
    : items.length === 0
      ? [t("board.posts.noDecisions")]
      : items.map((item, n) =>
          [
            t("board.posts.decisionItem", {
              n: n + 1,
              item: item.title,
              outcome: t(item.passed ? "committee.meeting.passed" : "committee.meeting.notPassed"),
              agree: item.agreeCount ?? 0,
              oppose: item.opposeCount ?? 0,
              abstain: item.abstainCount ?? 0,
            }),
            item.resolution ? `   ${item.resolution}` : "",
          ]
            .filter(Boolean)
            .join("\n"),
        );
  await postNotice(tx, {
    estateId: meeting.estateId,
    kind: "decision",
    title: t("board.posts.decisionsTitle", { title: meeting.title }),
    body: [t("board.posts.decisionsBody", { title: meeting.title, date }), ...lines].join("\n\n"),
    postedBy: userId,
    author: "committee",
    subject: { type: "meeting", id: meeting.id },
    now,
  });
}

export async function publishDecisions(input: {
  estateId: string;
  meetingId: string;
  userId: string;
  now?: Date;
}): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const meeting = await lockMeeting(tx, input.estateId, input.meetingId);
    if (!meeting) return fail("notFound");
    if (!(await writerFor(tx, meeting, input.userId))) return fail("notMember");
    if (meeting.status !== "held") return fail("attendanceFirst");
    if (meeting.decisionsPublishedAt) return fail("alreadyPublished");
    await freezeDecisions(tx, meeting, input.userId, now);
    return { ok: true } as const;
  });
}

/** The minutes, in Markdown; editable by any member with a vote until the first sign-off. */
export async function saveMinutes(input: {
  estateId: string;
  meetingId: string;
  userId: string;
  markdown: string;
  now?: Date;
}): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  if (input.markdown.length > maxMinutesLength) return fail("minutesTooLong");
  return getDb().transaction(async (tx) => {
    const meeting = await lockMeeting(tx, input.estateId, input.meetingId);
    if (!meeting) return fail("notFound");
    if (!(await writerFor(tx, meeting, input.userId))) return fail("notMember");
    if (meeting.status !== "held") return fail("attendanceFirst");
    if (meeting.minutesPublishedAt) return fail("alreadyPublished");
    const [signed] = await tx
      .select({ m: minutesSignoffs.memberId })
      .from(minutesSignoffs)
      .where(eq(minutesSignoffs.meetingId, meeting.id))
      .limit(1);
    if (signed) return fail("frozen");
    await tx
      .update(committeeMeetings)
      .set({ minutes: input.markdown, minutesUpdatedAt: now, minutesUpdatedBy: input.userId })
      .where(eq(committeeMeetings.id, meeting.id));
    return { ok: true } as const;
  });
}

/**
 * An attending member signs the minutes: a recorded act, with the time and a hash of the text
 * signed. Once more than half of the attending members have signed, the minutes (and the
 * decisions, if not yet) are published and every owner is notified, in the same transaction.
 */
export async function signMinutes(input: {
  estateId: string;
  meetingId: string;
  userId: string;
  now?: Date;
}): Promise<Ok<{ published: boolean }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const meeting = await lockMeeting(tx, input.estateId, input.meetingId);
    if (!meeting) return fail("notFound");
    if (meeting.status !== "held") return fail("attendanceFirst");
    if (!meeting.minutes?.trim()) return fail("minutesMissing");
    // The signer must be on this meeting's roll, present, with a vote: an attending member.
    const rows = await tx
      .select({ entry: meetingAttendance, member: committeeMembers })
      .from(meetingAttendance)
      .innerJoin(committeeMembers, eq(committeeMembers.id, meetingAttendance.memberId))
      .where(and(eq(meetingAttendance.meetingId, meeting.id), eq(committeeMembers.userId, input.userId)));
    const mine = rows.find((r) => r.entry.present && r.entry.voting);
    if (!mine) return fail("notAttendee");
    const inserted = await tx
      .insert(minutesSignoffs)
      .values({
        meetingId: meeting.id,
        memberId: mine.member.id,
        estateId: input.estateId,
        userId: input.userId,
        minutesSha256: sha256(meeting.minutes),
        signedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) return fail("alreadySigned");
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "minutes_sign",
      subjectType: "meeting",
      subjectId: meeting.id,
      at: now,
    });
    if (meeting.minutesPublishedAt) return { ok: true, published: false } as const;

    const roll = await tx.select().from(meetingAttendance).where(eq(meetingAttendance.meetingId, meeting.id));
    const attendees = roll.filter((r) => r.voting && r.present).length;
    const signed = (
      await tx
        .select({ m: minutesSignoffs.memberId })
        .from(minutesSignoffs)
        .where(eq(minutesSignoffs.meetingId, meeting.id))
    ).length;
    if (!minutesPublishable(signed, attendees)) return { ok: true, published: false } as const;

    if (!meeting.decisionsPublishedAt) await freezeDecisions(tx, meeting, input.userId, now);
    await tx.update(committeeMeetings).set({ minutesPublishedAt: now }).where(eq(committeeMeetings.id, meeting.id));
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "minutes_publish",
      subjectType: "meeting",
      subjectId: meeting.id,
      detail: { signed, attendees, sha256: sha256(meeting.minutes) },
      at: now,
    });
    // The minutes go on the notice board, which tells the owners and residents (their "minutes" choice).
    const t = await getT("zh-CN");
    await postNotice(tx, {
      estateId: input.estateId,
      kind: "minutes",
      title: t("board.posts.minutesTitle", { title: meeting.title }),
      body: `${t("board.posts.minutesBody", {
        title: meeting.title,
        date: longBeijingDate(beijingDate(meeting.scheduledAt), "zh-CN"),
      })}\n\n${meeting.minutes}`,
      postedBy: input.userId,
      author: "committee",
      subject: { type: "meeting", id: meeting.id },
      now,
    });
    return { ok: true, published: true } as const;
  });
}
