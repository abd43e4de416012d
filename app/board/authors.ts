import type { Role } from "#db/schema/people";
import type { BoardNoticeAuthor } from "#db/schema/board";

/**
 * In whose name a person may post a general notice, by the roles they hold in the estate: a
 * committee member for the committee, property staff for the property company, a community
 * admin for the residents' committee, a platform admin for the platform. Client-safe (types only).
 */
const authorOfRole: Partial<Record<Role, BoardNoticeAuthor>> = {
  committee: "committee",
  property_staff: "property",
  community_admin: "community",
  platform_admin: "platform",
};

export function authorsFor(roles: readonly Role[]): BoardNoticeAuthor[] {
  const order: BoardNoticeAuthor[] = ["committee", "property", "community", "platform"];
  const mine = new Set(roles.flatMap((r) => authorOfRole[r] ?? []));
  return order.filter((a) => mine.has(a));
}
