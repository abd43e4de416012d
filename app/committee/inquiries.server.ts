import { and, asc, count, desc, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import type { Role } from "#db/schema/people";
import { isUuid } from "~/lib/ids";
import { enqueue } from "~/notify/outbox.server";
import { maskName } from "~/ui/mask";
import { fail, votingSeatOf, type Failure, type Ok } from "./access.server";
import { ownerOfUser } from "./composition.server";
import {
  isVoteSubject,
  subjectPath,
  type InquirySubject,
  type InquirySubjectKind,
  type VoteQuery,
  type VoteQueryTopic,
} from "./inquiry-subjects";
import { can } from "~/lib/permissions";
import { mayQuery } from "~/voting/results";

const {
  buildings,
  committeeElections,
  committeeMeetings,
  committeeMembers,
  committees,
  electionVoters,
  estates,
  inquiries,
  inquiryReplies,
  owners,
  proposals,
  serviceReports,
  units,
  users,
  voteUnits,
  voteVoters,
} = schema;

/*
 * Owners' questions to the committee ("raise it through the committee"): on published minutes,
 * on a service report of the property company, or on the maintenance fund's or the common
 * income's ledger. One thread per question; the committee answers in it for everyone to read.
 */

/** The row of the subject (in the estate) exists and is published, or why not. */
async function checkSubject(db: Queryable, estateId: string, subject: InquirySubject): Promise<Failure | null> {
  switch (subject.kind) {
    case "minutes": {
      if (!isUuid(subject.id)) return fail("notFound");
      const [meeting] = await db
        .select({ publishedAt: committeeMeetings.minutesPublishedAt })
        .from(committeeMeetings)
        .where(and(eq(committeeMeetings.id, subject.id), eq(committeeMeetings.estateId, estateId)));
      if (!meeting) return fail("notFound");
      return meeting.publishedAt ? null : fail("notPublished");
    }
    case "service_report": {
      if (!isUuid(subject.id)) return fail("notFound");
      // A report exists only once published (it is never drafted or edited).
      const [report] = await db
        .select({ id: serviceReports.id })
        .from(serviceReports)
        .where(and(eq(serviceReports.id, subject.id), eq(serviceReports.estateId, estateId)));
      return report ? null : fail("notFound");
    }
    case "maintenance_fund":
    case "common_income":
      return null;
    case "vote":
    case "election":
      // A vote query is checked with its topic and asker (checkVoteQuery).
      return null;
  }
}

/**
 * A query (询异) on a closed vote's preliminary result: only while the query period runs, on
 * the asker's own ballot (they must be one of the vote's owners) or on the eligibility of a
 * unit on the vote's list (its snapshot). The vote row is locked so the period's end is read once.
 */
async function checkVoteQuery(
  tx: Queryable,
  estateId: string,
  subject: { kind: "vote" | "election"; id: string },
  query: VoteQuery | undefined,
  userId: string,
  now: Date,
): Promise<Failure | null> {
  if (!query) return fail("queryTopicMissing");
  const table = subject.kind === "vote" ? proposals : committeeElections;
  const [vote] = await tx
    .select({ status: table.status, queryEndsAt: table.queryEndsAt })
    .from(table)
    .where(and(eq(table.id, subject.id), eq(table.estateId, estateId)))
    .for("share");
  if (!vote || vote.status === "draft") return fail("notFound");
  if (!mayQuery(vote, now)) return fail("queryClosed");
  if (query.topic === "own_ballot") {
    const mine = tx
      .select({ id: owners.id })
      .from(owners)
      .where(and(eq(owners.estateId, estateId), eq(owners.userId, userId)));
    const [listed] =
      subject.kind === "vote"
        ? await tx
            .select({ voterId: voteVoters.voterId })
            .from(voteVoters)
            .where(and(eq(voteVoters.proposalId, subject.id), sql`${voteVoters.ownerIds} && array(${mine})`))
            .limit(1)
        : await tx
            .select({ voterId: electionVoters.voterId })
            .from(electionVoters)
            .where(and(eq(electionVoters.electionId, subject.id), sql`${electionVoters.ownerIds} && array(${mine})`))
            .limit(1);
    return listed ? null : fail("notInElectorate");
  }
  const [listed] =
    subject.kind === "vote"
      ? await tx
          .select({ unitId: voteUnits.unitId })
          .from(voteUnits)
          .where(and(eq(voteUnits.proposalId, subject.id), eq(voteUnits.unitId, query.unitId)))
      : await tx
          .select({ voterId: electionVoters.voterId })
          .from(electionVoters)
          .where(
            and(eq(electionVoters.electionId, subject.id), sql`${query.unitId}::uuid = any(${electionVoters.unitIds})`),
          )
          .limit(1);
  return listed ? null : fail("unitNotListed");
}

function subjectColumns(subject: InquirySubject, query?: VoteQuery) {
  return {
    subjectKind: subject.kind,
    meetingId: subject.kind === "minutes" ? subject.id : null,
    serviceReportId: subject.kind === "service_report" ? subject.id : null,
    proposalId: subject.kind === "vote" ? subject.id : null,
    electionId: subject.kind === "election" ? subject.id : null,
    queryTopic: isVoteSubject(subject) ? (query?.topic ?? null) : null,
    queryUnitId: isVoteSubject(subject) && query?.topic === "eligibility" ? query.unitId : null,
  };
}

function subjectOf(row: typeof inquiries.$inferSelect): InquirySubject {
  if (row.subjectKind === "minutes") return { kind: "minutes", id: row.meetingId! };
  if (row.subjectKind === "service_report") return { kind: "service_report", id: row.serviceReportId! };
  if (row.subjectKind === "vote") return { kind: "vote", id: row.proposalId! };
  if (row.subjectKind === "election") return { kind: "election", id: row.electionId! };
  return { kind: row.subjectKind };
}

/**
 * An owner asks the committee a question on a published subject (on a closed vote, a query
 * with its topic, during the query period). The asker's name is kept, and shown masked. The
 * committee's members with a vote (who answer for it) are told.
 */
export async function askQuestion(input: {
  estateId: string;
  subject: InquirySubject;
  /** A vote's or an election's query: what it is about. */
  query?: VoteQuery;
  userId: string;
  body: string;
  now?: Date;
}): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const refused = isVoteSubject(input.subject)
      ? await checkVoteQuery(tx, input.estateId, input.subject, input.query, input.userId, now)
      : await checkSubject(tx, input.estateId, input.subject);
    if (refused) return refused;
    const owner = await ownerOfUser(tx, input.estateId, input.userId);
    const [user] = await tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, input.userId));
    const [row] = await tx
      .insert(inquiries)
      .values({
        estateId: input.estateId,
        ...subjectColumns(input.subject, input.query),
        userId: input.userId,
        askerName: owner?.name ?? user.displayName,
        body: input.body,
        createdAt: now,
      })
      .returning({ id: inquiries.id });
    const answerers = await tx
      .select({ userId: committeeMembers.userId })
      .from(committeeMembers)
      .innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
      .where(
        and(
          eq(committees.estateId, input.estateId),
          eq(committees.status, "active"),
          isNull(committeeMembers.leftAt),
          ne(committeeMembers.seat, "observer"),
        ),
      );
    const [estate] = await tx.select({ slug: estates.slug }).from(estates).where(eq(estates.id, input.estateId));
    const path = subjectPath(estate.slug, input.subject);
    await enqueue(
      tx,
      [...new Set(answerers.map((a) => a.userId))]
        .filter((userId) => userId !== input.userId)
        .map((userId) => ({
          template: "inquiry-asked" as const,
          userId,
          estateId: input.estateId,
          idempotencyKey: `inquiry-asked:${row.id}`,
          props: { question: input.body, path },
        })),
    );
    return { ok: true, id: row.id } as const;
  });
}

