import { and, arrayOverlaps, asc, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { isUuid } from "~/lib/ids";
import { restDayTable } from "~/lib/rest-days.server";
import { enqueue } from "~/notify/outbox.server";
import { maskName } from "~/ui/mask";
import { estateSettings } from "~/estates/procedure";
import { tellReplacedOwner } from "~/voting/replaced-notice.server";
import { mayCastAsCoOwner } from "~/voting/co-owners.server";
import type { CastChannel } from "~/voting/engine/replacement";
import { genesisHash, linkHash, newReceipt } from "~/voting/ledger";
import type { Choice } from "~/voting/tally";
import { countElection, type ElectionResult } from "./count";
import { canonicalElectionEntry, encodeMarks } from "./ledger";
import {
  activeCommittee,
  archiveActiveCommittee,
  fail,
  syncCommitteeRoles,
  type Failure,
  type Ok,
} from "./access.server";
import { ownerOfUser, planApportionment, type ZoneInput } from "./composition.server";
import { zonesOfVoter } from "./zone-voting";
import { checkZoneMarks, snapshotZoneAreas, zoneVotingOf } from "./zone-voting.server";
import { addMonths, firstMeetingDueAt, followsApportionment, isValidSize } from "./rules";
import { recordAudit } from "~/audit/audit.server";
import { noticeRefusal } from "~/voting/notice.server";
import { electionFigures } from "./election-figures.server";
import {
  lastDayOf,
  postFinalNotice,
  postPreliminaryNotice,
  queryPeriodDaysOf,
  queryPeriodEnd,
} from "~/voting/result-notices.server";
import { mayPostFinal, resultVisible } from "~/voting/results";
import { closeRefusal } from "~/voting/engine/close.server";
import { replacement, replacementRefusal, type ReplacementRules } from "~/voting/engine/replacement";
import { mayCast, windowOpen } from "~/voting/engine/may-cast";
import {
  checkScope,
  electorateUserIds,
  scopeColumn,
  scopeOf,
  snapshotElectorate,
  snapshotRefusal,
  writeSnapshot,
} from "~/voting/engine/electorate.server";

const {
  buildings,
  committeeElections,
  committeeMembers,
  committeeZones,
  committees,
  electionBallots,
  electionCandidates,
  electionMarks,
  electionPaperBallots,
  electionRaces,
  electionVoters,
  estates,
  nominations,
  owners,
  ownerships,
  proxies,
  roleDeclarations,
  units,
} = schema;

export type Election = typeof committeeElections.$inferSelect;

/** An estate's election by id (the tenant boundary); null for another estate's or a malformed id. */
export async function findElection(db: Queryable, estateId: string, electionId: string): Promise<Election | null> {
  if (!isUuid(electionId)) return null;
  const [row] = await db
    .select()
    .from(committeeElections)
    .where(and(eq(committeeElections.id, electionId), eq(committeeElections.estateId, estateId)));
  return row ?? null;
}

export async function lockElection(tx: Queryable, estateId: string, electionId: string): Promise<Election | null> {
  if (!isUuid(electionId)) return null;
  const [row] = await tx
    .select()
    .from(committeeElections)
    .where(and(eq(committeeElections.id, electionId), eq(committeeElections.estateId, estateId)))
    .for("update");
  return row ?? null;
}

interface Windows {
  nominationEndsAt: Date;
  votingStartsAt: Date;
  votingEndsAt: Date;
  /** The buildings whose owners vote (empty or absent: the whole estate), fixed at the call. */
  scopeBuildingIds?: string[] | null;
}

function checkWindows(w: Windows, now: Date): Failure | null {
  if (w.nominationEndsAt <= now) return fail("electionDatesPast");
  if (!(w.nominationEndsAt <= w.votingStartsAt && w.votingStartsAt < w.votingEndsAt)) return fail("electionDatesOrder");
  return null;
}

/**
 * A community admin calls a general election: the committee to be formed (size, X seats,
 * zones with their N seats by apportionment) is created in the "forming" state with one race
 * per zone and one for X, then owners stand and nominate until nominations close.
 */
export async function callElection(
  input: Windows & {
    estateId: string;
    userId: string;
    title: string;
    size: number;
    xSeats: number;
    zones: ZoneInput[];
    tieNote?: string | null;
    nominationThreshold: number;
    termMonths: number;
    now?: Date;
  },
): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  if (!isValidSize(input.size)) return fail("size");
  if (!Number.isInteger(input.xSeats) || input.xSeats < 0 || input.xSeats >= input.size) return fail("xSeats");
  if (!Number.isInteger(input.termMonths) || input.termMonths < 1 || input.termMonths > 60) return fail("term");
  if (!Number.isInteger(input.nominationThreshold) || input.nominationThreshold < 1) return fail("threshold");
  if (input.zones.length === 0) return fail("zonesMissing");
  const bad = checkWindows(input, now);
  if (bad) return bad;
  const nSeats = input.size - input.xSeats;
  return getDb().transaction(async (tx) => {
    const [forming] = await tx
      .select({ id: committees.id })
      .from(committees)
      .where(and(eq(committees.estateId, input.estateId), eq(committees.status, "forming")));
    if (forming) return fail("electionRunning");
    const scope = await checkScope(tx, input.estateId, input.scopeBuildingIds);
    if (!scope.ok) return { ok: false, error: "voting.errors.scopeBuildings" } as const;
    const plan = await planApportionment(tx, input.estateId, input.zones, nSeats);
    if (!plan.ok) return plan;
    if (!followsApportionment(plan.apportionment, Object.fromEntries(input.zones.map((z, i) => [String(i), z.seats]))))
      return fail("seatsNotApportioned");
    if (plan.apportionment.ties.length && !input.tieNote?.trim()) return fail("tieNoteMissing");
    const [committee] = await tx
      .insert(committees)
      .values({
        estateId: input.estateId,
        title: input.title,
        status: "forming",
        size: input.size,
        nSeats,
        xSeats: input.xSeats,
        origin: "election",
        createdBy: input.userId,
        createdAt: now,
      })
      .returning();
    const tied = new Set(plan.apportionment.ties.flatMap((t) => t.zoneIds));
    const zones = await tx
      .insert(committeeZones)
      .values(
        input.zones.map((z, i) => ({
          estateId: input.estateId,
          committeeId: committee.id,
          name: z.name,
          position: i,
          buildingIds: z.buildingIds,
          households: plan.households[i],
          seats: z.seats,
          tieResolution: tied.has(String(i)) ? input.tieNote!.trim() : null,
        })),
      )
      .returning();
    const [election] = await tx
      .insert(committeeElections)
      .values({
        estateId: input.estateId,
        committeeId: committee.id,
        kind: "general",
        title: input.title,
        nominationThreshold: input.nominationThreshold,
        nominationEndsAt: input.nominationEndsAt,
        votingStartsAt: input.votingStartsAt,
        votingEndsAt: input.votingEndsAt,
        scopeBuildingIds: scopeColumn(scope.scope),
        termMonths: input.termMonths,
        createdBy: input.userId,
        createdAt: now,
      })
      .returning();
    await tx.insert(electionRaces).values([
      ...zones.map((z) => ({
        electionId: election.id,
        estateId: input.estateId,
        race: z.id,
        zoneId: z.id,
        seats: z.seats,
      })),
      { electionId: election.id, estateId: input.estateId, race: "X", zoneId: null, seats: input.xSeats },
    ]);
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "election_call",
      subjectType: "election",
      subjectId: election.id,
      at: now,
    });
    return { ok: true, id: election.id } as const;
  });
}

