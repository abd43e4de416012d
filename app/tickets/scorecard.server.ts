import { and, desc, eq, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { rowsOf } from "~/notify/outbox.server";
import { ts } from "./tickets.server";
import { draftProposal } from "~/voting/proposals.server";
import { draftDefaults } from "~/voting/forms";
import { restDayTable } from "~/lib/rest-days.server";
import {
  addMonths,
  emptyMonth,
  monthStart,
  monthsEnding,
  periodKeysOf,
  permille,
  ratingTenths,
  type Month,
  type MonthFigures,
  type ProposalIntent,
} from "./scorecard";
import type { Failure, Ok } from "./company.server";

const { companyEstates, propertyCompanies, proposals, scorecardProposals } = schema;

interface FigureRow {
  month: string;
  opened: number | string;
  resp: unknown;
  res: unknown;
  in_time: number | string;
  target_due: number | string;
  reopened: number | string;
  ever_resolved: number | string;
  rating_sum: number | string;
  ratings: number | string;
}

/**
 * One estate's ticket figures for one company, month by month (Beijing time), in one SQL
 * statement: for each month (a VALUES row with its bounds), an aggregate over that month's
 * range of the (estate_id, created_at, …) index — counts with FILTER, the median and 90th
 * percentile together from one percentile_cont over an array of fractions (which skips tickets
 * without the moment measured). A ticket counts in the month it was filed. `company` null:
 * tickets filed while no company was recorded.
 */
export async function ticketFigures(
  db: Queryable,
  input: { estateId: string; companyId: string | null; first: Month; last: Month; now?: Date },
): Promise<Map<Month, MonthFigures>> {
  const now = input.now ?? new Date();
  const months: Month[] = [];
  for (let m = input.first; m <= input.last; m = addMonths(m, 1)) months.push(m);
  const bounds = sql.join(
    months.map((m) => sql`(${m}::text, ${ts(monthStart(m))}, ${ts(monthStart(addMonths(m, 1)))})`),
    sql`, `,
  );
  const result = await db.execute(sql`
    select m.month, f.*
    from (values ${bounds}) as m(month, starts, ends)
    cross join lateral (
      select count(*) as opened,
        percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from acknowledged_at - created_at) / 60) as resp,
        percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from resolved_at - created_at) / 60) as res,
        count(*) filter (where resolved_at <= resolution_due_at) as in_time,
        count(*) filter (where resolved_at is not null or resolution_due_at < ${ts(now)}) as target_due,
        count(*) filter (where reopen_count > 0) as reopened,
        count(*) filter (where first_resolved_at is not null) as ever_resolved,
        coalesce(sum(rating), 0) as rating_sum,
        count(rating) as ratings
      from ticket
      where estate_id = ${input.estateId}
        and created_at >= m.starts and created_at < m.ends
        and ${input.companyId === null ? sql`company_id is null` : sql`company_id = ${input.companyId}`}
    ) f
    where f.opened > 0
  `);
  const out = new Map<Month, MonthFigures>();
  for (const r of rowsOf<FigureRow>(result)) {
    const resolvedInTime = Number(r.in_time);
    const targetDue = Number(r.target_due);
    const reopened = Number(r.reopened);
    const everResolved = Number(r.ever_resolved);
    const ratingSum = Number(r.rating_sum);
    const ratings = Number(r.ratings);
    const [medResp, p90Resp] = pair(r.resp);
    const [medRes, p90Res] = pair(r.res);
    out.set(r.month, {
      ...emptyMonth(r.month),
      opened: Number(r.opened),
      medianResponseMin: medResp,
      p90ResponseMin: p90Resp,
      medianResolutionMin: medRes,
      p90ResolutionMin: p90Res,
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

/** percentile_cont over [0.5, 0.9]: an array (postgres.js parses it; PGlite may give its text), of nulls when nothing was measured. */
function pair(value: unknown): [number | null, number | null] {
  const list = Array.isArray(value)
    ? value
    : typeof value === "string"
      ? value.replace(/[{}]/g, "").split(",")
      : [null, null];
  const num = (v: unknown) => (v === null || v === undefined || v === "NULL" ? null : Math.round(Number(v)));
  return [num(list[0]), num(list[1])];
}

/**
 * The estate's fee collection rate (paid amount over billed amount) for the fee periods the
 * months fall in, in one statement over the fees feature's bill table: the same figure as its
 * collectionByPeriod's amountRate (a test holds the two equal), summed over the periods asked
 * for only, so it stays fast on years of bills.
 */
async function collectionByMonth(
  db: Queryable,
  estateId: string,
  months: readonly Month[],
): Promise<(month: Month) => number | null> {
  const keys = [...new Set(months.flatMap((m) => periodKeysOf(m)))];
  const result = await db.execute(sql`
    select period_key, sum(amount_fen)::bigint as billed_fen, coalesce(sum(amount_fen) filter (where status = 'paid'), 0)::bigint as paid_fen
    from bill
    where estate_id = ${estateId} and period_key in (${sql.join(
      keys.map((k) => sql`${k}`),
      sql`, `,
    )})
    group by period_key
  `);
  const rate = new Map(
    rowsOf<{ period_key: string; billed_fen: string | number; paid_fen: string | number }>(result).map((r) => [
      r.period_key,
      permille(Number(r.paid_fen), Number(r.billed_fen)),
    ]),
  );
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
export async function scorecard(input: {
  estateId: string;
  companyId: string | null;
  month: Month;
  now?: Date;
}): Promise<Scorecard> {
  const db = getDb();
  const months = monthsEnding(input.month, 12);
  const [figures, collection, company] = await Promise.all([
    ticketFigures(db, {
      estateId: input.estateId,
      companyId: input.companyId,
      first: months[0],
      last: input.month,
      now: input.now,
    }),
    collectionByMonth(db, input.estateId, months),
    input.companyId
      ? db
          .select({ id: propertyCompanies.id, name: propertyCompanies.name })
          .from(propertyCompanies)
          .where(eq(propertyCompanies.id, input.companyId))
      : Promise.resolve([]),
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
    .select({
      id: propertyCompanies.id,
      name: propertyCompanies.name,
      startedAt: companyEstates.startedAt,
      endedAt: companyEstates.endedAt,
    })
    .from(companyEstates)
    .innerJoin(propertyCompanies, eq(propertyCompanies.id, companyEstates.companyId))
    .where(eq(companyEstates.estateId, estateId))
    .orderBy(desc(companyEstates.startedAt));
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
}

/**
 * The committee turns a scorecard into a draft proposal on the property company (Civil Code
 * Art. 278: hiring and dismissing the company is the owners' joint decision), through the
 * voting feature's own draft command. The scorecard goes with it twice: as a table in the
 * proposal's text (what owners read and vote on), and frozen, figures and all, in
 * scorecard_proposal (what it said when the proposal was made). Both in one transaction: a
 * proposal without its scorecard would be a vote on a company without the figures behind it.
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
  return getDb().transaction(async (tx) => {
    // A draft's default dates in calendar days (comments, then 15 dates of notice, then two weeks of voting); the committee edits the draft.
    const dates = draftDefaults(now, await restDayTable(tx));
    const drafted = await draftProposal(
      {
        estateId: input.estateId,
        userId: input.userId,
        title: input.title,
        body: input.body,
        type: "property_company",
        ...dates,
        now,
      },
      tx,
    );
    if (!drafted.ok) return { ok: false, error: drafted.error } as const;
    await tx.insert(scorecardProposals).values({
      proposalId: drafted.id,
      estateId: input.estateId,
      companyId: input.card.company?.id ?? null,
      month: input.card.month,
      intent: input.intent,
      figures: input.card.months,
      createdBy: input.userId,
      createdAt: now,
    });
    return { ok: true, id: drafted.id } as const;
  });
}

/** Proposals started from this estate's scorecards. */
export async function scorecardProposalsOf(estateId: string) {
  return getDb()
    .select({
      id: proposals.id,
      title: proposals.title,
      status: proposals.status,
      month: scorecardProposals.month,
      intent: scorecardProposals.intent,
      createdAt: scorecardProposals.createdAt,
    })
    .from(scorecardProposals)
    .innerJoin(
      proposals,
      and(eq(proposals.id, scorecardProposals.proposalId), eq(proposals.estateId, scorecardProposals.estateId)),
    )
    .where(eq(scorecardProposals.estateId, estateId))
    .orderBy(desc(scorecardProposals.createdAt));
}
