import { and, asc, count, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { getDb, schema, type Queryable, type Tx } from "#db/client";
import type { ProposalType, VoteRules } from "#db/schema/voting";
import { enqueue, rowsOf } from "~/notify/outbox.server";
import { maskName } from "~/ui/mask";
import { findProposal, lockProposal, type Failure } from "./access.server";
import { genesisHash, type ChainedEntry } from "./ledger";
import { matterOfType } from "./matters";
import { estateSettings } from "~/estates/procedure";
import { countInputs } from "./count";
import {
  defaultCountRules,
  participation,
  tally,
  type Ballot,
  type BallotChoice,
  type CountRules,
  type Participation,
  type Tally,
  type Voter,
} from "./tally";
import { recordAudit } from "~/audit/audit.server";
import { noticeRefusal, type NoticeError } from "./notice.server";
import type { Ok } from "~/lib/forms/result";
import { deadlineWithin } from "~/lib/calendar";
import { restDayTable } from "~/lib/rest-days.server";
import {
  lastDayOf,
  postFinalNotice,
  postPreliminaryNotice,
  queryPeriodDaysOf,
  queryPeriodEnd,
} from "./result-notices.server";
import { mayPostFinal } from "./results";
import { closeRefusal } from "./engine/close.server";
import {
  checkScope,
  electorateUserIds,
  scopeColumn,
  scopeOf,
  snapshotElectorate,
  snapshotRefusal,
  writeSnapshot,
} from "./engine/electorate.server";

const {
  ballots,
  buildings,
  estates,
  ownerships,
  petitions,
  proposalComments,
  proposals,
  units,
  users,
  voteVoters,
  votingFiles,
} = schema;

export type ProposalError =
  | "voting.errors.notFound"
  | "voting.errors.wrongStatus"
  | "voting.errors.datesOrder"
  | "voting.errors.datesPast"
  | "voting.errors.commentClosed"
  | "voting.errors.notStarted"
  | "voting.errors.windowOver"
  | "voting.errors.windowNotOver"
  | "voting.errors.ownersMissing"
  | "voting.errors.emptyElectorate"
  | "voting.errors.paperPending"
  | "voting.errors.boxUnsettled"
  | "voting.errors.petitionScheduled"
  | "results.errors.queryPeriodRunning"
  | "voting.errors.scopeBuildings"
  | NoticeError;

export interface DraftInput {
  title: string;
  body: string;
  type: ProposalType;
  commentEndsAt: Date;
  votingStartsAt: Date;
  votingEndsAt: Date;
  /** The buildings whose owners decide (empty or absent: the whole estate); on a change, absent keeps the draft's. */
  scopeBuildingIds?: string[] | null;
}

/** A draft's own columns, as written when it is made and when it is changed (the matter follows the type). */
function draftColumns(input: DraftInput) {
  const { title, body, type, commentEndsAt, votingStartsAt, votingEndsAt } = input;
  return { title, body, type, matter: matterOfType[type], commentEndsAt, votingStartsAt, votingEndsAt };
}

function checkDates(input: DraftInput, now: Date): Failure<ProposalError> | null {
  if (input.commentEndsAt <= now) return { ok: false, error: "voting.errors.datesPast" };
  if (!(input.commentEndsAt <= input.votingStartsAt && input.votingStartsAt < input.votingEndsAt))
    return { ok: false, error: "voting.errors.datesOrder" };
  return null;
}

/**
 * A committee member's draft; from a petition, the petition is then scheduled. In its own
 * transaction, or in the caller's (`tx`) when the draft is one part of a larger change (a
 * proposal started from a scorecard), so the whole commits or rolls back together; on a
 * refusal nothing has been written, and the caller must not go on.
 */
export async function draftProposal(
  input: DraftInput & { estateId: string; userId: string; petitionId?: string | null; now?: Date },
  tx?: Tx,
): Promise<Ok<{ id: string }> | Failure<ProposalError>> {
  const now = input.now ?? new Date();
  const bad = checkDates(input, now);
  if (bad) return bad;
  return tx ? writeDraft(tx, input, now) : getDb().transaction((own) => writeDraft(own, input, now));
}

async function writeDraft(
  tx: Tx,
  input: DraftInput & { estateId: string; userId: string; petitionId?: string | null },
  now: Date,
): Promise<Ok<{ id: string }> | Failure<ProposalError>> {
  const scope = await checkScope(tx, input.estateId, input.scopeBuildingIds);
  if (!scope.ok) return { ok: false, error: "voting.errors.scopeBuildings" } as const;
  if (input.petitionId) {
    const [scheduled] = await tx
      .update(petitions)
      .set({ scheduledAt: now })
      .where(
        and(eq(petitions.id, input.petitionId), eq(petitions.estateId, input.estateId), isNull(petitions.scheduledAt)),
      )
      .returning({ id: petitions.id });
    if (!scheduled) return { ok: false, error: "voting.errors.petitionScheduled" } as const;
  }
  const [row] = await tx
    .insert(proposals)
    .values({
      estateId: input.estateId,
      ...draftColumns(input),
      scopeBuildingIds: scopeColumn(scope.scope),
      petitionId: input.petitionId ?? null,
      createdBy: input.userId,
      createdAt: now,
    })
    .returning({ id: proposals.id });
  if (input.petitionId)
    await tx.update(petitions).set({ proposalId: row.id }).where(eq(petitions.id, input.petitionId));
  return { ok: true, id: row.id } as const;
}

/** Changes a draft (only while it is a draft). */
export async function updateDraft(
  input: DraftInput & { estateId: string; proposalId: string; now?: Date },
): Promise<Ok | Failure<ProposalError>> {
  const now = input.now ?? new Date();
  const bad = checkDates(input, now);
  if (bad) return bad;
  return getDb().transaction(async (tx) => {
    const p = await lockProposal(tx, input.estateId, input.proposalId);
    if (!p) return { ok: false, error: "voting.errors.notFound" } as const;
    if (p.status !== "draft") return { ok: false, error: "voting.errors.wrongStatus" } as const;
    const scope =
      input.scopeBuildingIds === undefined ? null : await checkScope(tx, input.estateId, input.scopeBuildingIds);
    if (scope && !scope.ok) return { ok: false, error: "voting.errors.scopeBuildings" } as const;
    await tx
      .update(proposals)
      .set({ ...draftColumns(input), ...(scope ? { scopeBuildingIds: scopeColumn(scope.scope) } : {}) })
      .where(eq(proposals.id, p.id));
    return { ok: true } as const;
  });
}

/** draft → comment: the proposal is public and owners may comment until commentEndsAt. */
export async function openComment(input: {
  estateId: string;
  proposalId: string;
  userId: string;
  now?: Date;
}): Promise<Ok | Failure<ProposalError>> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const p = await lockProposal(tx, input.estateId, input.proposalId);
    if (!p) return { ok: false, error: "voting.errors.notFound" } as const;
    if (p.status !== "draft") return { ok: false, error: "voting.errors.wrongStatus" } as const;
    if (p.commentEndsAt <= now) return { ok: false, error: "voting.errors.datesPast" } as const;
    await tx.update(proposals).set({ status: "comment", commentOpenedAt: now }).where(eq(proposals.id, p.id));
    await recordAudit(tx, {
      estateId: p.estateId,
      actorUserId: input.userId,
      act: "proposal_comment_open",
      subjectType: "proposal",
      subjectId: p.id,
      at: now,
    });
    return { ok: true } as const;
  });
}