/** A by-election for the vacant seats of the committee in office, race by race. */
export async function callByElection(
  input: Windows & { estateId: string; userId: string; title: string; nominationThreshold: number; now?: Date },
): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  if (!Number.isInteger(input.nominationThreshold) || input.nominationThreshold < 1) return fail("threshold");
  const bad = checkWindows(input, now);
  if (bad) return bad;
  return getDb().transaction(async (tx) => {
    const committee = await activeCommittee(tx, input.estateId);
    if (!committee) return fail("noCommittee");
    const running = await tx
      .select({ id: committeeElections.id })
      .from(committeeElections)
      .where(and(eq(committeeElections.committeeId, committee.id), ne(committeeElections.status, "published")));
    if (running.length) return fail("electionRunning");
    const scope = await checkScope(tx, input.estateId, input.scopeBuildingIds);
    if (!scope.ok) return { ok: false, error: "voting.errors.scopeBuildings" } as const;
    const zones = await tx.select().from(committeeZones).where(eq(committeeZones.committeeId, committee.id));
    const seated = await tx
      .select()
      .from(committeeMembers)
      .where(and(eq(committeeMembers.committeeId, committee.id), isNull(committeeMembers.leftAt)));
    const races = [
      ...zones.map((z) => ({
        race: z.id,
        zoneId: z.id as string | null,
        seats: z.seats - seated.filter((m) => m.zoneId === z.id).length,
      })),
      { race: "X", zoneId: null, seats: committee.xSeats - seated.filter((m) => m.seat === "X").length },
    ].filter((r) => r.seats > 0);
    if (races.length === 0) return fail("noVacancies");
    const [election] = await tx
      .insert(committeeElections)
      .values({
        estateId: input.estateId,
        committeeId: committee.id,
        kind: "by_election",
        title: input.title,
        nominationThreshold: input.nominationThreshold,
        nominationEndsAt: input.nominationEndsAt,
        votingStartsAt: input.votingStartsAt,
        votingEndsAt: input.votingEndsAt,
        scopeBuildingIds: scopeColumn(scope.scope),
        createdBy: input.userId,
        createdAt: now,
      })
      .returning();
    await tx
      .insert(electionRaces)
      .values(races.map((r) => ({ electionId: election.id, estateId: input.estateId, ...r })));
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "election_call",
      subjectType: "election",
      subjectId: election.id,
      detail: { byElection: true },
      at: now,
    });
    return { ok: true, id: election.id } as const;
  });
}

