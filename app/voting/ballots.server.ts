import { and, arrayOverlaps, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { chainHash, genesisHash, newReceipt, type LedgerEntry } from "./ledger";
import { findProposal, lockProposal, ownerIdsOfUser, type Failure, type Proposal } from "./access.server";
import type { BallotChoice, Choice } from "./tally";
import { tellReplacedOwner } from "./replaced-notice.server";
import { mayCastAsCoOwner } from "./co-owners.server";
import { replacement, replacementRefusal, type ReplacementError } from "./engine/replacement";
import { mayCast } from "./engine/may-cast";

const { ballots, paperBallots, proxies, voteUnits, voteVoters } = schema;

type BallotRow = typeof ballots.$inferSelect;

export type CastError =
  | "voting.errors.notFound"
  | "voting.errors.notNamedCoOwner"
  | "voting.errors.notOpen"
  | "voting.errors.windowOver"
  | "voting.errors.notYourVoter"
  | `voting.errors.${ReplacementError}`;

export type CastResult =
  | {
      ok: true;
      receipt: string;
      seq: number;
      replaced: string | null;
      channel: "online" | "proxy";
      /** Present when this ballot replaced an owner's own online ballot (a co-owner's): who is to be told. */
      tellUserId?: string;
    }
  | Failure<CastError>;

/** How this account may cast for a voter of the snapshot: as one of its owners, or as an approved proxy. */
async function castingRight(db: Queryable, estateId: string, proposalId: string, voterId: string, userId: string) {
  const [voter] = await db
    .select()
    .from(voteVoters)
    .where(
      and(eq(voteVoters.proposalId, proposalId), eq(voteVoters.estateId, estateId), eq(voteVoters.voterId, voterId)),
    );
  if (!voter) return null;
  const mine = await ownerIdsOfUser(db, estateId, userId);
  if (voter.ownerIds.some((id) => mine.includes(id))) return { voter, channel: "online" as const, proxyId: null };
  if (voter.ownerIds.length === 0) return null;
  const [proxy] = await db
    .select({ id: proxies.id })
    .from(proxies)
    .where(
      and(
        eq(proxies.proposalId, proposalId),
        eq(proxies.estateId, estateId),
        eq(proxies.proxyUserId, userId),
        eq(proxies.status, "approved"),
        inArray(proxies.grantorOwnerId, voter.ownerIds),
      ),
    )
    .limit(1);
  return proxy ? { voter, channel: "proxy" as const, proxyId: proxy.id } : null;
}

/**
 * Appends a ballot to the vote's hash chain (the caller holds the proposal lock): the voter's
 * current ballot, if any, is superseded and named in `replaces`.
 */
export async function appendBallot(
  tx: Queryable,
  proposal: Proposal,
  voter: { voterId: string; areaCentiSqm: number },
  current: BallotRow | null,
  ballot: {
    /** "spoiled" only with channel "paper" (the ballot_spoiled_paper check). */
    choice: BallotChoice;
    channel: "online" | "paper" | "proxy";
    castBy: string;
    proxyId?: string | null;
    paperBallotId?: string | null;
  },
  now: Date,
  options: { alreadySuperseded?: boolean } = {},
) {
  const entry: LedgerEntry = {
    seq: proposal.chainSeq + 1,
    receipt: newReceipt(),
    choice: ballot.choice,
    channel: ballot.channel,
    areaCentiSqm: voter.areaCentiSqm,
    headcount: 1,
    replaces: current?.receipt ?? null,
    castAt: now.toISOString(),
  };
  const prevHash = proposal.chainHead ?? genesisHash;
  const hash = chainHash(prevHash, proposal.id, entry);
  if (current) {
    await tellReplacedOwner(tx, {
      estateId: proposal.estateId,
      current: { channel: current.channel, castBy: current.castBy, receipt: current.receipt },
      incoming: { channel: ballot.channel, castBy: ballot.castBy },
      vote: { title: proposal.title, path: (slug) => `/e/${slug}/proposals/${proposal.id}` },
      now,
    });
    if (!options.alreadySuperseded)
      await tx.update(ballots).set({ superseded: true, supersededAt: now }).where(eq(ballots.id, current.id));
    if (current.paperBallotId) {
      await tx.update(paperBallots).set({ status: "overridden" }).where(eq(paperBallots.id, current.paperBallotId));
    }
  }
  // The ballot and the chain's new head in one statement (one round trip while the lock is held).
  await tx.execute(sql`
    with cast_ballot as (
      insert into ballot (estate_id, proposal_id, voter_id, choice, channel, cast_by, proxy_id, paper_ballot_id, receipt, seq, replaces, area_centi_sqm, headcount, cast_at, prev_hash, hash)
      values (${proposal.estateId}, ${proposal.id}, ${voter.voterId}, ${entry.choice}, ${entry.channel}, ${ballot.castBy}, ${ballot.proxyId ?? null}, ${ballot.paperBallotId ?? null},
              ${entry.receipt}, ${entry.seq}, ${entry.replaces}, ${entry.areaCentiSqm}, ${entry.headcount}, ${entry.castAt}::timestamptz, ${prevHash}, ${hash})
      returning seq
    )
    update proposal set chain_seq = (select seq from cast_ballot), chain_head = ${hash} where id = ${proposal.id}`);
  // The caller's copy of the locked row stays in step with the chain.
  proposal.chainSeq = entry.seq;
  proposal.chainHead = hash;
  return { receipt: entry.receipt, seq: entry.seq, replaces: entry.replaces };
}

export async function currentBallot(tx: Queryable, proposalId: string, voterId: string): Promise<BallotRow | null> {
  const [row] = await tx
    .select()
    .from(ballots)
    .where(and(eq(ballots.proposalId, proposalId), eq(ballots.voterId, voterId), eq(ballots.superseded, false)));
  return row ?? null;
}

/**
 * An online ballot (or a proxy's) for one voter of the snapshot. One current ballot per voter:
 * a later ballot replaces the earlier one unless the vote's rules make ballots final; against
 * a counted paper ballot the rules' precedence decides (default: online wins).
 */
export async function castBallot(input: {
  estateId: string;
  proposalId: string;
  voterId: string;
  choice: Choice;
  userId: string;
  now?: Date;
}): Promise<CastResult> {
  const db = getDb();
  const right = await castingRight(db, input.estateId, input.proposalId, input.voterId, input.userId);
  if (!right) {
    const exists = await findProposal(db, input.estateId, input.proposalId);
    return { ok: false, error: exists ? "voting.errors.notYourVoter" : "voting.errors.notFound" };
  }
  try {
    return await db.transaction(async (tx) => {
      const now = input.now ?? new Date();
      const proposal = await lockProposal(tx, input.estateId, input.proposalId);
      if (!proposal) return { ok: false, error: "voting.errors.notFound" } as const;
      if (proposal.status !== "voting") return { ok: false, error: "voting.errors.notOpen" } as const;
      if (now >= proposal.votingEndsAt) return { ok: false, error: "voting.errors.windowOver" } as const;
      if (
        right.channel === "online" &&
        proposal.rules?.coOwnersNameOne &&
        !(await mayCastAsCoOwner(tx, right.voter, input.userId))
      )
        return { ok: false, error: "voting.errors.notNamedCoOwner" } as const;
      // Only once the lock is held is the voter's current ballot read (a statement that waited
      // for the lock would see ballots as they were when it started). It is superseded at once,
      // to save a round trip while the lock is held; a refusal below rolls that back.
      const [current] = await tx
        .update(ballots)
        .set({ superseded: true, supersededAt: now })
        .where(
          and(
            eq(ballots.proposalId, proposal.id),
            eq(ballots.voterId, right.voter.voterId),
            eq(ballots.superseded, false),
          ),
        )
        .returning();
      const verdict = replacement(proposal.rules!, current ?? null, { channel: right.channel, castBy: input.userId });
      if (!verdict.ok) throw new Refusal(replacementRefusal(verdict.error).error);
      const appended = await appendBallot(
        tx,
        proposal,
        right.voter,
        current ?? null,
        { choice: input.choice, channel: right.channel, castBy: input.userId, proxyId: right.proxyId },
        now,
        { alreadySuperseded: true },
      );
      return {
        ok: true,
        receipt: appended.receipt,
        seq: appended.seq,
        replaced: appended.replaces,
        channel: right.channel,
        ...(verdict.tellUserId ? { tellUserId: verdict.tellUserId } : {}),
      } as const;
    });
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.key };
    throw error;
  }
}

