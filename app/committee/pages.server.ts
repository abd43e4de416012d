import { and, asc, desc, eq, gte, ilike, inArray, isNotNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { isUuid } from "~/lib/ids";
import { renderMarkdown } from "~/lib/markdown.server";
import { maskName } from "~/ui/mask";
import { activeCommittee, type Committee } from "./access.server";
import {
  decisionsDueAt,
  decisionsLate,
  firstMeetingLate,
  isQuorate,
  minutesPublishable,
  minutesSignoffsNeeded,
  requisitionOverdue,
  termState,
} from "./rules";
import { restDayTable } from "~/lib/rest-days.server";

const {
  agendaItems,
  committeeMeetings,
  committeeMembers,
  committeeZones,
  committees,
  meetingAttendance,
  memberVotes,
  minutesSignoffs,
  requisitionSignatures,
  requisitions,
  roleDeclarations,
} = schema;

/** The public view of a member: masked name, building, seat and role, office, term. */
function publicMember(
  m: typeof committeeMembers.$inferSelect,
  zones: Map<string, string>,
  roles: Map<string, { role: string; title: string }>,
) {
  const role = m.declarationId ? roles.get(m.declarationId) : undefined;
  return {
    id: m.id,
    name: maskName(m.name),
    building: m.building,
    seat: m.seat,
    zone: m.zoneId ? (zones.get(m.zoneId) ?? null) : null,
    publicRole: role?.role ?? null,
    roleTitle: role?.title ?? null,
    office: m.office,
    seatedAt: m.seatedAt.toISOString(),
    leftAt: m.leftAt?.toISOString() ?? null,
    hasPhoto: Boolean(m.photoKey),
  };
}

async function rolesById(ids: string[]) {
  if (ids.length === 0) return new Map<string, { role: string; title: string }>();
  const rows = await getDb()
    .select({ id: roleDeclarations.id, role: roleDeclarations.role, title: roleDeclarations.title })
    .from(roleDeclarations)
    .where(inArray(roleDeclarations.id, ids));
  return new Map(rows.map((r) => [r.id, { role: r.role, title: r.title }]));
}

/**
 * The committee page: a committee (the active one, or an archived one by id), its members
 * with their attendance and voting records (from published decisions only), vacancies, and
 * the flags owners need: late decisions, an overdue first meeting.
 */
export async function committeePage(estateId: string, opts: { committeeId?: string | null; now?: Date } = {}) {
  const db = getDb();
  const now = opts.now ?? new Date();
  const table = await restDayTable(db);
  let committee: Committee | null;
  if (opts.committeeId) {
    if (!isUuid(opts.committeeId)) return null;
    [committee] = await db
      .select()
      .from(committees)
      .where(
        and(eq(committees.id, opts.committeeId), eq(committees.estateId, estateId), ne(committees.status, "forming")),
      );
    if (!committee) return null;
  } else committee = await activeCommittee(db, estateId);

  const history = await db
    .select({
      id: committees.id,
      title: committees.title,
      status: committees.status,
      termStartsAt: committees.termStartsAt,
      termEndsAt: committees.termEndsAt,
    })
    .from(committees)
    .where(and(eq(committees.estateId, estateId), ne(committees.status, "forming")))
    .orderBy(desc(committees.createdAt));
  const historyOut = history.map((h) => ({
    ...h,
    termStartsAt: h.termStartsAt?.toISOString() ?? null,
    termEndsAt: h.termEndsAt?.toISOString() ?? null,
  }));
  if (!committee)
    return {
      committee: null,
      zones: [],
      members: [],
      former: [],
      vacancies: { n: 0, x: 0 },
      late: [],
      overdueRequisitions: [],
      history: historyOut,
    };

  const zoneRows = await db
    .select()
    .from(committeeZones)
    .where(eq(committeeZones.committeeId, committee.id))
    .orderBy(asc(committeeZones.position));
  const zones = new Map(zoneRows.map((z) => [z.id, z.name]));
  const memberRows = await db
    .select()
    .from(committeeMembers)
    .where(eq(committeeMembers.committeeId, committee.id))
    .orderBy(asc(committeeMembers.seatedAt));
  const roles = await rolesById(memberRows.flatMap((m) => (m.declarationId ? [m.declarationId] : [])));

  const meetings = await db
    .select()
    .from(committeeMeetings)
    .where(eq(committeeMeetings.committeeId, committee.id))
    .orderBy(desc(committeeMeetings.scheduledAt));
  const published = meetings.filter((m) => m.decisionsPublishedAt);
  const publishedIds = published.map((m) => m.id);
  const roll = publishedIds.length
    ? await db.select().from(meetingAttendance).where(inArray(meetingAttendance.meetingId, publishedIds))
    : [];
  const items = publishedIds.length
    ? await db
        .select()
        .from(agendaItems)
        .where(and(inArray(agendaItems.meetingId, publishedIds), ne(agendaItems.kind, "information")))
    : [];
  const votes = publishedIds.length
    ? await db.select().from(memberVotes).where(inArray(memberVotes.meetingId, publishedIds))
    : [];

  const members = memberRows.map((m) => {
    const mine = roll.filter((r) => r.memberId === m.id);
    const onRoll = new Set(mine.map((r) => r.meetingId));
    const myVotes = votes.filter((v) => v.memberId === m.id);
    const itemsOnRoll = items.filter((i) => onRoll.has(i.meetingId)).length;
    return {
      ...publicMember(m, zones, roles),
      record: {
        meetings: mine.length,
        attended: mine.filter((r) => r.present).length,
        decisions: itemsOnRoll,
        agree: myVotes.filter((v) => v.choice === "agree").length,
        oppose: myVotes.filter((v) => v.choice === "oppose").length,
        abstain: myVotes.filter((v) => v.choice === "abstain").length,
        noVote: itemsOnRoll - myVotes.length,
      },
    };
  });
  const seated = members.filter((m) => !m.leftAt);
  const seatedVoting = seated.filter((m) => m.seat !== "observer");
  const firstHeld = meetings
    .filter((m) => m.kind === "first" && m.status === "held")
    .sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime())[0];
  const firstLate =
    committee.status === "active" && firstMeetingLate(committee.firstMeetingDueAt, firstHeld?.scheduledAt ?? null, now);
  // Meetings a third of the members required: flagged when none was held within the 7 days.
  const heldAt = new Map(meetings.filter((m) => m.status === "held").map((m) => [m.id, m.scheduledAt]));
  const required = await db
    .select({
      id: requisitions.id,
      subject: requisitions.subject,
      thresholdMetAt: requisitions.thresholdMetAt,
      dueAt: requisitions.dueAt,
      meetingId: requisitions.meetingId,
      signers: sql<number>`(select count(*)::int from ${requisitionSignatures} where ${requisitionSignatures.requisitionId} = ${requisitions.id})`,
    })
    .from(requisitions)
    .where(and(eq(requisitions.committeeId, committee.id), isNotNull(requisitions.dueAt)))
    .orderBy(asc(requisitions.dueAt));
  const overdueRequisitions = required
    .map((r) => ({ ...r, heldAt: r.meetingId ? (heldAt.get(r.meetingId) ?? null) : null }))
    .filter((r) => requisitionOverdue(r.dueAt, r.heldAt, now))
    .map((r) => ({
      id: r.id,
      subject: r.subject,
      signers: Number(r.signers),
      requiredAt: r.thresholdMetAt!.toISOString(),
      dueAt: r.dueAt!.toISOString(),
      heldAt: r.heldAt?.toISOString() ?? null,
    }));
  const late = meetings
    .filter((m) => m.status === "held" && decisionsLate(m.scheduledAt, m.decisionsPublishedAt, now, table))
    .map((m) => ({
      id: m.id,
      title: m.title,
      scheduledAt: m.scheduledAt.toISOString(),
      publishedAt: m.decisionsPublishedAt?.toISOString() ?? null,
      dueAt: decisionsDueAt(m.scheduledAt, table).toISOString(),
    }));

  return {
    committee: {
      id: committee.id,
      title: committee.title,
      status: committee.status,
      size: committee.size,
      nSeats: committee.nSeats,
      xSeats: committee.xSeats,
      termStartsAt: committee.termStartsAt?.toISOString() ?? null,
      termEndsAt: committee.termEndsAt?.toISOString() ?? null,
      firstMeetingDueAt: committee.firstMeetingDueAt?.toISOString() ?? null,
      firstMeetingOverdue: firstLate && !firstHeld,
      /** Held, but after the 7 days. */
      firstMeetingHeldLate: firstLate && firstHeld ? firstHeld.scheduledAt.toISOString() : null,
      /** "ended" or "ending" (within 90 days) for the committee in office; an archived one is past that. */
      termState: committee.status === "active" ? termState(committee.termEndsAt, now) : null,
      archivedAt: committee.archivedAt?.toISOString() ?? null,
    },
    zones: zoneRows.map((z) => ({
      id: z.id,
      name: z.name,
      households: z.households,
      seats: z.seats,
      filled: seated.filter((m) => m.seat === "N" && m.zone === z.name).length,
      tieResolution: z.tieResolution,
    })),
    members: seated,
    former: members.filter((m) => m.leftAt),
    vacancies: {
      n: committee.nSeats - seatedVoting.filter((m) => m.seat === "N").length,
      x: committee.xSeats - seatedVoting.filter((m) => m.seat === "X").length,
    },
    late,
    overdueRequisitions,
    history: historyOut,
  };
}