/**
 * A reply in a thread: a committee member with a vote answers for the committee (the first
 * answer marks the question answered, and each answer is sent to the asker); the asker may
 * follow up. Nobody else writes in it.
 */
export async function replyToInquiry(input: {
  estateId: string;
  inquiryId: string;
  userId: string;
  body: string;
  now?: Date;
}): Promise<Ok<{ subject: InquirySubject }> | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.inquiryId)) return fail("notFound");
  return getDb().transaction(async (tx) => {
    const [inquiry] = await tx
      .select()
      .from(inquiries)
      .where(and(eq(inquiries.id, input.inquiryId), eq(inquiries.estateId, input.estateId)))
      .for("update");
    if (!inquiry) return fail("notFound");
    const seat = await votingSeatOf(tx, input.estateId, input.userId);
    if (!seat && inquiry.userId !== input.userId) return fail("notYourThread");
    const owner = seat ? null : await ownerOfUser(tx, input.estateId, input.userId);
    const [user] = await tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, input.userId));
    const [reply] = await tx
      .insert(inquiryReplies)
      .values({
        estateId: input.estateId,
        inquiryId: inquiry.id,
        userId: input.userId,
        memberId: seat?.member.id ?? null,
        authorName: seat?.member.name ?? owner?.name ?? user.displayName,
        body: input.body,
        createdAt: now,
      })
      .returning({ id: inquiryReplies.id });
    if (seat && !inquiry.answeredAt)
      await tx.update(inquiries).set({ answeredAt: now }).where(eq(inquiries.id, inquiry.id));
    const subject = subjectOf(inquiry);
    if (seat && inquiry.userId && inquiry.userId !== input.userId) {
      const [estate] = await tx.select({ slug: estates.slug }).from(estates).where(eq(estates.id, input.estateId));
      await enqueue(tx, [
        {
          template: "inquiry-answered",
          userId: inquiry.userId,
          estateId: input.estateId,
          idempotencyKey: `inquiry-answer:${reply.id}`,
          props: { question: inquiry.body, answer: input.body, path: subjectPath(estate.slug, subject) },
        },
      ]);
    }
    return { ok: true, subject } as const;
  });
}

