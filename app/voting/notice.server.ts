import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import { postNotice, noticePath } from "~/board/board.server";
import { estateSettings } from "~/estates/procedure";
import { getT } from "~/i18n/i18n.server";
import { earliestAfterNotice, noticeMet } from "~/lib/calendar";
import type { Ok, Refusal } from "~/lib/forms/result";
import { linkOrigin } from "~/lib/public-origin.server";
import { beijingDateTimeFormat } from "~/lib/time";
import { enqueue } from "~/notify/outbox.server";
import { maskName } from "~/ui/mask";
import { shareText } from "~/lib/law-text";
import { approvalThreshold } from "./tally";
import { scopeOf, scopeTotals, type Scope } from "./engine/electorate.server";
import type { VoteRef } from "./engine/kinds";
import { voteNoticeText, type NoticeMatters, type VoteNoticeFacts } from "./notice-text";

const {
  buildings,
  committeeElections,
  electionCandidates,
  nominations,
  committeeZones,
  electionRaces,
  estates,
  owners,
  ownerships,
  proposals,
  units,
} = schema;

/** Notices are posted in the estate's language: the board is one text for every reader. */
const noticeLocale = "zh-CN" as const;

export type NoticeError =
  | "voting.errors.notFound"
  | "voting.errors.wrongStatus"
  | "voteNotice.errors.posted"
  | "voteNotice.errors.tooLate"
  | "voteNotice.errors.windowOrder"
  | "voteNotice.errors.notPosted"
  | "voteNotice.errors.tooSoon";

/** What a vote of either kind tells the notice step. */
interface Subject {
  ref: VoteRef;
  estateId: string;
  title: string;
  /** May its notice be posted now (a proposal under comment, an election taking nominations)? */
  noticeable: boolean;
  noticeId: string | null;
  noticedAt: Date | null;
  /** Voting may not start before this (the comment period's or the nominations' end). */
  notBefore: Date;
  votingStartsAt: Date;
  votingEndsAt: Date;
  scope: Scope;
  matters: (db: Queryable, now: Date) => Promise<NoticeMatters>;
  path: (slug: string) => string;
}

async function loadSubject(db: Queryable, estateId: string, ref: VoteRef, lock: boolean): Promise<Subject | null> {
  if (ref.kind === "proposal") {
    const q = db
      .select()
      .from(proposals)
      .where(and(eq(proposals.id, ref.id), eq(proposals.estateId, estateId)));
    const [p] = await (lock ? q.for("update") : q);
    if (!p) return null;
    return {
      ref,
      estateId,
      title: p.title,
      noticeable: p.status === "comment",
      noticeId: p.noticeId,
      noticedAt: p.noticedAt,
      notBefore: p.commentEndsAt,
      votingStartsAt: p.votingStartsAt,
      votingEndsAt: p.votingEndsAt,
      scope: scopeOf(p.scopeBuildingIds),
      matters: async () => {
        const t = await getT(noticeLocale);
        return {
          kind: "proposal",
          title: p.title,
          typeLabel: t(`voting.types.${p.type}`),
          matterLabel: t(`voting.matter.${p.matter}`),
          ruleText: t("voting.matter.approvalRule", { share: shareText(t, approvalThreshold(p.matter)) }),
          body: p.body,
        };
      },
      path: (slug) => `/e/${slug}/proposals/${p.id}`,
    };
  }
  const q = db
    .select()
    .from(committeeElections)
    .where(and(eq(committeeElections.id, ref.id), eq(committeeElections.estateId, estateId)));
  const [e] = await (lock ? q.for("update") : q);
  if (!e) return null;
  return {
    ref,
    estateId,
    title: e.title,
    noticeable: e.status === "nominating",
    noticeId: e.noticeId,
    noticedAt: e.noticedAt,
    notBefore: e.nominationEndsAt,
    votingStartsAt: e.votingStartsAt,
    votingEndsAt: e.votingEndsAt,
    scope: scopeOf(e.scopeBuildingIds),
    matters: async (tx, now) => {
      const races = await tx
        .select({ race: electionRaces.race, seats: electionRaces.seats, zone: committeeZones.name })
        .from(electionRaces)
        .leftJoin(committeeZones, eq(committeeZones.id, electionRaces.zoneId))
        .where(eq(electionRaces.electionId, e.id))
        .orderBy(asc(committeeZones.position));
      const closed = now >= e.nominationEndsAt;
      // The candidates on the ballot (as qualifiedCandidates in committee/elections.server.ts).
      const candidates = closed
        ? (
            await tx
              .select({ name: electionCandidates.name })
              .from(electionCandidates)
              .where(
                and(
                  eq(electionCandidates.electionId, e.id),
                  eq(electionCandidates.status, "standing"),
                  sql`(${electionCandidates.seat} = 'X' or (select count(*) from ${nominations} where ${nominations.candidateId} = ${electionCandidates.id}) >= ${e.nominationThreshold})`,
                ),
              )
              .orderBy(asc(electionCandidates.createdAt))
          ).map((c) => maskName(c.name))
        : null;
      return {
        kind: "election",
        races: races.filter((r) => r.seats > 0).map((r) => ({ name: r.race === "X" ? null : r.zone, seats: r.seats })),
        candidates,
        nominationEndsAt: e.nominationEndsAt,
      };
    },
    path: (slug) => `/e/${slug}/committee/elections/${e.id}`,
  };
}

