import { and, asc, eq, isNull } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import { countElectionFromDb, lockElection } from "./elections.server";
import type { ElectionResult } from "./count";
import { isUuid } from "~/lib/ids";
import type { Ok } from "~/lib/forms/result";
import { lockProposal } from "~/voting/access.server";
import { genesisHash } from "~/voting/ledger";
import { tallyFromDb } from "~/voting/proposals.server";
import { mayQuery } from "~/voting/results";
import type { ResultKind } from "~/voting/result-notices.server";
import type { Tally } from "~/voting/tally";

const { committeeElections, proposals, voteCorrections } = schema;

/*
 * A correction of a closed vote's preliminary result (DESIGN.md "After close"), only through
 * the engine and only while the query period runs: one member states the reason, a second
 * confirms, and the result is recounted from the ballots as they then stand (a logged paper
 * ballot wrongly left out, entered and confirmed after close, say) with the chain's head as
 * the final hash. The counts before and after are kept on the correction and shown.
 */

export type CorrectionError =
  | "results.errors.notFound"
  | "results.errors.queryPeriodOver"
  | "results.errors.sameMember"
  | "results.errors.correctionDone";
type Failure = { ok: false; error: CorrectionError };
const fail = (error: CorrectionError): Failure => ({ ok: false, error });

export interface VoteRef {
  kind: ResultKind;
  id: string;
}

async function lockVote(tx: Queryable, estateId: string, ref: VoteRef) {
  if (ref.kind === "proposal") {
    const p = await lockProposal(tx, estateId, ref.id);
    return p && { status: p.status, queryEndsAt: p.queryEndsAt, proposal: p, election: null };
  }
  const e = await lockElection(tx, estateId, ref.id);
  return e && { status: e.status, queryEndsAt: e.queryEndsAt, proposal: null, election: e };
}

/** A member asks for a correction, with its reason, while the query period runs. */
export async function requestCorrection(input: {
  estateId: string;
  vote: VoteRef;
  userId: string;
  reason: string;
  now?: Date;
}): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const vote = await lockVote(tx, input.estateId, input.vote);
    if (!vote) return fail("results.errors.notFound");
    if (!mayQuery(vote, now)) return fail("results.errors.queryPeriodOver");
    const [row] = await tx
      .insert(voteCorrections)
      .values({
        estateId: input.estateId,
        proposalId: input.vote.kind === "proposal" ? input.vote.id : null,
        electionId: input.vote.kind === "election" ? input.vote.id : null,
        reason: input.reason,
        requestedBy: input.userId,
        requestedAt: now,
      })
      .returning({ id: voteCorrections.id });
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "vote_correction_request",
      subjectType: input.vote.kind,
      subjectId: input.vote.id,
      detail: { correctionId: row.id },
      at: now,
    });
    return { ok: true, id: row.id } as const;
  });
}

/** A second member confirms: the result is recounted and stored, the correction keeps both. */
export async function confirmCorrection(input: {
  estateId: string;
  correctionId: string;
  userId: string;
  now?: Date;
}): Promise<Ok<{ before: unknown; after: unknown }> | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.correctionId)) return fail("results.errors.notFound");
  return getDb().transaction(async (tx) => {
    const [c] = await tx
      .select()
      .from(voteCorrections)
      .where(and(eq(voteCorrections.id, input.correctionId), eq(voteCorrections.estateId, input.estateId)))
      .for("update");
    if (!c) return fail("results.errors.notFound");
    if (c.confirmedAt) return fail("results.errors.correctionDone");
    if (c.requestedBy === input.userId) return fail("results.errors.sameMember");
    const ref: VoteRef = c.proposalId
      ? { kind: "proposal", id: c.proposalId }
      : { kind: "election", id: c.electionId! };
    const vote = await lockVote(tx, input.estateId, ref);
    if (!vote) return fail("results.errors.notFound");
    if (!mayQuery(vote, now)) return fail("results.errors.queryPeriodOver");
    let before: unknown;
    let after: Tally | ElectionResult;
    if (vote.proposal) {
      const p = vote.proposal;
      before = p.result;
      after = await tallyFromDb(tx, p.id, p.matter);
      await tx
        .update(proposals)
        .set({ result: after, finalHash: p.chainHead ?? genesisHash })
        .where(eq(proposals.id, p.id));
    } else {
      const e = vote.election!;
      before = e.result;
      after = await countElectionFromDb(tx, e);
      await tx
        .update(committeeElections)
        .set({ result: after, finalHash: e.chainHead ?? genesisHash })
        .where(eq(committeeElections.id, e.id));
    }
    await tx
      .update(voteCorrections)
      .set({ confirmedBy: input.userId, confirmedAt: now, before, after })
      .where(eq(voteCorrections.id, c.id));
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "vote_correction_confirm",
      subjectType: ref.kind,
      subjectId: ref.id,
      detail: { correctionId: c.id },
      at: now,
    });
    return { ok: true, before, after } as const;
  });
}

export interface CorrectionView {
  id: string;
  reason: string;
  requestedAt: string;
  confirmedAt: string | null;
  mine: boolean;
  before: unknown;
  after: unknown;
}

/** A vote's corrections, oldest first (shown to the estate with the result). */
export async function listCorrections(estateId: string, vote: VoteRef, viewerId: string): Promise<CorrectionView[]> {
  const rows = await getDb()
    .select()
    .from(voteCorrections)
    .where(
      and(
        eq(voteCorrections.estateId, estateId),
        vote.kind === "proposal" ? eq(voteCorrections.proposalId, vote.id) : eq(voteCorrections.electionId, vote.id),
      ),
    )
    .orderBy(asc(voteCorrections.requestedAt));
  return rows.map((r) => ({
    id: r.id,
    reason: r.reason,
    requestedAt: r.requestedAt.toISOString(),
    confirmedAt: r.confirmedAt?.toISOString() ?? null,
    mine: r.requestedBy === viewerId,
    before: r.before,
    after: r.after,
  }));
}

/** Corrections asked for and not yet confirmed. */
export async function pendingCorrections(estateId: string, vote: VoteRef) {
  return getDb()
    .select({ id: voteCorrections.id })
    .from(voteCorrections)
    .where(
      and(
        eq(voteCorrections.estateId, estateId),
        vote.kind === "proposal" ? eq(voteCorrections.proposalId, vote.id) : eq(voteCorrections.electionId, vote.id),
        isNull(voteCorrections.confirmedAt),
      ),
    );
}
