import type { Permission } from "~/lib/permissions";

/** The permission that publishes schedules, per the estate's setting (admins always may). */
export function schedulePublishPermission(setting: "property_staff" | "committee"): Permission {
  return `fees:publish:${setting}`;
}
