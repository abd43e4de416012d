import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, schema, type Queryable } from "#db/client";
import { isUniqueViolation } from "#db/errors";
import { recordAudit } from "~/audit/audit.server";
import { isUuid } from "~/lib/ids";
import type { Ok, Refusal } from "~/lib/forms/result";
import { normaliseLabel } from "~/lib/text";
import { rowsOf } from "~/notify/outbox.server";
import { maskName } from "~/ui/mask";
import type { VoteRef } from "./engine/kinds";

/**
 * The ballot-box log (DESIGN.md "The window binds every channel"): while a vote's window is
 * open, one committee member logs each paper ballot received, by unit, and a second member
 * witnesses the entry. After the end a paper ballot may be entered and confirmed only if its
 * voter's entry was logged and witnessed in time, and the vote cannot close while such an
 * entry has no confirmed (or rejected) paper ballot. Proposals and elections alike.
 */

const {
  ballotBoxEntries,
  buildings,
  committeeElections,
  electionCandidates,
  electionPaperBallots,
  electionVoters,
  owners,
  paperBallots,
  proposals,
  proxies,
  units,
  users,
  voteUnits,
  voteVoters,
} = schema;

type VoteOf = { proposalId: string } | { electionId: string };
const voteOf = (ref: VoteRef): VoteOf => (ref.kind === "proposal" ? { proposalId: ref.id } : { electionId: ref.id });

export type BoxError =
  | "voting.errors.notFound"
  | "voting.errors.notOpen"
  | "voting.errors.unitNotFound"
  | "voting.errors.boxWindowOver"
  | "voting.errors.boxAlreadyLogged"
  | "voting.errors.boxSameMember"
  | "voting.errors.boxWitnessed"
  | "voting.errors.boxWithdrawn"
  | "voting.errors.boxCandidate"
  | "voting.errors.paperOwnVoter"
  | "voting.errors.paperProxyHolder";

type Failure = Refusal<BoxError>;

// ---------------------------------------------------------------------------------------------
// Four eyes on those handling paper ballots (the box log and the ballots themselves).

/** The roster owners and the live proxies (pending or approved) that one account speaks for in one vote. */
async function speaksFor(db: Queryable, estateId: string, vote: VoteOf, userId: string) {
  const [own, held] = await Promise.all([
    db
      .select({ id: owners.id })
      .from(owners)
      .where(and(eq(owners.estateId, estateId), eq(owners.userId, userId))),
    db
      .select({ grantor: proxies.grantorOwnerId })
      .from(proxies)
      .where(
        and(
          eq(proxies.estateId, estateId),
          "proposalId" in vote ? eq(proxies.proposalId, vote.proposalId) : eq(proxies.electionId, vote.electionId),
          eq(proxies.proxyUserId, userId),
          sql`${proxies.status} <> 'rejected'`,
        ),
      ),
  ]);
  return { owners: new Set(own.map((o) => o.id)), proxied: new Set(held.map((h) => h.grantor)) };
}

/** Whether someone who speaks for these owners is barred from a paper ballot of the voter made of `voterOwnerIds`. */
function conflictWith(
  mine: { owners: Set<string>; proxied: Set<string> },
  voterOwnerIds: readonly string[],
): "ownVoter" | "proxyHolder" | null {
  if (voterOwnerIds.some((id) => mine.owners.has(id))) return "ownVoter";
  if (voterOwnerIds.some((id) => mine.proxied.has(id))) return "proxyHolder";
  return null;
}

/**
 * Four eyes on paper ballots (proposals and elections): the confirmer (or the box log's
 * witness) is not an owner of the voter the ballot is for, nor named as proxy by one of them
 * (pending or approved). The second check after "not the one who entered it"; a trigger in the
 * database holds the same line for confirmations.
 */
export async function paperConfirmerConflict(
  db: Queryable,
  estateId: string,
  vote: VoteOf,
  voterId: string,
  userId: string,
): Promise<"ownVoter" | "proxyHolder" | null> {
  const [voter] =
    "proposalId" in vote
      ? await db
          .select({ ownerIds: voteVoters.ownerIds })
          .from(voteVoters)
          .where(and(eq(voteVoters.proposalId, vote.proposalId), eq(voteVoters.voterId, voterId)))
      : await db
          .select({ ownerIds: electionVoters.ownerIds })
          .from(electionVoters)
          .where(and(eq(electionVoters.electionId, vote.electionId), eq(electionVoters.voterId, voterId)));
  if (!voter) return null;
  return conflictWith(await speaksFor(db, estateId, vote, userId), voter.ownerIds);
}

