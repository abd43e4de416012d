import type { BillingCycle, SchedulePublisher } from "#db/schema/fees";

/** The enums the pages show, without importing the Drizzle schema into the browser bundle. */
export const billingCycleOptions = ["monthly", "quarterly", "yearly"] as const satisfies readonly BillingCycle[];
export const schedulePublisherOptions = ["property_staff", "committee"] as const satisfies readonly SchedulePublisher[];