/** The buildings (ids and names) an owner's units are in. */
async function buildingsOfOwner(tx: Queryable, estateId: string, ownerId: string) {
  return tx
    .selectDistinct({ id: buildings.id, name: buildings.name })
    .from(ownerships)
    .innerJoin(units, eq(units.id, ownerships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(and(eq(ownerships.ownerId, ownerId), eq(ownerships.estateId, estateId)));
}

/**
 * An owner stands: for an N seat in a zone where they own a unit (the zone's households must
 * then nominate them), or for an X seat with a verified public role.
 */
export async function stand(input: {
  estateId: string;
  electionId: string;
  userId: string;
  seat: "N" | "X";
  zoneId?: string | null;
  statement?: string | null;
  now?: Date;
}): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const election = await lockElection(tx, input.estateId, input.electionId);
    if (!election) return fail("notFound");
    if (election.status !== "nominating" || now >= election.nominationEndsAt) return fail("nominationsClosed");
    const owner = await ownerOfUser(tx, input.estateId, input.userId);
    if (!owner) return fail("notOwner");
    const races = await tx.select().from(electionRaces).where(eq(electionRaces.electionId, election.id));
    const mine = await buildingsOfOwner(tx, input.estateId, owner.id);
    let zoneId: string | null = null;
    let declarationId: string | null = null;
    let building = mine.map((b) => b.name).join("、");
    if (input.seat === "N") {
      const race = races.find((r) => r.zoneId && r.zoneId === input.zoneId);
      if (!race) return fail("zoneMissing");
      const [zone] = await tx.select().from(committeeZones).where(eq(committeeZones.id, race.zoneId!));
      const inZone = mine.filter((b) => zone.buildingIds.includes(b.id));
      if (inZone.length === 0) return fail("notInZone", { zone: zone.name });
      zoneId = zone.id;
      building = inZone.map((b) => b.name).join("、");
    } else {
      if (!races.some((r) => r.race === "X")) return fail("noSuchRace");
      const [declaration] = await tx
        .select()
        .from(roleDeclarations)
        .where(
          and(
            eq(roleDeclarations.estateId, input.estateId),
            eq(roleDeclarations.userId, input.userId),
            eq(roleDeclarations.status, "verified"),
          ),
        );
      if (!declaration) return fail("roleNotVerified");
      declarationId = declaration.id;
    }
    const inserted = await tx
      .insert(electionCandidates)
      .values({
        estateId: input.estateId,
        electionId: election.id,
        userId: input.userId,
        ownerId: owner.id,
        name: owner.name,
        building,
        seat: input.seat,
        zoneId,
        declarationId,
        statement: input.statement?.trim() || null,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: electionCandidates.id });
    if (inserted.length === 0) return fail("alreadyStanding");
    return { ok: true, id: inserted[0].id } as const;
  });
}

/** A household of the zone nominates an N candidate: every unit the owner holds in the zone counts once. */
export async function nominate(input: {
  estateId: string;
  candidateId: string;
  userId: string;
  now?: Date;
}): Promise<Ok<{ households: number }> | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.candidateId)) return fail("notFound");
  return getDb().transaction(async (tx) => {
    const [candidate] = await tx
      .select()
      .from(electionCandidates)
      .where(
        and(
          eq(electionCandidates.id, input.candidateId),
          eq(electionCandidates.estateId, input.estateId),
          eq(electionCandidates.status, "standing"),
        ),
      );
    if (!candidate) return fail("notFound");
    const election = await lockElection(tx, input.estateId, candidate.electionId);
    if (!election || election.status !== "nominating" || now >= election.nominationEndsAt)
      return fail("nominationsClosed");
    if (candidate.seat !== "N" || !candidate.zoneId) return fail("noNominationForX");
    if (candidate.userId === input.userId) return fail("selfNomination");
    const [zone] = await tx.select().from(committeeZones).where(eq(committeeZones.id, candidate.zoneId));
    const myUnits = await tx
      .select({ unitId: units.id })
      .from(owners)
      .innerJoin(ownerships, eq(ownerships.ownerId, owners.id))
      .innerJoin(units, eq(units.id, ownerships.unitId))
      .where(
        and(
          eq(owners.estateId, input.estateId),
          eq(owners.userId, input.userId),
          inArray(units.buildingId, zone.buildingIds),
          eq(units.kind, "residential"),
        ),
      );
    if (myUnits.length === 0) return fail("notInZone", { zone: zone.name });
    await tx
      .insert(nominations)
      .values(
        [...new Set(myUnits.map((u) => u.unitId))].map((unitId) => ({
          candidateId: candidate.id,
          unitId,
          estateId: input.estateId,
          userId: input.userId,
          createdAt: now,
        })),
      )
      .onConflictDoNothing();
    const [{ n }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(nominations)
      .where(eq(nominations.candidateId, candidate.id));
    return { ok: true, households: Number(n) } as const;
  });
}

/** Candidates on the ballot: standing, and for N seats nominated by enough households of the zone. */
export async function qualifiedCandidates(tx: Queryable, election: Election) {
  const rows = await tx
    .select({
      candidate: electionCandidates,
      nominated: sql<number>`(select count(*)::int from ${nominations} where ${nominations.candidateId} = ${electionCandidates.id})`,
    })
    .from(electionCandidates)
    .where(and(eq(electionCandidates.electionId, election.id), eq(electionCandidates.status, "standing")))
    .orderBy(asc(electionCandidates.createdAt));
  return rows
    .filter((r) => r.candidate.seat === "X" || Number(r.nominated) >= election.nominationThreshold)
    .map((r) => r.candidate);
}

