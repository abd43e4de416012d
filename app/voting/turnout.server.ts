import { sql } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { beijingDate } from "~/lib/time";
import { enqueue, rowsOf } from "~/notify/outbox.server";
import { maskName } from "~/ui/mask";
import { lockProposal, type Failure } from "./access.server";
import { recordAudit } from "~/audit/audit.server";
import { participationFromDb } from "./proposals.server";
import { participation, type Participation } from "./tally";

export interface BuildingTurnout {
  building: string;
  units: number;
  votedUnits: number;
  areaCentiSqm: number;
  votedAreaCentiSqm: number;
  voters: number;
  votedVoters: number;
  /** The building's participation against the quorum (a building-scoped vote's own quorum). */
  criteria: Participation["criteria"];
}

/**
 * Live turnout while a vote runs: participation only (area and headcount against the quorum),
 * overall and by building (a voter holding units in two buildings counts in each of them). No
 * choice is read: the count is sealed until the vote closes.
 */
export async function liveTurnout(proposalId: string) {
  const db = getDb();
  const [overall, buildings] = await Promise.all([
    participationFromDb(db, proposalId),
    db.execute(sql`
      select vu.building_name as building,
             count(*)::int as units,
             (count(*) filter (where b.id is not null))::int as voted_units,
             sum(vu.area_centi_sqm)::bigint as area,
             coalesce(sum(vu.area_centi_sqm) filter (where b.id is not null), 0)::bigint as voted_area,
             count(distinct vu.voter_id)::int as voters,
             (count(distinct vu.voter_id) filter (where b.id is not null))::int as voted_voters
        from vote_unit vu
        left join ballot b on b.proposal_id = vu.proposal_id and b.voter_id = vu.voter_id and not b.superseded
       where vu.proposal_id = ${proposalId}
       group by vu.building_name
       order by length(vu.building_name), vu.building_name`),
  ]);
  const byBuilding = buildingTurnout(buildings);
  return { overall, byBuilding };
}

/**
 * The same participation for a committee election while it runs (and after): the snapshot's
 * voters with a current ballot, overall and by building of their units. No mark is read.
 */
export async function electionTurnout(electionId: string) {
  const db = getDb();
  const [overallRows, buildingRows] = await Promise.all([
    db.execute(sql`
      select count(*)::int as n,
             coalesce(sum(v.area_centi_sqm), 0)::bigint as a,
             (count(*) filter (where b.id is not null))::int as pn,
             coalesce(sum(v.area_centi_sqm) filter (where b.id is not null), 0)::bigint as pa
        from committee_election_voter v
        left join committee_election_ballot b
          on b.election_id = v.election_id and b.voter_id = v.voter_id and b.replaced_at is null
       where v.election_id = ${electionId}`),
    db.execute(sql`
      with u as (
        select bd.name as building, un.area_centi_sqm as area, v.voter_id,
               exists (select 1 from committee_election_ballot b
                        where b.election_id = v.election_id and b.voter_id = v.voter_id and b.replaced_at is null) as voted
          from committee_election_voter v
          cross join lateral unnest(v.unit_ids) as uid(id)
          join unit un on un.id = uid.id
          join building bd on bd.id = un.building_id
         where v.election_id = ${electionId})
      select building,
             count(*)::int as units,
             (count(*) filter (where voted))::int as voted_units,
             sum(area)::bigint as area,
             coalesce(sum(area) filter (where voted), 0)::bigint as voted_area,
             count(distinct voter_id)::int as voters,
             (count(distinct voter_id) filter (where voted))::int as voted_voters
        from u
       group by building
       order by length(building), building`),
  ]);
  const [o] = rowsOf<{ n: number; a: string | number; pn: number; pa: string | number }>(overallRows);
  const overall = participation({
    totalArea: Number(o.a),
    totalHeadcount: Number(o.n),
    participatingArea: Number(o.pa),
    participatingHeadcount: Number(o.pn),
  });
  return { overall, byBuilding: buildingTurnout(buildingRows) };
}

