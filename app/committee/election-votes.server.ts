import { resultVisible } from "~/voting/results";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, schema, type Queryable } from "#db/client";
import { isUniqueViolation } from "#db/errors";
import { isUuid } from "~/lib/ids";
import { withUploads } from "~/lib/uploads/store.server";
import { maskName } from "~/ui/mask";
import { genesisHash } from "~/voting/ledger";
import { auditPaperDecision, paperHandling } from "~/voting/paper.server";
import {
  ensureEntry,
  liveEntry,
  loggedInTime,
  loggedVoters,
  paperConfirmerConflict,
  paperConflictsFor,
  standsIn,
  witnessOnDecision,
} from "~/voting/ballot-box.server";
import { decideProxyOf, grantProxy, listProxies, type ProxyGrant } from "~/voting/proxies.server";
import type { Choice } from "~/voting/tally";
import { fail, type Failure, type Ok } from "./access.server";
import { marksOutside, overMarkedRaces, type ElectionResult } from "./count";
import {
  appendElectionBallot,
  checkMarks,
  currentElectionBallot,
  findElection,
  lockElection,
  electionRules,
  qualifiedCandidates,
  type Election,
} from "./elections.server";
import type { ElectionLedgerEntry, ElectionLedgerMeta } from "./ledger";
import { checkZoneMarks } from "./zone-voting.server";
import { encodeMarks } from "./ledger";
import { recordAudit } from "~/audit/audit.server";
import { replacement } from "~/voting/engine/replacement";
import { saveFile } from "~/voting/vote-files.server";

const { buildings, committees, electionBallots, electionPaperBallots, electionRaces, electionVoters, units, users } =
  schema;

// ---------------------------------------------------------------------------------------------
// The public ledger.