/**
 * Voting opens: the electorate is snapshotted by the owners' voting rules (units of the kinds
 * the estate counts; units with the same owners are one voter; the developer's unsold units
 * one voter) and every owner is notified. Candidates short of nominations are left off.
 */
export async function openElectionVoting(input: {
  estateId: string;
  electionId: string;
  userId: string;
  now?: Date;
}): Promise<Ok<{ voters: number; candidates: number }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const election = await lockElection(tx, input.estateId, input.electionId);
    if (!election) return fail("notFound");
    if (election.status !== "nominating") return fail("wrongStatus");
    if (now < election.nominationEndsAt) return fail("nominationsOpen");
    if (now >= election.votingEndsAt) return fail("votingOver");
    const unnoticed = await noticeRefusal(tx, input.estateId, election, now);
    if (unnoticed) return unnoticed;
    const candidates = await qualifiedCandidates(tx, election);
    if (candidates.length === 0) return fail("noCandidates");
    const [estate] = await tx.select().from(estates).where(eq(estates.id, input.estateId));
    const settings = estateSettings(estate.settings);
    const ref = { kind: "election", id: election.id } as const;
    const snapshot = await snapshotElectorate(tx, {
      estateId: input.estateId,
      scope: scopeOf(election.scopeBuildingIds),
      countedKinds: settings.votingUnitKinds,
    });
    if (!snapshot.ok) return snapshotRefusal(snapshot);
    const { voters } = snapshot;
    await writeSnapshot(tx, ref, input.estateId, snapshot);
    await tx
      .update(committeeElections)
      .set({
        status: "voting",
        openedAt: now,
        votingUnitKinds: settings.votingUnitKinds,
        ballotsChangeable: settings.ballotsChangeable,
        paperOnlineConflict: settings.paperOnlineConflict,
        zoneVoting: settings.electionZoneVoting,
        proxyCap: settings.proxyCap,
        spoiledTakesPart: settings.spoiledTakesPart,
        coOwnersNameOne: settings.coOwnersNameOne,
      })
      .where(eq(committeeElections.id, election.id));
    await snapshotZoneAreas(tx, election);
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "election_open",
      subjectType: "election",
      subjectId: election.id,
      detail: { voters: voters.length, candidates: candidates.length },
      at: now,
    });
    // The snapshot's owners, as for proposals (not every account with the owner role).
    const tell = await electorateUserIds(tx, ref);
    await enqueue(
      tx,
      tell.map((userId) => ({
        template: "vote-opened" as const,
        userId,
        estateId: input.estateId,
        idempotencyKey: `election-opened:${election.id}`,
        props: {
          proposalTitle: election.title,
          closesAt: election.votingEndsAt.toISOString(),
          path: `/e/${estate.slug}/committee/elections/${election.id}`,
        },
      })),
    );
    return { ok: true, voters: voters.length, candidates: candidates.length } as const;
  });
}

type ElectionBallot = typeof electionBallots.$inferSelect;

/** Marks on the ballot's candidates only, and per race at most as many "agree" marks as seats. */
export async function checkMarks(
  tx: Queryable,
  election: Election,
  marks: Record<string, Choice>,
): Promise<Failure | null> {
  const candidates = await qualifiedCandidates(tx, election);
  const byId = new Map(candidates.map((c) => [c.id, c]));
  for (const [id, choice] of Object.entries(marks)) {
    if (!byId.has(id)) return fail("notACandidate");
    if (choice !== "agree" && choice !== "oppose" && choice !== "abstain") return fail("notACandidate");
  }
  const races = await tx.select().from(electionRaces).where(eq(electionRaces.electionId, election.id));
  for (const race of races) {
    const agrees = Object.entries(marks).filter(
      ([id, c]) =>
        c === "agree" && (race.race === "X" ? byId.get(id)!.seat === "X" : byId.get(id)!.zoneId === race.zoneId),
    ).length;
    if (agrees > race.seats) return fail("tooManyAgrees", { seats: race.seats });
  }
  return null;
}

export async function currentElectionBallot(
  tx: Queryable,
  electionId: string,
  voterId: string,
): Promise<ElectionBallot | null> {
  const [row] = await tx
    .select()
    .from(electionBallots)
    .where(
      and(
        eq(electionBallots.electionId, electionId),
        eq(electionBallots.voterId, voterId),
        isNull(electionBallots.replacedAt),
      ),
    );
  return row ?? null;
}

/**
 * Appends a ballot to the election's hash chain (the caller holds the election's lock), as
 * app/voting/ballots.server.ts does for proposals: the voter's current ballot, if any, is
 * replaced and named in `replaces`; the chain's head moves on with the row.
 */
