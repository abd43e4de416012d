import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import { normaliseEmail } from "~/auth/accounts.server";
import { holdsEstatePermission, membershipsOf, type Estate } from "~/auth/guards.server";
import type { Reason } from "~/lib/forms/result";
import { normalisePhone } from "~/lib/phone";
import { can, platformRoles } from "~/lib/permissions";
import { maskEmail } from "~/ui/mask";

/*
 * Who grants the roles above owners and residents. A community admin grants and revokes
 * property staff for the estates their company (community) serves; a platform admin grants and
 * revokes community admins. Nobody grants to themselves, the last admin of a community is not
 * revoked, and every grant and revoke is written to the audit log in its own transaction.
 * Each command re-checks the actor's permission inside that transaction.
 */

const { users, memberships, communities, estates } = schema;

export type GrantError =
  | "grants.errors.forbidden"
  | "grants.errors.noAccount"
  | "grants.errors.self"
  | "grants.errors.already"
  | "grants.errors.notHeld"
  | "grants.errors.lastAdmin";
export type GrantResult = { ok: true; userId: string } | { ok: false; error: GrantError };

/** The answer each refusal gets (the rest are conflicts: already held, the last admin). */
export const grantRefusalReasons: Partial<Record<GrantError, Reason>> = {
  "grants.errors.forbidden": "forbidden",
  "grants.errors.self": "forbidden",
  "grants.errors.noAccount": "not_found",
  "grants.errors.notHeld": "not_found",
};

/**
 * The existing account an email or a verified phone names (as login matches them); a deleted
 * account or an unverified phone names nobody.
 */
export async function accountByContact(db: Queryable, contact: string): Promise<{ id: string } | null> {
  const typed = contact.trim();
  const isEmail = typed.includes("@");
  const key = isEmail ? normaliseEmail(typed) : normalisePhone(typed);
  if (!key) return null;
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        isEmail ? eq(users.email, key) : and(eq(users.phone, key), isNotNull(users.phoneVerifiedAt)),
        isNull(users.deletedAt),
      ),
    );
  return user ?? null;
}

/** The estate's property staff, for the staff page. */
export async function estateStaff(estateId: string) {
  const rows = await getDb()
    .select({ userId: users.id, name: users.displayName, email: users.email, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.estateId, estateId), eq(memberships.role, "property_staff")))
    .orderBy(asc(users.displayName));
  return rows.map((r) => ({
    userId: r.userId,
    name: r.name,
    email: r.email ? maskEmail(r.email) : "",
    since: r.since.toISOString(),
  }));
}

type StaffInput = { estate: Pick<Estate, "id" | "communityId">; actorId: string; now?: Date };

/** Makes the account the contact names property staff of the estate. */
export async function grantPropertyStaff(input: StaffInput & { contact: string }): Promise<GrantResult> {
  return getDb().transaction(async (tx) => {
    if (!(await holdsEstatePermission(tx, input.actorId, input.estate, "estate:staff")))
      return { ok: false, error: "grants.errors.forbidden" };
    const user = await accountByContact(tx, input.contact);
    if (!user) return { ok: false, error: "grants.errors.noAccount" };
    if (user.id === input.actorId) return { ok: false, error: "grants.errors.self" };
    const added = await tx
      .insert(memberships)
      .values({ userId: user.id, estateId: input.estate.id, role: "property_staff" })
      .onConflictDoNothing()
      .returning({ id: memberships.id });
    if (added.length === 0) return { ok: false, error: "grants.errors.already" };
    await recordAudit(tx, {
      estateId: input.estate.id,
      actorUserId: input.actorId,
      act: "role_grant",
      subjectType: "user",
      subjectId: user.id,
      detail: { role: "property_staff" },
      at: input.now,
    });
    return { ok: true, userId: user.id };
  });
}

/** Takes the property staff role in the estate from the user. */
export async function revokePropertyStaff(input: StaffInput & { userId: string }): Promise<GrantResult> {
  return getDb().transaction(async (tx) => {
    if (!(await holdsEstatePermission(tx, input.actorId, input.estate, "estate:staff")))
      return { ok: false, error: "grants.errors.forbidden" };
    const gone = await tx
      .delete(memberships)
      .where(
        and(
          eq(memberships.userId, input.userId),
          eq(memberships.estateId, input.estate.id),
          eq(memberships.role, "property_staff"),
        ),
      )
      .returning({ id: memberships.id });
    if (gone.length === 0) return { ok: false, error: "grants.errors.notHeld" };
    await recordAudit(tx, {
      estateId: input.estate.id,
      actorUserId: input.actorId,
      act: "role_revoke",
      subjectType: "user",
      subjectId: input.userId,
      detail: { role: "property_staff" },
      at: input.now,
    });
    return { ok: true, userId: input.userId };
  });
}