/** For a list of paper ballots (or box entries): why the viewer may not confirm (witness) each, or null. */
export async function paperConflictsFor<R extends { voterOwnerIds: string[] }>(
  db: Queryable,
  estateId: string,
  vote: VoteOf,
  viewerId: string,
  rows: R[],
) {
  const mine = await speaksFor(db, estateId, vote, viewerId);
  return rows.map((r) => conflictWith(mine, r.voterOwnerIds));
}

/** Candidates in an election may not handle other people's ballots in it. */
export async function standsIn(tx: Queryable, electionId: string, userId: string) {
  const [row] = await tx
    .select({ id: electionCandidates.id })
    .from(electionCandidates)
    .where(
      and(
        eq(electionCandidates.electionId, electionId),
        eq(electionCandidates.userId, userId),
        eq(electionCandidates.status, "standing"),
      ),
    );
  return Boolean(row);
}

// ---------------------------------------------------------------------------------------------
// The log's rules, used by paper entry and confirmation and by closing.

const refOf = (ref: VoteRef) =>
  ref.kind === "proposal" ? eq(ballotBoxEntries.proposalId, ref.id) : eq(ballotBoxEntries.electionId, ref.id);

/** A voter's live (not withdrawn) entry in the log of one vote. */
export async function liveEntry(tx: Queryable, ref: VoteRef, voterId: string) {
  const [row] = await tx
    .select()
    .from(ballotBoxEntries)
    .where(and(refOf(ref), eq(ballotBoxEntries.voterId, voterId), isNull(ballotBoxEntries.withdrawnAt)));
  return row ?? null;
}

/** Logged and witnessed while the window was open: what lets a paper ballot be entered or confirmed after the end. */
export function loggedInTime(
  entry: { receivedAt: Date; witnessedAt: Date | null; withdrawnAt: Date | null } | null,
  votingEndsAt: Date,
): boolean {
  return Boolean(
    entry &&
    !entry.withdrawnAt &&
    entry.witnessedAt &&
    entry.receivedAt < votingEndsAt &&
    entry.witnessedAt < votingEndsAt,
  );
}

/** The voters whose entries were logged and witnessed in time: their paper ballots may still be entered and confirmed after the end. */
export async function loggedVoters(db: Queryable, ref: VoteRef): Promise<Set<string>> {
  if (!isUuid(ref.id)) return new Set();
  const table = ref.kind === "proposal" ? proposals : committeeElections;
  const rows = await db
    .select({ voterId: ballotBoxEntries.voterId })
    .from(ballotBoxEntries)
    .innerJoin(table, eq(table.id, ref.kind === "proposal" ? ballotBoxEntries.proposalId : ballotBoxEntries.electionId))
    .where(
      and(
        refOf(ref),
        isNull(ballotBoxEntries.withdrawnAt),
        sql`${ballotBoxEntries.receivedAt} < ${table.votingEndsAt}`,
        sql`${ballotBoxEntries.witnessedAt} < ${table.votingEndsAt}`,
      ),
    );
  return new Set(rows.map((r) => r.voterId));
}

/**
 * During the window a paper ballot entered without a log entry logs itself: received now, by
 * the member entering it (a second member witnesses it, or confirms the ballot). Call under the
 * vote's lock.
 */
export async function ensureEntry(
  tx: Queryable,
  ref: VoteRef,
  input: { estateId: string; unitId: string; voterId: string; userId: string; now: Date },
) {
  const existing = await liveEntry(tx, ref, input.voterId);
  if (existing) return existing;
  const [row] = await tx
    .insert(ballotBoxEntries)
    .values({
      estateId: input.estateId,
      ...(ref.kind === "proposal" ? { proposalId: ref.id } : { electionId: ref.id }),
      unitId: input.unitId,
      voterId: input.voterId,
      receivedAt: input.now,
      loggedBy: input.userId,
    })
    .returning();
  await recordAudit(tx, {
    estateId: input.estateId,
    actorUserId: input.userId,
    act: "ballot_box_log",
    subjectType: "ballot_box_entry",
    subjectId: row.id,
    detail: { ...voteOf(ref), unitId: input.unitId, withPaper: true },
    at: input.now,
  });
  return row;
}

