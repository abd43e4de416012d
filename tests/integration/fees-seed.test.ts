import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { seedDemo } from "../../db/seed";
import { billsForUser } from "../../app/fees/bills.server";
import { collectionByPeriod } from "../../app/fees/collection.server";
import { billAmountFen } from "../../app/fees/billing";
import { rowsOf } from "../../app/notify/outbox.server";

let estateId = "";

beforeAll(async () => {
  await seedDemo(getDb());
  const [estate] = await getDb().select().from(schema.estates).where(eq(schema.estates.slug, "yixin"));
  estateId = estate.id;
}, 120_000);

describe("the demo fees of 宜欣花园", () => {
  it("bills every unit for August to November, most of them paid offline with receipt numbers", async () => {
    const periods = await collectionByPeriod(estateId);
    expect(periods.map((p) => p.periodKey)).toEqual(["2026-08", "2026-09", "2026-10", "2026-11"]);
    expect(periods.every((p) => p.billedUnits === 1200)).toBe(true);
    // A rising rate, with November still being collected.
    const rates = periods.map((p) => p.unitRate!);
    expect(rates[0]).toBeLessThan(rates[1]);
    expect(rates[1]).toBeLessThan(rates[2]);
    expect(rates[3]).toBeLessThan(rates[2]);
    expect(rates.every((r) => r > 300 && r < 900)).toBe(true);
    // Every paid bill has exactly one payment of its amount, with a unique receipt number.
    const [check] = rowsOf<{ paid: number; payments: number; receipts: number; mismatched: number; seq: number }>(
      await getDb().execute(sql`
      select (select count(*) from bill where estate_id = ${estateId} and status = 'paid')::int as paid,
             (select count(*) from payment where estate_id = ${estateId})::int as payments,
             (select count(distinct receipt_no) from payment where estate_id = ${estateId})::int as receipts,
             (select count(*) from bill b join payment p on p.id = b.payment_id where b.amount_fen <> p.amount_fen)::int as mismatched,
             (select receipt_seq from fee_settings where estate_id = ${estateId})::int as seq
    `),
    );
    expect(check.paid).toBe(check.payments);
    expect(check.receipts).toBe(check.payments);
    expect(check.mismatched).toBe(0);
    expect(check.seq).toBe(check.payments);
    const [receipt] = await getDb()
      .select({ no: schema.payments.receiptNo })
      .from(schema.payments)
      .where(eq(schema.payments.estateId, estateId))
      .orderBy(schema.payments.receiptNo)
      .limit(1);
    expect(receipt.no).toBe("YIXIN-2026-000001");
  });

  it("leaves the demo owner two units owing October and November, with August and September paid", async () => {
    const [owner] = await getDb().select().from(schema.users).where(eq(schema.users.email, "owner@demo.yishitang.cn"));
    const mine = await billsForUser(estateId, owner.id);
    expect(mine.units.map((u) => `${u.building} ${u.number}`)).toEqual(["1幢 101", "1幢 102"]);
    expect(mine.open.map((b) => `${b.number} ${b.periodKey}`).sort()).toEqual([
      "101 2026-10",
      "101 2026-11",
      "102 2026-10",
      "102 2026-11",
    ]);
    expect(mine.paid.map((b) => b.periodKey).sort()).toEqual(["2026-08", "2026-08", "2026-09", "2026-09"]);
    const [unit] = await getDb()
      .select({ area: schema.units.areaCentiSqm })
      .from(schema.units)
      .where(and(eq(schema.units.estateId, estateId), eq(schema.units.id, mine.open[0].unitId)));
    expect(mine.open[0].amountFen).toBe(
      billAmountFen({ basis: "area", rateFen: 185, areaCentiSqm: unit.area, months: 1 }),
    );
  });
});