/** Every community with its admins, for the platform's page. */
export async function communitiesWithAdmins() {
  const db = getDb();
  const [list, admins] = await Promise.all([
    db.select({ id: communities.id, name: communities.name }).from(communities).orderBy(asc(communities.name)),
    db
      .select({ communityId: memberships.communityId, userId: users.id, name: users.displayName, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.role, "community_admin"), isNotNull(memberships.communityId)))
      .orderBy(asc(users.displayName)),
  ]);
  return list.map((c) => ({
    ...c,
    admins: admins
      .filter((a) => a.communityId === c.id)
      .map((a) => ({ userId: a.userId, name: a.name, email: a.email ? maskEmail(a.email) : "" })),
  }));
}

type AdminInput = { communityId: string; actorId: string; now?: Date };

async function actorIsPlatformAdmin(tx: Queryable, actorId: string) {
  return can(platformRoles(await membershipsOf(tx, actorId)), "platform:community-admins");
}

/**
 * A community admin administers every estate of the community, so each estate's log records
 * the grant (its committee reads who now administers it); a community with no estate yet gets
 * one row outside any estate.
 */
async function auditCommunityRole(tx: Queryable, act: "role_grant" | "role_revoke", input: AdminInput, userId: string) {
  const here = await tx.select({ id: estates.id }).from(estates).where(eq(estates.communityId, input.communityId));
  for (const estateId of here.length ? here.map((e) => e.id) : [null]) {
    await recordAudit(tx, {
      estateId,
      actorUserId: input.actorId,
      act,
      subjectType: "user",
      subjectId: userId,
      detail: { role: "community_admin", communityId: input.communityId },
      at: input.now,
    });
  }
}

/** Makes the account the contact names an admin of the community. */
export async function grantCommunityAdmin(input: AdminInput & { contact: string }): Promise<GrantResult> {
  return getDb().transaction(async (tx) => {
    if (!(await actorIsPlatformAdmin(tx, input.actorId))) return { ok: false, error: "grants.errors.forbidden" };
    const [community] = await tx
      .select({ id: communities.id })
      .from(communities)
      .where(eq(communities.id, input.communityId));
    if (!community) return { ok: false, error: "grants.errors.notHeld" };
    const user = await accountByContact(tx, input.contact);
    if (!user) return { ok: false, error: "grants.errors.noAccount" };
    if (user.id === input.actorId) return { ok: false, error: "grants.errors.self" };
    const added = await tx
      .insert(memberships)
      .values({ userId: user.id, communityId: input.communityId, role: "community_admin" })
      .onConflictDoNothing()
      .returning({ id: memberships.id });
    if (added.length === 0) return { ok: false, error: "grants.errors.already" };
    await auditCommunityRole(tx, "role_grant", input, user.id);
    return { ok: true, userId: user.id };
  });
}

/** Takes the admin role of the community from the user; never its last admin (grant the next one first). */
export async function revokeCommunityAdmin(input: AdminInput & { userId: string }): Promise<GrantResult> {
  return getDb().transaction(async (tx) => {
    if (!(await actorIsPlatformAdmin(tx, input.actorId))) return { ok: false, error: "grants.errors.forbidden" };
    // The community's row is the lock: two revokes of its last two admins cannot both pass the count.
    const [community] = await tx
      .select({ id: communities.id })
      .from(communities)
      .where(eq(communities.id, input.communityId))
      .for("update");
    if (!community) return { ok: false, error: "grants.errors.notHeld" };
    const admins = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.communityId, input.communityId), eq(memberships.role, "community_admin")));
    if (!admins.some((a) => a.userId === input.userId)) return { ok: false, error: "grants.errors.notHeld" };
    if (admins.length <= 1) return { ok: false, error: "grants.errors.lastAdmin" };
    await tx
      .delete(memberships)
      .where(
        and(
          eq(memberships.userId, input.userId),
          eq(memberships.communityId, input.communityId),
          eq(memberships.role, "community_admin"),
        ),
      );
    await auditCommunityRole(tx, "role_revoke", input, input.userId);
    return { ok: true, userId: input.userId };
  });
}
