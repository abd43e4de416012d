import { and, asc, count, desc, eq, gt, inArray, lte, sql, type SQL } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import type { BillingCycle, BillStatus, FeeCharge, SchedulePublisher } from "#db/schema/fees";
import type { UnitKind } from "#db/schema/places";
import { recordAudit } from "~/audit/audit.server";
import { enqueue, rowsOf } from "~/notify/outbox.server";
import { postNotice } from "~/board/board.server";
import { longBeijingDate } from "~/board/publicity";
import { getT } from "~/i18n/i18n.server";
import { formatFen } from "~/lib/money";
import { chargeBasis, rateLines } from "./kinds";
import { parsePeriod } from "./periods";
import { addDaysToDate } from "~/lib/time";

const {
  bills,
  buildings,
  checkouts,
  estates,
  feeRates,
  feeSchedules,
  feeSettings,
  owners,
  ownerships,
  payments,
  refunds,
  residents,
  units,
} = schema;

// ---------------------------------------------------------------------------------------------
// Settings

export interface FeeSettingsView {
  billingCycle: BillingCycle;
  dueDays: number;
  schedulePublisher: SchedulePublisher;
  reminderDay: number | null;
}

export const defaultFeeSettings: FeeSettingsView = {
  billingCycle: "monthly",
  dueDays: 30,
  schedulePublisher: "property_staff",
  reminderDay: null,
};

export async function feeSettingsOf(db: Queryable, estateId: string): Promise<FeeSettingsView> {
  const [row] = await db
    .select({
      billingCycle: feeSettings.billingCycle,
      dueDays: feeSettings.dueDays,
      schedulePublisher: feeSettings.schedulePublisher,
      reminderDay: feeSettings.reminderDay,
    })
    .from(feeSettings)
    .where(eq(feeSettings.estateId, estateId));
  return row ?? defaultFeeSettings;
}