export async function appendElectionBallot(
  tx: Queryable,
  election: Election,
  voter: { voterId: string; areaCentiSqm: number },
  current: ElectionBallot | null,
  ballot: {
    marks: Record<string, Choice>;
    /** Races a paper ballot spoils (废票); `marks` holds none of their candidates. */
    spoiledRaces?: string[];
    channel: "online" | "paper" | "proxy";
    castBy: string;
    proxyId?: string | null;
    paperBallotId?: string | null;
  },
  now: Date,
) {
  const entry = {
    seq: election.chainSeq + 1,
    receipt: newReceipt(),
    marks: encodeMarks(ballot.marks, ballot.spoiledRaces),
    channel: ballot.channel,
    areaCentiSqm: voter.areaCentiSqm,
    headcount: 1,
    replaces: current?.receipt ?? null,
    castAt: now.toISOString(),
  };
  const prevHash = election.chainHead ?? genesisHash;
  const hash = linkHash(prevHash, canonicalElectionEntry(election.id, entry));
  if (current) {
    await tellReplacedOwner(tx, {
      estateId: election.estateId,
      current: { channel: current.channel as CastChannel, castBy: current.castBy, receipt: current.receipt },
      incoming: { channel: ballot.channel, castBy: ballot.castBy },
      vote: { title: election.title, path: (slug) => `/e/${slug}/committee/elections/${election.id}` },
      now,
    });
    await tx.update(electionBallots).set({ replacedAt: now }).where(eq(electionBallots.id, current.id));
    if (current.paperBallotId)
      await tx
        .update(electionPaperBallots)
        .set({ status: "overridden" })
        .where(eq(electionPaperBallots.id, current.paperBallotId));
  }
  const [row] = await tx
    .insert(electionBallots)
    .values({
      electionId: election.id,
      estateId: election.estateId,
      voterId: voter.voterId,
      castBy: ballot.castBy,
      channel: ballot.channel,
      proxyId: ballot.proxyId ?? null,
      paperBallotId: ballot.paperBallotId ?? null,
      spoiledRaces: ballot.spoiledRaces ?? [],
      receipt: entry.receipt,
      seq: entry.seq,
      replaces: entry.replaces,
      areaCentiSqm: entry.areaCentiSqm,
      castAt: now,
      prevHash,
      hash,
    })
    .returning();
  const marks = Object.entries(ballot.marks);
  if (marks.length)
    await tx
      .insert(electionMarks)
      .values(
        marks.map(([candidateId, choice]) => ({ ballotId: row.id, candidateId, estateId: election.estateId, choice })),
      );
  await tx
    .update(committeeElections)
    .set({ chainSeq: entry.seq, chainHead: hash })
    .where(eq(committeeElections.id, election.id));
  election.chainSeq = entry.seq;
  election.chainHead = hash;
  return { receipt: entry.receipt, seq: entry.seq };
}

/**
 * The replacement rules fixed when voting opened (a later change to the estate's settings does
 * not reach an open election): changeable ballots, and whether online or paper wins.
 */
export function electionRules(election: Pick<Election, "ballotsChangeable" | "paperOnlineConflict">): ReplacementRules {
  return {
    ballotsChangeable: election.ballotsChangeable ?? true,
    paperOnlineConflict: election.paperOnlineConflict === "paper" ? "paper" : "online",
  };
}

/**
 * An owner casts (or, where the estate allows, changes) the ballot of a voter they belong to,
 * or an approved proxy casts it for the owner who authorised them. Per race, at most as many
 * "agree" marks as seats; unmarked candidates are abstentions. Every ballot joins the
 * election's hash chain.
 */
export async function castElectionBallot(input: {
  estateId: string;
  electionId: string;
  userId: string;
  voterId: string;
  marks: Record<string, Choice>;
  now?: Date;
}): Promise<Ok<{ receipt: string; channel: "online" | "proxy"; tellUserId?: string }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const election = await lockElection(tx, input.estateId, input.electionId);
    if (!election) return fail("notFound");
    if (!windowOpen(election, now)) return fail("votingClosed");
    const [voter] = await tx
      .select()
      .from(electionVoters)
      .where(and(eq(electionVoters.electionId, election.id), eq(electionVoters.voterId, input.voterId)));
    if (!voter) return fail("notYourVoter");
    const mine = (
      await tx
        .select({ id: owners.id })
        .from(owners)
        .where(and(eq(owners.estateId, input.estateId), eq(owners.userId, input.userId)))
    ).map((o) => o.id);
    let channel: "online" | "proxy" = "online";
    let proxyId: string | null = null;
    if (!voter.ownerIds.some((id) => mine.includes(id))) {
      const proxy = voter.ownerIds.length
        ? await approvedElectionProxy(tx, election.id, input.userId, voter.ownerIds)
        : null;
      if (!proxy) return fail("notYourVoter");
      channel = "proxy";
      proxyId = proxy;
    } else if (election.coOwnersNameOne && !(await mayCastAsCoOwner(tx, voter, input.userId)))
      return { ok: false, error: "voting.errors.notNamedCoOwner" };
    const bad =
      (await checkMarks(tx, election, input.marks)) ?? (await checkZoneMarks(tx, election, voter.voterId, input.marks));
    if (bad) return bad;
    const current = await currentElectionBallot(tx, election.id, voter.voterId);
    const verdict = replacement(electionRules(election), current, { channel, castBy: input.userId });
    if (!verdict.ok) return replacementRefusal(verdict.error);
    const appended = await appendElectionBallot(
      tx,
      election,
      voter,
      current,
      { marks: input.marks, channel, castBy: input.userId, proxyId },
      now,
    );
    return {
      ok: true,
      receipt: appended.receipt,
      channel,
      ...(verdict.tellUserId ? { tellUserId: verdict.tellUserId } : {}),
    } as const;
  });
}

