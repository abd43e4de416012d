import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { schema, type Queryable, type Tx } from "#db/client";
import type { UnitKind } from "#db/schema/places";
import { isUuid } from "~/lib/ids";
import { rowsOf } from "~/notify/outbox.server";
import { votingRoster } from "../matters";
import { electorate } from "../tally";
import { kindOf, type VoteRef } from "./kinds";

const { buildings, electionVoters, ownerships, units, voteUnits, voteVoters } = schema;

/** The buildings whose owners decide; null: the whole estate. */
export type Scope = { buildingIds: string[] } | null;

/** A scope as stored (`scope_building_ids`, null for the whole estate) and back. */
export function scopeOf(buildingIds: string[] | null | undefined): Scope {
  return buildingIds && buildingIds.length > 0 ? { buildingIds } : null;
}
export function scopeColumn(scope: Scope): string[] | null {
  return scope ? [...new Set(scope.buildingIds)].sort() : null;
}

/** One voter of the snapshot (SPC interpretation Art. 9): its units, their area summed, and its owners. */
export interface SnapshotVoter {
  voterId: string;
  areaCentiSqm: number;
  unitIds: string[];
  /** The roster owners behind the voter (empty for the developer's unsold units). */
  ownerIds: string[];
}

/** One unit of the snapshot, with the voter it belongs to. */
export interface SnapshotUnit {
  unitId: string;
  voterId: string;
  buildingId: string;
  buildingName: string;
  unitNumber: string;
  areaCentiSqm: number;
}

export type Snapshot =
  | { ok: true; voters: SnapshotVoter[]; units: SnapshotUnit[]; totals: { headcount: number; areaCentiSqm: number } }
  | { ok: false; error: "ownersMissing"; params: { count: number; units: string } }
  | { ok: false; error: "emptyElectorate" };

/** The roster of the scope as it stands: units of the counted kinds, with their owners. */
async function scopeRoster(db: Queryable, estateId: string, scope: Scope, countedKinds: readonly string[]) {
  return db
    .select({
      unitId: units.id,
      kind: units.kind,
      areaCentiSqm: units.areaCentiSqm,
      developerUnsold: units.developerUnsold,
      buildingId: buildings.id,
      building: buildings.name,
      number: units.number,
      ownerIds: sql<
        string[]
      >`coalesce(array_agg(${ownerships.ownerId} order by ${ownerships.ownerId}) filter (where ${ownerships.ownerId} is not null), '{}')`,
    })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .leftJoin(ownerships, eq(ownerships.unitId, units.id))
    .where(
      and(
        eq(units.estateId, estateId),
        inArray(units.kind, countedKinds as UnitKind[]),
        scope ? inArray(units.buildingId, scope.buildingIds) : undefined,
      ),
    )
    .groupBy(units.id, buildings.id)
    .orderBy(asc(buildings.name), asc(units.number));
}

type RosterRow = Awaited<ReturnType<typeof scopeRoster>>[number];

function votersOf(roster: RosterRow[], countedKinds: readonly string[]): SnapshotVoter[] {
  const ownersOf = new Map(roster.map((u) => [u.unitId, u.ownerIds]));
  return electorate(votingRoster(roster, countedKinds as UnitKind[])).map((v) => ({
    ...v,
    // The union over the voter's units: the same owners for each today, one person's across units once
    // voters are keyed by person.
    ownerIds: v.voterId === "developer" ? [] : [...new Set(v.unitIds.flatMap((u) => ownersOf.get(u) ?? []))].sort(),
  }));
}

/**
 * The electorate of a vote as the roster stands (the caller fixes it when voting opens): the
 * scope's units of the kinds the estate counts, grouped into voters by `electorate()`. Refused
 * while a unit has neither an owner nor is the developer's unsold one (the first ten are listed),
 * or when nobody would vote.
 */
export async function snapshotElectorate(
  tx: Queryable,
  input: { estateId: string; scope: Scope; countedKinds: readonly string[] },
): Promise<Snapshot> {
  const roster = await scopeRoster(tx, input.estateId, input.scope, input.countedKinds);
  const orphans = roster.filter((u) => !u.developerUnsold && u.ownerIds.length === 0);
  if (orphans.length > 0)
    return {
      ok: false,
      error: "ownersMissing",
      params: {
        count: orphans.length,
        units: orphans
          .slice(0, 10)
          .map((u) => `${u.building} ${u.number}`)
          .join("、"),
      },
    };
  const voters = votersOf(roster, input.countedKinds);
  if (voters.length === 0) return { ok: false, error: "emptyElectorate" };
  const voterOfUnit = new Map(voters.flatMap((v) => v.unitIds.map((u) => [u, v.voterId] as const)));
  return {
    ok: true,
    voters,
    units: roster.map((u) => ({
      unitId: u.unitId,
      voterId: voterOfUnit.get(u.unitId)!,
      buildingId: u.buildingId,
      buildingName: u.building,
      unitNumber: u.number,
      areaCentiSqm: u.areaCentiSqm,
    })),
    totals: { headcount: voters.length, areaCentiSqm: voters.reduce((s, v) => s + v.areaCentiSqm, 0) },
  };
}