function buildingTurnout(result: unknown): BuildingTurnout[] {
  return rowsOf<{
    building: string;
    units: number;
    voted_units: number;
    area: number;
    voted_area: number;
    voters: number;
    voted_voters: number;
  }>(result).map((r) => ({
    building: r.building,
    units: Number(r.units),
    votedUnits: Number(r.voted_units),
    areaCentiSqm: Number(r.area),
    votedAreaCentiSqm: Number(r.voted_area),
    voters: Number(r.voters),
    votedVoters: Number(r.voted_voters),
    criteria: participation({
      totalArea: Number(r.area),
      totalHeadcount: Number(r.voters),
      participatingArea: Number(r.voted_area),
      participatingHeadcount: Number(r.voted_voters),
    }).criteria,
  }));
}

/** Units whose voter has not voted, with masked owner names, for door-to-door visits. */
export async function unitsNotVoted(proposalId: string, building?: string) {
  const rows = await getDb().execute(sql`
    select vu.building_name as building, vu.unit_number as number, vu.area_centi_sqm as area, vu.voter_id,
           (select array_agg(o.name order by o.name) from owner o where o.id = any(vv.owner_ids)) as names
      from vote_unit vu
      join vote_voter vv on vv.proposal_id = vu.proposal_id and vv.voter_id = vu.voter_id
     where vu.proposal_id = ${proposalId}
       ${building ? sql`and vu.building_name = ${building}` : sql``}
       and not exists (select 1 from ballot b where b.proposal_id = vu.proposal_id and b.voter_id = vu.voter_id and not b.superseded)
     order by length(vu.building_name), vu.building_name, length(vu.unit_number), vu.unit_number`);
  return rowsOf<{ building: string; number: string; area: number; voter_id: string; names: string[] | null }>(rows).map(
    (r) => ({
      building: r.building,
      number: r.number,
      areaCentiSqm: Number(r.area),
      developer: r.voter_id === "developer",
      owners: (r.names ?? []).map(maskName),
    }),
  );
}

/**
 * Reminds every account linked to an owner whose voter has not voted yet, through the outbox
 * (mail where the person wants vote mail, and an in-app notice), in one transaction.
 */
export async function remindNonVoters(input: {
  estateId: string;
  estateSlug: string;
  proposalId: string;
  userId: string;
  now?: Date;
}): Promise<{ ok: true; people: number; mails: number } | Failure<"voting.errors.notFound" | "voting.errors.notOpen">> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const p = await lockProposal(tx, input.estateId, input.proposalId);
    if (!p) return { ok: false, error: "voting.errors.notFound" } as const;
    if (p.status !== "voting" || now >= p.votingEndsAt) return { ok: false, error: "voting.errors.notOpen" } as const;
    const rows = rowsOf<{ user_id: string }>(
      await tx.execute(sql`
        select distinct o.user_id
          from vote_voter vv
          join owner o on o.id = any(vv.owner_ids) and o.estate_id = ${input.estateId}
         where vv.proposal_id = ${p.id}
           and o.user_id is not null
           and not exists (select 1 from ballot b where b.proposal_id = vv.proposal_id and b.voter_id = vv.voter_id and not b.superseded)`),
    );
    // Reminders go out at most once a Beijing day to each person.
    const key = `vote-reminder:${p.id}:${beijingDate(now)}`;
    const sent = await enqueue(
      tx,
      rows.map((r) => ({
        template: "vote-opened" as const,
        userId: r.user_id,
        estateId: input.estateId,
        idempotencyKey: key,
        props: {
          proposalTitle: p.title,
          closesAt: p.votingEndsAt.toISOString(),
          path: `/e/${input.estateSlug}/proposals/${p.id}`,
        },
      })),
    );
    await tx
      .update(schema.proposals)
      .set({ lastReminderAt: now })
      .where(sql`${schema.proposals.id} = ${p.id}`);
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "vote_remind",
      subjectType: "proposal",
      subjectId: p.id,
      detail: { people: rows.length, mails: sent.mails },
      at: now,
    });
    return { ok: true, people: rows.length, mails: sent.mails } as const;
  });
}
