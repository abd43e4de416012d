import { and, eq, sql } from "drizzle-orm";
import { schema, type Queryable } from "#db/client";
import type { UnitKind } from "#db/schema/places";
import { estateSettings } from "~/estates/procedure";
import { electorate } from "~/voting/tally";
import { votingRoster } from "~/voting/matters";
import type { Choice } from "~/voting/tally";
import { fail, type Failure } from "./access.server";
import type { Election } from "./elections.server";
import { onVotersBallot, zonesOfVoter, zonesShortAlone, type ZoneVoting } from "./zone-voting";

const { committeeZones, electionCandidates, electionRaces, electionVoters, estates, ownerships, units } = schema;

/** The zone voting an election runs under: fixed when voting opens; before that, the estate's setting. */
export function zoneVotingOf(election: Pick<Election, "zoneVoting">): ZoneVoting {
  return election.zoneVoting === "own" ? "own" : "all";
}

/**
 * At opening (in its transaction, after the voters are snapshotted): each voter's area in each
 * zone of the committee, from the units as they stand at that moment, so later roster edits do
 * not move anyone between zones' races.
 */
export async function snapshotZoneAreas(tx: Queryable, election: Pick<Election, "id" | "committeeId">) {
  await tx.execute(sql`
    update ${electionVoters} v set zone_areas = coalesce((
      select jsonb_object_agg(s.zone_id, s.area) from (
        select z.id as zone_id, sum(u.area_centi_sqm)::int as area
          from unnest(v.unit_ids) as uid(id)
          join ${units} u on u.id = uid.id
          join ${committeeZones} z on z.committee_id = ${election.committeeId} and u.building_id = any(z.building_ids)
         group by z.id) s), '{}'::jsonb)
     where v.election_id = ${election.id}`);
}

/** A voter's zones in an election (from the snapshot). */
async function voterZones(tx: Queryable, electionId: string, voterId: string): Promise<string[]> {
  const [row] = await tx
    .select({ zoneAreas: electionVoters.zoneAreas })
    .from(electionVoters)
    .where(and(eq(electionVoters.electionId, electionId), eq(electionVoters.voterId, voterId)));
  return zonesOfVoter(row?.zoneAreas);
}

/**
 * Under `own`, a ballot (online, by proxy or on paper) may mark only the X candidates and
 * those of the voter's zones. Under `all`, any candidate.
 */
export async function checkZoneMarks(
  tx: Queryable,
  election: Pick<Election, "id" | "zoneVoting">,
  voterId: string,
  marks: Record<string, Choice>,
): Promise<Failure | null> {
  if (zoneVotingOf(election) === "all") return null;
  const ids = Object.keys(marks);
  if (ids.length === 0) return null;
  const zones = await voterZones(tx, election.id, voterId);
  const rows = await tx
    .select({ id: electionCandidates.id, seat: electionCandidates.seat, zoneId: electionCandidates.zoneId })
    .from(electionCandidates)
    .where(eq(electionCandidates.electionId, election.id));
  const allowed = new Set(
    onVotersBallot(
      rows.map((r) => ({ ...r, seat: r.seat as "N" | "X" })),
      "own",
      zones,
    ).map((c) => c.id),
  );
  return ids.every((id) => allowed.has(id)) ? null : fail("notYourZone");
}

/** The qualified candidates on one voter's ballot (for the unmarked-candidates warning). */
export async function ballotCandidateIds(
  db: Queryable,
  election: Election,
  voterId: string,
  qualified: { id: string; seat: string; zoneId: string | null }[],
): Promise<string[]> {
  const mode = zoneVotingOf(election);
  const zones = mode === "own" ? await voterZones(db, election.id, voterId) : [];
  return onVotersBallot(
    qualified.map((c) => ({ ...c, seat: c.seat as "N" | "X" })),
    mode,
    zones,
  ).map((c) => c.id);
}

