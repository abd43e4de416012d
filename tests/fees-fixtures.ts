import { and, eq, inArray } from "drizzle-orm";
import { getDb, schema } from "../db/client";
import { generateBills, publishSchedule, saveFeeSettings } from "../app/fees/bills.server";
import { makeEstate, makeUnits, makeUser } from "./fixtures";

/**
 * An estate with three units in 1幢 (101 and 102 owned by one owner with an account, 103 by
 * another), a resident of 101, property staff, a fee schedule (1.85 ¥/m²/month) and the
 * bills of the given months.
 */
export async function makeBilledEstate(options: { periods?: string[]; name?: string } = {}) {
  const db = getDb();
  const estate = await makeEstate({ name: options.name ?? "收费小区" });
  const [u101, u102, u103] = await makeUnits(estate.id, [
    { building: "1幢", number: "101", area: 8_937, owners: [{ name: "李建国", ref: "R1" }] },
    { building: "1幢", number: "102", area: 10_000, owners: [{ name: "李建国", ref: "R1" }] },
    { building: "1幢", number: "103", area: 12_050, owners: [{ name: "王芳", ref: "R2" }] },
  ]);
  const owner = await makeUser([{ role: "owner", estateId: estate.id }], "李建国");
  const otherOwner = await makeUser([{ role: "owner", estateId: estate.id }], "王芳");
  await db.update(schema.owners).set({ userId: owner.id }).where(eq(schema.owners.id, u101.ownerIds[0]));
  await db.update(schema.owners).set({ userId: otherOwner.id }).where(eq(schema.owners.id, u103.ownerIds[0]));
  const resident = await makeUser([{ role: "resident", estateId: estate.id }], "李家属");
  await db
    .insert(schema.residents)
    .values({ estateId: estate.id, unitId: u101.unitId, userId: resident.id, relation: "family" });
  const staff = await makeUser([{ role: "property_staff", estateId: estate.id }], "吴物业");
  const committee = await makeUser([{ role: "committee", estateId: estate.id }], "陈委员");
  await saveFeeSettings({
    estateId: estate.id,
    actorId: staff.id,
    values: { billingCycle: "monthly", dueDays: 15, schedulePublisher: "property_staff", reminderDay: 5 },
  });
  const schedule = await publishSchedule({
    estateId: estate.id,
    actorId: staff.id,
    name: "2026 年收费标准",
    effectiveFrom: "2026-01-01",
    rates: [{ charge: "property", unitKind: "residential", rateFen: 185 }],
  });
  if (!schedule.ok) throw new Error(schedule.error);
  for (const period of options.periods ?? ["2026-10", "2026-11"]) {
    const result = await generateBills({ estateId: estate.id, periodKey: period, actorId: staff.id });
    if (!result.ok) throw new Error(result.error);
  }
  return { estate, units: { u101, u102, u103 }, owner, otherOwner, resident, staff, committee };
}

export async function billsOf(unitId: string, periods?: string[]) {
  const db = getDb();
  return db
    .select()
    .from(schema.bills)
    .where(
      periods
        ? and(eq(schema.bills.unitId, unitId), inArray(schema.bills.periodKey, periods))
        : eq(schema.bills.unitId, unitId),
    )
    .orderBy(schema.bills.periodKey);
}

export async function billById(id: string) {
  const [bill] = await getDb().select().from(schema.bills).where(eq(schema.bills.id, id));
  return bill;
}