/**
 * The totals a notice states for a scope (headcount and exclusive area of the owners who would
 * vote if it opened now) and the scope's building names. Units still without an owner are left
 * out here; opening refuses them.
 */
export async function scopeTotals(
  db: Queryable,
  estateId: string,
  scope: Scope,
  countedKinds: readonly string[],
): Promise<{ headcount: number; areaCentiSqm: number; buildings: string[] }> {
  const roster = await scopeRoster(db, estateId, scope, countedKinds);
  const voters = votersOf(
    roster.filter((u) => u.developerUnsold || u.ownerIds.length > 0),
    countedKinds,
  );
  const names = scope
    ? await db
        .select({ name: buildings.name })
        .from(buildings)
        .where(and(eq(buildings.estateId, estateId), inArray(buildings.id, scope.buildingIds)))
        .orderBy(asc(buildings.name))
    : await db
        .select({ name: buildings.name })
        .from(buildings)
        .where(eq(buildings.estateId, estateId))
        .orderBy(asc(buildings.name));
  return {
    headcount: voters.length,
    areaCentiSqm: voters.reduce((s, v) => s + v.areaCentiSqm, 0),
    buildings: names.map((b) => b.name),
  };
}

/**
 * A scope as chosen for a draft: every building one of the estate's (else null, refused),
 * duplicates dropped; an empty choice is the whole estate.
 */
export async function checkScope(
  db: Queryable,
  estateId: string,
  buildingIds: readonly string[] | null | undefined,
): Promise<{ ok: true; scope: Scope } | { ok: false; error: "scopeBuildings" }> {
  const ids = [...new Set(buildingIds ?? [])];
  if (ids.length === 0) return { ok: true, scope: null };
  if (!ids.every(isUuid)) return { ok: false, error: "scopeBuildings" };
  const found = await db
    .select({ id: buildings.id })
    .from(buildings)
    .where(and(eq(buildings.estateId, estateId), inArray(buildings.id, ids)));
  if (found.length !== ids.length) return { ok: false, error: "scopeBuildings" };
  return { ok: true, scope: { buildingIds: ids.sort() } };
}

/** Writes a snapshot to the vote's tables (the caller holds the vote's lock, in its transaction). */
export async function writeSnapshot(
  tx: Tx,
  ref: VoteRef,
  estateId: string,
  snapshot: { voters: SnapshotVoter[]; units: SnapshotUnit[] },
): Promise<void> {
  const { voters } = snapshot;
  for (let i = 0; i < voters.length; i += 1000) {
    const chunk = voters.slice(i, i + 1000);
    if (ref.kind === "proposal")
      await tx.insert(voteVoters).values(
        chunk.map((v) => ({
          proposalId: ref.id,
          estateId,
          voterId: v.voterId,
          areaCentiSqm: v.areaCentiSqm,
          headcount: 1,
          unitIds: v.unitIds,
          ownerIds: v.ownerIds,
        })),
      );
    else
      await tx.insert(electionVoters).values(
        chunk.map((v) => ({
          electionId: ref.id,
          estateId,
          voterId: v.voterId,
          areaCentiSqm: v.areaCentiSqm,
          unitIds: v.unitIds,
          ownerIds: v.ownerIds,
        })),
      );
  }
  // Elections read their units through the voters' unit_ids; proposals keep a unit table for
  // turnout by building and paper entry by unit label.
  if (ref.kind !== "proposal") return;
  for (let i = 0; i < snapshot.units.length; i += 1000) {
    await tx.insert(voteUnits).values(
      snapshot.units.slice(i, i + 1000).map((u) => ({
        proposalId: ref.id,
        estateId,
        unitId: u.unitId,
        voterId: u.voterId,
        buildingName: u.buildingName,
        unitNumber: u.unitNumber,
        areaCentiSqm: u.areaCentiSqm,
      })),
    );
  }
}

/**
 * The accounts of the snapshot's owners: who hears that a vote opened, and of its result
 * (the same people for proposals and elections).
 */
export async function electorateUserIds(db: Queryable, ref: VoteRef): Promise<string[]> {
  const k = kindOf(ref);
  const rows = rowsOf<{ user_id: string }>(
    await db.execute(sql`
      select distinct o.user_id from owner o
       where o.user_id is not null
         and o.id in (select unnest(owner_ids) from ${sql.identifier(k.voterTable)}
                       where ${sql.identifier(k.voteColumn)} = ${ref.id})
       order by o.user_id`),
  );
  return rows.map((r) => r.user_id);
}

/** A snapshot's refusal as the catalogue words it (one wording for proposals and elections). */
export function snapshotRefusal(
  s: Extract<Snapshot, { ok: false }>,
):
  | { ok: false; error: "voting.errors.ownersMissing"; params: { count: number; units: string } }
  | { ok: false; error: "voting.errors.emptyElectorate" } {
  return s.error === "ownersMissing"
    ? { ok: false, error: "voting.errors.ownersMissing", params: s.params }
    : { ok: false, error: "voting.errors.emptyElectorate" };
}