/**
 * For the committee before and during an election run under `all`: the zones whose owners
 * alone hold no more than half of the area or headcount, so that owners marking only their own
 * zone's candidates would elect nobody there. From the roster as it stands (the snapshot once
 * voting is open). Empty under `own`, or with a single zone.
 */
export async function zonesAtRisk(db: Queryable, election: Election): Promise<{ zoneId: string; name: string }[]> {
  const [estate] = await db
    .select({ settings: estates.settings })
    .from(estates)
    .where(eq(estates.id, election.estateId));
  const settings = estateSettings(estate.settings);
  const mode: ZoneVoting = election.status === "nominating" ? settings.electionZoneVoting : zoneVotingOf(election);
  if (mode !== "all") return [];
  const zones = await db
    .select({ id: committeeZones.id, name: committeeZones.name, buildingIds: committeeZones.buildingIds })
    .from(committeeZones)
    .where(eq(committeeZones.committeeId, election.committeeId))
    .orderBy(committeeZones.position);
  if (zones.length < 2) return [];
  // Only zones with seats in this election (a by-election may fill one zone's seat).
  const raced = new Set(
    (
      await db
        .select({ zoneId: electionRaces.zoneId })
        .from(electionRaces)
        .where(eq(electionRaces.electionId, election.id))
    ).map((r) => r.zoneId),
  );
  let voters: { areaCentiSqm: number; zoneAreas: Record<string, number> }[];
  if (election.status === "nominating") {
    const roster = await db
      .select({
        unitId: units.id,
        buildingId: units.buildingId,
        kind: units.kind,
        areaCentiSqm: units.areaCentiSqm,
        developerUnsold: units.developerUnsold,
        ownerIds: sql<
          string[]
        >`coalesce(array_agg(${ownerships.ownerId}::text) filter (where ${ownerships.ownerId} is not null), '{}')`,
      })
      .from(units)
      .leftJoin(ownerships, eq(ownerships.unitId, units.id))
      .where(eq(units.estateId, election.estateId))
      .groupBy(units.id);
    const counted = roster.filter((u) => u.developerUnsold || u.ownerIds.length > 0);
    const unit = new Map(counted.map((u) => [u.unitId, u]));
    const zoneOf = (buildingId: string) => zones.find((z) => z.buildingIds.includes(buildingId))?.id;
    voters = electorate(votingRoster(counted, settings.votingUnitKinds as UnitKind[])).map((v) => {
      const zoneAreas: Record<string, number> = {};
      for (const id of v.unitIds) {
        const u = unit.get(id)!;
        const z = zoneOf(u.buildingId);
        if (z) zoneAreas[z] = (zoneAreas[z] ?? 0) + u.areaCentiSqm;
      }
      return { areaCentiSqm: v.areaCentiSqm, zoneAreas };
    });
  } else {
    voters = (
      await db
        .select({ areaCentiSqm: electionVoters.areaCentiSqm, zoneAreas: electionVoters.zoneAreas })
        .from(electionVoters)
        .where(eq(electionVoters.electionId, election.id))
    ).map((v) => ({ areaCentiSqm: v.areaCentiSqm, zoneAreas: v.zoneAreas ?? {} }));
  }
  const total = { headcount: voters.length, areaCentiSqm: voters.reduce((n, v) => n + v.areaCentiSqm, 0) };
  if (total.headcount === 0) return [];
  const short = zonesShortAlone(
    zones
      .filter((z) => raced.has(z.id))
      .map((z) => {
        const inZone = voters.filter((v) => (v.zoneAreas[z.id] ?? 0) > 0);
        return {
          zoneId: z.id,
          headcount: inZone.length,
          areaCentiSqm: inZone.reduce((n, v) => n + v.zoneAreas[z.id], 0),
        };
      }),
    total,
  );
  return zones.filter((z) => short.includes(z.id)).map((z) => ({ zoneId: z.id, name: z.name }));
}