/**
 * A second member deciding a paper ballot inside the window has the paper in hand: that
 * witnesses its voter's unwitnessed entry too (unless they logged it themselves).
 */
export async function witnessOnDecision(
  tx: Queryable,
  ref: VoteRef,
  input: { estateId: string; voterId: string; userId: string; now: Date; votingEndsAt: Date },
) {
  if (input.now >= input.votingEndsAt) return;
  const entry = await liveEntry(tx, ref, input.voterId);
  if (!entry || entry.witnessedAt || entry.loggedBy === input.userId) return;
  await tx
    .update(ballotBoxEntries)
    .set({ witnessedBy: input.userId, witnessedAt: input.now })
    .where(eq(ballotBoxEntries.id, entry.id));
  await recordAudit(tx, {
    estateId: input.estateId,
    actorUserId: input.userId,
    act: "ballot_box_witness",
    subjectType: "ballot_box_entry",
    subjectId: entry.id,
    detail: { ...voteOf(ref), unitId: entry.unitId, withPaper: true },
    at: input.now,
  });
}

/**
 * Entries logged and witnessed in time whose ballot is not yet settled: no paper ballot of
 * that voter has been confirmed (counted or overridden) or rejected. Closing refuses while
 * there is one.
 */
export async function unsettledEntries(tx: Queryable, ref: VoteRef): Promise<number> {
  const paper =
    ref.kind === "proposal"
      ? sql`select 1 from ${paperBallots} p where p.proposal_id = e.proposal_id and p.voter_id = e.voter_id and p.status <> 'pending'`
      : sql`select 1 from ${electionPaperBallots} p where p.election_id = e.election_id and p.voter_id = e.voter_id and p.status <> 'pending'`;
  const ends =
    ref.kind === "proposal"
      ? sql`(select voting_ends_at from ${proposals} where id = ${ref.id})`
      : sql`(select voting_ends_at from ${committeeElections} where id = ${ref.id})`;
  const rows = await tx.execute(sql`
    select count(*)::int as n
      from ballot_box_entry e
     where ${ref.kind === "proposal" ? sql`e.proposal_id` : sql`e.election_id`} = ${ref.id}
       and e.withdrawn_at is null
       and e.witnessed_at is not null
       and e.received_at < ${ends} and e.witnessed_at < ${ends}
       and not exists (${paper})`);
  return Number(rowsOf<{ n: number }>(rows)[0]?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------
// The vote, its units and its window.

interface BoxVote {
  estateId: string;
  status: string;
  votingEndsAt: Date;
}

async function lockVote(tx: Queryable, estateId: string, ref: VoteRef): Promise<BoxVote | null> {
  if (!isUuid(ref.id)) return null;
  const table = ref.kind === "proposal" ? proposals : committeeElections;
  const [row] = await tx
    .select({ estateId: table.estateId, status: table.status, votingEndsAt: table.votingEndsAt })
    .from(table)
    .where(and(eq(table.id, ref.id), eq(table.estateId, estateId)))
    .for("update");
  return row ?? null;
}

/** A unit of the vote's snapshot, by building name and unit number as written on the paper, with its voter. */
export async function snapshotUnitVoter(
  db: Queryable,
  estateId: string,
  ref: VoteRef,
  building: string,
  number: string,
): Promise<{ unitId: string; voterId: string } | null> {
  if (!isUuid(ref.id)) return null;
  const b = normaliseLabel(building);
  const n = normaliseLabel(number);
  if (ref.kind === "proposal") {
    const [row] = await db
      .select({ unitId: voteUnits.unitId, voterId: voteUnits.voterId })
      .from(voteUnits)
      .where(
        and(
          eq(voteUnits.proposalId, ref.id),
          eq(voteUnits.estateId, estateId),
          eq(voteUnits.buildingName, b),
          eq(voteUnits.unitNumber, n),
        ),
      );
    return row ?? null;
  }
  const [unit] = await db
    .select({ id: units.id })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(and(eq(units.estateId, estateId), eq(buildings.name, b), eq(units.number, n)));
  if (!unit) return null;
  const [voter] = await db
    .select({ voterId: electionVoters.voterId })
    .from(electionVoters)
    .where(and(eq(electionVoters.electionId, ref.id), sql`${unit.id}::uuid = any(${electionVoters.unitIds})`));
  return voter ? { unitId: unit.id, voterId: voter.voterId } : null;
}

/** What every command on the log checks first: the vote is running, its window open, the caller not a candidate. */
async function openFor(tx: Queryable, estateId: string, ref: VoteRef, userId: string, now: Date) {
  const vote = await lockVote(tx, estateId, ref);
  if (!vote) return { ok: false, error: "voting.errors.notFound" } as const;
  if (vote.status !== "voting") return { ok: false, error: "voting.errors.notOpen" } as const;
  if (now >= vote.votingEndsAt) return { ok: false, error: "voting.errors.boxWindowOver" } as const;
  if (ref.kind === "election" && (await standsIn(tx, ref.id, userId)))
    return { ok: false, error: "voting.errors.boxCandidate", reason: "forbidden" } as const;
  return { ok: true, vote } as const;
}

// ---------------------------------------------------------------------------------------------
// Commands.

/** A committee member logs a paper ballot received for a unit, while the window is open. */
export async function logBallot(input: {
  estateId: string;
  ref: VoteRef;
  userId: string;
  building: string;
  number: string;
  now?: Date;
}): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  try {
    return await getDb().transaction(async (tx) => {
      const open = await openFor(tx, input.estateId, input.ref, input.userId, now);
      if (!open.ok) return open;
      const unit = await snapshotUnitVoter(tx, input.estateId, input.ref, input.building, input.number);
      if (!unit) return { ok: false, error: "voting.errors.unitNotFound", reason: "invalid" } as const;
      if (await liveEntry(tx, input.ref, unit.voterId))
        return { ok: false, error: "voting.errors.boxAlreadyLogged" } as const;
      const [row] = await tx
        .insert(ballotBoxEntries)
        .values({
          estateId: input.estateId,
          ...(input.ref.kind === "proposal" ? { proposalId: input.ref.id } : { electionId: input.ref.id }),
          unitId: unit.unitId,
          voterId: unit.voterId,
          receivedAt: now,
          loggedBy: input.userId,
        })
        .returning({ id: ballotBoxEntries.id });
      await recordAudit(tx, {
        estateId: input.estateId,
        actorUserId: input.userId,
        act: "ballot_box_log",
        subjectType: "ballot_box_entry",
        subjectId: row.id,
        detail: { ...voteOf(input.ref), unitId: unit.unitId },
        at: now,
      });
      return { ok: true, id: row.id } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, error: "voting.errors.boxAlreadyLogged" };
    throw error;
  }
}

async function lockedEntry(tx: Queryable, ref: VoteRef, entryId: string) {
  if (!isUuid(entryId)) return null;
  const [row] = await tx
    .select()
    .from(ballotBoxEntries)
    .where(and(eq(ballotBoxEntries.id, entryId), refOf(ref)))
    .for("update");
  return row ?? null;
}

/** A second member witnesses an entry (not their own, not their household's or one they are proxy for), inside the window. */
export async function witnessEntry(input: {
  estateId: string;
  ref: VoteRef;
  entryId: string;
  userId: string;
  now?: Date;
}): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const open = await openFor(tx, input.estateId, input.ref, input.userId, now);
    if (!open.ok) return open;
    const entry = await lockedEntry(tx, input.ref, input.entryId);
    if (!entry) return { ok: false, error: "voting.errors.notFound", reason: "not_found" } as const;
    if (entry.withdrawnAt) return { ok: false, error: "voting.errors.boxWithdrawn" } as const;
    if (entry.witnessedAt) return { ok: false, error: "voting.errors.boxWitnessed" } as const;
    if (entry.loggedBy === input.userId)
      return { ok: false, error: "voting.errors.boxSameMember", reason: "forbidden" } as const;
    const conflict = await paperConfirmerConflict(tx, input.estateId, voteOf(input.ref), entry.voterId, input.userId);
    if (conflict === "ownVoter")
      return { ok: false, error: "voting.errors.paperOwnVoter", reason: "forbidden" } as const;
    if (conflict === "proxyHolder")
      return { ok: false, error: "voting.errors.paperProxyHolder", reason: "forbidden" } as const;
    await tx
      .update(ballotBoxEntries)
      .set({ witnessedBy: input.userId, witnessedAt: now })
      .where(eq(ballotBoxEntries.id, entry.id));
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "ballot_box_witness",
      subjectType: "ballot_box_entry",
      subjectId: entry.id,
      detail: { ...voteOf(input.ref), unitId: entry.unitId },
      at: now,
    });
    return { ok: true } as const;
  });
}