export async function addComment(input: {
  estateId: string;
  proposalId: string;
  userId: string;
  body: string;
  now?: Date;
}): Promise<Ok | Failure<ProposalError>> {
  const now = input.now ?? new Date();
  const db = getDb();
  const p = await findProposal(db, input.estateId, input.proposalId);
  if (!p || p.status === "draft") return { ok: false, error: "voting.errors.notFound" };
  if (p.status !== "comment" || now >= p.commentEndsAt) return { ok: false, error: "voting.errors.commentClosed" };
  await db
    .insert(proposalComments)
    .values({ estateId: p.estateId, proposalId: p.id, userId: input.userId, body: input.body, createdAt: now });
  return { ok: true };
}

/** The roster as it stands, as the rule engine sees it (only the unit kinds the estate counts). */
export async function currentRoster(db: Queryable, estateId: string, countedKinds: readonly string[]) {
  const rows = await db
    .select({
      unitId: units.id,
      kind: units.kind,
      areaCentiSqm: units.areaCentiSqm,
      developerUnsold: units.developerUnsold,
      building: buildings.name,
      number: units.number,
      ownerIds: sql<
        string[]
      >`coalesce(array_agg(${ownerships.ownerId} order by ${ownerships.ownerId}) filter (where ${ownerships.ownerId} is not null), '{}')`,
    })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .leftJoin(ownerships, eq(ownerships.unitId, units.id))
    .where(and(eq(units.estateId, estateId), inArray(units.kind, countedKinds as never[])))
    .groupBy(units.id, buildings.name)
    .orderBy(asc(buildings.name), asc(units.number));
  return rows;
}