/** An approved authorisation for this election from one of the voter's owners to this account. */
async function approvedElectionProxy(
  tx: Queryable,
  electionId: string,
  userId: string,
  ownerIds: string[],
): Promise<string | null> {
  const [row] = await tx
    .select({ id: proxies.id })
    .from(proxies)
    .where(
      and(
        eq(proxies.electionId, electionId),
        eq(proxies.proxyUserId, userId),
        eq(proxies.status, "approved"),
        inArray(proxies.grantorOwnerId, ownerIds),
      ),
    )
    .limit(1);
  return row?.id ?? null;
}

/** The count from the stored snapshot and the current ballots (at close, and again on a correction). */
export async function countElectionFromDb(tx: Queryable, election: Election): Promise<ElectionResult> {
  const voterRows = await tx.select().from(electionVoters).where(eq(electionVoters.electionId, election.id));
  const ballotRows = await tx
    .select({ id: electionBallots.id, voterId: electionBallots.voterId, spoiledRaces: electionBallots.spoiledRaces })
    .from(electionBallots)
    .where(and(eq(electionBallots.electionId, election.id), isNull(electionBallots.replacedAt)));
  const markRows = ballotRows.length
    ? await tx
        .select()
        .from(electionMarks)
        .innerJoin(electionBallots, eq(electionBallots.id, electionMarks.ballotId))
        .where(and(eq(electionBallots.electionId, election.id), isNull(electionBallots.replacedAt)))
    : [];
  const marksOf = new Map<string, Map<string, Choice>>(ballotRows.map((b) => [b.id, new Map()]));
  for (const r of markRows)
    marksOf
      .get(r.committee_election_mark.ballotId)!
      .set(r.committee_election_mark.candidateId, r.committee_election_mark.choice);
  const candidates = await qualifiedCandidates(tx, election);
  const races = await tx.select().from(electionRaces).where(eq(electionRaces.electionId, election.id));
  const [committee] = await tx.select().from(committees).where(eq(committees.id, election.committeeId));
  return countElection(
    voterRows.map((v) => ({ voterId: v.voterId, areaCentiSqm: v.areaCentiSqm, unitIds: v.unitIds })),
    ballotRows.map((b) => ({ voterId: b.voterId, marks: marksOf.get(b.id)!, spoiledRaces: new Set(b.spoiledRaces) })),
    candidates.map((c) => ({ id: c.id, seat: c.seat as "N" | "X", zoneId: c.zoneId })),
    races,
    election.kind === "general" ? committee.size : null,
    { spoiledTakesPart: election.spoiledTakesPart ?? true },
    zoneVotingOf(election) === "own" ? new Map(voterRows.map((v) => [v.voterId, v.zoneAreas])) : null,
  );
}

/**
 * Voting closes after its window: the current ballots are counted and the result stored; the
 * preliminary result is posted on the board and the query period (询异) starts.
 */
export async function closeElection(input: {
  estateId: string;
  electionId: string;
  userId: string;
  now?: Date;
}): Promise<Ok<{ result: ElectionResult }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const election = await lockElection(tx, input.estateId, input.electionId);
    if (!election) return fail("notFound");
    if (election.status !== "voting") return fail("wrongStatus");
    const refusal = await closeRefusal(tx, { kind: "election", id: election.id }, now);
    if (refusal) return refusal;
    const result = await countElectionFromDb(tx, election);
    const finalHash = election.chainHead ?? genesisHash;
    const queryEndsAt = await queryPeriodEnd(tx, now, await queryPeriodDaysOf(tx, election.estateId));
    await tx
      .update(committeeElections)
      .set({ status: "closed", closedAt: now, closedBy: input.userId, result, finalHash, queryEndsAt })
      .where(eq(committeeElections.id, election.id));
    await postPreliminaryNotice(tx, {
      estateId: election.estateId,
      kind: "election",
      id: election.id,
      title: election.title,
      result,
      figures: (t) => electionFigures(tx, t, result),
      ballots: result.ballots,
      finalHash,
      postedBy: input.userId,
      now,
      queryEndsAt,
    });
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "election_close",
      subjectType: "election",
      subjectId: election.id,
      detail: { ballots: result.ballots },
      at: now,
    });
    return { ok: true, result } as const;
  });
}

/**
 * The FINAL result is posted, once the query period has ended (by the button or the periodic
 * job), and takes effect now: only then are the elected seated. A general election whose elected fill more than half of the seats
 * constitutes the new committee: its term starts now (for the months set, at most 5 years),
 * the old committee is archived, the first meeting is due within 7 days. A by-election seats
 * its elected in the committee in office. Tied and unfilled seats stay vacant, as reported.
 */
