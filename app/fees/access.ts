import type { Role } from "#db/schema/people";

/** Who may do what with fees (route guards pass these to requireEstateRole). */

/** Owners and residents see and pay the bills of their own units. */
export const billPayers = ["owner", "resident"] as const satisfies readonly Role[];
/** The property company's staff (and the admins above the estate): the ledger, offline payments, bill runs. */
export const feeStaff = ["property_staff", "community_admin", "platform_admin"] as const satisfies readonly Role[];
/** The committee sets the estate's fee rules (billing period, reminders, who publishes schedules). */
export const feeRuleMakers = ["committee", "community_admin", "platform_admin"] as const satisfies readonly Role[];
/** Everyone who may read the fee settings and schedules. */
export const feeSettingsReaders = ["property_staff", "committee", "community_admin", "platform_admin"] as const satisfies readonly Role[];

export function hasAny(roles: readonly Role[], allowed: readonly Role[]): boolean {
  return roles.some((r) => allowed.includes(r));
}

/** Who publishes schedules, per the estate's setting (admins always may). */
export function schedulePublishers(setting: "property_staff" | "committee"): Role[] {
  return [setting, "community_admin", "platform_admin"];
}