/**
 * comment → voting. The electorate is snapshotted here from the roster (units, ownerships,
 * owners) through `electorate()`; later roster edits do not change it. The estate's voting
 * rules (unit kinds, changeable ballots, paper/online precedence) are fixed for this vote too.
 */
export async function openVoting(input: {
  estateId: string;
  proposalId: string;
  userId: string;
  now?: Date;
}): Promise<Ok<{ voters: number }> | Failure<ProposalError>> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const p = await lockProposal(tx, input.estateId, input.proposalId);
    if (!p) return { ok: false, error: "voting.errors.notFound" } as const;
    if (p.status !== "comment") return { ok: false, error: "voting.errors.wrongStatus" } as const;
    if (now < p.commentEndsAt || now < p.votingStartsAt)
      return { ok: false, error: "voting.errors.notStarted" } as const;
    if (now >= p.votingEndsAt) return { ok: false, error: "voting.errors.windowOver" } as const;
    const unnoticed = await noticeRefusal(tx, p.estateId, p, now);
    if (unnoticed) return unnoticed;
    const [estate] = await tx
      .select({ settings: estates.settings, slug: estates.slug })
      .from(estates)
      .where(eq(estates.id, p.estateId));
    const settings = estateSettings(estate.settings);
    const ref = { kind: "proposal", id: p.id } as const;
    const snapshot = await snapshotElectorate(tx, {
      estateId: p.estateId,
      scope: scopeOf(p.scopeBuildingIds),
      countedKinds: settings.votingUnitKinds,
    });
    if (!snapshot.ok) return snapshotRefusal(snapshot);
    const { voters } = snapshot;
    await writeSnapshot(tx, ref, p.estateId, snapshot);
    const rules: VoteRules = {
      ballotsChangeable: settings.ballotsChangeable,
      paperOnlineConflict: settings.paperOnlineConflict,
      votingUnitKinds: settings.votingUnitKinds,
      spoiledTakesPart: settings.spoiledTakesPart,
      coOwnersNameOne: settings.coOwnersNameOne,
    };
    await tx
      .update(proposals)
      .set({ status: "voting", openedAt: now, openedBy: input.userId, rules, proxyCap: settings.proxyCap })
      .where(eq(proposals.id, p.id));
    // Every owner of the snapshot with an account hears of it (mail if they want vote mail, and an in-app notice).
    const recipients = await electorateUserIds(tx, ref);
    await enqueue(
      tx,
      recipients.map((userId) => ({
        template: "vote-opened" as const,
        userId,
        estateId: p.estateId,
        idempotencyKey: `vote-opened:${p.id}`,
        props: {
          proposalTitle: p.title,
          closesAt: p.votingEndsAt.toISOString(),
          path: `/e/${estate.slug}/proposals/${p.id}`,
        },
      })),
    );
    const totalArea = snapshot.totals.areaCentiSqm;
    await recordAudit(tx, {
      estateId: p.estateId,
      actorUserId: input.userId,
      act: "vote_open",
      subjectType: "proposal",
      subjectId: p.id,
      detail: { voters: voters.length, units: snapshot.units.length, totalAreaCentiSqm: totalArea },
      at: now,
    });
    return { ok: true, voters: voters.length } as const;
  });
}

/**
 * The count, through the rule engine: the snapshot's totals and the current ballots. Each
 * current ballot is one voter of the snapshot (one current ballot per voter: ballot_one_current)
 * weighing that voter's snapshot area (ballot_voter_area_fk), so ballots alone carry the rest.
 */