export async function publishElection(input: {
  estateId: string;
  electionId: string;
  userId: string;
  now?: Date;
}): Promise<Ok<{ constituted: boolean | null; seated: number }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const election = await lockElection(tx, input.estateId, input.electionId);
    if (!election) return fail("notFound");
    if (election.status !== "closed") return fail("wrongStatus");
    if (!mayPostFinal(election, now))
      return {
        ok: false,
        error: "results.errors.queryPeriodRunning",
        params: { date: lastDayOf(election.queryEndsAt!) },
      };
    const result = election.result as ElectionResult;
    const [committee] = await tx.select().from(committees).where(eq(committees.id, election.committeeId)).for("update");
    const elected = result.races.flatMap((r) => r.elected);
    let seated = 0;
    const seat = async (committeeId: string) => {
      if (elected.length === 0) return;
      const rows = await tx.select().from(electionCandidates).where(inArray(electionCandidates.id, elected));
      for (const c of rows) {
        await tx.insert(committeeMembers).values({
          estateId: input.estateId,
          committeeId,
          userId: c.userId,
          ownerId: c.ownerId,
          name: c.name,
          building: c.building,
          seat: c.seat,
          zoneId: c.zoneId,
          declarationId: c.declarationId,
          office: "member",
          seatedAt: now,
        });
        seated++;
      }
    };
    if (election.kind === "general") {
      if (result.constituted) {
        await archiveActiveCommittee(tx, input.estateId, input.userId, now);
        await tx
          .update(committees)
          .set({
            status: "active",
            termStartsAt: now,
            termEndsAt: addMonths(now, Math.min(election.termMonths ?? 60, 60)),
            firstMeetingDueAt: firstMeetingDueAt(now, await restDayTable(tx)),
          })
          .where(eq(committees.id, committee.id));
        await seat(committee.id);
      } else {
        // Too few seats filled to form a committee: the attempt is kept on record, the old committee stays.
        await tx
          .update(committees)
          .set({ status: "archived", archivedAt: now, archivedBy: input.userId })
          .where(eq(committees.id, committee.id));
      }
    } else {
      if (committee.status !== "active") return fail("committeeNotActive");
      await seat(committee.id);
    }
    const [{ n: corrections }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(schema.voteCorrections)
      .where(and(eq(schema.voteCorrections.electionId, election.id), sql`confirmed_at is not null`));
    const { id: noticeId } = await postFinalNotice(tx, {
      estateId: election.estateId,
      kind: "election",
      id: election.id,
      title: election.title,
      result,
      figures: (t) => electionFigures(tx, t, result),
      ballots: result.ballots,
      finalHash: election.finalHash ?? genesisHash,
      postedBy: input.userId,
      now,
      corrections: Number(corrections),
    });
    await tx
      .update(committeeElections)
      .set({ status: "published", publishedAt: now, effectiveAt: now })
      .where(eq(committeeElections.id, election.id));
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "election_publish",
      subjectType: "election",
      subjectId: election.id,
      detail: { seated, constituted: result.constituted, noticeId, finalHash: election.finalHash },
      at: now,
    });
    await syncCommitteeRoles(tx, input.estateId);
    return { ok: true, constituted: result.constituted, seated } as const;
  });
}

export async function listElections(estateId: string) {
  const rows = await getDb()
    .select()
    .from(committeeElections)
    .where(eq(committeeElections.estateId, estateId))
    .orderBy(desc(committeeElections.createdAt));
  return rows.map((e) => ({
    id: e.id,
    title: e.title,
    kind: e.kind,
    status: e.status,
    nominationEndsAt: e.nominationEndsAt.toISOString(),
    votingStartsAt: e.votingStartsAt.toISOString(),
    votingEndsAt: e.votingEndsAt.toISOString(),
    publishedAt: e.publishedAt?.toISOString() ?? null,
  }));
}

