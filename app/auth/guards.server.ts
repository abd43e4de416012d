import type { AppLoadContext } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import type { Role } from "#db/schema/people";
import { can, platformRoles, rolesInScope, type MembershipScope, type Permission } from "~/lib/permissions";
import { estateAccessOnce } from "./estate-access.server";
import { requireUser } from "./session.server";

const { estates, memberships } = schema;

export type Estate = typeof schema.estates.$inferSelect;

export interface EstateAccess {
  user: NonNullable<AppLoadContext["user"]>;
  estate: Estate;
  /** Every role the user holds here, including community_admin and platform_admin above it. */
  roles: Role[];
}

export function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

export function forbidden(): never {
  throw new Response("Forbidden", { status: 403 });
}

/** Every membership the user holds, as stored (a handful of rows); scoped by `rolesInScope`. */
export async function membershipsOf(db: Queryable, userId: string): Promise<MembershipScope[]> {
  return db
    .select({ role: memberships.role, estateId: memberships.estateId, communityId: memberships.communityId })
    .from(memberships)
    .where(eq(memberships.userId, userId));
}

/** The roles the user holds in the estate (the one scoping rule, `rolesInScope`). */
export async function rolesInEstate(
  userId: string,
  estate: Pick<Estate, "id" | "communityId">,
  db: Queryable = getDb(),
): Promise<Role[]> {
  return rolesInScope(await membershipsOf(db, userId), estate);
}

/**
 * Whether the user holds the permission in the estate now. Commands call it with their own
 * transaction, so a role revoked between the page's guard and the write is seen.
 */
export async function holdsEstatePermission(
  db: Queryable,
  userId: string,
  estate: Pick<Estate, "id" | "communityId">,
  permission: Permission,
): Promise<boolean> {
  return can(await rolesInEstate(userId, estate, db), permission);
}

/**
 * A command's re-check inside its own transaction, for a write its route's guard already
 * allowed: the role may have been revoked in between. Throws 403 (rolling the transaction back).
 */
export async function assertEstatePermission(
  tx: Queryable,
  userId: string,
  estateId: string,
  permission: Permission,
): Promise<void> {
  const [estate] = await tx
    .select({ id: estates.id, communityId: estates.communityId })
    .from(estates)
    .where(eq(estates.id, estateId));
  if (!estate || !(await holdsEstatePermission(tx, userId, estate, permission))) forbidden();
}

/**
 * The one check every estate loader and action makes: an anonymous caller goes to log in,
 * a user with no role in the estate gets 404 (its existence is not revealed), a user whose
 * roles do not grant the permission (or any of the permissions, for an action whose intents
 * each have their own) gets 403.
 */
export async function requireEstatePermission(
  request: Request,
  context: AppLoadContext,
  slug: string | undefined,
  permission: Permission | readonly Permission[],
): Promise<EstateAccess> {
  const user = requireUser(request, context);
  if (!slug) notFound();
  const found = await estateAccessOnce(request, context, user.id, slug);
  if (!found || found.roles.length === 0) notFound();
  const { estate, roles } = found;
  const wanted: readonly Permission[] = typeof permission === "string" ? [permission] : permission;
  if (!wanted.some((p) => can(roles, p))) forbidden();
  return { user, estate, roles };
}

/**
 * The platform's own pages (/admin/…): anyone without the permission gets 404, so the pages'
 * existence is not revealed; an anonymous caller goes to log in.
 */
export async function requirePlatformPermission(request: Request, context: AppLoadContext, permission: Permission) {
  const user = requireUser(request, context);
  if (!can(platformRoles(await membershipsOf(getDb(), user.id)), permission)) notFound();
  return user;
}