export async function tallyFromDb(
  db: Queryable,
  proposalId: string,
  matter: "ordinary" | "major",
  rules: CountRules = defaultCountRules,
): Promise<Tally> {
  const [totals, current] = await Promise.all([
    db.execute(
      sql`select count(*)::int as n, coalesce(sum(area_centi_sqm), 0)::bigint as a from vote_voter where proposal_id = ${proposalId}`,
    ),
    db.execute(
      sql`select area_centi_sqm as a, choice as c from ballot where proposal_id = ${proposalId} and not superseded`,
    ),
  ]);
  const [t] = rowsOf<{ n: number; a: string | number }>(totals);
  const rows = rowsOf<{ a: number; c: BallotChoice }>(current);
  const input = countInputs(
    { headcount: Number(t.n), areaCentiSqm: Number(t.a) },
    rows.map((r) => ({ areaCentiSqm: r.a, choice: r.c })),
  );
  return tally(matter, input.voters, input.ballots, rules);
}

/** How a vote counts spoiled ballots, from the rules it opened with (older rules: they take part). */
export function countRulesOf(rules: VoteRules | null): CountRules {
  return { spoiledTakesPart: rules?.spoiledTakesPart ?? defaultCountRules.spoiledTakesPart };
}

/**
 * Turnout while a vote runs: the snapshot's totals and who has a current ballot, by area and
 * headcount. It never reads a ballot's choice, so no choice total can leave through it.
 */
export async function participationFromDb(db: Queryable, proposalId: string): Promise<Participation> {
  const [row] = rowsOf<{ n: number; a: string | number; pn: number; pa: string | number }>(
    await db.execute(sql`
      select count(*)::int as n,
             coalesce(sum(vv.area_centi_sqm), 0)::bigint as a,
             (count(*) filter (where b.id is not null))::int as pn,
             coalesce(sum(vv.area_centi_sqm) filter (where b.id is not null), 0)::bigint as pa
        from vote_voter vv
        left join ballot b on b.proposal_id = vv.proposal_id and b.voter_id = vv.voter_id and not b.superseded
       where vv.proposal_id = ${proposalId}`),
  );
  return participation({
    totalArea: Number(row.a),
    totalHeadcount: Number(row.n),
    participatingArea: Number(row.pa),
    participatingHeadcount: Number(row.pn),
  });
}

/** The same count the long way, voter by voter from the snapshot (for tests and audits). */
export async function tallyVoterByVoter(
  db: Queryable,
  proposalId: string,
  matter: "ordinary" | "major",
  rules: CountRules = defaultCountRules,
): Promise<Tally> {
  const rows = await db
    .select({ voterId: voteVoters.voterId, area: voteVoters.areaCentiSqm, choice: ballots.choice })
    .from(voteVoters)
    .leftJoin(
      ballots,
      and(
        eq(ballots.proposalId, voteVoters.proposalId),
        eq(ballots.voterId, voteVoters.voterId),
        eq(ballots.superseded, false),
      ),
    )
    .where(eq(voteVoters.proposalId, proposalId));
  const voters: Voter[] = rows.map((r) => ({ voterId: r.voterId, areaCentiSqm: r.area, unitIds: [] }));
  const cast: Ballot[] = rows.flatMap((r) => (r.choice ? [{ voterId: r.voterId, choice: r.choice }] : []));
  return tally(matter, voters, cast, rules);
}

/**
 * voting → closed, once the window is over: the result is tallied and the chain's last hash
 * recorded; the preliminary result is posted on the board and the query period (询异) starts.
 */
