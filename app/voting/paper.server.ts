import { isUuid } from "~/lib/ids";
import { normaliseLabel } from "~/lib/text";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, schema, type Queryable } from "#db/client";
import { isUniqueViolation } from "#db/errors";
import { withUploads } from "~/lib/uploads/store.server";
import { maskName } from "~/ui/mask";
import { findProposal, lockProposal, type Failure } from "./access.server";
import { appendBallot, currentBallot } from "./ballots.server";
import type { BallotChoice } from "./tally";
import { replacement } from "./engine/replacement";
import { recordAudit } from "~/audit/audit.server";
import { saveFile } from "./vote-files.server";
import {
  ensureEntry,
  liveEntry,
  loggedInTime,
  loggedVoters,
  paperConfirmerConflict,
  paperConflictsFor,
  witnessOnDecision,
} from "./ballot-box.server";

const { ballots, paperBallots, users, voteUnits, voteVoters } = schema;

// Four eyes on paper ballots lives with the ballot-box log (both are handled by two members).
export { paperConfirmerConflict, paperConflictsFor } from "./ballot-box.server";

export type PaperError =
  | "voting.errors.notFound"
  | "voting.errors.notOpen"
  | "voting.errors.unitNotInElectorate"
  | "voting.errors.alreadyPaper"
  | "voting.errors.sameMember"
  | "voting.errors.paperOwnVoter"
  | "voting.errors.paperProxyHolder"
  | "voting.errors.notPending"
  | "voting.errors.paperWindowOver"
  | "voting.errors.paperNotLogged";

/**
 * A committee member enters a paper ballot (unit, choice, scan); it counts only once a second
 * member confirms it. While the window is open the ballot is logged in the ballot box as
 * received now (if its voter has no entry yet); after `votingEndsAt` only a ballot logged and
 * witnessed in time may be entered (the ballot-box log, app/voting/ballot-box.server.ts).
 */