/** Thrown inside a cast's transaction to roll it back and refuse. */
class Refusal extends Error {
  constructor(readonly key: CastError) {
    super(key);
  }
}

export interface MyVoter {
  voterId: string;
  areaCentiSqm: number;
  units: { building: string; number: string }[];
  via: "owner" | "proxy";
  current: {
    choice: BallotChoice;
    receipt: string;
    channel: "online" | "paper" | "proxy";
    castAt: string;
    mine: boolean;
    hash: string;
  } | null;
  /** Receipts of this voter's ballots that a later one replaced (newest first). */
  replaced: { receipt: string; castAt: string }[];
  paper: { status: "pending" | "counted" | "overridden" | "rejected" } | null;
  /** Whether castBallot would take this account's ballot for the voter now (the page shows the form exactly then). */
  mayCast: boolean;
}

/** The voters of a vote that this account casts for, with their ballots (each owner sees their voter's). */
export async function myVoters(
  estateId: string,
  proposalId: string,
  userId: string,
  now: Date = new Date(),
): Promise<MyVoter[]> {
  const db = getDb();
  const proposal = await findProposal(db, estateId, proposalId);
  if (!proposal) return [];
  const mine = await ownerIdsOfUser(db, estateId, userId);
  const proxied = await db
    .select({ grantor: proxies.grantorOwnerId })
    .from(proxies)
    .where(
      and(
        eq(proxies.proposalId, proposalId),
        eq(proxies.estateId, estateId),
        eq(proxies.proxyUserId, userId),
        eq(proxies.status, "approved"),
      ),
    );
  const all = [...mine, ...proxied.map((p) => p.grantor)];
  if (all.length === 0) return [];
  const voters = await db
    .select()
    .from(voteVoters)
    .where(
      and(
        eq(voteVoters.proposalId, proposalId),
        eq(voteVoters.estateId, estateId),
        arrayOverlaps(voteVoters.ownerIds, all),
      ),
    )
    .orderBy(asc(voteVoters.voterId));
  if (voters.length === 0) return [];
  const ids = voters.map((v) => v.voterId);
  const [unitRows, ballotRows, paperRows] = await Promise.all([
    db
      .select({ voterId: voteUnits.voterId, building: voteUnits.buildingName, number: voteUnits.unitNumber })
      .from(voteUnits)
      .where(and(eq(voteUnits.proposalId, proposalId), inArray(voteUnits.voterId, ids)))
      .orderBy(asc(voteUnits.buildingName), asc(voteUnits.unitNumber)),
    db
      .select()
      .from(ballots)
      .where(and(eq(ballots.proposalId, proposalId), inArray(ballots.voterId, ids)))
      .orderBy(sql`${ballots.seq} desc`),
    db
      .select({ voterId: paperBallots.voterId, status: paperBallots.status })
      .from(paperBallots)
      .where(
        and(
          eq(paperBallots.proposalId, proposalId),
          inArray(paperBallots.voterId, ids),
          sql`${paperBallots.status} <> 'rejected'`,
        ),
      ),
  ]);
  return voters.map((v) => {
    const own = v.ownerIds.some((id) => mine.includes(id));
    const theirs = ballotRows.filter((b) => b.voterId === v.voterId);
    const current = theirs.find((b) => !b.superseded);
    const paper = paperRows.find((p) => p.voterId === v.voterId);
    return {
      voterId: v.voterId,
      areaCentiSqm: v.areaCentiSqm,
      units: unitRows.filter((u) => u.voterId === v.voterId).map((u) => ({ building: u.building, number: u.number })),
      via: own ? "owner" : "proxy",
      current: current
        ? {
            choice: current.choice,
            receipt: current.receipt,
            channel: current.channel,
            castAt: current.castAt.toISOString(),
            mine: current.castBy === userId,
            hash: current.hash,
          }
        : null,
      replaced: theirs.filter((b) => b.superseded).map((b) => ({ receipt: b.receipt, castAt: b.castAt.toISOString() })),
      paper: paper ? { status: paper.status } : null,
      mayCast:
        proposal.rules !== null &&
        mayCast(proposal, proposal.rules, current ?? null, { channel: own ? "online" : "proxy", castBy: userId }, now),
    };
  });
}
