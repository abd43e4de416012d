import { normaliseLabel } from "~/lib/text";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, schema, type Queryable } from "#db/client";
import { maskName } from "~/ui/mask";
import { findProposal, isUuid, lockProposal, type Failure } from "./access.server";
import { appendBallot, currentBallot } from "./ballots.server";
import { saveFile, withUploads } from "./files.server";
import type { Choice } from "./tally";
import { recordAudit } from "~/audit/audit.server";

const { ballots, paperBallots, users, voteUnits, voteVoters } = schema;

export type PaperError =
  | "voting.errors.notFound"
  | "voting.errors.notOpen"
  | "voting.errors.unitNotInElectorate"
  | "voting.errors.alreadyPaper"
  | "voting.errors.sameMember"
  | "voting.errors.notPending";

/** A committee member enters a paper ballot (unit, choice, scan); it counts only once a second member confirms it. */
export async function enterPaperBallot(input: {
  estateId: string;
  proposalId: string;
  userId: string;
  unitId: string;
  choice: Choice;
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
    .where(and(eq(voteUnits.proposalId, p.id), eq(voteUnits.estateId, input.estateId), eq(voteUnits.unitId, input.unitId)));
  if (!unit) return { ok: false, error: "voting.errors.unitNotInElectorate" };
  const [live] = await db
    .select({ id: paperBallots.id })
    .from(paperBallots)
    .where(and(eq(paperBallots.proposalId, p.id), eq(paperBallots.voterId, unit.voterId), sql`${paperBallots.status} <> 'rejected'`));
  if (live) return { ok: false, error: "voting.errors.alreadyPaper" };
  try {
    return await withUploads(() => db.transaction(async (tx) => {
      const file = await saveFile(tx, { estateId: p.estateId, proposalId: p.id, kind: "paper", ...input.scan, uploadedBy: input.userId });
      const [row] = await tx
        .insert(paperBallots)
        .values({ estateId: p.estateId, proposalId: p.id, unitId: input.unitId, voterId: unit.voterId, choice: input.choice, fileId: file.id, enteredBy: input.userId, enteredAt: now })
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
    }));
  } catch (error) {
    if (isUniqueViolation(error, "paper_ballot_one_live")) return { ok: false, error: "voting.errors.alreadyPaper" };
    throw error;
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: string; constraint_name?: string; constraint?: string };
    if (pg.code === "23505" && (pg.constraint_name === constraint || pg.constraint === constraint)) return true;
  }
  return false;
}

export type PaperOutcome = "counted" | "overridden" | "rejected";

/**
 * A second, different committee member confirms (or rejects) a paper ballot. Confirmed, it
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
}): Promise<{ ok: true; outcome: PaperOutcome; receipt: string | null } | Failure<PaperError>> {
  const now = input.now ?? new Date();
  if (!isUuid(input.paperBallotId)) return { ok: false, error: "voting.errors.notFound" };
  return getDb().transaction(async (tx) => {
    const p = await lockProposal(tx, input.estateId, input.proposalId);
    if (!p) return { ok: false, error: "voting.errors.notFound" } as const;
    const [paper] = await tx
      .select()
      .from(paperBallots)
      .where(and(eq(paperBallots.id, input.paperBallotId), eq(paperBallots.proposalId, p.id), eq(paperBallots.estateId, input.estateId)))
      .for("update");
    if (!paper) return { ok: false, error: "voting.errors.notFound" } as const;
    if (p.status !== "voting") return { ok: false, error: "voting.errors.notOpen" } as const;
    if (paper.status !== "pending") return { ok: false, error: "voting.errors.notPending" } as const;
    if (paper.enteredBy === input.userId) return { ok: false, error: "voting.errors.sameMember" } as const;

    let outcome: PaperOutcome;
    let receipt: string | null = null;
    if (!input.accept) outcome = "rejected";
    else {
      const current = await currentBallot(tx, p.id, paper.voterId);
      if (current && p.rules!.paperOnlineConflict === "online") outcome = "overridden";
      else {
        outcome = "counted";
        const [voter] = await tx
          .select({ voterId: voteVoters.voterId, areaCentiSqm: voteVoters.areaCentiSqm })
          .from(voteVoters)
          .where(and(eq(voteVoters.proposalId, p.id), eq(voteVoters.voterId, paper.voterId)));
        const appended = await appendBallot(tx, p, voter, current, { choice: paper.choice, channel: "paper", castBy: input.userId, paperBallotId: paper.id }, now);
        receipt = appended.receipt;
      }
    }
    await tx.update(paperBallots).set({ status: outcome, confirmedBy: input.userId, confirmedAt: now }).where(eq(paperBallots.id, paper.id));
    await auditPaperDecision(tx, { estateId: p.estateId, userId: input.userId, paperBallotId: paper.id, accept: input.accept, outcome, vote: { proposalId: p.id }, now });
    return { ok: true, outcome, receipt } as const;
  });
}

/** A second member's decision on a paper ballot, in the audit log: confirmed (and what became of it) or rejected. */
export function auditPaperDecision(
  tx: Queryable,
  input: { estateId: string; userId: string; paperBallotId: string; accept: boolean; outcome: PaperOutcome; vote: { proposalId: string } | { electionId: string }; now: Date },
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

/** The committee's view of paper ballots: pending ones to confirm, and voters who voted both ways. */
export async function paperOverview(estateId: string, proposalId: string) {
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
    })
    .from(paperBallots)
    .innerJoin(voteUnits, and(eq(voteUnits.proposalId, paperBallots.proposalId), eq(voteUnits.unitId, paperBallots.unitId)))
    .innerJoin(enterer, eq(enterer.id, paperBallots.enteredBy))
    .leftJoin(confirmer, eq(confirmer.id, paperBallots.confirmedBy))
    .where(and(eq(paperBallots.proposalId, proposalId), eq(paperBallots.estateId, estateId)))
    .orderBy(asc(paperBallots.enteredAt));
  const voterIds = rows.filter((r) => r.status === "counted" || r.status === "overridden").map((r) => r.voterId);
  const online = voterIds.length
    ? await db
        .select({ voterId: ballots.voterId, current: sql<boolean>`bool_or(not ${ballots.superseded} and ${ballots.channel} <> 'paper')` })
        .from(ballots)
        .where(and(eq(ballots.proposalId, proposalId), inArray(ballots.voterId, voterIds), sql`${ballots.channel} <> 'paper'`))
        .groupBy(ballots.voterId)
    : [];
  const onlineOf = new Map(online.map((o) => [o.voterId, o.current]));
  return rows.map((r) => ({
    ...paperHandling(r),
    choice: r.choice,
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
    .where(and(eq(voteUnits.proposalId, proposalId), eq(voteUnits.estateId, estateId), eq(voteUnits.buildingName, normaliseLabel(building)), eq(voteUnits.unitNumber, normaliseLabel(number))));
  return row?.unitId ?? null;
}
