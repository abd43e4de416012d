import type { Role } from "#db/schema/people";

/*
 * Permissions as data: who may do what, in one table. Pure and client-safe (a type-only import
 * of Role, nothing from the database), so a route's guard (`requireEstatePermission`) and the
 * pages that show a link to that route read the same entry and cannot drift apart.
 *
 * The roles a user holds in an estate come from `rolesInScope` below (its memberships in the
 * estate, community_admin through the estate's community, platform_admin everywhere); a
 * permission is granted when any of them is in the entry's list.
 *
 * The hand-written route matrix (tests/integration/route-matrix.test.ts) is the independent
 * oracle for this table: it does not read it.
 */

/** Every role, in one list: a role added to the schema fails to compile here until it is placed. */
export const everyRole = [
  "owner",
  "resident",
  "committee",
  "committee_observer",
  "property_staff",
  "community_admin",
  "platform_admin",
] as const satisfies readonly Role[];
// The other half of the exhaustiveness check: every Role of the schema is in everyRole.
type Missing = Exclude<Role, (typeof everyRole)[number]>;
const exhaustive: [Missing] extends [never] ? true : Missing = true;
void exhaustive;

const admins = ["community_admin", "platform_admin"] as const satisfies readonly Role[];
/** The committee, and the admins above it who oversee committees. */
const overseers = ["committee", ...admins] as const satisfies readonly Role[];

