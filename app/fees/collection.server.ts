import { sql } from "drizzle-orm";
import { getDb } from "#db/client";
import { rowsOf } from "~/notify/outbox.server";
import { trend, withRates, type RateRow, type Trend } from "./collection";

interface TallyRow {
  key: string;
  billed_fen: string | number;
  paid_fen: string | number;
  billed_units: string | number;
  paid_units: string | number;
}

const toTally = (r: TallyRow) => ({
  billedFen: Number(r.billed_fen),
  paidFen: Number(r.paid_fen),
  billedUnits: Number(r.billed_units),
  paidUnits: Number(r.paid_units),
});

export interface PeriodRate extends RateRow {
  periodKey: string;
  trend: Trend;
  deltaPermille: number | null;
}

export interface BuildingRate extends RateRow {
  building: string;
  trend: Trend;
  deltaPermille: number | null;
}

/**
 * The estate's collection rate for its most recent periods (oldest first), each with its
 * trend against the period before. A unit counts as paid for a period once all its bills of
 * that period are paid. Amounts are sums of integer fen (bigint in SQL).
 */
export async function collectionByPeriod(estateId: string, limit = 12): Promise<PeriodRate[]> {
  const result = await getDb().execute(sql`
    select period_key as key, min(period_start) as start,
           sum(amount_fen)::bigint as billed_fen,
           coalesce(sum(amount_fen) filter (where status = 'paid'), 0)::bigint as paid_fen,
           count(distinct unit_id) as billed_units,
           count(distinct unit_id) - count(distinct unit_id) filter (where status <> 'paid') as paid_units
    from bill
    where estate_id = ${estateId}
    group by period_key
    order by min(period_start) desc
    limit ${limit + 1}
  `);
  const rows = rowsOf<TallyRow>(result)
    .map((r) => ({ periodKey: r.key, ...withRates(toTally(r)) }))
    .reverse();
  return rows
    .map((row, i) => ({ ...row, ...trend(row.amountRate, i > 0 ? rows[i - 1].amountRate : null) }))
    .slice(rows.length > limit ? 1 : 0);
}

/** One period's rate by building, with each building's trend against the period given as previous. */
export async function collectionByBuilding(
  estateId: string,
  periodKey: string,
  previousKey: string | null,
): Promise<BuildingRate[]> {
  const result = await getDb().execute(sql`
    select b.period_key || '|' || bd.name as key,
           sum(b.amount_fen)::bigint as billed_fen,
           coalesce(sum(b.amount_fen) filter (where b.status = 'paid'), 0)::bigint as paid_fen,
           count(distinct b.unit_id) as billed_units,
           count(distinct b.unit_id) - count(distinct b.unit_id) filter (where b.status <> 'paid') as paid_units
    from bill b
    join building bd on bd.id = b.building_id
    where b.estate_id = ${estateId} and b.period_key in (${periodKey}, ${previousKey ?? periodKey})
    group by b.period_key, bd.name
  `);
  const byKey = new Map(rowsOf<TallyRow>(result).map((r) => [r.key, withRates(toTally(r))]));
  const rows: BuildingRate[] = [];
  for (const [key, row] of byKey) {
    const [period, building] = [key.slice(0, key.indexOf("|")), key.slice(key.indexOf("|") + 1)];
    if (period !== periodKey) continue;
    const before = previousKey ? byKey.get(`${previousKey}|${building}`) : undefined;
    rows.push({ building, ...row, ...trend(row.amountRate, before?.amountRate ?? null) });
  }
  return rows.sort((a, b) => a.building.localeCompare(b.building, "zh-CN", { numeric: true }));
}