/** The photo of a member of an estate's committee (the tenant boundary applies). */
export async function memberPhoto(estateId: string, memberId: string) {
  if (!isUuid(memberId)) return null;
  const [row] = await getDb()
    .select({ key: committeeMembers.photoKey, type: committeeMembers.photoType })
    .from(committeeMembers)
    .where(and(eq(committeeMembers.id, memberId), eq(committeeMembers.estateId, estateId)));
  return row?.key && row.type ? { key: row.key, type: row.type } : null;
}

/**
 * A meeting as the viewer may see it. The agenda is public once the meeting is scheduled;
 * the roll and each member's vote once the decisions are published; the minutes once a
 * majority of attendees signed. Members with a vote and admins (`insider`) see the record as
 * it is being written.
 */
export async function meetingPage(
  estateId: string,
  meetingId: string,
  viewer: { userId: string; insider: boolean; now?: Date },
) {
  if (!isUuid(meetingId)) return null;
  const db = getDb();
  const now = viewer.now ?? new Date();
  const table = await restDayTable(db);
  const [meeting] = await db
    .select()
    .from(committeeMeetings)
    .where(and(eq(committeeMeetings.id, meetingId), eq(committeeMeetings.estateId, estateId)));
  if (!meeting) return null;
  const [committee] = await db.select().from(committees).where(eq(committees.id, meeting.committeeId));
  const items = await db
    .select()
    .from(agendaItems)
    .where(eq(agendaItems.meetingId, meeting.id))
    .orderBy(asc(agendaItems.position));
  const zoneRows = await db.select().from(committeeZones).where(eq(committeeZones.committeeId, committee.id));
  const zones = new Map(zoneRows.map((z) => [z.id, z.name]));
  const memberRows = await db
    .select()
    .from(committeeMembers)
    .where(eq(committeeMembers.committeeId, committee.id))
    .orderBy(asc(committeeMembers.seatedAt));
  const roles = await rolesById(memberRows.flatMap((m) => (m.declarationId ? [m.declarationId] : [])));
  const memberById = new Map(memberRows.map((m) => [m.id, publicMember(m, zones, roles)]));

  const decisionsPublic = Boolean(meeting.decisionsPublishedAt);
  const minutesPublic = Boolean(meeting.minutesPublishedAt);
  const showRecord = decisionsPublic || viewer.insider;
  const roll = showRecord
    ? await db.select().from(meetingAttendance).where(eq(meetingAttendance.meetingId, meeting.id))
    : [];
  const votes = showRecord ? await db.select().from(memberVotes).where(eq(memberVotes.meetingId, meeting.id)) : [];
  const signoffs =
    minutesPublic || viewer.insider
      ? await db
          .select()
          .from(minutesSignoffs)
          .where(eq(minutesSignoffs.meetingId, meeting.id))
          .orderBy(asc(minutesSignoffs.signedAt))
      : [];
  const voting = roll.filter((r) => r.voting);
  const present = voting.filter((r) => r.present).length;
  const attendees = present;

  // Members of the committee now (for the attendance form and office elections).
  const seated = memberRows.filter((m) => !m.leftAt).map((m) => memberById.get(m.id)!);
  const myMember = memberRows.find((m) => m.userId === viewer.userId && !m.leftAt);
  const myRoll = myMember ? roll.find((r) => r.memberId === myMember.id) : undefined;

  return {
    committee: { id: committee.id, title: committee.title, status: committee.status },
    meeting: {
      id: meeting.id,
      title: meeting.title,
      kind: meeting.kind,
      status: meeting.status,
      scheduledAt: meeting.scheduledAt.toISOString(),
      place: meeting.place,
      onlineLink: meeting.onlineLink,
      noticedAt: meeting.noticedAt.toISOString(),
      shortNotice: meeting.shortNotice,
      cancelReason: meeting.cancelReason,
      requisitionId: meeting.requisitionId,
      decisionsPublishedAt: meeting.decisionsPublishedAt?.toISOString() ?? null,
      decisionsDueAt: decisionsDueAt(meeting.scheduledAt, table).toISOString(),
      decisionsLate:
        meeting.status === "held" && decisionsLate(meeting.scheduledAt, meeting.decisionsPublishedAt, now, table),
      minutesPublishedAt: meeting.minutesPublishedAt?.toISOString() ?? null,
      minutesHtml: meeting.minutes && (minutesPublic || viewer.insider) ? renderMarkdown(meeting.minutes) : null,
      minutesDraft: viewer.insider && !signoffs.length && !minutesPublic ? (meeting.minutes ?? "") : null,
      started: meeting.scheduledAt <= now,
    },
    record: showRecord
      ? {
          recorded: roll.length > 0,
          members: voting.length,
          present,
          quorate: isQuorate(present, voting.length),
          roll: roll
            .map((r) => ({ member: memberById.get(r.memberId)!, voting: r.voting, present: r.present }))
            .sort((a, b) => a.member.seatedAt.localeCompare(b.member.seatedAt)),
        }
      : null,
    items: items.map((i) => ({
      id: i.id,
      position: i.position,
      kind: i.kind,
      title: i.title,
      description: i.description,
      candidate: i.candidateMemberId ? (memberById.get(i.candidateMemberId) ?? null) : null,
      resolution: showRecord ? i.resolution : null,
      votes: showRecord
        ? votes
            .filter((v) => v.itemId === i.id)
            .map((v) => ({ memberId: v.memberId, member: memberById.get(v.memberId)!.name, choice: v.choice }))
        : [],
      outcome:
        i.passed === null
          ? null
          : {
              passed: i.passed,
              agree: i.agreeCount ?? 0,
              oppose: i.opposeCount ?? 0,
              abstain: i.abstainCount ?? 0,
              members: i.memberCount ?? 0,
            },
    })),
    signoffs: signoffs.map((s) => ({
      member: memberById.get(s.memberId)!.name,
      signedAt: s.signedAt.toISOString(),
      sha256: s.minutesSha256,
    })),
    signoffsNeeded: minutesSignoffsNeeded(attendees),
    attendees,
    publishable: minutesPublishable(signoffs.length, attendees),
    seated,
    me: {
      memberId: myMember?.id ?? null,
      canWrite: Boolean(myMember && myMember.seat !== "observer" && committee.status === "active"),
      attended: Boolean(myRoll?.present && myRoll.voting),
      signed: Boolean(myMember && signoffs.some((s) => s.memberId === myMember.id)),
    },
  };
}