export async function saveFeeSettings(input: {
  estateId: string;
  actorId: string;
  values: FeeSettingsView;
  now?: Date;
}) {
  const now = input.now ?? new Date();
  await getDb().transaction(async (tx) => {
    await tx
      .insert(feeSettings)
      .values({ estateId: input.estateId, ...input.values, updatedAt: now, updatedBy: input.actorId })
      .onConflictDoUpdate({
        target: feeSettings.estateId,
        set: { ...input.values, updatedAt: now, updatedBy: input.actorId },
      });
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.actorId,
      act: "fee_settings_change",
      subjectType: "estate",
      subjectId: input.estateId,
      detail: { ...input.values },
      at: now,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Schedules

export interface RateInput {
  charge: FeeCharge;
  unitKind: UnitKind;
  rateFen: number;
}

export async function schedulesOf(estateId: string) {
  const db = getDb();
  const list = await db
    .select()
    .from(feeSchedules)
    .where(eq(feeSchedules.estateId, estateId))
    .orderBy(desc(feeSchedules.effectiveFrom));
  const rates = list.length
    ? await db
        .select()
        .from(feeRates)
        .where(
          and(
            eq(feeRates.estateId, estateId),
            inArray(
              feeRates.scheduleId,
              list.map((s) => s.id),
            ),
          ),
        )
        .orderBy(asc(feeRates.charge), asc(feeRates.unitKind))
    : [];
  return list.map((s) => ({
    id: s.id,
    name: s.name,
    effectiveFrom: s.effectiveFrom,
    createdAt: s.createdAt.toISOString(),
    rates: rates
      .filter((r) => r.scheduleId === s.id)
      .map((r) => ({ charge: r.charge, unitKind: r.unitKind, basis: r.basis, rateFen: r.rateFen })),
  }));
}

/** Publishes a schedule (never edited afterwards; bills already issued keep their own rates). */
export async function publishSchedule(input: {
  estateId: string;
  actorId: string;
  name: string;
  effectiveFrom: string;
  rates: RateInput[];
  now?: Date;
}) {
  const now = input.now ?? new Date();
  if (input.rates.length === 0) return { ok: false as const, error: "noRates" as const };
  return getDb().transaction(async (tx) => {
    const [schedule] = await tx
      .insert(feeSchedules)
      .values({
        estateId: input.estateId,
        name: input.name,
        effectiveFrom: input.effectiveFrom,
        createdBy: input.actorId,
        createdAt: now,
      })
      .onConflictDoNothing({ target: [feeSchedules.estateId, feeSchedules.effectiveFrom] })
      .returning();
    if (!schedule) return { ok: false as const, error: "duplicateDate" as const };
    await tx.insert(feeRates).values(
      input.rates.map((r) => ({
        estateId: input.estateId,
        scheduleId: schedule.id,
        charge: r.charge,
        unitKind: r.unitKind,
        basis: chargeBasis[r.charge],
        rateFen: r.rateFen,
      })),
    );
    // The rates themselves stay on fee_rate (never edited): the record says which schedule, from when.
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.actorId,
      act: "fee_schedule_create",
      subjectType: "fee_schedule",
      subjectId: schedule.id,
      detail: { effectiveFrom: input.effectiveFrom, rates: input.rates.length },
      at: now,
    });
    // On the notice board in the name of whoever the estate has publish schedules, in Chinese as posted.
    const { schedulePublisher } = await feeSettingsOf(tx, input.estateId);
    const t = await getT("zh-CN");
    const rates = rateLines.flatMap((line) => {
      const rate = input.rates.find((r) => r.charge === line.charge && r.unitKind === line.unitKind);
      return rate
        ? [t("board.posts.feeRate", { label: t(`fees.settings.rates.${line.id}`), rate: formatFen(rate.rateFen) })]
        : [];
    });
    await postNotice(tx, {
      estateId: input.estateId,
      kind: "fee_schedule",
      title: t("board.posts.feeTitle", { name: input.name }),
      body: [
        t("board.posts.feeBody", { date: longBeijingDate(input.effectiveFrom, "zh-CN") }),
        rates.join("\n"),
        t("board.posts.feeKept"),
      ].join("\n\n"),
      postedBy: input.actorId,
      author: schedulePublisher === "committee" ? "committee" : "property",
      subject: { type: "fee_schedule", id: schedule.id },
      now,
    });
    return { ok: true as const, scheduleId: schedule.id };
  });
}

// ---------------------------------------------------------------------------------------------
// Bill generation

export type GenerateResult =
  | { ok: true; periodKey: string; created: number; existing: number; scheduleId: string; ms: number }
  | { ok: false; error: "badPeriod" | "wrongCycle" | "noSchedule" | "overlap" };

/**
 * Issues the bills of one period for every unit of the estate, in ONE set-based statement:
 * INSERT … SELECT over units × the rates of the schedule in force on the period's first day,
 * amounts computed in the statement exactly as billing.ts does (bigint, half up), ON CONFLICT
 * (unit, period, charge) DO NOTHING — so running it again, or after units were added, only
 * issues what is missing. Generation is serialised per estate (an advisory lock), and a
 * period overlapping bills of another period (a month inside a billed quarter) is refused.
 * Each owner with an account who got new bills is told once (the bill-due mail, through the
 * outbox in the same transaction, so it follows their "bills" preference); `notify: false`
 * issues without telling (the demo seed's past months).
 */
export async function generateBills(input: {
  estateId: string;
  periodKey: string;
  actorId: string | null;
  now?: Date;
  db?: Queryable;
  notify?: boolean;
}): Promise<GenerateResult> {
  const started = performance.now();
  const now = input.now ?? new Date();
  const period = parsePeriod(input.periodKey);
  if (!period) return { ok: false, error: "badPeriod" };
  const run = async (tx: Queryable): Promise<GenerateResult> => {
    const settings = await feeSettingsOf(tx, input.estateId);
    if (settings.billingCycle !== period.cycle) return { ok: false, error: "wrongCycle" };
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`bills:${input.estateId}`}, 0))`);
    const [overlap] = await tx
      .select({ id: bills.id })
      .from(bills)
      .where(
        and(
          eq(bills.estateId, input.estateId),
          sql`${bills.periodKey} <> ${period.key}`,
          sql`${bills.periodStart} < ${period.end}`,
          sql`${bills.periodEnd} > ${period.start}`,
        ),
      )
      .limit(1);
    if (overlap) return { ok: false, error: "overlap" };
    const [schedule] = await tx
      .select({ id: feeSchedules.id })
      .from(feeSchedules)
      .where(and(eq(feeSchedules.estateId, input.estateId), lte(feeSchedules.effectiveFrom, period.start)))
      .orderBy(desc(feeSchedules.effectiveFrom))
      .limit(1);
    if (!schedule) return { ok: false, error: "noSchedule" };
    const dueDate = addDaysToDate(period.start, settings.dueDays);
    const result = await tx.execute(sql`
      with issued as (
        insert into bill (estate_id, unit_id, building_id, period_key, period_start, period_end, charge, schedule_id,
                          basis, rate_fen, area_centi_sqm, months, amount_fen, due_date, created_at)
        select u.estate_id, u.id, u.building_id, ${period.key}, ${period.start}::date, ${period.end}::date, r.charge, r.schedule_id,
               r.basis, r.rate_fen, u.area_centi_sqm, ${period.months}, a.amount_fen, ${dueDate}::date, ${now.toISOString()}::timestamptz
        from unit u
        join fee_rate r on r.schedule_id = ${schedule.id} and r.estate_id = u.estate_id and r.unit_kind = u.kind
        cross join lateral (
          select case when r.basis = 'area'
                      then (r.rate_fen::bigint * u.area_centi_sqm * ${period.months} + 50) / 100
                      else r.rate_fen::bigint * ${period.months} end as amount_fen
        ) a
        where u.estate_id = ${input.estateId} and a.amount_fen > 0
        on conflict (unit_id, period_key, charge) do nothing
        returning id, unit_id, amount_fen
      ),
      billed as (
        select x.user_id, sum(x.amount_fen)::bigint as fen, array_agg(distinct x.unit order by x.unit) as units
        from (
          select distinct o.user_id, i.id, i.amount_fen, bd.name || ' ' || u.number as unit
          from issued i
          join ownership os on os.unit_id = i.unit_id and os.estate_id = ${input.estateId}
          join owner o on o.id = os.owner_id and o.user_id is not null
          join unit u on u.id = i.unit_id
          join building bd on bd.id = u.building_id
        ) x
        group by x.user_id
      )
      select (select count(*) from issued)::int as created,
             (select count(*) from bill where estate_id = ${input.estateId} and period_key = ${period.key})::int as total,
             (select coalesce(json_agg(json_build_object('userId', user_id, 'fen', fen, 'units', units)), '[]'::json) from billed) as billed
    `);
    const [counts] = rowsOf<{
      created: number;
      total: number;
      billed: { userId: string; fen: string | number; units: string[] }[] | string;
    }>(result);
    const created = Number(counts.created);
    // The count reads the statement's snapshot, taken before its own inserts: the bills there were already.
    const existing = Number(counts.total);
    const billed =
      typeof counts.billed === "string"
        ? (JSON.parse(counts.billed) as Exclude<typeof counts.billed, string>)
        : counts.billed;
    if (input.notify !== false && billed.length > 0) {
      const [estate] = await tx.select({ slug: estates.slug }).from(estates).where(eq(estates.id, input.estateId));
      await enqueue(
        tx,
        billed.map((b) => ({
          template: "bill-due" as const,
          userId: b.userId,
          estateId: input.estateId,
          props: {
            period: period.key,
            amountFen: Number(b.fen),
            dueDate,
            unitLabel: b.units.join(" · "),
            path: `/e/${estate.slug}/bills`,
          },
          idempotencyKey: `bill-due:${input.estateId}:${period.key}`,
        })),
      );
    }
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.actorId,
      act: "bills_generate",
      subjectType: "fee_schedule",
      subjectId: schedule.id,
      detail: { period: period.key, bills: created, existing },
      at: now,
    });
    return {
      ok: true,
      periodKey: period.key,
      created,
      existing,
      scheduleId: schedule.id,
      ms: Math.round(performance.now() - started),
    };
  };
  return input.db ? run(input.db) : getDb().transaction(run);
}

// ---------------------------------------------------------------------------------------------
// Bills of the units a user owns or lives in

export interface PayableUnit {
  unitId: string;
  building: string;
  number: string;
}

/** The units of an estate a user may see bills of and pay: owned through the roster, or lived in. */
export async function payableUnits(db: Queryable, estateId: string, userId: string): Promise<PayableUnit[]> {
  const owned = db
    .selectDistinct({ unitId: units.id, building: buildings.name, number: units.number })
    .from(ownerships)
    .innerJoin(owners, eq(owners.id, ownerships.ownerId))
    .innerJoin(units, eq(units.id, ownerships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(and(eq(ownerships.estateId, estateId), eq(owners.userId, userId)));
  const lived = db
    .selectDistinct({ unitId: units.id, building: buildings.name, number: units.number })
    .from(residents)
    .innerJoin(units, eq(units.id, residents.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(and(eq(residents.estateId, estateId), eq(residents.userId, userId)));
  const [a, b] = await Promise.all([owned, lived]);
  const seen = new Map<string, PayableUnit>();
  for (const u of [...a, ...b]) seen.set(u.unitId, u);
  return [...seen.values()].sort(
    (x, y) =>
      x.building.localeCompare(y.building, "zh-CN", { numeric: true }) ||
      x.number.localeCompare(y.number, "zh-CN", { numeric: true }),
  );
}

const billColumns = {
  id: bills.id,
  unitId: bills.unitId,
  building: buildings.name,
  number: units.number,
  periodKey: bills.periodKey,
  charge: bills.charge,
  basis: bills.basis,
  rateFen: bills.rateFen,
  areaCentiSqm: bills.areaCentiSqm,
  months: bills.months,
  amountFen: bills.amountFen,
  dueDate: bills.dueDate,
  status: bills.status,
  pendingCheckoutId: bills.pendingCheckoutId,
  paidAt: bills.paidAt,
  paymentId: bills.paymentId,
  receiptNo: payments.receiptNo,
  method: payments.method,
};

/** A user's bills in an estate: what is owed (with arrears), what is being paid, the history. */
export async function billsForUser(estateId: string, userId: string, now = new Date()) {
  const db = getDb();
  const unitList = await payableUnits(db, estateId, userId);
  if (unitList.length === 0) return { units: unitList, open: [], paid: [], checkouts: [] };
  const ids = unitList.map((u) => u.unitId);
  const rows = await db
    .select(billColumns)
    .from(bills)
    .innerJoin(units, eq(units.id, bills.unitId))
    .innerJoin(buildings, eq(buildings.id, bills.buildingId))
    .leftJoin(payments, eq(payments.id, bills.paymentId))
    .where(and(eq(bills.estateId, estateId), inArray(bills.unitId, ids)))
    .orderBy(desc(bills.periodStart), asc(buildings.name), asc(units.number), asc(bills.charge));
  const open = await db
    .select({
      id: checkouts.id,
      url: checkouts.url,
      amountFen: checkouts.amountFen,
      status: checkouts.status,
      expiresAt: checkouts.expiresAt,
    })
    .from(checkouts)
    .where(
      and(
        eq(checkouts.estateId, estateId),
        eq(checkouts.userId, userId),
        inArray(checkouts.status, ["open", "processing"]),
        gt(checkouts.expiresAt, now),
      ),
    )
    .orderBy(desc(checkouts.createdAt));
  const serialise = (r: (typeof rows)[number]) => ({ ...r, paidAt: r.paidAt?.toISOString() ?? null });
  return {
    units: unitList,
    open: rows.filter((r) => r.status !== "paid").map(serialise),
    paid: rows
      .filter((r) => r.status === "paid")
      .slice(0, 100)
      .map(serialise),
    checkouts: open.map((c) => ({ ...c, expiresAt: c.expiresAt.toISOString() })),
  };
}

/** How a user's own checkout stands (the page the provider sends them back to). */
export async function checkoutStateForUser(estateId: string, userId: string, checkoutId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(checkoutId)) return null;
  const [row] = await getDb()
    .select({
      id: checkouts.id,
      status: checkouts.status,
      amountFen: checkouts.amountFen,
      url: checkouts.url,
      provider: checkouts.provider,
      action: checkouts.action,
      expiresAt: checkouts.expiresAt,
      receiptNo: payments.receiptNo,
      paymentId: payments.id,
      applied: payments.applied,
    })
    .from(checkouts)
    .leftJoin(payments, eq(payments.checkoutId, checkouts.id))
    .where(and(eq(checkouts.id, checkoutId), eq(checkouts.estateId, estateId), eq(checkouts.userId, userId)));
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// The staff's ledger

export interface LedgerFilter {
  buildingId?: string;
  periodKey?: string;
  status?: BillStatus | "overdue";
  unit?: string;
}

function ledgerWhere(estateId: string, filter: LedgerFilter, today: string): SQL {
  const parts: SQL[] = [eq(bills.estateId, estateId)];
  if (filter.buildingId) parts.push(eq(bills.buildingId, filter.buildingId));
  if (filter.periodKey) parts.push(eq(bills.periodKey, filter.periodKey));
  if (filter.status === "overdue") parts.push(sql`${bills.status} <> 'paid' and ${bills.dueDate} < ${today}`);
  else if (filter.status) parts.push(eq(bills.status, filter.status));
  if (filter.unit) parts.push(eq(units.number, filter.unit));
  return and(...parts)!;
}

export const ledgerPageSize = 50;

export async function ledger(estateId: string, filter: LedgerFilter, page: number, today: string) {
  const db = getDb();
  const where = ledgerWhere(estateId, filter, today);
  const [rows, [totals], buildingList, periods] = await Promise.all([
    db
      .select(billColumns)
      .from(bills)
      .innerJoin(units, eq(units.id, bills.unitId))
      .innerJoin(buildings, eq(buildings.id, bills.buildingId))
      .leftJoin(payments, eq(payments.id, bills.paymentId))
      .where(where)
      .orderBy(desc(bills.periodStart), asc(buildings.name), asc(units.number), asc(bills.charge))
      .limit(ledgerPageSize)
      .offset((page - 1) * ledgerPageSize),
    db
      .select({
        bills: count(),
        billedFen: sql<string>`coalesce(sum(${bills.amountFen}), 0)::text`,
        paidFen: sql<string>`coalesce(sum(${bills.amountFen}) filter (where ${bills.status} = 'paid'), 0)::text`,
      })
      .from(bills)
      .innerJoin(units, eq(units.id, bills.unitId))
      .where(where),
    db
      .select({ id: buildings.id, name: buildings.name })
      .from(buildings)
      .where(eq(buildings.estateId, estateId))
      .orderBy(asc(buildings.name)),
    billedPeriods(estateId),
  ]);
  return {
    rows: rows.map((r) => ({ ...r, paidAt: r.paidAt?.toISOString() ?? null })),
    totals: { bills: totals.bills, billedFen: Number(totals.billedFen), paidFen: Number(totals.paidFen) },
    buildings: buildingList.sort((a, b) => a.name.localeCompare(b.name, "zh-CN", { numeric: true })),
    periods,
  };
}

export async function billedPeriods(estateId: string): Promise<string[]> {
  const rows = await getDb()
    .selectDistinct({ periodKey: bills.periodKey, periodStart: bills.periodStart })
    .from(bills)
    .where(eq(bills.estateId, estateId))
    .orderBy(desc(bills.periodStart));
  return rows.map((r) => r.periodKey);
}

/** Every bill matching the filter, for the CSV export. */
export async function ledgerRows(estateId: string, filter: LedgerFilter, today: string) {
  return getDb()
    .select(billColumns)
    .from(bills)
    .innerJoin(units, eq(units.id, bills.unitId))
    .innerJoin(buildings, eq(buildings.id, bills.buildingId))
    .leftJoin(payments, eq(payments.id, bills.paymentId))
    .where(ledgerWhere(estateId, filter, today))
    .orderBy(desc(bills.periodStart), asc(buildings.name), asc(units.number), asc(bills.charge));
}

/** One unit's account for the staff: its bills with their payments, and the payments with refunds. */
export async function unitAccount(estateId: string, unitId: string) {
  const db = getDb();
  const [unit] = await db
    .select({
      id: units.id,
      building: buildings.name,
      number: units.number,
      kind: units.kind,
      areaCentiSqm: units.areaCentiSqm,
    })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(and(eq(units.id, unitId), eq(units.estateId, estateId)));
  if (!unit) return null;
  const rows = await db
    .select(billColumns)
    .from(bills)
    .innerJoin(units, eq(units.id, bills.unitId))
    .innerJoin(buildings, eq(buildings.id, bills.buildingId))
    .leftJoin(payments, eq(payments.id, bills.paymentId))
    .where(and(eq(bills.estateId, estateId), eq(bills.unitId, unitId)))
    .orderBy(desc(bills.periodStart), asc(bills.charge));
  const paymentRows = await db.execute(sql`
    select p.id, p.receipt_no, p.method, p.amount_fen, p.refunded_fen, p.applied, p.reference, p.paid_at
    from payment p
    where p.estate_id = ${estateId}
      and exists (select 1 from payment_bill pb join bill b on b.id = pb.bill_id where pb.payment_id = p.id and b.unit_id = ${unitId})
    order by p.paid_at desc
  `);
  const list = rowsOf<{
    id: string;
    receipt_no: string;
    method: string;
    amount_fen: number;
    refunded_fen: number;
    applied: boolean;
    reference: string | null;
    paid_at: string | Date;
  }>(paymentRows);
  return {
    unit,
    bills: rows.map((r) => ({ ...r, paidAt: r.paidAt?.toISOString() ?? null })),
    payments: list.map((p) => ({
      id: p.id,
      receiptNo: p.receipt_no,
      method: p.method as "online" | "cash" | "bank_transfer",
      amountFen: Number(p.amount_fen),
      refundedFen: Number(p.refunded_fen),
      applied: p.applied,
      reference: p.reference,
      paidAt: new Date(p.paid_at).toISOString(),
    })),
  };
}

/** Online payments that came in but could not be applied to their bills: they wait for a refund. */
export async function unappliedPayments(estateId: string) {
  const rows = await getDb()
    .select({
      id: payments.id,
      receiptNo: payments.receiptNo,
      amountFen: payments.amountFen,
      refundedFen: payments.refundedFen,
      paidAt: payments.paidAt,
    })
    .from(payments)
    .where(
      and(
        eq(payments.estateId, estateId),
        eq(payments.applied, false),
        sql`${payments.refundedFen} < ${payments.amountFen}`,
      ),
    )
    .orderBy(desc(payments.paidAt));
  return rows.map((r) => ({ ...r, paidAt: r.paidAt.toISOString() }));
}

// ---------------------------------------------------------------------------------------------
// Receipts

export async function receiptOf(estateId: string, paymentId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(paymentId)) return null;
  const db = getDb();
  const [payment] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.id, paymentId), eq(payments.estateId, estateId)));
  if (!payment) return null;
  const lines = await db.execute(sql`
    select b.id, bd.name as building, u.number, b.unit_id, b.period_key, b.charge, b.basis, b.rate_fen, b.area_centi_sqm, b.months, pb.amount_fen
    from payment_bill pb
    join bill b on b.id = pb.bill_id
    join unit u on u.id = b.unit_id
    join building bd on bd.id = b.building_id
    where pb.payment_id = ${paymentId} and pb.estate_id = ${estateId}
    order by b.period_start, bd.name, u.number, b.charge
  `);
  const refundRows = await db
    .select({ amountFen: refunds.amountFen, createdAt: refunds.createdAt })
    .from(refunds)
    .where(and(eq(refunds.paymentId, paymentId), eq(refunds.estateId, estateId)))
    .orderBy(asc(refunds.createdAt));
  return {
    payment: {
      id: payment.id,
      receiptNo: payment.receiptNo,
      method: payment.method,
      amountFen: payment.amountFen,
      refundedFen: payment.refundedFen,
      applied: payment.applied,
      reference: payment.reference,
      paidAt: payment.paidAt.toISOString(),
      payerUserId: payment.payerUserId,
      /** Paid through the sandbox provider: no money moved, and the receipt says so. */
      sandbox: payment.provider === "sandbox",
    },
    lines: rowsOf<{
      id: string;
      building: string;
      number: string;
      unit_id: string;
      period_key: string;
      charge: FeeCharge;
      basis: "area" | "unit";
      rate_fen: number;
      area_centi_sqm: number;
      months: number;
      amount_fen: number;
    }>(lines).map((l) => ({
      billId: l.id,
      unitId: l.unit_id,
      building: l.building,
      number: l.number,
      periodKey: l.period_key,
      charge: l.charge,
      basis: l.basis,
      rateFen: Number(l.rate_fen),
      areaCentiSqm: Number(l.area_centi_sqm),
      months: Number(l.months),
      amountFen: Number(l.amount_fen),
    })),
    refunds: refundRows.map((r) => ({ amountFen: r.amountFen, createdAt: r.createdAt.toISOString() })),
  };
}
