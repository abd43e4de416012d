import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { committeePage } from "~/committee/pages.server";
import { collectionByPeriod } from "~/fees/collection.server";
import { rowsOf } from "~/notify/outbox.server";
import { ts } from "~/tickets/tickets.server";
import { participationFromDb } from "~/voting/proposals.server";
import { direction, drifting, permille, ratingTenths } from "~/tickets/scorecard";

/*
 * The community page: one read over every estate a property company serves, composed from the
 * features that own each figure (tickets, fees, committee, voting). It sits above them, so none
 * of them needs another to draw it.
 */

const { communities, estates, proposals } = schema;

export interface EstateRow {
  slug: string;
  name: string;
  /** Fee collection rate of the latest period, per mille, and its trend over the last periods. */
  collectionRate: number | null;
  collectionPeriod: string | null;
  collectionSeries: (number | null)[];
  collectionDirection: "up" | "down" | "flat" | null;
  openTickets: number;
  overdueTickets: number;
  /** Minutes, tickets filed in the last 3 months. */
  medianResponseMin: number | null;
  /** Tenths of a star, ratings of tickets filed in the last 3 months, and the 3 before. */
  satisfaction: number | null;
  satisfactionBefore: number | null;
  satisfactionDirection: "up" | "down" | "flat" | null;
  committee: {
    termEndsAt: string | null;
    termState: "ended" | "ending" | null;
    firstMeetingLate: boolean;
    vacancies: number;
    lateDecisions: number;
    overdueRequisitions: number;
  } | null;
  votes: { id: string; title: string; turnoutArea: number | null; turnoutHeadcount: number | null }[];
  drifting: boolean;
}

/**
 * One row per estate of the community, from what the other features expose: the fees
 * feature's collection rate by period, the committee page's vacancies and late decisions, the
 * voting feature's live tally for turnout; ticket figures in one SQL statement for all estates.
 */
export async function communityOverview(communityId: string, now: Date = new Date()) {
  const db = getDb();
  const [community] = await db.select().from(communities).where(eq(communities.id, communityId));
  const list = await db.select().from(estates).where(eq(estates.communityId, communityId)).orderBy(asc(estates.name));
  if (!community || list.length === 0)
    return { community: community ? { name: community.name } : null, estates: [] as EstateRow[] };
  const ids = list.map((e) => e.id);
  const day = 86_400_000;
  const threeMonths = new Date(now.getTime() - 91 * day);
  const sixMonths = new Date(now.getTime() - 182 * day);
  const ticketRows = rowsOf<{
    estate_id: string;
    open: number | string;
    overdue: number | string;
    med_resp: number | string | null;
    rating_sum: number | string;
    ratings: number | string;
    rating_sum_before: number | string;
    ratings_before: number | string;
  }>(
    await db.execute(sql`
      select estate_id,
        count(*) filter (where status <> 'closed') as open,
        count(*) filter (where status in ('open', 'acknowledged') and ((status = 'open' and response_due_at < ${ts(now)}) or resolution_due_at < ${ts(now)})) as overdue,
        percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - created_at) / 60) filter (where created_at >= ${ts(threeMonths)}) as med_resp,
        coalesce(sum(rating) filter (where created_at >= ${ts(threeMonths)}), 0) as rating_sum,
        count(rating) filter (where created_at >= ${ts(threeMonths)}) as ratings,
        coalesce(sum(rating) filter (where created_at >= ${ts(sixMonths)} and created_at < ${ts(threeMonths)}), 0) as rating_sum_before,
        count(rating) filter (where created_at >= ${ts(sixMonths)} and created_at < ${ts(threeMonths)}) as ratings_before
      from ticket
      where estate_id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )}) and (status <> 'closed' or created_at >= ${ts(sixMonths)})
      group by estate_id
    `),
  );
  const tickets = new Map(ticketRows.map((r) => [r.estate_id, r]));
  const openVotes = await db
    .select({ id: proposals.id, estateId: proposals.estateId, title: proposals.title, matter: proposals.matter })
    .from(proposals)
    .where(and(inArray(proposals.estateId, ids), eq(proposals.status, "voting")));

  const rows: EstateRow[] = [];
  for (const e of list) {
    const periods = await collectionByPeriod(e.id, 6);
    const series = periods.map((p) => p.amountRate);
    const latest = periods.at(-1) ?? null;
    const t = tickets.get(e.id);
    const satisfaction = t ? ratingTenths(Number(t.rating_sum), Number(t.ratings)) : null;
    const satisfactionBefore = t ? ratingTenths(Number(t.rating_sum_before), Number(t.ratings_before)) : null;
    const collectionDirection = direction(series, Math.max(1, Math.floor(series.length / 2)), 5);
    const satisfactionDirection = direction([satisfactionBefore, satisfaction], 1, 1);
    const page = await committeePage(e.id, { now });
    const votes = [];
    for (const v of openVotes.filter((p) => p.estateId === e.id)) {
      const tally = await participationFromDb(db, v.id);
      votes.push({
        id: v.id,
        title: v.title,
        turnoutArea: permille(tally.participatingArea, tally.totalArea),
        turnoutHeadcount: permille(tally.participatingHeadcount, tally.totalHeadcount),
      });
    }
    rows.push({
      slug: e.slug,
      name: e.name,
      collectionRate: latest?.amountRate ?? null,
      collectionPeriod: latest?.periodKey ?? null,
      collectionSeries: series,
      collectionDirection,
      openTickets: Number(t?.open ?? 0),
      overdueTickets: Number(t?.overdue ?? 0),
      medianResponseMin: t?.med_resp === null || t?.med_resp === undefined ? null : Math.round(Number(t.med_resp)),
      satisfaction,
      satisfactionBefore,
      satisfactionDirection,
      committee: page?.committee
        ? {
            termEndsAt: page.committee.termEndsAt,
            termState: page.committee.termState,
            firstMeetingLate: page.committee.firstMeetingOverdue || page.committee.firstMeetingHeldLate !== null,
            vacancies: page.vacancies.n + page.vacancies.x,
            lateDecisions: page.late.length,
            overdueRequisitions: page.overdueRequisitions.length,
          }
        : null,
      votes,
      drifting: drifting(collectionDirection, satisfactionDirection),
    });
  }
  return { community: { name: community.name }, estates: rows };
}