export async function closeVoting(input: {
  estateId: string;
  proposalId: string;
  userId: string;
  now?: Date;
}): Promise<Ok<{ tally: Tally; finalHash: string }> | Failure<ProposalError>> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const p = await lockProposal(tx, input.estateId, input.proposalId);
    if (!p) return { ok: false, error: "voting.errors.notFound" } as const;
    if (p.status !== "voting") return { ok: false, error: "voting.errors.wrongStatus" } as const;
    const refusal = await closeRefusal(tx, { kind: "proposal", id: p.id }, now);
    if (refusal) return refusal;
    const result = await tallyFromDb(tx, p.id, p.matter, countRulesOf(p.rules));
    const finalHash = p.chainHead ?? genesisHash;
    const queryEndsAt = await queryPeriodEnd(tx, now, await queryPeriodDaysOf(tx, p.estateId));
    await tx
      .update(proposals)
      .set({ status: "closed", closedAt: now, closedBy: input.userId, result, finalHash, queryEndsAt })
      .where(eq(proposals.id, p.id));
    await postPreliminaryNotice(tx, {
      estateId: p.estateId,
      kind: "proposal",
      id: p.id,
      title: p.title,
      result,
      matter: p.matter,
      ballots: result.participatingHeadcount,
      finalHash,
      postedBy: input.userId,
      now,
      queryEndsAt,
    });
    await recordAudit(tx, {
      estateId: p.estateId,
      actorUserId: input.userId,
      act: "vote_close",
      subjectType: "proposal",
      subjectId: p.id,
      detail: { ballots: p.chainSeq, finalHash },
      at: now,
    });
    return { ok: true, tally: result, finalHash } as const;
  });
}

/**
 * closed → published: once the query period has ended, the FINAL result is posted on the board
 * (公示, for a number of days) with its figures and the final hash, and the decision takes
 * effect from now. By a committee member's button, or by the periodic job (`finaliseDueResults`).
 */
export async function publishResult(input: {
  estateId: string;
  proposalId: string;
  userId: string;
  publicityDays: number;
  now?: Date;
}): Promise<Ok | Failure<ProposalError>> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const p = await lockProposal(tx, input.estateId, input.proposalId);
    if (!p) return { ok: false, error: "voting.errors.notFound" } as const;
    if (p.status !== "closed") return { ok: false, error: "voting.errors.wrongStatus" } as const;
    if (!mayPostFinal(p, now))
      return {
        ok: false,
        error: "results.errors.queryPeriodRunning",
        params: { date: lastDayOf(p.queryEndsAt!) },
      } as const;
    const { id: noticeId } = await postFinalNotice(tx, {
      estateId: p.estateId,
      kind: "proposal",
      id: p.id,
      title: p.title,
      result: p.result,
      matter: p.matter,
      ballots: (p.result as { participatingHeadcount?: number } | null)?.participatingHeadcount ?? 0,
      finalHash: p.finalHash ?? genesisHash,
      postedBy: input.userId,
      now,
      corrections: await correctionCount(tx, p.id),
      publicityDays: input.publicityDays,
    });
    // Publicity for k days: to 24:00 of the k-th day after publishing, moved past rest days (app/lib/calendar.ts).
    const publicityEndsAt = deadlineWithin(now, input.publicityDays, await restDayTable(tx));
    await tx
      .update(proposals)
      .set({ status: "published", publishedAt: now, publicityEndsAt, effectiveAt: now })
      .where(eq(proposals.id, p.id));
    // Every owner of the vote's roster with an account hears the result (in-app, mail, SMS by preference).
    const recipients = rowsOf<{ user_id: string; slug: string }>(
      await tx.execute(sql`
        select distinct o.user_id, e.slug from owner o join estate e on e.id = o.estate_id
         where o.estate_id = ${p.estateId} and o.user_id is not null
           and o.id in (select unnest(owner_ids) from vote_voter where proposal_id = ${p.id})`),
    );
    await enqueue(
      tx,
      recipients.map((r) => ({
        template: "vote-result" as const,
        userId: r.user_id,
        estateId: p.estateId,
        idempotencyKey: `vote-result:${p.id}`,
        props: {
          proposalTitle: p.title,
          passed: (p.result as { passed?: boolean } | null)?.passed === true,
          path: `/e/${r.slug}/proposals/${p.id}`,
        },
      })),
    );
    await recordAudit(tx, {
      estateId: p.estateId,
      actorUserId: input.userId,
      act: "proposal_publish",
      subjectType: "proposal",
      subjectId: p.id,
      detail: { publicityDays: input.publicityDays, noticeId, finalHash: p.finalHash },
      at: now,
    });
    return { ok: true } as const;
  });
}

async function correctionCount(tx: Queryable, proposalId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(schema.voteCorrections)
    .where(and(eq(schema.voteCorrections.proposalId, proposalId), sql`confirmed_at is not null`));
  return row.n;
}