async function estateOf(db: Queryable, estateId: string) {
  const [estate] = await db
    .select({ name: estates.name, slug: estates.slug, settings: estates.settings })
    .from(estates)
    .where(eq(estates.id, estateId));
  return { ...estate, rules: estateSettings(estate.settings) };
}

/** The notice as it would be posted now with this window: its text and the earliest opening it allows. */
async function draft(
  db: Queryable,
  subject: Subject,
  window: { votingStartsAt: Date; votingEndsAt: Date },
  now: Date,
  origin: string,
) {
  const estate = await estateOf(db, subject.estateId);
  const totals = await scopeTotals(db, subject.estateId, subject.scope, estate.rules.votingUnitKinds);
  const facts: VoteNoticeFacts = {
    estateName: estate.name,
    title: subject.title,
    matters: await subject.matters(db, now),
    scopeBuildings: subject.scope ? totals.buildings : null,
    totals: { headcount: totals.headcount, areaCentiSqm: totals.areaCentiSqm },
    ...window,
    url: `${origin}${subject.path(estate.slug)}`,
    postedAt: now,
  };
  const text = voteNoticeText(await getT(noticeLocale), noticeLocale, facts);
  return { ...text, estate, totals, earliest: earliestAfterNotice(now, estate.rules.voteNoticeDays) };
}

/**
 * The notice step's view of a vote: the notice posted (when and where), or the draft that
 * posting would put on the board. Null when there is no such vote.
 */
export async function voteNoticeSection(estateId: string, ref: VoteRef, now = new Date(), origin = linkOrigin()) {
  const db = getDb();
  const subject = await loadSubject(db, estateId, ref, false);
  if (!subject) return null;
  const estate = await estateOf(db, estateId);
  const days = estate.rules.voteNoticeDays;
  const scope = subject.scope
    ? (
        await db
          .select({ name: buildings.name })
          .from(buildings)
          .where(and(eq(buildings.estateId, estateId), inArray(buildings.id, subject.scope.buildingIds)))
          .orderBy(asc(buildings.name))
      ).map((b) => b.name)
    : null;
  if (subject.noticedAt && subject.noticeId)
    return {
      scope,
      posted: {
        at: subject.noticedAt.toISOString(),
        earliest: earliestAfterNotice(subject.noticedAt, days).toISOString(),
        path: noticePath(estate.slug, subject.noticeId),
      },
      draft: null,
      days,
    };
  if (!subject.noticeable) return { scope, posted: null, draft: null, days };
  const earliest = earliestAfterNotice(now, days);
  // The window the form offers: the planned one, moved later where the notice would not allow it.
  const start = subject.votingStartsAt < earliest ? earliest : subject.votingStartsAt;
  const length = subject.votingEndsAt.getTime() - subject.votingStartsAt.getTime();
  const window = { votingStartsAt: start, votingEndsAt: new Date(start.getTime() + length) };
  const d = await draft(db, subject, window, now, origin);
  return {
    scope,
    posted: null,
    draft: {
      title: d.title,
      body: d.body,
      earliest: earliest.toISOString(),
      votingStartsAt: window.votingStartsAt.toISOString(),
      votingEndsAt: window.votingEndsAt.toISOString(),
    },
    days,
  };
}

