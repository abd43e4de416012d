import { desc, eq, inArray, or } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import type { Role } from "#db/schema/people";

const { estates, memberships, notices, communities } = schema;

/** The estates where the user holds any role, with those roles. */
export async function myEstates(userId: string) {
  const db = getDb();
  const rows = await db
    .select({ role: memberships.role, estateId: memberships.estateId, communityId: memberships.communityId })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  const platform = rows.some((r) => r.role === "platform_admin");
  const estateIds = rows.flatMap((r) => (r.estateId ? [r.estateId] : []));
  const communityIds = rows.flatMap((r) => (r.role === "community_admin" && r.communityId ? [r.communityId] : []));
  const where = platform
    ? undefined
    : or(
        estateIds.length ? inArray(estates.id, estateIds) : undefined,
        communityIds.length ? inArray(estates.communityId, communityIds) : undefined,
      );
  if (!platform && !estateIds.length && !communityIds.length) return [];
  const list = await db
    .select({ id: estates.id, slug: estates.slug, name: estates.name, communityId: estates.communityId, community: communities.name })
    .from(estates)
    .innerJoin(communities, eq(communities.id, estates.communityId))
    .where(where)
    .orderBy(estates.name);
  return list.map((e) => {
    const roles = new Set<Role>();
    for (const r of rows) {
      if (r.estateId === e.id) roles.add(r.role);
      if (r.role === "community_admin" && r.communityId === e.communityId) roles.add(r.role);
      if (r.role === "platform_admin") roles.add(r.role);
    }
    return { slug: e.slug, name: e.name, community: e.community, roles: [...roles] };
  });
}

export async function estateOverview(estateId: string) {
  const latest = await getDb()
    .select({ id: notices.id, title: notices.title, body: notices.body, publishedAt: notices.publishedAt })
    .from(notices)
    .where(eq(notices.estateId, estateId))
    .orderBy(desc(notices.publishedAt))
    .limit(10);
  return { notices: latest };
}

