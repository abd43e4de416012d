import type { AppLoadContext } from "@remix-run/node";
import { eq, getTableColumns, sql } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import type { Role } from "#db/schema/people";

const { estates } = schema;

type EstateRow = typeof estates.$inferSelect;

/**
 * The estate by its slug and every role the user holds there (community_admin and
 * platform_admin above it included), in one statement; null when there is no such estate.
 */
export async function estateWithRoles(userId: string, slug: string): Promise<{ estate: EstateRow; roles: Role[] } | null> {
  const [row] = await getDb()
    .select({
      estate: getTableColumns(estates),
      roles: sql<string[]>`array(
        select distinct membership.role::text from membership
         where membership.user_id = ${userId}
           and (membership.estate_id = estate.id
             or (membership.community_id = estate.community_id and membership.role = 'community_admin')
             or (membership.estate_id is null and membership.community_id is null and membership.role = 'platform_admin')))`,
    })
    .from(estates)
    .where(eq(estates.slug, slug));
  if (!row) return null;
  return { estate: row.estate, roles: parseRoles(row.roles) };
}

/** PGlite may hand a text[] back as its literal; postgres.js as an array. */
function parseRoles(value: string[] | string): Role[] {
  if (Array.isArray(value)) return value as Role[];
  const inner = value.replace(/^\{|\}$/g, "");
  return (inner ? inner.split(",") : []) as Role[];
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
