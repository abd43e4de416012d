import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { billAmountFen } from "~/fees/billing";
import { generateBills, publishSchedule, saveFeeSettings } from "~/fees/bills.server";
import { collectionByBuilding, collectionByPeriod } from "~/fees/collection.server";
import { recordOfflinePayment } from "~/fees/ledger.server";
import { setEmailPreferences } from "~/notify/preferences.server";
import { billsOf, makeBilledEstate } from "../fees-fixtures";
import { makeEstate, makeUnits, makeUser, onPostgres } from "../fixtures";

async function unitsWithKind(
  estateId: string,
  specs: {
    building: string;
    number: string;
    area: number;
    kind: "residential" | "commercial" | "parking" | "storage";
  }[],
) {
  const made = await makeUnits(
    estateId,
    specs.map((s) => ({ building: s.building, number: s.number, area: s.area })),
  );
  for (const [i, s] of specs.entries())
    await getDb().update(schema.units).set({ kind: s.kind }).where(eq(schema.units.id, made[i].unitId));
  return made;
}

describe("bill generation", () => {
  it("computes in SQL exactly what the documented rounding rule says, per unit kind and charge", async () => {
    const estate = await makeEstate();
    const staff = await makeUser([{ role: "property_staff", estateId: estate.id }]);
    // Areas chosen to hit .5 fen boundaries: 185 × 8,937 = 1,653,345 (…45 → down), 150 × 8,937 × 3 (…50 → up).
    const specs = [
      { building: "1幢", number: "101", area: 8_937, kind: "residential" as const },
      { building: "1幢", number: "102", area: 10_001, kind: "residential" as const },
      { building: "1幢", number: "103", area: 3, kind: "residential" as const },
      { building: "商铺", number: "S1", area: 8_937, kind: "commercial" as const },
      { building: "车库", number: "P1", area: 1_250, kind: "parking" as const },
      { building: "车库", number: "P2", area: 1_300, kind: "parking" as const },
      { building: "地下室", number: "C1", area: 600, kind: "storage" as const },
    ];
    const units = await unitsWithKind(estate.id, specs);
    await saveFeeSettings({
      estateId: estate.id,
      actorId: staff.id,
      values: { billingCycle: "quarterly", dueDays: 20, schedulePublisher: "property_staff", reminderDay: null },
    });
    const rates = { residential: 185, commercial: 150, parking: 12_000 };
    expect(
      (
        await publishSchedule({
          estateId: estate.id,
          actorId: staff.id,
          name: "标准",
          effectiveFrom: "2026-01-01",
          rates: [
            { charge: "property", unitKind: "residential", rateFen: rates.residential },
            { charge: "property", unitKind: "commercial", rateFen: rates.commercial },
            { charge: "parking", unitKind: "parking", rateFen: rates.parking },
          ],
        })
      ).ok,
    ).toBe(true);
    const result = await generateBills({ estateId: estate.id, periodKey: "2026-Q4", actorId: staff.id });
    expect(result).toMatchObject({ ok: true, created: 6, existing: 0 });
    const bills = await getDb().select().from(schema.bills).where(eq(schema.bills.estateId, estate.id));
    for (const [i, spec] of specs.entries()) {
      const bill = bills.find((b) => b.unitId === units[i].unitId);
      if (spec.kind === "storage") {
        expect(bill).toBeUndefined(); // no storage charge in this schedule
        continue;
      }
      const basis = spec.kind === "parking" ? "unit" : "area";
      const expected = billAmountFen({ basis, rateFen: rates[spec.kind], areaCentiSqm: spec.area, months: 3 });
      expect(bill, spec.number).toMatchObject({
        amountFen: expected,
        months: 3,
        basis,
        periodStart: "2026-10-01",
        periodEnd: "2027-01-01",
        dueDate: "2026-10-21",
        status: "unpaid",
      });
    }
    // Each bill carries its unit's estate and building (copied by the statement; the unit's key covers them).
    const units2 = await getDb().select().from(schema.units).where(eq(schema.units.estateId, estate.id));
    for (const b of bills) {
      const unit = units2.find((u) => u.id === b.unitId)!;
      expect([b.estateId, b.buildingId]).toEqual([unit.estateId, unit.buildingId]);
    }
    expect(bills.find((b) => b.unitId === units[0].unitId)!.amountFen).toBe(49_600); // 49,600.35
    expect(bills.find((b) => b.unitId === units[3].unitId)!.amountFen).toBe(40_217); // 150 × 89.37 × 3 = 40,216.5 → up
    expect(bills.find((b) => b.unitId === units[2].unitId)!.amountFen).toBe(17); // 185 × 0.03 m² × 3 = 16.65 fen → up
    expect(bills.find((b) => b.unitId === units[4].unitId)!.amountFen).toBe(36_000);
  });

  it("is idempotent per (unit, period, charge): a re-run issues only what is missing", async () => {
    const world = await makeBilledEstate({ periods: ["2026-11"] });
    const again = await generateBills({ estateId: world.estate.id, periodKey: "2026-11", actorId: world.staff.id });
    expect(again).toMatchObject({ ok: true, created: 0, existing: 3 });
    await makeUnits(world.estate.id, [{ building: "2幢", number: "101", area: 9_000 }]);
    const third = await generateBills({ estateId: world.estate.id, periodKey: "2026-11", actorId: world.staff.id });
    expect(third).toMatchObject({ ok: true, created: 1, existing: 3 });
    // The database refuses a second bill for the same unit, period and charge whatever the code does.
    const [one] = await getDb()
      .select()
      .from(schema.bills)
      .where(and(eq(schema.bills.estateId, world.estate.id), eq(schema.bills.periodKey, "2026-11")));
    await expect(
      getDb()
        .insert(schema.bills)
        .values({ ...one, id: undefined }),
    ).rejects.toThrow();
  });

  it("queues one bill-due mail per billed owner with an account, in the issuing transaction, none for owners who turned bill mail off", async () => {
    const world = await makeBilledEstate({ periods: [] });
    await setEmailPreferences(world.otherOwner.id, { bills: false });
    const dueMail = () =>
      getDb()
        .select()
        .from(schema.outbox)
        .where(and(eq(schema.outbox.estateId, world.estate.id), eq(schema.outbox.template, "bill-due")));
    const dueNotices = () =>
      getDb()
        .select()
        .from(schema.notifications)
        .where(and(eq(schema.notifications.estateId, world.estate.id), eq(schema.notifications.template, "bill-due")));

    // The issue fails when its mail cannot be queued: no bills without their notices.
    const db = getDb();
    await db.execute(
      sql`create function fail_outbox() returns trigger language plpgsql as $$ begin raise exception 'outbox is down'; end $$`,
    );
    await db.execute(
      sql`create trigger fail_outbox before insert on outbox for each row execute function fail_outbox()`,
    );
    try {
      await expect(
        generateBills({ estateId: world.estate.id, periodKey: "2026-11", actorId: world.staff.id }),
      ).rejects.toThrow();
    } finally {
      await db.execute(sql`drop trigger fail_outbox on outbox`);
      await db.execute(sql`drop function fail_outbox()`);
    }
    expect(await billsOf(world.units.u101.unitId)).toHaveLength(0);

    expect(
      await generateBills({ estateId: world.estate.id, periodKey: "2026-11", actorId: world.staff.id }),
    ).toMatchObject({ ok: true, created: 3 });
    const [b101] = await billsOf(world.units.u101.unitId, ["2026-11"]);
    const [b102] = await billsOf(world.units.u102.unitId, ["2026-11"]);
    const mail = await dueMail();
    // 李建国 owns 101 and 102: one mail for both; 王芳 (103) turned bill mail off; the resident owns nothing.
    expect(mail.map((m) => m.userId)).toEqual([world.owner.id]);
    expect(mail[0]).toMatchObject({ category: "bills", idempotencyKey: `bill-due:${world.estate.id}:2026-11` });
    expect(mail[0].props).toEqual({
      period: "2026-11",
      amountFen: b101.amountFen + b102.amountFen,
      dueDate: "2026-11-16",
      unitLabel: "1幢 101 · 1幢 102",
      path: `/e/${world.estate.slug}/bills`,
    });
    // Both owners see it on the site.
    expect((await dueNotices()).map((n) => n.userId).sort()).toEqual([world.owner.id, world.otherOwner.id].sort());

    // A re-run issues nothing and mails nobody again; a new month is a new mail.
    expect(
      await generateBills({ estateId: world.estate.id, periodKey: "2026-11", actorId: world.staff.id }),
    ).toMatchObject({ ok: true, created: 0 });
    expect(await dueMail()).toHaveLength(1);
    await generateBills({ estateId: world.estate.id, periodKey: "2026-12", actorId: world.staff.id });
    expect((await dueMail()).map((m) => (m.props as { period: string }).period).sort()).toEqual(["2026-11", "2026-12"]);
    // Issued without telling (the demo seed's past months): no mail, no notice.
    await generateBills({ estateId: world.estate.id, periodKey: "2027-01", actorId: world.staff.id, notify: false });
    expect(await dueMail()).toHaveLength(2);
    expect(await dueNotices()).toHaveLength(4);
  });

  it.runIf(onPostgres())(
    "issues each bill once when two runs of the same period go at once (PostgreSQL only)",
    async () => {
      const world = await makeBilledEstate({ periods: ["2026-11"] });
      const [a, b] = await Promise.all([
        generateBills({ estateId: world.estate.id, periodKey: "2026-12", actorId: world.staff.id }),
        generateBills({ estateId: world.estate.id, periodKey: "2026-12", actorId: world.staff.id }),
      ]);
      expect([a, b].map((r) => (r.ok ? r.created : -1)).sort()).toEqual([0, 3]);
      const dec = await getDb()
        .select()
        .from(schema.bills)
        .where(and(eq(schema.bills.estateId, world.estate.id), eq(schema.bills.periodKey, "2026-12")));
      expect(dec).toHaveLength(3);
    },
  );

  it("never changes issued bills when a new schedule is published", async () => {
    const world = await makeBilledEstate({ periods: ["2026-11"] });
    const [before] = await billsOf(world.units.u101.unitId, ["2026-11"]);
    const published = await publishSchedule({
      estateId: world.estate.id,
      actorId: world.staff.id,
      name: "2026 年 12 月起",
      effectiveFrom: "2026-12-01",
      rates: [{ charge: "property", unitKind: "residential", rateFen: 210 }],
    });
    expect(published.ok).toBe(true);
    await generateBills({ estateId: world.estate.id, periodKey: "2026-11", actorId: world.staff.id });
    await generateBills({ estateId: world.estate.id, periodKey: "2026-12", actorId: world.staff.id });
    const [nov] = await billsOf(world.units.u101.unitId, ["2026-11"]);
    const [dec] = await billsOf(world.units.u101.unitId, ["2026-12"]);
    expect(nov).toEqual(before);
    expect(dec).toMatchObject({
      rateFen: 210,
      amountFen: billAmountFen({ basis: "area", rateFen: 210, areaCentiSqm: 8_937, months: 1 }),
    });
    expect(
      await publishSchedule({
        estateId: world.estate.id,
        actorId: world.staff.id,
        name: "重复",
        effectiveFrom: "2026-12-01",
        rates: [{ charge: "property", unitKind: "residential", rateFen: 1 }],
      }),
    ).toEqual({ ok: false, error: "duplicateDate" });
  });

  it("refuses bad periods, periods of another cycle, overlaps and periods before any schedule", async () => {
    const world = await makeBilledEstate({ periods: ["2026-11"] });
    const gen = (periodKey: string) => generateBills({ estateId: world.estate.id, periodKey, actorId: world.staff.id });
    expect(await gen("2026-13")).toEqual({ ok: false, error: "badPeriod" });
    expect(await gen("2026-Q4")).toEqual({ ok: false, error: "wrongCycle" });
    expect(await gen("2025-12")).toEqual({ ok: false, error: "noSchedule" });
    await saveFeeSettings({
      estateId: world.estate.id,
      actorId: world.staff.id,
      values: { billingCycle: "quarterly", dueDays: 15, schedulePublisher: "property_staff", reminderDay: null },
    });
    expect(await gen("2026-Q4")).toEqual({ ok: false, error: "overlap" });
    expect(await gen("2027-Q1")).toMatchObject({ ok: true, created: 3 });
    const audit = await getDb()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.estateId, world.estate.id), eq(schema.auditEvents.act, "bills_generate")));
    expect(audit.map((a) => a.detail.period).sort()).toEqual(["2026-11", "2027-Q1"]);
    expect(audit.find((a) => a.detail.period === "2027-Q1")).toMatchObject({
      actorUserId: world.staff.id,
      subjectType: "fee_schedule",
      detail: { bills: 3, existing: 0 },
    });
  });
});