export interface ThreadView {
  id: string;
  /** The meeting's, report's, proposal's or election's id; null for a ledger. */
  subjectId: string | null;
  /** A vote query's topic and the unit queried ("3幢 1201"), else null. */
  topic: VoteQueryTopic | null;
  unit: string | null;
  asker: string;
  mine: boolean;
  body: string;
  createdAt: string;
  answeredAt: string | null;
  replies: { id: string; author: string; byCommittee: boolean; body: string; createdAt: string }[];
}

/**
 * The threads on one subject, or on every subject of a kind (a page listing all the service
 * reports), oldest first, names masked. Answered questions are public to the estate; an open
 * one shows only to its asker and to those who see everything (the committee, admins).
 */
export async function listInquiries(
  estateId: string,
  subject: InquirySubject | { kind: InquirySubjectKind; id?: undefined },
  viewer: { userId: string; seesOpen: boolean },
): Promise<ThreadView[]> {
  const db = getDb();
  const where: SQL[] = [eq(inquiries.estateId, estateId), eq(inquiries.subjectKind, subject.kind)];
  if (subject.kind === "minutes" && subject.id) where.push(eq(inquiries.meetingId, subject.id));
  if (subject.kind === "service_report" && subject.id) where.push(eq(inquiries.serviceReportId, subject.id));
  if (subject.kind === "vote" && subject.id) where.push(eq(inquiries.proposalId, subject.id));
  if (subject.kind === "election" && subject.id) where.push(eq(inquiries.electionId, subject.id));
  if (!viewer.seesOpen) where.push(or(isNotNull(inquiries.answeredAt), eq(inquiries.userId, viewer.userId))!);
  const rows = (
    await db
      .select({ inquiry: inquiries, building: buildings.name, number: units.number })
      .from(inquiries)
      .leftJoin(units, eq(units.id, inquiries.queryUnitId))
      .leftJoin(buildings, eq(buildings.id, units.buildingId))
      .where(and(...where))
      .orderBy(asc(inquiries.createdAt))
  ).map((r) => ({ ...r.inquiry, unit: r.number ? `${r.building} ${r.number}` : null }));
  const replies = rows.length
    ? await db
        .select()
        .from(inquiryReplies)
        .where(
          and(
            eq(inquiryReplies.estateId, estateId),
            inArray(
              inquiryReplies.inquiryId,
              rows.map((r) => r.id),
            ),
          ),
        )
        .orderBy(asc(inquiryReplies.createdAt))
    : [];
  return rows.map((r) => ({
    id: r.id,
    subjectId: r.meetingId ?? r.serviceReportId ?? r.proposalId ?? r.electionId ?? null,
    topic: r.queryTopic,
    unit: r.unit,
    asker: maskName(r.askerName),
    mine: r.userId === viewer.userId,
    body: r.body,
    createdAt: r.createdAt.toISOString(),
    answeredAt: r.answeredAt?.toISOString() ?? null,
    replies: replies
      .filter((x) => x.inquiryId === r.id)
      .map((x) => ({
        id: x.id,
        author: maskName(x.authorName),
        byCommittee: x.memberId !== null,
        body: x.body,
        createdAt: x.createdAt.toISOString(),
      })),
  }));
}