/** The accounts of the owners in the scope (the current roster: the snapshot is taken at opening). */
async function scopeOwnerUserIds(db: Queryable, estateId: string, scope: Scope, kinds: readonly string[]) {
  const rows = await db
    .selectDistinct({ userId: owners.userId })
    .from(owners)
    .innerJoin(ownerships, eq(ownerships.ownerId, owners.id))
    .innerJoin(units, eq(units.id, ownerships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(
      and(
        eq(owners.estateId, estateId),
        isNotNull(owners.userId),
        inArray(units.kind, kinds as never[]),
        scope ? inArray(buildings.id, scope.buildingIds) : undefined,
      ),
    );
  return rows.map((r) => r.userId!);
}

/**
 * Posts the vote notice in one step (物业管理条例 Art. 14): drafted from the vote, with the
 * window it states (which becomes the vote's window), on the board with the residents'
 * committee told; the scope's owners get the vote-notice message (mail, SMS, in-app, per their
 * choices) instead of the board's general one; notice_id/noticed_at are stored on the vote.
 * The window must let the notice run its days: voting starts no earlier than
 * earliestAfterNotice(now, voteNoticeDays).
 */
export async function postVoteNotice(input: {
  estateId: string;
  ref: VoteRef;
  userId: string;
  votingStartsAt: Date;
  votingEndsAt: Date;
  now?: Date;
  origin?: string;
}): Promise<Ok<{ noticeId: string }> | Refusal<NoticeError>> {
  const now = input.now ?? new Date();
  const origin = input.origin ?? linkOrigin();
  return getDb().transaction(async (tx): Promise<Ok<{ noticeId: string }> | Refusal<NoticeError>> => {
    const subject = await loadSubject(tx, input.estateId, input.ref, true);
    if (!subject) return { ok: false, error: "voting.errors.notFound", reason: "not_found" } as const;
    if (subject.noticedAt) return { ok: false, error: "voteNotice.errors.posted" } as const;
    if (!subject.noticeable) return { ok: false, error: "voting.errors.wrongStatus" } as const;
    const window = { votingStartsAt: input.votingStartsAt, votingEndsAt: input.votingEndsAt };
    const time = beijingDateTimeFormat(noticeLocale);
    if (!(subject.notBefore <= window.votingStartsAt && window.votingStartsAt < window.votingEndsAt))
      return {
        ok: false,
        error: "voteNotice.errors.windowOrder",
        params: { after: time.format(subject.notBefore) },
        reason: "invalid",
      };
    const d = await draft(tx, subject, window, now, origin);
    if (window.votingStartsAt < d.earliest)
      return {
        ok: false,
        error: "voteNotice.errors.tooLate",
        params: { earliest: time.format(d.earliest) },
        reason: "invalid",
      };
    const told = await scopeOwnerUserIds(tx, input.estateId, subject.scope, d.estate.rules.votingUnitKinds);
    const notice = await postNotice(tx, {
      estateId: input.estateId,
      kind: input.ref.kind === "proposal" ? "vote_notice" : "election_notice",
      title: d.title,
      body: d.body,
      postedBy: input.userId,
      // Elections are run by the community's admins (the first one before any committee exists).
      author: input.ref.kind === "proposal" ? "committee" : "community",
      subject: { type: input.ref.kind, id: input.ref.id },
      tellCommunity: true,
      alreadyTold: told,
      now,
    });
    const table = input.ref.kind === "proposal" ? proposals : committeeElections;
    await tx
      .update(table)
      .set({ noticeId: notice.id, noticedAt: now, ...window })
      .where(eq(table.id, input.ref.id));
    await enqueue(
      tx,
      told.map((userId) => ({
        template: "vote-notice" as const,
        userId,
        estateId: input.estateId,
        idempotencyKey: `vote-notice:${input.ref.id}`,
        props: {
          title: subject.title,
          opensAt: window.votingStartsAt.toISOString(),
          closesAt: window.votingEndsAt.toISOString(),
          path: noticePath(d.estate.slug, notice.id),
        },
      })),
    );
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "vote_notice_post",
      subjectType: input.ref.kind,
      subjectId: input.ref.id,
      detail: {
        noticeId: notice.id,
        votingStartsAt: window.votingStartsAt.toISOString(),
        votingEndsAt: window.votingEndsAt.toISOString(),
        headcount: d.totals.headcount,
        areaCentiSqm: d.totals.areaCentiSqm,
      },
      at: now,
    });
    return { ok: true, noticeId: notice.id } as const;
  });
}

/**
 * The opening gate of both kinds: voting opens only when the notice was posted and its days
 * have run (the opening's Beijing date at least voteNoticeDays after the notice's). The days
 * are the estate's at opening: an estate that asks for more notice holds later openings to it.
 */
export async function noticeRefusal(
  tx: Queryable,
  estateId: string,
  vote: { noticedAt: Date | null },
  openingAt: Date,
): Promise<Refusal<NoticeError> | null> {
  const [estate] = await tx.select({ settings: estates.settings }).from(estates).where(eq(estates.id, estateId));
  const days = estateSettings(estate?.settings).voteNoticeDays;
  if (!vote.noticedAt) return { ok: false, error: "voteNotice.errors.notPosted", params: { days } };
  if (noticeMet(vote.noticedAt, openingAt, days)) return null;
  const date = beijingDateTimeFormat(noticeLocale, { dateStyle: "long" });
  const time = beijingDateTimeFormat(noticeLocale);
  return {
    ok: false,
    error: "voteNotice.errors.tooSoon",
    params: {
      noticed: date.format(vote.noticedAt),
      days,
      earliest: time.format(earliestAfterNotice(vote.noticedAt, days)),
    },
  };
}