/** An entry not yet witnessed, made by mistake, is withdrawn (kept, marked), inside the window. */
export async function withdrawEntry(input: {
  estateId: string;
  ref: VoteRef;
  entryId: string;
  userId: string;
  now?: Date;
}): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const open = await openFor(tx, input.estateId, input.ref, input.userId, now);
    if (!open.ok) return open;
    const entry = await lockedEntry(tx, input.ref, input.entryId);
    if (!entry) return { ok: false, error: "voting.errors.notFound", reason: "not_found" } as const;
    if (entry.withdrawnAt) return { ok: false, error: "voting.errors.boxWithdrawn" } as const;
    if (entry.witnessedAt) return { ok: false, error: "voting.errors.boxWitnessed" } as const;
    await tx
      .update(ballotBoxEntries)
      .set({ withdrawnBy: input.userId, withdrawnAt: now })
      .where(eq(ballotBoxEntries.id, entry.id));
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "ballot_box_withdraw",
      subjectType: "ballot_box_entry",
      subjectId: entry.id,
      detail: { ...voteOf(input.ref), unitId: entry.unitId },
      at: now,
    });
    return { ok: true } as const;
  });
}

// ---------------------------------------------------------------------------------------------
// The log as those handling it see it. No choice is read: the log says a ballot arrived, not what it says.