describe("collection rate", () => {
  it("counts paid amount over billed amount and fully paid units over billed units, by period and building, with the trend", async () => {
    const world = await makeBilledEstate({ periods: ["2026-10", "2026-11"] });
    await makeUnits(world.estate.id, [{ building: "2幢", number: "201", area: 10_000 }]);
    await generateBills({ estateId: world.estate.id, periodKey: "2026-11", actorId: world.staff.id });
    const payCash = async (unitId: string, periods: string[]) => {
      const bills = await billsOf(unitId, periods);
      const result = await getDb().transaction((tx) =>
        recordOfflinePayment(tx, {
          estateId: world.estate.id,
          unitId,
          billIds: bills.map((b) => b.id),
          method: "cash",
          reference: null,
          paidAt: new Date(),
          actorId: world.staff.id,
          now: new Date(),
        }),
      );
      expect(result.ok).toBe(true);
    };
    await payCash(world.units.u101.unitId, ["2026-10", "2026-11"]);
    await payCash(world.units.u102.unitId, ["2026-10"]);
    const [oct101] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const [oct102] = await billsOf(world.units.u102.unitId, ["2026-10"]);
    const [oct103] = await billsOf(world.units.u103.unitId, ["2026-10"]);
    const periods = await collectionByPeriod(world.estate.id);
    expect(periods.map((p) => p.periodKey)).toEqual(["2026-10", "2026-11"]);
    const [oct, nov] = periods;
    expect(oct).toMatchObject({
      billedUnits: 3,
      paidUnits: 2,
      billedFen: oct101.amountFen + oct102.amountFen + oct103.amountFen,
      paidFen: oct101.amountFen + oct102.amountFen,
      unitRate: 667,
      trend: null,
    });
    expect(nov).toMatchObject({ billedUnits: 4, paidUnits: 1, unitRate: 250, trend: "down" });
    expect(nov.deltaPermille).toBe(nov.amountRate! - oct.amountRate!);
    const buildings = await collectionByBuilding(world.estate.id, "2026-11", "2026-10");
    expect(buildings.map((b) => [b.building, b.paidUnits, b.billedUnits, b.trend])).toEqual([
      ["1幢", 1, 3, "down"],
      ["2幢", 0, 1, null],
    ]);
  });
});
