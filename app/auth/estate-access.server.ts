import type { AppLoadContext } from "@remix-run/node";
import { eq, getTableColumns, sql } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { rolesInScope, type MembershipScope } from "~/lib/permissions";

const { estates } = schema;

type EstateRow = typeof estates.$inferSelect;

/**
 * The estate by its slug and every role the user holds there, in one statement: the user's
 * memberships come back with the estate and the one scoping rule (`rolesInScope`) reads them.
 * Null when there is no such estate.
 */
export async function estateWithRoles(
  userId: string,
  slug: string,
): Promise<{ estate: EstateRow; roles: ReturnType<typeof rolesInScope> } | null> {
  const [row] = await getDb()
    .select({
      estate: getTableColumns(estates),
      memberships: sql<MembershipScope[] | string>`coalesce((
        select json_agg(json_build_object('role', m.role, 'estateId', m.estate_id, 'communityId', m.community_id))
          from membership m where m.user_id = ${userId}), '[]'::json)`,
    })
    .from(estates)
    .where(eq(estates.slug, slug));
  if (!row) return null;
  const memberships: MembershipScope[] =
    typeof row.memberships === "string" ? JSON.parse(row.memberships) : row.memberships;
  return { estate: row.estate, roles: rolesInScope(memberships, row.estate) };
}

/**
 * Per request, the estate and the caller's roles are read once: Remix runs the loaders of a
 * page (root, estate layout, the page) in parallel and each checks access, so they share one
 * lookup through the request's load context. Only reads share it: a loader that runs after an
 * action in the same request looks again, and an action never takes a remembered answer.
 */
const perRequest = new WeakMap<AppLoadContext, Map<string, ReturnType<typeof estateWithRoles>>>();

export function estateAccessOnce(request: Request, context: AppLoadContext, userId: string, slug: string) {
  if (request.method !== "GET" && request.method !== "HEAD") return estateWithRoles(userId, slug);
  let lookups = perRequest.get(context);
  if (!lookups) perRequest.set(context, (lookups = new Map()));
  const key = `${userId}\n${slug}`;
  let lookup = lookups.get(key);
  if (!lookup) {
    lookup = estateWithRoles(userId, slug);
    lookups.set(key, lookup);
  }
  return lookup;
}