export interface ArchiveQuery {
  from?: Date | null;
  /** Exclusive. */
  to?: Date | null;
  topic?: string | null;
  keyword?: string | null;
}

function likeEscape(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The archive: meetings of every committee of the estate, newest first, by date, topic (the
 * meeting's or an agenda item's title) and keyword (also the minutes, descriptions and
 * decisions). Owners see meetings that are announced, and the minutes once published; the
 * keyword searches only what the reader may see.
 */
export async function searchMeetings(estateId: string, q: ArchiveQuery, opts: { insider: boolean }) {
  const db = getDb();
  const where: SQL[] = [eq(committeeMeetings.estateId, estateId)];
  if (q.from) where.push(gte(committeeMeetings.scheduledAt, q.from));
  if (q.to) where.push(lt(committeeMeetings.scheduledAt, q.to));
  if (q.topic?.trim()) {
    const like = likeEscape(q.topic.trim());
    where.push(
      or(
        ilike(committeeMeetings.title, like),
        sql`exists (select 1 from ${agendaItems} where ${agendaItems.meetingId} = ${committeeMeetings.id} and ${agendaItems.title} ilike ${like})`,
      )!,
    );
  }
  if (q.keyword?.trim()) {
    const like = likeEscape(q.keyword.trim());
    const minutesVisible = opts.insider ? sql`true` : sql`${committeeMeetings.minutesPublishedAt} is not null`;
    const decisionsVisible = opts.insider ? sql`true` : sql`${committeeMeetings.decisionsPublishedAt} is not null`;
    where.push(
      or(
        ilike(committeeMeetings.title, like),
        sql`(${minutesVisible} and ${committeeMeetings.minutes} ilike ${like})`,
        sql`exists (select 1 from ${agendaItems} where ${agendaItems.meetingId} = ${committeeMeetings.id} and (${agendaItems.title} ilike ${like} or ${agendaItems.description} ilike ${like} or (${decisionsVisible} and ${agendaItems.resolution} ilike ${like})))`,
      )!,
    );
  }
  const rows = await db
    .select({ meeting: committeeMeetings, committeeTitle: committees.title })
    .from(committeeMeetings)
    .innerJoin(committees, eq(committees.id, committeeMeetings.committeeId))
    .where(and(...where))
    .orderBy(desc(committeeMeetings.scheduledAt))
    .limit(200);
  const ids = rows.map((r) => r.meeting.id);
  const items = ids.length
    ? await db
        .select({
          meetingId: agendaItems.meetingId,
          title: agendaItems.title,
          kind: agendaItems.kind,
          passed: agendaItems.passed,
          resolution: agendaItems.resolution,
        })
        .from(agendaItems)
        .where(inArray(agendaItems.meetingId, ids))
        .orderBy(asc(agendaItems.position))
    : [];
  const now = new Date();
  const table = await restDayTable(db);
  return rows.map(({ meeting: m, committeeTitle }) => ({
    id: m.id,
    title: m.title,
    committeeTitle,
    kind: m.kind,
    status: m.status,
    scheduledAt: m.scheduledAt.toISOString(),
    shortNotice: m.shortNotice,
    decisionsPublishedAt: m.decisionsPublishedAt?.toISOString() ?? null,
    decisionsLate: m.status === "held" && decisionsLate(m.scheduledAt, m.decisionsPublishedAt, now, table),
    minutesPublishedAt: m.minutesPublishedAt?.toISOString() ?? null,
    items: items
      .filter((i) => i.meetingId === m.id)
      .map((i) => ({ title: i.title, kind: i.kind, passed: m.decisionsPublishedAt || opts.insider ? i.passed : null })),
  }));
}

/** Meetings with published minutes, for the committee page's latest list. */
export async function latestMinutes(estateId: string, limit = 5) {
  const rows = await getDb()
    .select({
      id: committeeMeetings.id,
      title: committeeMeetings.title,
      scheduledAt: committeeMeetings.scheduledAt,
      minutesPublishedAt: committeeMeetings.minutesPublishedAt,
    })
    .from(committeeMeetings)
    .where(and(eq(committeeMeetings.estateId, estateId), isNotNull(committeeMeetings.minutesPublishedAt)))
    .orderBy(desc(committeeMeetings.scheduledAt))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    scheduledAt: r.scheduledAt.toISOString(),
    minutesPublishedAt: r.minutesPublishedAt!.toISOString(),
  }));
}

/** Upcoming announced meetings (the agenda posted to owners). */
export async function upcomingMeetings(estateId: string, now: Date = new Date()) {
  const rows = await getDb()
    .select({
      id: committeeMeetings.id,
      title: committeeMeetings.title,
      scheduledAt: committeeMeetings.scheduledAt,
      shortNotice: committeeMeetings.shortNotice,
    })
    .from(committeeMeetings)
    .where(
      and(
        eq(committeeMeetings.estateId, estateId),
        eq(committeeMeetings.status, "scheduled"),
        gte(committeeMeetings.scheduledAt, new Date(now.getTime() - 24 * 3600 * 1000)),
      ),
    )
    .orderBy(asc(committeeMeetings.scheduledAt));
  return rows.map((r) => ({ ...r, scheduledAt: r.scheduledAt.toISOString() }));
}