/**
 * What a viewer may do with the estate's threads: owners ask; committee members with a vote
 * answer; the committee and admins also see questions not yet answered.
 */
export async function inquiryViewer(estateId: string, userId: string, roles: readonly Role[]) {
  const seesOpen = can(roles, "inquiries:read");
  const canAnswer = can(roles, "inquiries:answer") && Boolean(await votingSeatOf(getDb(), estateId, userId));
  return { userId, seesOpen, canAsk: can(roles, "inquiries:ask"), canAnswer };
}

export interface InboxItem {
  id: string;
  subject: InquirySubject;
  /** The meeting's or the report's title; null for a ledger (the page names it by its kind). */
  subjectTitle: string | null;
  /** Where the thread is shown and answered. */
  path: string;
  asker: string;
  body: string;
  createdAt: string;
  answeredAt: string | null;
  replyCount: number;
}

export const inboxPageSize = 100;

/**
 * The committee's inbox: the estate's questions on every subject (minutes, service reports,
 * the ledgers), newest first, unanswered ones or (`answered`) those already answered, each with
 * the link to the page where it is answered. Names masked, as on the subjects' pages.
 */
export async function inquiryInbox(
  estate: { id: string; slug: string },
  options: { answered: boolean },
): Promise<{ items: InboxItem[]; open: number; answered: number }> {
  const db = getDb();
  const rows = await db
    .select({
      inquiry: inquiries,
      meetingTitle: committeeMeetings.title,
      reportTitle: serviceReports.title,
      proposalTitle: proposals.title,
      electionTitle: committeeElections.title,
    })
    .from(inquiries)
    .leftJoin(committeeMeetings, eq(committeeMeetings.id, inquiries.meetingId))
    .leftJoin(serviceReports, eq(serviceReports.id, inquiries.serviceReportId))
    .leftJoin(proposals, eq(proposals.id, inquiries.proposalId))
    .leftJoin(committeeElections, eq(committeeElections.id, inquiries.electionId))
    .where(
      and(
        eq(inquiries.estateId, estate.id),
        options.answered ? isNotNull(inquiries.answeredAt) : isNull(inquiries.answeredAt),
      ),
    )
    .orderBy(desc(inquiries.createdAt), desc(inquiries.id))
    .limit(inboxPageSize);
  const [counts] = await db
    .select({
      open: sql<number>`count(*) filter (where ${inquiries.answeredAt} is null)`.mapWith(Number),
      answered: count(inquiries.answeredAt),
    })
    .from(inquiries)
    .where(eq(inquiries.estateId, estate.id));
  const replyCounts = rows.length
    ? await db
        .select({ inquiryId: inquiryReplies.inquiryId, n: count() })
        .from(inquiryReplies)
        .where(
          and(
            eq(inquiryReplies.estateId, estate.id),
            inArray(
              inquiryReplies.inquiryId,
              rows.map((r) => r.inquiry.id),
            ),
          ),
        )
        .groupBy(inquiryReplies.inquiryId)
    : [];
  return {
    items: rows.map(({ inquiry: r, meetingTitle, reportTitle, proposalTitle, electionTitle }) => {
      const subject = subjectOf(r);
      return {
        id: r.id,
        subject,
        subjectTitle: meetingTitle ?? reportTitle ?? proposalTitle ?? electionTitle ?? null,
        path: subjectPath(estate.slug, subject),
        asker: maskName(r.askerName),
        body: r.body,
        createdAt: r.createdAt.toISOString(),
        answeredAt: r.answeredAt?.toISOString() ?? null,
        replyCount: replyCounts.find((c) => c.inquiryId === r.id)?.n ?? 0,
      };
    }),
    open: counts.open,
    answered: counts.answered,
  };
}
