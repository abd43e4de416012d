import type { AppLoadContext } from "@remix-run/node";
import { and, eq, isNull, or } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import type { Role } from "#db/schema/people";
import { estateAccessOnce } from "./estate-access.server";
import { requireUser } from "./session.server";

const { memberships } = schema;

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

/** Throws a 404 unless the condition holds (Epic Stack's invariantResponse, kept to one use). */
export function invariantFound<T>(value: T | null | undefined | false): asserts value is T {
  if (!value) notFound();
}

export async function rolesInEstate(userId: string, estate: Pick<Estate, "id" | "communityId">): Promise<Role[]> {
  const rows = await getDb()
    .select({ role: memberships.role })
    .from(memberships)
    .where(
      and(
        eq(memberships.userId, userId),
        or(
          eq(memberships.estateId, estate.id),
          and(eq(memberships.communityId, estate.communityId), eq(memberships.role, "community_admin")),
          and(isNull(memberships.estateId), isNull(memberships.communityId), eq(memberships.role, "platform_admin")),
        ),
      ),
    );
  return [...new Set(rows.map((r) => r.role))];
}

/**
 * The one check every estate loader and action makes: an anonymous caller goes to log in,
 * a user with no role in the estate gets 404 (its existence is not revealed), a user whose
 * roles are not among `allowed` gets 403.
 */
export async function requireEstateRole(
  request: Request,
  context: AppLoadContext,
  slug: string | undefined,
  allowed: readonly Role[] | "any",
): Promise<EstateAccess> {
  const user = requireUser(request, context);
  if (!slug) notFound();
  const found = await estateAccessOnce(request, context, user.id, slug);
  if (!found || found.roles.length === 0) notFound();
  const { estate, roles } = found;
  if (allowed !== "any" && !roles.some((r) => allowed.includes(r))) forbidden();
  return { user, estate, roles };
}

/** Roles that may manage an estate's roster and claims. */
export const rosterManagers = ["committee", "community_admin", "platform_admin"] as const satisfies readonly Role[];
/** Community admins and platform admins only (roster import, reissuing codes). */
export const estateAdmins = ["community_admin", "platform_admin"] as const satisfies readonly Role[];
