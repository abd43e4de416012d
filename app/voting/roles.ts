import type { Role } from "#db/schema/people";

/** Who drafts, opens and closes votes, enters paper ballots and approves proxies. */
export const voteManagers = ["committee"] as const satisfies readonly Role[];
/** Who may see drafts and the committee's turnout pages. */
export const voteOverseers = ["committee", "community_admin", "platform_admin"] as const satisfies readonly Role[];
/** Who may cast (owners, and residents who are an owner's approved proxy). */
export const voteCasters = ["owner", "resident"] as const satisfies readonly Role[];

export function hasAny(roles: readonly Role[], allowed: readonly Role[]) {
  return roles.some((r) => allowed.includes(r));
}