/** The chain of an election's ballots in cast order, as published. */
export async function electionLedgerEntries(db: Queryable, electionId: string): Promise<ElectionLedgerEntry[]> {
  const rows = await db
    .select()
    .from(electionBallots)
    .where(eq(electionBallots.electionId, electionId))
    .orderBy(asc(electionBallots.seq));
  const marks = rows.length
    ? await db
        .select()
        .from(schema.electionMarks)
        .where(
          inArray(
            schema.electionMarks.ballotId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  const byBallot = new Map<string, Record<string, Choice>>();
  for (const m of marks) byBallot.set(m.ballotId, { ...(byBallot.get(m.ballotId) ?? {}), [m.candidateId]: m.choice });
  return rows.map((r) => ({
    seq: r.seq,
    receipt: r.receipt,
    marks: encodeMarks(byBallot.get(r.id) ?? {}, r.spoiledRaces),
    channel: r.channel as ElectionLedgerEntry["channel"],
    areaCentiSqm: r.areaCentiSqm,
    headcount: 1,
    replaces: r.replaces,
    castAt: r.castAt.toISOString(),
    prevHash: r.prevHash,
    hash: r.hash,
  }));
}

/**
 * An election's ledger once its count may be seen (published; closed for those who oversee it):
 * the header (electorate totals, races, candidates, final hash) and the rows.
 */
export async function electionLedger(estateId: string, electionId: string, viewer: { overseer: boolean }) {
  const db = getDb();
  const election = await findElection(db, estateId, electionId);
  if (!election) return null;
  // From the preliminary result on (DESIGN.md "After close"): owners need it to make their queries.
  const visible = resultVisible(election) || (viewer.overseer && election.status === "closed");
  if (!visible || !election.result)
    return { election, meta: null, entries: [] as ElectionLedgerEntry[], candidateNames: new Map<string, string>() };
  const result = election.result as ElectionResult;
  const [committee] = await db.select().from(committees).where(eq(committees.id, election.committeeId));
  const races = await db.select().from(electionRaces).where(eq(electionRaces.electionId, election.id));
  const candidates = await qualifiedCandidates(db, election);
  const [totals] = await db
    .select({
      area: sql<number>`coalesce(sum(${electionVoters.areaCentiSqm}), 0)`.mapWith(Number),
      voters: sql<number>`count(*)`.mapWith(Number),
    })
    .from(electionVoters)
    .where(eq(electionVoters.electionId, election.id));
  const meta: ElectionLedgerMeta = {
    electionId: election.id,
    committeeSize: election.kind === "general" ? committee.size : null,
    totalAreaCentiSqm: totals.area,
    totalHeadcount: totals.voters,
    races: races.map((r) => ({ race: r.zoneId ?? "X", seats: r.seats })).sort((a, b) => (a.race < b.race ? -1 : 1)),
    candidates: candidates.map((c) => ({ id: c.id, race: c.zoneId ?? "X" })),
    finalHash: election.finalHash ?? genesisHash,
    spoiledTakesPart: election.spoiledTakesPart ?? true,
  };
  if (result.voters !== meta.totalHeadcount)
    throw new Error(
      `election ${election.id}: the stored count saw ${result.voters} voters, the snapshot has ${meta.totalHeadcount}`,
    );
  // Candidates by masked name, so a row can be read as a ballot is.
  const candidateNames = new Map(candidates.map((c) => [c.id, maskName(c.name)]));
  return { election, meta, entries: await electionLedgerEntries(db, election.id), candidateNames };
}

// ---------------------------------------------------------------------------------------------
// Paper ballots: entered by one committee member (or community admin), confirmed by another.

/**
 * The races a paper ballot spoils: those the clerk marked spoiled (each must be a race of this
 * election) and those it over-marks; with the marks that still count (none in a spoiled race).
 */
async function paperSpoiledRaces(
  tx: Queryable,
  election: Election,
  marks: Record<string, Choice>,
  marked: readonly string[],
): Promise<{ ok: true; races: string[]; counted: Record<string, Choice> } | Failure> {
  const candidates = (await qualifiedCandidates(tx, election)).map((c) => ({
    id: c.id,
    seat: c.seat as "N" | "X",
    zoneId: c.zoneId,
  }));
  const races = await tx.select().from(electionRaces).where(eq(electionRaces.electionId, election.id));
  if (marked.some((r) => !races.some((x) => x.race === r))) return fail("notARace");
  const over = overMarkedRaces(marks, candidates, races);
  const spoiled = races.map((r) => r.race).filter((r) => marked.includes(r) || over.includes(r));
  return { ok: true, races: spoiled, counted: marksOutside(marks, candidates, spoiled) };
}

/** A unit of the election's snapshot by building name and unit number, as written on the paper, with its voter. */
async function snapshotVoterOfUnit(tx: Queryable, election: Election, building: string, number: string) {
  const [unit] = await tx
    .select({ id: units.id })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(
      and(eq(units.estateId, election.estateId), eq(buildings.name, building.trim()), eq(units.number, number.trim())),
    );
  if (!unit) return null;
  const [voter] = await tx
    .select()
    .from(electionVoters)
    .where(and(eq(electionVoters.electionId, election.id), sql`${unit.id}::uuid = any(${electionVoters.unitIds})`));
  return voter ? { unitId: unit.id, voter } : null;
}

export async function enterElectionPaper(input: {
  estateId: string;
  electionId: string;
  userId: string;
  building: string;
  number: string;
  marks: Record<string, Choice>;
  /** Races the clerk finds spoiled (unreadable); an over-marked race is spoiled without asking. */
  spoiledRaces?: string[];
  scan: { name: string; type: string; bytes: Uint8Array };
  now?: Date;
}): Promise<Ok<{ id: string; spoiledRaces: string[] }> | Failure> {
  const now = input.now ?? new Date();
  try {
    return await withUploads(() =>
      getDb().transaction(async (tx) => {
        const election = await lockElection(tx, input.estateId, input.electionId);
        if (!election) return fail("notFound");
        if (election.status !== "voting") return fail("votingClosed");
        if (await standsIn(tx, election.id, input.userId)) return fail("candidateHandles");
        const found = await snapshotVoterOfUnit(tx, election, input.building, input.number);
        if (!found) return fail("unitNotInElectorate");
        // An over-marked race is spoiled (废票) for that race, not refused: the paper is what it is.
        const spoiled = await paperSpoiledRaces(tx, election, input.marks, input.spoiledRaces ?? []);
        if (!spoiled.ok) return spoiled;
        const bad =
          (await checkMarks(tx, election, spoiled.counted)) ??
          (await checkZoneMarks(tx, election, found.voter.voterId, spoiled.counted));
        if (bad) return bad;
        // The ballot-box log: inside the window the ballot logs itself as received now; after
        // the end only a ballot logged and witnessed in time may be entered.
        const ref = { kind: "election", id: election.id } as const;
        if (now < election.votingEndsAt)
          await ensureEntry(tx, ref, {
            estateId: input.estateId,
            unitId: found.unitId,
            voterId: found.voter.voterId,
            userId: input.userId,
            now,
          });
        else if (!loggedInTime(await liveEntry(tx, ref, found.voter.voterId), election.votingEndsAt))
          return { ok: false, error: "voting.errors.paperNotLogged" } as const;
        const file = await saveFile(tx, {
          estateId: input.estateId,
          electionId: election.id,
          kind: "paper",
          ...input.scan,
          uploadedBy: input.userId,
        });
        const [row] = await tx
          .insert(electionPaperBallots)
          .values({
            estateId: input.estateId,
            electionId: election.id,
            unitId: found.unitId,
            voterId: found.voter.voterId,
            marks: input.marks,
            spoiledRaces: spoiled.races,
            fileId: file.id,
            enteredBy: input.userId,
            enteredAt: now,
          })
          .returning({ id: electionPaperBallots.id });
        await recordAudit(tx, {
          estateId: input.estateId,
          actorUserId: input.userId,
          act: "paper_ballot_enter",
          subjectType: "paper_ballot",
          subjectId: row.id,
          detail: {
            electionId: election.id,
            unitId: found.unitId,
            fileSha256: file.sha256,
            ...(spoiled.races.length ? { spoiledRaces: spoiled.races } : {}),
          },
          at: now,
        });
        return { ok: true, id: row.id, spoiledRaces: spoiled.races } as const;
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) return fail("alreadyPaper");
    throw error;
  }
}

/**
 * A second person (committee member or admin, not the one who entered it, not a candidate)
 * confirms or rejects a paper ballot. Confirmed, it joins the hash chain, unless the voter
 * also voted online and the estate lets online win: then it is kept as "overridden".
 */
export async function confirmElectionPaper(input: {
  estateId: string;
  electionId: string;
  paperBallotId: string;
  userId: string;
  accept: boolean;
  now?: Date;
}): Promise<
  Ok<{ outcome: "counted" | "overridden" | "rejected"; receipt: string | null; tellUserId?: string }> | Failure
> {
  const now = input.now ?? new Date();
  if (!isUuid(input.paperBallotId)) return fail("notFound");
  return getDb().transaction(async (tx) => {
    const election = await lockElection(tx, input.estateId, input.electionId);
    if (!election) return fail("notFound");
    const [paper] = await tx
      .select()
      .from(electionPaperBallots)
      .where(and(eq(electionPaperBallots.id, input.paperBallotId), eq(electionPaperBallots.electionId, election.id)))
      .for("update");
    if (!paper) return fail("notFound");
    if (election.status !== "voting") return fail("votingClosed");
    if (paper.status !== "pending") return fail("paperNotPending");
    if (paper.enteredBy === input.userId) return fail("paperSamePerson");
    const conflict = await paperConfirmerConflict(
      tx,
      input.estateId,
      { electionId: election.id },
      paper.voterId,
      input.userId,
    );
    if (conflict === "ownVoter") return fail("paperOwnVoter");
    if (conflict === "proxyHolder") return fail("paperProxyHolder");
    if (await standsIn(tx, election.id, input.userId)) return fail("candidateHandles");
    // After the window's end only a ballot logged and witnessed in time may count; any other can only be rejected.
    const ref = { kind: "election", id: election.id } as const;
    if (
      input.accept &&
      now >= election.votingEndsAt &&
      !loggedInTime(await liveEntry(tx, ref, paper.voterId), election.votingEndsAt)
    )
      return { ok: false, error: "voting.errors.paperNotLogged" } as const;
    await witnessOnDecision(tx, ref, {
      estateId: input.estateId,
      voterId: paper.voterId,
      userId: input.userId,
      now,
      votingEndsAt: election.votingEndsAt,
    });
    let outcome: "counted" | "overridden" | "rejected" = "rejected";
    let receipt: string | null = null;
    let tellUserId: string | null = null;
    if (input.accept) {
      const spoiled = await paperSpoiledRaces(tx, election, paper.marks, paper.spoiledRaces);
      if (!spoiled.ok) return spoiled;
      const bad =
        (await checkMarks(tx, election, spoiled.counted)) ??
        (await checkZoneMarks(tx, election, paper.voterId, spoiled.counted));
      if (bad) return bad;
      const current = await currentElectionBallot(tx, election.id, paper.voterId);
      const verdict = replacement(electionRules(election), current, { channel: "paper", castBy: input.userId });
      if (!verdict.ok) outcome = "overridden";
      else {
        tellUserId = verdict.tellUserId;
        const [voter] = await tx
          .select()
          .from(electionVoters)
          .where(and(eq(electionVoters.electionId, election.id), eq(electionVoters.voterId, paper.voterId)));
        const appended = await appendElectionBallot(
          tx,
          election,
          voter,
          current,
          {
            marks: spoiled.counted,
            spoiledRaces: spoiled.races,
            channel: "paper",
            castBy: input.userId,
            paperBallotId: paper.id,
          },
          now,
        );
        outcome = "counted";
        receipt = appended.receipt;
      }
    }
    await tx
      .update(electionPaperBallots)
      .set({ status: outcome, confirmedBy: input.userId, confirmedAt: now })
      .where(eq(electionPaperBallots.id, paper.id));
    await auditPaperDecision(tx, {
      estateId: input.estateId,
      userId: input.userId,
      paperBallotId: paper.id,
      accept: input.accept,
      outcome,
      vote: { electionId: election.id },
      now,
    });
    return { ok: true, outcome, receipt, ...(tellUserId ? { tellUserId } : {}) } as const;
  });
}

/**
 * The paper ballots of an election for the people handling them: unit, marks, who entered and
 * confirmed. While voting runs (`sealed`) only a pending ballot carries its marks, for the
 * member who confirms it. With the viewer, why they may not confirm one (their own voter, or one
 * they are proxy for).
 */
export async function electionPaperOverview(
  estateId: string,
  electionId: string,
  view: { sealed: boolean },
  viewerId?: string,
) {
  const enterer = alias(users, "enterer");
  const confirmer = alias(users, "confirmer");
  const rows = await getDb()
    .select({
      id: electionPaperBallots.id,
      voterId: electionPaperBallots.voterId,
      status: electionPaperBallots.status,
      marks: electionPaperBallots.marks,
      spoiledRaces: electionPaperBallots.spoiledRaces,
      fileId: electionPaperBallots.fileId,
      enteredBy: electionPaperBallots.enteredBy,
      enteredByName: enterer.displayName,
      enteredAt: electionPaperBallots.enteredAt,
      confirmedByName: confirmer.displayName,
      building: buildings.name,
      number: units.number,
      voterOwnerIds: electionVoters.ownerIds,
    })
    .from(electionPaperBallots)
    .innerJoin(units, eq(units.id, electionPaperBallots.unitId))
    .innerJoin(
      electionVoters,
      and(
        eq(electionVoters.electionId, electionPaperBallots.electionId),
        eq(electionVoters.voterId, electionPaperBallots.voterId),
      ),
    )
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .innerJoin(enterer, eq(enterer.id, electionPaperBallots.enteredBy))
    .leftJoin(confirmer, eq(confirmer.id, electionPaperBallots.confirmedBy))
    .where(and(eq(electionPaperBallots.electionId, electionId), eq(electionPaperBallots.estateId, estateId)))
    .orderBy(asc(electionPaperBallots.enteredAt));
  const conflicts = viewerId
    ? await paperConflictsFor(getDb(), estateId, { electionId }, viewerId, rows)
    : rows.map(() => null);
  const logged = await loggedVoters(getDb(), { kind: "election", id: electionId });
  return rows.map((r, i) => ({
    /** Logged in the ballot box and witnessed in time: may still be confirmed after the window's end. */
    logged: logged.has(r.voterId),
    ...paperHandling({ ...r, status: r.status as "pending" | "counted" | "overridden" | "rejected" }),
    marks: view.sealed && r.status !== "pending" ? null : r.marks,
    /** Races this paper spoils (废票), shown with the marks (not while sealed). */
    spoiledRaces: view.sealed && r.status !== "pending" ? null : r.spoiledRaces,
    confirmConflict: conflicts[i],
  }));
}

// ---------------------------------------------------------------------------------------------
// Proxies: the same authorisations as for proposal votes (app/voting/proxies.server.ts), for one election.

/** An owner authorises someone to vote for them in an election, while nominations or voting run. */
export async function authoriseElectionProxy(input: ProxyGrant & { electionId: string }) {
  const election = await findElection(getDb(), input.estateId, input.electionId);
  if (!election) return fail("notFound");
  if (election.status !== "nominating" && election.status !== "voting")
    return { ok: false as const, error: "voting.errors.proxyClosed" };
  return grantProxy({ electionId: election.id }, input);
}

/** A committee member or admin (not the grantor, not the proxy, not a candidate) approves or rejects an authorisation. */
export async function decideElectionProxy(input: {
  estateId: string;
  electionId: string;
  proxyId: string;
  userId: string;
  approve: boolean;
  reason?: string | null;
  now?: Date;
}) {
  if (!isUuid(input.electionId)) return fail("notFound");
  if (await standsIn(getDb(), input.electionId, input.userId)) return fail("candidateHandles");
  return decideProxyOf({ electionId: input.electionId }, input);
}

export async function listElectionProxies(
  estateId: string,
  electionId: string,
  view: { userId: string; committee: boolean; review?: boolean },
) {
  return listProxies(estateId, { electionId }, view);
}