export const permissionTable = {
  // The estate.
  /** Any role in the estate: its home page and everything every member reads. */
  "estate:view": everyRole,
  /** Read the estate's settings (voting rules). */
  "estate:settings": overseers,
  /** Change the estate's settings. */
  "estate:settings-edit": admins,
  /** The estate's audit log. */
  "estate:audit": overseers,
  /** The audit log with the actors' names unmasked. */
  "estate:audit-names": admins,
  /** The community's view of all its estates. */
  "estate:community": admins,
  /** Grant and revoke property staff for the estate (the company serving it). */
  "estate:staff": admins,

  // Roster and claims.
  /** The roster, its units and the claims on them. */
  "roster:manage": overseers,
  /** Roster import, claim letters, reissued codes, the roster in full. */
  "roster:admin": admins,
  /** "My units": owners and the residents they let in. */
  "units:mine": ["owner", "resident"],

  // The committee.
  /** Set up a committee, run its elections' admin side, upload any member's photo. */
  "committee:admin": admins,
  /** Declare a public role (owners) and review declarations (admins). */
  "committee:declare": ["owner", ...admins],
  /** The committee's own records: meeting drafts, agendas, minutes before publication. */
  "committee:records": ["committee", "committee_observer", ...admins],
  /** Schedule and run meetings, requisitions. */
  "meetings:manage": ["committee"],
  /** Open, close and publish committee elections. */
  "elections:run": admins,
  /** Handle an election's paper ballots, proxies and files before publication. */
  "elections:oversee": overseers,
  /** See an election's proxies page. */
  "elections:proxies": ["owner", "resident", ...overseers],
  /** Ask for or decide an election proxy. */
  "elections:proxy-act": ["owner", ...overseers],

  // Votes (proposals).
  /** Cast a ballot (owners, and residents who are an owner's approved proxy). */
  "voting:cast": ["owner", "resident"],
  /** Draft, open and close votes, enter paper ballots, approve proxies, remind non-voters. */
  "voting:manage": ["committee"],
  /** See drafts and turnout. */
  "voting:oversee": overseers,
  /** Comment on a proposal. */
  "voting:comment": ["owner", "committee"],
  /** See a vote's proxies page. */
  "voting:proxies": ["owner", "resident", ...overseers],
  /** Ask for or decide a proxy. */
  "voting:proxy-act": ["owner", "committee"],
  /** Read a closed vote's full ballot list when the estate leaves it to verified owners. */
  "voting:ballot-list": ["owner", "committee"],
  /** Sign an owners' petition. */
  "petitions:sign": ["owner"],

  // Owners' questions to the committee.
  "inquiries:read": overseers,
  "inquiries:ask": ["owner"],
  "inquiries:reply": ["owner", "committee"],
  /** Answer for the committee (a member with a vote). */
  "inquiries:answer": ["committee"],
  /** Record an entry in the estate's public ledgers. */
  "ledgers:record": ["committee"],

  // Fees.
  /** See and pay the bills of one's own units. */
  "fees:pay": ["owner", "resident"],
  /** The ledger, offline payments, bill runs, receipts of anyone. */
  "fees:ledger": ["property_staff", ...admins],
  /** Set the estate's fee rules (billing period, reminders, who publishes schedules). */
  "fees:rules": overseers,
  /** Read the fee settings and schedules. */
  "fees:settings": ["property_staff", ...overseers],
  /** Publish a schedule where the estate leaves it to the property staff. */
  "fees:publish:property_staff": ["property_staff", ...admins],
  /** Publish a schedule where the estate leaves it to the committee. */
  "fees:publish:committee": ["committee", ...admins],
  /** Choose the estate's payment providers and set its merchant ids (WeChat Pay, Alipay, Stripe). */
  "payments:configure": admins,

  // Tickets.
  "tickets:file": ["owner", "resident"],
  /** Work on the estate's tickets (the serving company's staff). */
  "tickets:work": ["property_staff"],
  /** See escalated tickets whole, comment on them and press the company. */
  "tickets:oversee": overseers,
  /** Set the estate's ticket targets and serving company. */
  "tickets:targets": overseers,
  "tickets:upvote": ["owner"],
  /** Publish the company's service reports. */
  "reports:publish": ["property_staff"],

  // The platform (no estate).
  /** The mail queue at /admin/mail. */
  "platform:mail": ["platform_admin"],
  /** Grant and revoke community admins at /admin/communities. */
  "platform:community-admins": ["platform_admin"],
  /** Keep the holiday table the legal clocks count with, at /admin/calendar. */
  "platform:calendar": ["platform_admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionTable;

/** The one "any of these roles" test. */
export function hasAny(roles: readonly Role[], allowed: readonly Role[]): boolean {
  return roles.some((r) => allowed.includes(r));
}

/** Whether roles (already scoped to the estate) grant the permission. */
export function can(roles: readonly Role[], permission: Permission): boolean {
  return hasAny(roles, permissionTable[permission]);
}

/** The roles that grant a permission (for a SQL filter or a message). */
export function rolesFor(permission: Permission): readonly Role[] {
  return permissionTable[permission];
}

/** One membership row as stored: estate roles carry the estate, community_admin the community, platform_admin neither. */
export interface MembershipScope {
  role: Role;
  estateId: string | null;
  communityId: string | null;
}

/**
 * The one scoping rule: the roles a user's memberships give in an estate. Its own memberships
 * in the estate, community_admin of the estate's community, platform_admin everywhere.
 */
export function rolesInScope(rows: readonly MembershipScope[], estate: { id: string; communityId: string }): Role[] {
  const roles = new Set<Role>();
  for (const r of rows) {
    if (r.estateId !== null) {
      if (r.estateId === estate.id && r.role !== "community_admin" && r.role !== "platform_admin") roles.add(r.role);
    } else if (r.communityId !== null) {
      if (r.role === "community_admin" && r.communityId === estate.communityId) roles.add(r.role);
    } else if (r.role === "platform_admin") {
      roles.add(r.role);
    }
  }
  return [...roles];
}

/** The roles a user holds outside any estate (platform_admin), for the platform's own pages. */
export function platformRoles(rows: readonly MembershipScope[]): Role[] {
  return rows.some((r) => r.role === "platform_admin" && r.estateId === null && r.communityId === null)
    ? ["platform_admin"]
    : [];
}