export async function enterPaperBallot(input: {
  estateId: string;
  proposalId: string;
  userId: string;
  unitId: string;
  /** "spoiled" (废票) exists only on paper. */
  choice: BallotChoice;
  scan: { name: string; type: string; bytes: Uint8Array };
  now?: Date;
}): Promise<{ ok: true; id: string } | Failure<PaperError>> {
  const now = input.now ?? new Date();
  const db = getDb();
  const p = await findProposal(db, input.estateId, input.proposalId);
  if (!p) return { ok: false, error: "voting.errors.notFound" };
  if (p.status !== "voting") return { ok: false, error: "voting.errors.notOpen" };
  if (!isUuid(input.unitId)) return { ok: false, error: "voting.errors.unitNotInElectorate" };
  const [unit] = await db
    .select({ voterId: voteUnits.voterId })
    .from(voteUnits)
    .where(
      and(eq(voteUnits.proposalId, p.id), eq(voteUnits.estateId, input.estateId), eq(voteUnits.unitId, input.unitId)),
    );
  if (!unit) return { ok: false, error: "voting.errors.unitNotInElectorate" };
  const [live] = await db
    .select({ id: paperBallots.id })
    .from(paperBallots)
    .where(
      and(
        eq(paperBallots.proposalId, p.id),
        eq(paperBallots.voterId, unit.voterId),
        sql`${paperBallots.status} <> 'rejected'`,
      ),
    );
  if (live) return { ok: false, error: "voting.errors.alreadyPaper" };
  try {
    return await withUploads(() =>
      db.transaction(async (tx) => {
        // The window binds paper too: checked again under the vote's lock, so an entry racing the
        // end (or closing) cannot slip in.
        const locked = await lockProposal(tx, p.estateId, p.id);
        if (!locked || locked.status !== "voting") return { ok: false, error: "voting.errors.notOpen" } as const;
        const ref = { kind: "proposal", id: p.id } as const;
        if (now < locked.votingEndsAt)
          await ensureEntry(tx, ref, {
            estateId: p.estateId,
            unitId: input.unitId,
            voterId: unit.voterId,
            userId: input.userId,
            now,
          });
        else if (!loggedInTime(await liveEntry(tx, ref, unit.voterId), locked.votingEndsAt))
          return { ok: false, error: "voting.errors.paperNotLogged" } as const;
        const file = await saveFile(tx, {
          estateId: p.estateId,
          proposalId: p.id,
          kind: "paper",
          ...input.scan,
          uploadedBy: input.userId,
        });
        const [row] = await tx
          .insert(paperBallots)
          .values({
            estateId: p.estateId,
            proposalId: p.id,
            unitId: input.unitId,
            voterId: unit.voterId,
            choice: input.choice,
            fileId: file.id,
            enteredBy: input.userId,
            enteredAt: now,
          })
          .returning({ id: paperBallots.id });
        await recordAudit(tx, {
          estateId: p.estateId,
          actorUserId: input.userId,
          act: "paper_ballot_enter",
          subjectType: "paper_ballot",
          subjectId: row.id,
          detail: { proposalId: p.id, unitId: input.unitId, fileSha256: file.sha256 },
          at: now,
        });
        return { ok: true, id: row.id } as const;
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error, "paper_ballot_one_live")) return { ok: false, error: "voting.errors.alreadyPaper" };
    throw error;
  }
}

export type PaperOutcome = "counted" | "overridden" | "rejected";

/**
 * A second, different committee member confirms (or rejects) a paper ballot; after the
 * window's end it is confirmed only if logged and witnessed in time (otherwise only rejected). Confirmed, it
 * joins the hash chain unless the voter also voted online and the vote's rules say online
 * wins: then it is kept as "overridden" and the conflict is shown.
 */
export async function confirmPaperBallot(input: {
  estateId: string;
  proposalId: string;
  paperBallotId: string;
  userId: string;
  accept: boolean;
  now?: Date;
}): Promise<{ ok: true; outcome: PaperOutcome; receipt: string | null; tellUserId?: string } | Failure<PaperError>> {
  const now = input.now ?? new Date();
  if (!isUuid(input.paperBallotId)) return { ok: false, error: "voting.errors.notFound" };
  return getDb().transaction(async (tx) => {
    const p = await lockProposal(tx, input.estateId, input.proposalId);
    if (!p) return { ok: false, error: "voting.errors.notFound" } as const;
    const [paper] = await tx
      .select()
      .from(paperBallots)
      .where(
        and(
          eq(paperBallots.id, input.paperBallotId),
          eq(paperBallots.proposalId, p.id),
          eq(paperBallots.estateId, input.estateId),
        ),
      )
      .for("update");
    if (!paper) return { ok: false, error: "voting.errors.notFound" } as const;
    if (p.status !== "voting") return { ok: false, error: "voting.errors.notOpen" } as const;
    if (paper.status !== "pending") return { ok: false, error: "voting.errors.notPending" } as const;
    if (paper.enteredBy === input.userId) return { ok: false, error: "voting.errors.sameMember" } as const;
    const conflict = await paperConfirmerConflict(
      tx,
      input.estateId,
      { proposalId: p.id },
      paper.voterId,
      input.userId,
    );
    if (conflict === "ownVoter") return { ok: false, error: "voting.errors.paperOwnVoter" } as const;
    if (conflict === "proxyHolder") return { ok: false, error: "voting.errors.paperProxyHolder" } as const;
    // After the window's end only a ballot logged and witnessed in time may count; any other can only be rejected.
    const ref = { kind: "proposal", id: p.id } as const;
    if (input.accept && now >= p.votingEndsAt && !loggedInTime(await liveEntry(tx, ref, paper.voterId), p.votingEndsAt))
      return { ok: false, error: "voting.errors.paperNotLogged" } as const;
    await witnessOnDecision(tx, ref, {
      estateId: p.estateId,
      voterId: paper.voterId,
      userId: input.userId,
      now,
      votingEndsAt: p.votingEndsAt,
    });

    let outcome: PaperOutcome;
    let receipt: string | null = null;
    let tellUserId: string | null = null;
    if (!input.accept) outcome = "rejected";
    else {
      const current = await currentBallot(tx, p.id, paper.voterId);
      const verdict = replacement(p.rules!, current, { channel: "paper", castBy: input.userId });
      if (!verdict.ok) outcome = "overridden";
      else {
        tellUserId = verdict.tellUserId;
        outcome = "counted";
        const [voter] = await tx
          .select({ voterId: voteVoters.voterId, areaCentiSqm: voteVoters.areaCentiSqm })
          .from(voteVoters)
          .where(and(eq(voteVoters.proposalId, p.id), eq(voteVoters.voterId, paper.voterId)));
        const appended = await appendBallot(
          tx,
          p,
          voter,
          current,
          { choice: paper.choice, channel: "paper", castBy: input.userId, paperBallotId: paper.id },
          now,
        );
        receipt = appended.receipt;
      }
    }
    await tx
      .update(paperBallots)
      .set({ status: outcome, confirmedBy: input.userId, confirmedAt: now })
      .where(eq(paperBallots.id, paper.id));
    await auditPaperDecision(tx, {
      estateId: p.estateId,
      userId: input.userId,
      paperBallotId: paper.id,
      accept: input.accept,
      outcome,
      vote: { proposalId: p.id },
      now,
    });
    return { ok: true, outcome, receipt, ...(tellUserId ? { tellUserId } : {}) } as const;
  });
}

/** A second member's decision on a paper ballot, in the audit log: confirmed (and what became of it) or rejected. */
export function auditPaperDecision(
  tx: Queryable,
  input: {
    estateId: string;
    userId: string;
    paperBallotId: string;
    accept: boolean;
    outcome: PaperOutcome;
    vote: { proposalId: string } | { electionId: string };
    now: Date;
  },
) {
  return recordAudit(tx, {
    estateId: input.estateId,
    actorUserId: input.userId,
    act: input.accept ? "paper_ballot_confirm" : "paper_ballot_reject",
    subjectType: "paper_ballot",
    subjectId: input.paperBallotId,
    detail: { ...input.vote, outcome: input.outcome },
    at: input.now,
  });
}

/** A paper ballot as those handling it see it (proposal or election): its unit, status and scan, who entered and confirmed it. */
export function paperHandling<S extends string>(r: {
  id: string;
  status: S;
  fileId: string;
  building: string;
  number: string;
  enteredBy: string;
  enteredByName: string;
  enteredAt: Date;
  confirmedByName: string | null;
}) {
  return {
    id: r.id,
    unit: `${r.building} ${r.number}`,
    status: r.status,
    fileId: r.fileId,
    enteredBy: r.enteredBy,
    enteredByName: maskName(r.enteredByName),
    enteredAt: r.enteredAt.toISOString(),
    confirmedByName: r.confirmedByName ? maskName(r.confirmedByName) : null,
  };
}

/**
 * The committee's view of paper ballots: pending ones to confirm, and voters who voted both ways.
 * While the vote is open (`sealed`) only a pending ballot carries its choice (the confirming
 * member must read what they confirm); a counted, overridden or rejected one does not. With the
 * viewer, why they may not confirm a ballot (`confirmConflict`: their own voter, or one they are proxy for).
 */
export async function paperOverview(
  estateId: string,
  proposalId: string,
  view: { sealed: boolean },
  viewerId?: string,
) {
  const db = getDb();
  const enterer = alias(users, "enterer");
  const confirmer = alias(users, "confirmer");
  const rows = await db
    .select({
      id: paperBallots.id,
      voterId: paperBallots.voterId,
      choice: paperBallots.choice,
      status: paperBallots.status,
      fileId: paperBallots.fileId,
      enteredBy: paperBallots.enteredBy,
      enteredByName: enterer.displayName,
      enteredAt: paperBallots.enteredAt,
      confirmedByName: confirmer.displayName,
      building: voteUnits.buildingName,
      number: voteUnits.unitNumber,
      voterOwnerIds: voteVoters.ownerIds,
    })
    .from(paperBallots)
    .innerJoin(
      voteUnits,
      and(eq(voteUnits.proposalId, paperBallots.proposalId), eq(voteUnits.unitId, paperBallots.unitId)),
    )
    .innerJoin(
      voteVoters,
      and(eq(voteVoters.proposalId, paperBallots.proposalId), eq(voteVoters.voterId, paperBallots.voterId)),
    )
    .innerJoin(enterer, eq(enterer.id, paperBallots.enteredBy))
    .leftJoin(confirmer, eq(confirmer.id, paperBallots.confirmedBy))
    .where(and(eq(paperBallots.proposalId, proposalId), eq(paperBallots.estateId, estateId)))
    .orderBy(asc(paperBallots.enteredAt));
  const voterIds = rows.filter((r) => r.status === "counted" || r.status === "overridden").map((r) => r.voterId);
  const online = voterIds.length
    ? await db
        .select({
          voterId: ballots.voterId,
          current: sql<boolean>`bool_or(not ${ballots.superseded} and ${ballots.channel} <> 'paper')`,
        })
        .from(ballots)
        .where(
          and(
            eq(ballots.proposalId, proposalId),
            inArray(ballots.voterId, voterIds),
            sql`${ballots.channel} <> 'paper'`,
          ),
        )
        .groupBy(ballots.voterId)
    : [];
  const onlineOf = new Map(online.map((o) => [o.voterId, o.current]));
  const conflicts = viewerId
    ? await paperConflictsFor(db, estateId, { proposalId }, viewerId, rows)
    : rows.map(() => null);
  const logged = await loggedVoters(db, { kind: "proposal", id: proposalId });
  return rows.map((r, i) => ({
    ...paperHandling(r),
    /** Logged in the ballot box and witnessed in time: may still be confirmed after the window's end. */
    logged: logged.has(r.voterId),
    /** Why the viewer may not confirm it (four eyes), or null. */
    confirmConflict: conflicts[i],
    choice: view.sealed && r.status !== "pending" ? null : r.choice,
    /** Both a paper and an online ballot: which one counts now. */
    conflict: onlineOf.has(r.voterId) ? (onlineOf.get(r.voterId) ? ("online" as const) : ("paper" as const)) : null,
  }));
}

/** A unit of the vote's snapshot by building name and unit number, as written on a paper ballot. */
export async function snapshotUnit(estateId: string, proposalId: string, building: string, number: string) {
  if (!isUuid(proposalId)) return null;
  const [row] = await getDb()
    .select({ unitId: voteUnits.unitId })
    .from(voteUnits)
    .where(
      and(
        eq(voteUnits.proposalId, proposalId),
        eq(voteUnits.estateId, estateId),
        eq(voteUnits.buildingName, normaliseLabel(building)),
        eq(voteUnits.unitNumber, normaliseLabel(number)),
      ),
    );
  return row?.unitId ?? null;
}
