import { and, desc, eq, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { collectionByPeriod } from "~/fees/collection.server";
import { rowsOf } from "~/notify/outbox.server";
import { ts } from "./tickets.server";
import { draftProposal } from "~/voting/proposals.server";
import { addMonths, emptyMonth, monthStart, monthsEnding, periodKeysOf, permille, ratingTenths, type Month, type MonthFigures } from "./scorecard";
import type { Failure, Ok } from "./company.server";

const { companyEstates, propertyCompanies, proposals, scorecardProposals } = schema;

interface FigureRow {
  month: string;
  opened: number | string;
  med_resp: number | string | null;
  p90_resp: number | string | null;
  med_res: number | string | null;
  p90_res: number | string | null;
  in_time: number | string;
  target_due: number | string;
  reopened: number | string;
  ever_resolved: number | string;
  rating_sum: number | string;
  ratings: number | string;
}

const num = (v: number | string | null) => (v === null ? null : Math.round(Number(v)));

/**
 * One estate's ticket figures for one company, month by month (Beijing time), in one SQL
 * statement: counts with FILTER, medians and 90th percentiles with percentile_cont (which
 * skips tickets without the moment measured). A ticket counts in the month it was filed.
 * `company` null: tickets filed while no company was recorded.
 */
export async function ticketFigures(db: Queryable, input: { estateId: string; companyId: string | null; first: Month; last: Month; now?: Date }): Promise<Map<Month, MonthFigures>> {
  const now = input.now ?? new Date();
  const from = monthStart(input.first);
  const to = monthStart(addMonths(input.last, 1));
  const result = await db.execute(sql`
    select to_char(created_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month,
      count(*) as opened,
      percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - created_at) / 60) as med_resp,
      percentile_cont(0.9) within group (order by extract(epoch from acknowledged_at - created_at) / 60) as p90_resp,
      percentile_cont(0.5) within group (order by extract(epoch from resolved_at - created_at) / 60) as med_res,
      percentile_cont(0.9) within group (order by extract(epoch from resolved_at - created_at) / 60) as p90_res,
      count(*) filter (where resolved_at is not null and resolved_at <= resolution_due_at) as in_time,
      count(*) filter (where resolved_at is not null or resolution_due_at < ${ts(now)}) as target_due,
      count(*) filter (where reopen_count > 0) as reopened,
      count(*) filter (where first_resolved_at is not null) as ever_resolved,
      coalesce(sum(rating), 0) as rating_sum,
      count(rating) as ratings
    from ticket
    where estate_id = ${input.estateId}
      and ${input.companyId === null ? sql`company_id is null` : sql`company_id = ${input.companyId}`}
      and created_at >= ${ts(from)} and created_at < ${ts(to)}
    group by 1
  `);
  const out = new Map<Month, MonthFigures>();
  for (const r of rowsOf<FigureRow>(result)) {
    const resolvedInTime = Number(r.in_time);
    const targetDue = Number(r.target_due);
    const reopened = Number(r.reopened);
    const everResolved = Number(r.ever_resolved);
    const ratingSum = Number(r.rating_sum);
    const ratings = Number(r.ratings);
    out.set(r.month, {
      ...emptyMonth(r.month),
      opened: Number(r.opened),
      medianResponseMin: num(r.med_resp),
      p90ResponseMin: num(r.p90_resp),
      medianResolutionMin: num(r.med_res),
      p90ResolutionMin: num(r.p90_res),
      resolvedInTime,
      targetDue,
      withinTarget: permille(resolvedInTime, targetDue),
      reopened,
      everResolved,
      reopenRate: permille(reopened, everResolved),
      ratingSum,
      ratings,
      avgRating: ratingTenths(ratingSum, ratings),
    });
  }
  return out;
}

/** The fee collection rate by month, from the fees feature's query (a quarterly or yearly bill covers its months). */
async function collectionByMonth(estateId: string): Promise<(month: Month) => number | null> {
  const periods = await collectionByPeriod(estateId, 36);
  const rate = new Map(periods.map((p) => [p.periodKey, p.amountRate]));
  return (month) => {
    for (const key of periodKeysOf(month)) if (rate.has(key)) return rate.get(key) ?? null;
    return null;
  };
}

export interface Scorecard {
  company: { id: string; name: string } | null;
  month: Month;
  months: MonthFigures[];
}

/** The scorecard for `month` and the eleven months before it. */
export async function scorecard(input: { estateId: string; companyId: string | null; month: Month; now?: Date }): Promise<Scorecard> {
  const db = getDb();
  const months = monthsEnding(input.month, 12);
  const [figures, collection, company] = await Promise.all([
    ticketFigures(db, { estateId: input.estateId, companyId: input.companyId, first: months[0], last: input.month, now: input.now }),
    collectionByMonth(input.estateId),
    input.companyId ? db.select({ id: propertyCompanies.id, name: propertyCompanies.name }).from(propertyCompanies).where(eq(propertyCompanies.id, input.companyId)) : Promise.resolve([]),
  ]);
  return {
    company: company[0] ?? null,
    month: input.month,
    months: months.map((m) => ({ ...(figures.get(m) ?? emptyMonth(m)), collectionRate: collection(m) })),
  };
}

/** The companies that have served the estate, newest first (the scorecard can show each). */
export async function companiesOfEstate(estateId: string) {
  const rows = await getDb()
    .select({ id: propertyCompanies.id, name: propertyCompanies.name, startedAt: companyEstates.startedAt, endedAt: companyEstates.endedAt })
    .from(companyEstates)
    .innerJoin(propertyCompanies, eq(propertyCompanies.id, companyEstates.companyId))
    .where(eq(companyEstates.estateId, estateId))
    .orderBy(desc(companyEstates.startedAt));
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
}

export const proposalIntents = ["renew", "renegotiate", "replace"] as const;
export type ProposalIntent = (typeof proposalIntents)[number];

/**
 * The committee turns a scorecard into a draft proposal on the property company (Civil Code
 * Art. 278: hiring and dismissing the company is the owners' joint decision), through the
 * voting feature's own draft command. The scorecard goes with it twice: as a table in the
 * proposal's text (what owners read and vote on), and frozen, figures and all, in
 * scorecard_proposal (what it said when the proposal was made).
 */
export async function proposeFromScorecard(input: {
  estateId: string;
  userId: string;
  card: Scorecard;
  intent: ProposalIntent;
  title: string;
  body: string;
  now?: Date;
}): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  // Comments for 15 days (owners are told 15 days ahead), then two weeks of voting; the committee edits the draft.
  const start = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000);
  const day = 86_400_000;
  const drafted = await draftProposal({
    estateId: input.estateId,
    userId: input.userId,
    title: input.title,
    body: input.body,
    type: "property_company",
    commentEndsAt: new Date(start.getTime() + 15 * day),
    votingStartsAt: new Date(start.getTime() + 15 * day),
    votingEndsAt: new Date(start.getTime() + 29 * day),
    now,
  });
  if (!drafted.ok) return { ok: false, error: drafted.error };
  await getDb()
    .insert(scorecardProposals)
    .values({
      proposalId: drafted.id,
      estateId: input.estateId,
      companyId: input.card.company?.id ?? null,
      month: input.card.month,
      intent: input.intent,
      figures: input.card.months,
      createdBy: input.userId,
      createdAt: now,
    });
  return { ok: true, id: drafted.id };
}

/** Proposals started from this estate's scorecards. */
export async function scorecardProposalsOf(estateId: string) {
  return getDb()
    .select({ id: proposals.id, title: proposals.title, status: proposals.status, month: scorecardProposals.month, intent: scorecardProposals.intent, createdAt: scorecardProposals.createdAt })
    .from(scorecardProposals)
    .innerJoin(proposals, and(eq(proposals.id, scorecardProposals.proposalId), eq(proposals.estateId, scorecardProposals.estateId)))
    .where(eq(scorecardProposals.estateId, estateId))
    .orderBy(desc(scorecardProposals.createdAt));
}