/** The election page: races, candidates (names masked), the caller's ballots, and the result once it may be seen. */
export async function electionPage(
  estateId: string,
  electionId: string,
  viewer: { userId: string; overseer: boolean },
  now: Date = new Date(),
) {
  if (!isUuid(electionId)) return null;
  const db = getDb();
  const [election] = await db
    .select()
    .from(committeeElections)
    .where(and(eq(committeeElections.id, electionId), eq(committeeElections.estateId, estateId)));
  if (!election) return null;
  const [committee] = await db.select().from(committees).where(eq(committees.id, election.committeeId));
  const zones = await db
    .select()
    .from(committeeZones)
    .where(eq(committeeZones.committeeId, committee.id))
    .orderBy(asc(committeeZones.position));
  const races = await db.select().from(electionRaces).where(eq(electionRaces.electionId, election.id));
  const candidateRows = await db
    .select({
      candidate: electionCandidates,
      nominated: sql<number>`(select count(*)::int from ${nominations} where ${nominations.candidateId} = ${electionCandidates.id})`,
      title: roleDeclarations.title,
      role: roleDeclarations.role,
    })
    .from(electionCandidates)
    .leftJoin(roleDeclarations, eq(roleDeclarations.id, electionCandidates.declarationId))
    .where(and(eq(electionCandidates.electionId, election.id), eq(electionCandidates.status, "standing")))
    .orderBy(asc(electionCandidates.createdAt));
  const myNominations = await db
    .select({ candidateId: nominations.candidateId })
    .from(nominations)
    .innerJoin(electionCandidates, eq(electionCandidates.id, nominations.candidateId))
    .where(and(eq(electionCandidates.electionId, election.id), eq(nominations.userId, viewer.userId)));
  const owner = await ownerOfUser(db, estateId, viewer.userId);
  const myOwnerIds = (
    await db
      .select({ id: owners.id })
      .from(owners)
      .where(and(eq(owners.estateId, estateId), eq(owners.userId, viewer.userId)))
  ).map((o) => o.id);
  const myBuildings = owner ? await buildingsOfOwner(db, estateId, owner.id) : [];
  const zoneName = new Map(zones.map((z) => [z.id, z.name]));
  const result = election.result as ElectionResult | null;
  // The preliminary result is posted at close, for owners' queries; the final one when the period ends.
  const showResult = resultVisible(election);

  // The voters this account casts for: its own, and those whose owner authorised it (approved).
  const proxiedFor = (
    await db
      .select({ grantor: proxies.grantorOwnerId })
      .from(proxies)
      .where(
        and(
          eq(proxies.electionId, election.id),
          eq(proxies.proxyUserId, viewer.userId),
          eq(proxies.status, "approved"),
        ),
      )
  ).map((r) => r.grantor);
  const castFor = [...myOwnerIds, ...proxiedFor];
  let myVoters: {
    voterId: string;
    units: string[];
    receipt: string | null;
    marks: Record<string, Choice>;
    via: "owner" | "proxy";
    /** Whether the server would take this account's ballot for the voter now (the cast button shows exactly then). */
    mayCast: boolean;
    /** The zones where this voter holds area (under `own`, the zones whose candidates are on their ballot). */
    zoneIds: string[];
  }[] = [];
  if (election.status !== "nominating" && castFor.length) {
    const voters = await db
      .select()
      .from(electionVoters)
      .where(and(eq(electionVoters.electionId, election.id), arrayOverlaps(electionVoters.ownerIds, castFor)));
    const allUnitIds = voters.flatMap((v) => v.unitIds);
    const unitRows = allUnitIds.length
      ? await db
          .select({ id: units.id, number: units.number, building: buildings.name })
          .from(units)
          .innerJoin(buildings, eq(buildings.id, units.buildingId))
          .where(inArray(units.id, allUnitIds))
      : [];
    myVoters = [];
    for (const v of voters) {
      const [ballot] = await db
        .select()
        .from(electionBallots)
        .where(
          and(
            eq(electionBallots.electionId, election.id),
            eq(electionBallots.voterId, v.voterId),
            isNull(electionBallots.replacedAt),
          ),
        );
      const marks = ballot ? await db.select().from(electionMarks).where(eq(electionMarks.ballotId, ballot.id)) : [];
      const via = v.ownerIds.some((id) => myOwnerIds.includes(id)) ? ("owner" as const) : ("proxy" as const);
      myVoters.push({
        voterId: v.voterId,
        units: v.unitIds
          .map((id) => unitRows.find((u) => u.id === id))
          .filter(Boolean)
          .map((u) => `${u!.building} ${u!.number}`),
        receipt: ballot?.receipt ?? null,
        marks: Object.fromEntries(marks.map((m) => [m.candidateId, m.choice])),
        via,
        mayCast: mayCast(
          election,
          electionRules(election),
          ballot ?? null,
          { channel: via === "owner" ? "online" : "proxy", castBy: viewer.userId },
          now,
        ),
        zoneIds: zonesOfVoter(v.zoneAreas),
      });
    }
  }

  return {
    election: {
      id: election.id,
      title: election.title,
      kind: election.kind,
      status: election.status,
      nominationThreshold: election.nominationThreshold,
      nominationEndsAt: election.nominationEndsAt.toISOString(),
      votingStartsAt: election.votingStartsAt.toISOString(),
      votingEndsAt: election.votingEndsAt.toISOString(),
      termMonths: election.termMonths,
      ballotsChangeable: election.ballotsChangeable,
      zoneVoting: zoneVotingOf(election),
      publishedAt: election.publishedAt?.toISOString() ?? null,
      finalHash: election.finalHash,
    },
    committee: {
      id: committee.id,
      title: committee.title,
      size: committee.size,
      nSeats: committee.nSeats,
      xSeats: committee.xSeats,
      status: committee.status,
    },
    races: races
      .map((r) => ({
        race: r.race,
        zone: r.zoneId ? (zoneName.get(r.zoneId) ?? "") : null,
        zoneId: r.zoneId,
        seats: r.seats,
        position: r.zoneId ? zones.findIndex((z) => z.id === r.zoneId) : 999,
      }))
      .sort((a, b) => a.position - b.position),
    candidates: candidateRows.map(({ candidate: c, nominated, title, role }) => ({
      id: c.id,
      name: maskName(c.name),
      building: c.building,
      seat: c.seat as "N" | "X",
      zoneId: c.zoneId,
      zone: c.zoneId ? (zoneName.get(c.zoneId) ?? null) : null,
      roleTitle: title,
      publicRole: role,
      statement: c.statement,
      nominated: Number(nominated),
      qualified: c.seat === "X" || Number(nominated) >= election.nominationThreshold,
      mine: c.userId === viewer.userId,
      nominatedByMe: myNominations.some((n) => n.candidateId === c.id),
    })),
    myZoneIds: zones.filter((z) => myBuildings.some((b) => z.buildingIds.includes(b.id))).map((z) => z.id),
    isOwner: Boolean(owner),
    myVoters,
    result: showResult ? result : null,
  };
}