/** published → carried_out, with the committee's record of how. */
export async function recordCarriedOut(input: {
  estateId: string;
  proposalId: string;
  userId: string;
  record: string;
  now?: Date;
}): Promise<Ok | Failure<ProposalError>> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const p = await lockProposal(tx, input.estateId, input.proposalId);
    if (!p) return { ok: false, error: "voting.errors.notFound" } as const;
    if (p.status !== "published") return { ok: false, error: "voting.errors.wrongStatus" } as const;
    await tx
      .update(proposals)
      .set({ status: "carried_out", carriedOutAt: now, carriedOutBy: input.userId, carriedOutRecord: input.record })
      .where(eq(proposals.id, p.id));
    await recordAudit(tx, {
      estateId: p.estateId,
      actorUserId: input.userId,
      act: "proposal_carry_out",
      subjectType: "proposal",
      subjectId: p.id,
      at: now,
    });
    return { ok: true } as const;
  });
}

// ---- Queries ------------------------------------------------------------------------------

export async function listProposals(estateId: string, options: { includeDrafts: boolean }) {
  return getDb()
    .select({
      id: proposals.id,
      title: proposals.title,
      type: proposals.type,
      matter: proposals.matter,
      status: proposals.status,
      commentEndsAt: proposals.commentEndsAt,
      votingStartsAt: proposals.votingStartsAt,
      votingEndsAt: proposals.votingEndsAt,
      createdAt: proposals.createdAt,
      passed: sql<boolean | null>`(${proposals.result} ->> 'passed')::boolean`,
    })
    .from(proposals)
    .where(and(eq(proposals.estateId, estateId), options.includeDrafts ? undefined : ne(proposals.status, "draft")))
    .orderBy(desc(proposals.createdAt));
}

/** A proposal as its page shows it; drafts only to those who may see drafts. */
export async function proposalPage(estateId: string, proposalId: string, options: { canSeeDrafts: boolean }) {
  const db = getDb();
  const p = await findProposal(db, estateId, proposalId);
  if (!p || (p.status === "draft" && !options.canSeeDrafts)) return null;
  const [files, comments, [ballotCount]] = await Promise.all([
    db
      .select({
        id: votingFiles.id,
        name: votingFiles.fileName,
        type: votingFiles.contentType,
        size: votingFiles.sizeBytes,
      })
      .from(votingFiles)
      .where(
        and(eq(votingFiles.proposalId, p.id), eq(votingFiles.estateId, estateId), eq(votingFiles.kind, "proposal")),
      )
      .orderBy(asc(votingFiles.createdAt)),
    db
      .select({
        id: proposalComments.id,
        body: proposalComments.body,
        createdAt: proposalComments.createdAt,
        author: users.displayName,
      })
      .from(proposalComments)
      .leftJoin(users, eq(users.id, proposalComments.userId))
      .where(and(eq(proposalComments.proposalId, p.id), eq(proposalComments.estateId, estateId)))
      .orderBy(asc(proposalComments.createdAt)),
    db.select({ n: count() }).from(ballots).where(eq(ballots.proposalId, p.id)),
  ]);
  return {
    proposal: p,
    files,
    comments: comments.map((c) => ({
      id: c.id,
      body: c.body,
      createdAt: c.createdAt.toISOString(),
      author: c.author ? maskName(c.author) : "—",
    })),
    ballotCount: ballotCount.n,
  };
}

/** The ledger of a closed vote: every ballot in cast order, with no voter named. */
export async function ledgerEntries(db: Queryable, proposalId: string): Promise<ChainedEntry[]> {
  const rows = await db
    .select({
      seq: ballots.seq,
      receipt: ballots.receipt,
      choice: ballots.choice,
      channel: ballots.channel,
      areaCentiSqm: ballots.areaCentiSqm,
      headcount: ballots.headcount,
      replaces: ballots.replaces,
      castAt: ballots.castAt,
      prevHash: ballots.prevHash,
      hash: ballots.hash,
    })
    .from(ballots)
    .where(eq(ballots.proposalId, proposalId))
    .orderBy(asc(ballots.seq));
  return rows.map((r) => ({ ...r, castAt: r.castAt.toISOString() }));
}
