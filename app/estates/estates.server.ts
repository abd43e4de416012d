import { eq, inArray, or } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { membershipsOf } from "~/auth/guards.server";
import { rolesInScope } from "~/lib/permissions";

const { estates, communities } = schema;

/** The estates where the user holds any role, with those roles (scoped by the one rule, `rolesInScope`). */
export async function myEstates(userId: string) {
  const db = getDb();
  const rows = await membershipsOf(db, userId);
  if (rows.length === 0) return [];
  // Narrow the query to the estates the memberships name (all of them for a platform admin);
  // which roles each estate gets is rolesInScope's to say.
  const everywhere = rows.some((r) => r.estateId === null && r.communityId === null);
  const estateIds = rows.flatMap((r) => (r.estateId ? [r.estateId] : []));
  const communityIds = rows.flatMap((r) => (r.communityId ? [r.communityId] : []));
  const list = await db
    .select({
      id: estates.id,
      slug: estates.slug,
      name: estates.name,
      communityId: estates.communityId,
      community: communities.name,
    })
    .from(estates)
    .innerJoin(communities, eq(communities.id, estates.communityId))
    .where(
      everywhere
        ? undefined
        : or(
            estateIds.length ? inArray(estates.id, estateIds) : undefined,
            communityIds.length ? inArray(estates.communityId, communityIds) : undefined,
          ),
    )
    .orderBy(estates.name);
  return list.flatMap((e) => {
    const roles = rolesInScope(rows, e);
    return roles.length ? [{ slug: e.slug, name: e.name, community: e.community, roles }] : [];
  });
}
