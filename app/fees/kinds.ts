import type { BillingCycle, FeeCharge, SchedulePublisher } from "#db/schema/fees";
import type { UnitKind } from "#db/schema/places";

/** The enums the pages show, without importing the Drizzle schema into the browser bundle. */
export const billingCycleOptions = ["monthly", "quarterly", "yearly"] as const satisfies readonly BillingCycle[];
export const schedulePublisherOptions = ["property_staff", "committee"] as const satisfies readonly SchedulePublisher[];

/**
 * Every rate a fee schedule can set: one charge for one kind of unit, billed by area (fen per m²
 * per month) or per unit (fen per unit per month). The settings form shows a field per line
 * (labelled fees.settings.rates.<id>), and publishing a schedule takes the basis from here. A
 * new charge is a line here, its name in db/schema/fees.ts's feeCharges (with a migration) and
 * its words in fees.messages.ts (fees.charges, fees.settings.rates).
 */
export const rateLines = [
  { id: "residential", charge: "property", unitKind: "residential", basis: "area" },
  { id: "commercial", charge: "property", unitKind: "commercial", basis: "area" },
  { id: "parking", charge: "parking", unitKind: "parking", basis: "unit" },
  { id: "storage", charge: "storage", unitKind: "storage", basis: "unit" },
] as const satisfies readonly { id: string; charge: FeeCharge; unitKind: UnitKind; basis: "area" | "unit" }[];

export type RateLine = (typeof rateLines)[number];
export type RateLineId = RateLine["id"];

/** The basis each charge is billed on (a charge added to the schema without a line fails to compile here). */
export const chargeBasis: Record<FeeCharge, "area" | "unit"> = Object.fromEntries(
  rateLines.map((l) => [l.charge, l.basis]),
) as {
  [C in RateLine["charge"]]: Extract<RateLine, { charge: C }>["basis"];
};