export type PaperState = "none" | "pending" | "settled";

export async function ballotBox(estateId: string, ref: VoteRef, viewerId: string) {
  if (!isUuid(ref.id)) return [];
  const db = getDb();
  const logger = alias(users, "logger");
  const witness = alias(users, "witness");
  const paperState =
    ref.kind === "proposal"
      ? sql<PaperState>`coalesce((select case when bool_or(p.status <> 'pending') then 'settled' else 'pending' end from ${paperBallots} p where p.proposal_id = ${ballotBoxEntries.proposalId} and p.voter_id = ${ballotBoxEntries.voterId}), 'none')`
      : sql<PaperState>`coalesce((select case when bool_or(p.status <> 'pending') then 'settled' else 'pending' end from ${electionPaperBallots} p where p.election_id = ${ballotBoxEntries.electionId} and p.voter_id = ${ballotBoxEntries.voterId}), 'none')`;
  const voterOwnerIds =
    ref.kind === "proposal"
      ? sql<
          string[]
        >`(select v.owner_ids from ${voteVoters} v where v.proposal_id = ${ballotBoxEntries.proposalId} and v.voter_id = ${ballotBoxEntries.voterId})`
      : sql<
          string[]
        >`(select v.owner_ids from ${electionVoters} v where v.election_id = ${ballotBoxEntries.electionId} and v.voter_id = ${ballotBoxEntries.voterId})`;
  const rows = await db
    .select({
      id: ballotBoxEntries.id,
      building: buildings.name,
      number: units.number,
      receivedAt: ballotBoxEntries.receivedAt,
      loggedBy: ballotBoxEntries.loggedBy,
      loggedByName: logger.displayName,
      witnessedByName: witness.displayName,
      witnessedAt: ballotBoxEntries.witnessedAt,
      withdrawnAt: ballotBoxEntries.withdrawnAt,
      paper: paperState,
      voterOwnerIds,
    })
    .from(ballotBoxEntries)
    .innerJoin(units, eq(units.id, ballotBoxEntries.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .innerJoin(logger, eq(logger.id, ballotBoxEntries.loggedBy))
    .leftJoin(witness, eq(witness.id, ballotBoxEntries.witnessedBy))
    .where(and(refOf(ref), eq(ballotBoxEntries.estateId, estateId)))
    .orderBy(asc(ballotBoxEntries.receivedAt));
  const conflicts = await paperConflictsFor(
    db,
    estateId,
    voteOf(ref),
    viewerId,
    rows.map((r) => ({ voterOwnerIds: r.voterOwnerIds ?? [] })),
  );
  return rows.map((r, i) => ({
    id: r.id,
    unit: `${r.building} ${r.number}`,
    receivedAt: r.receivedAt.toISOString(),
    loggedBy: r.loggedBy,
    loggedByName: maskName(r.loggedByName),
    witnessedByName: r.witnessedByName ? maskName(r.witnessedByName) : null,
    witnessedAt: r.witnessedAt?.toISOString() ?? null,
    withdrawn: r.withdrawnAt !== null,
    paper: r.paper,
    /** Why the viewer may not witness it (four eyes), or null. */
    witnessConflict: conflicts[i],
  }));
}
