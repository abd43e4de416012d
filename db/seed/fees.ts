import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client";
import * as s from "#db/schema/index";
import { generateBills } from "~/fees/bills.server";
import { formatReceiptNo } from "~/fees/ledger.server";

/** The demo's billing months; the owner's two units owe October and November. */
export const demoFeePeriods = ["2026-08", "2026-09", "2026-10", "2026-11"] as const;
/** Share of units (in %) that paid each month: a rising rate, November still being collected. */
const paidShare: Record<(typeof demoFeePeriods)[number], number> = {
  "2026-08": 64,
  "2026-09": 71,
  "2026-10": 78,
  "2026-11": 52,
};

/**
 * Fees for the demo estate, deterministic and set-based (a few statements for 4,800 bills):
 * settings (monthly, due on the 15th day, reminders on the 5th), a schedule of 1.85 ¥/m²/month,
 * the bills of August to November 2026, and offline payments (cash or bank transfer, with
 * receipt numbers) for a share of units chosen by a hash of building, unit and month. The demo
 * owner's units (1幢 101 and 102) paid August and September and owe October and November.
 */
export async function seedDemoFees(db: Db, estateSlug: string, staffEmail: string) {
  const [estate] = await db.select().from(s.estates).where(eq(s.estates.slug, estateSlug));
  const [staff] = await db.select().from(s.users).where(eq(s.users.email, staffEmail));
  await db.transaction(async (txn) => {
    const tx = txn as unknown as Db;
    await tx.insert(s.feeSettings).values({
      estateId: estate.id,
      billingCycle: "monthly",
      dueDays: 15,
      reminderDay: 5,
      schedulePublisher: "property_staff",
      updatedBy: staff.id,
    });
    const [schedule] = await tx
      .insert(s.feeSchedules)
      .values({
        estateId: estate.id,
        name: "宜欣花园物业服务收费标准（2026 年）",
        effectiveFrom: "2026-01-01",
        createdBy: staff.id,
        createdAt: new Date("2025-12-20T02:00:00Z"),
      })
      .returning();
    await tx.insert(s.feeRates).values([
      {
        estateId: estate.id,
        scheduleId: schedule.id,
        charge: "property",
        unitKind: "residential",
        basis: "area",
        rateFen: 185,
      },
      {
        estateId: estate.id,
        scheduleId: schedule.id,
        charge: "property",
        unitKind: "commercial",
        basis: "area",
        rateFen: 350,
      },
      {
        estateId: estate.id,
        scheduleId: schedule.id,
        charge: "parking",
        unitKind: "parking",
        basis: "unit",
        rateFen: 12_000,
      },
    ]);
    // The demo's past months: issued without a bill-due mail each (they are history, not news).
    for (const period of demoFeePeriods) {
      const result = await generateBills({
        estateId: estate.id,
        periodKey: period,
        actorId: staff.id,
        now: new Date(`${period}-01T01:00:00Z`),
        db: tx,
        notify: false,
      });
      if (!result.ok) throw new Error(`demo bills ${period}: ${result.error}`);
    }
    const prefix = formatReceiptNo(estate.slug, new Date("2026-08-01T00:00:00Z"), 0).slice(0, -6);
    const shares = sql.join(
      demoFeePeriods.map((p) => sql`(${p}::text, ${paidShare[p]}::int)`),
      sql`, `,
    );
    // One payment per paid bill; ids drawn once in the first CTE, so every insert below agrees.
    await tx.execute(sql`
      with share(period_key, pct) as (values ${shares}),
      chosen as (
        select gen_random_uuid() as payment_id, b.id as bill_id, b.amount_fen, b.period_start,
               row_number() over (order by b.period_start, bd.name, u.number, b.charge) as n
        from bill b
        join unit u on u.id = b.unit_id
        join building bd on bd.id = b.building_id
        join share on share.period_key = b.period_key
        where b.estate_id = ${estate.id}
          and case when bd.name = '1幢' and u.number in ('101', '102') then b.period_key in ('2026-08', '2026-09')
                   else abs(hashtext(bd.name || '/' || u.number || '/' || b.period_key)) % 100 < share.pct end
      ),
      paid as (
        insert into payment (id, estate_id, receipt_no, method, amount_fen, recorded_by, reference, paid_at, created_at)
        select payment_id, ${estate.id}, ${prefix} || lpad(n::text, 6, '0'),
               (case when n % 3 = 0 then 'bank_transfer' else 'cash' end)::payment_method, amount_fen, ${staff.id},
               case when n % 3 = 0 then 'ICBC' || lpad((n * 7919 % 1000000)::text, 6, '0') else null end,
               (period_start + (n % 20) * interval '1 day' + interval '2 hours') at time zone 'UTC',
               (period_start + (n % 20) * interval '1 day' + interval '2 hours') at time zone 'UTC'
        from chosen
        returning id
      ),
      linked as (
        insert into payment_bill (payment_id, bill_id, estate_id, amount_fen)
        select payment_id, bill_id, ${estate.id}, amount_fen from chosen
        returning bill_id
      )
      update bill set status = 'paid', payment_id = c.payment_id, paid_at = (c.period_start + (c.n % 20) * interval '1 day' + interval '2 hours') at time zone 'UTC'
      from chosen c where bill.id = c.bill_id
    `);
    await tx
      .update(s.feeSettings)
      .set({ receiptSeq: sql`(select count(*) from ${s.payments} where ${s.payments.estateId} = ${estate.id})` })
      .where(and(eq(s.feeSettings.estateId, estate.id)));
  });
}
