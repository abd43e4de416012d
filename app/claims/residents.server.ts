import { and, asc, count, eq, gt, inArray, isNull } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import { getDb, schema, type Queryable } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import { maskName } from "~/ui/mask";
import { inviteLifetimeMs, inviteState } from "./rules";

const { buildings, estates, memberships, owners, ownerships, residentInvites, residents, units, users } = schema;

export type Relation = (typeof schema.residentRelation.enumValues)[number];

/** What the link carries; only its SHA-256 is stored, so a database leak opens no door. */
export function newInviteToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether the user holds an owner slot of this unit of this estate. */
export async function ownsUnit(db: Queryable, estateId: string, unitId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ ownerId: owners.id })
    .from(ownerships)
    .innerJoin(owners, eq(owners.id, ownerships.ownerId))
    .where(and(eq(ownerships.estateId, estateId), eq(ownerships.unitId, unitId), eq(owners.userId, userId)))
    .limit(1);
  return Boolean(row);
}

const unitColumns = {
  unitId: units.id,
  building: buildings.name,
  number: units.number,
  floor: units.floor,
  kind: units.kind,
  areaCentiSqm: units.areaCentiSqm,
};

/**
 * "My units": the units the user owns through their linked roster owners (with co-owners,
 * residents and open invitations, other people's names masked) and those they live in.
 */
export async function myUnits(userId: string, estateId: string, now = new Date()) {
  const db = getDb();
  const ownedRows = await db
    .selectDistinct(unitColumns)
    .from(ownerships)
    .innerJoin(owners, eq(owners.id, ownerships.ownerId))
    .innerJoin(units, eq(units.id, ownerships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(and(eq(ownerships.estateId, estateId), eq(owners.userId, userId)))
    .orderBy(asc(buildings.name), asc(units.number));
  const unitIds = ownedRows.map((u) => u.unitId);
  const [roster, unitResidents, invites, residing] = await Promise.all([
    unitIds.length
      ? db
          .select({ unitId: ownerships.unitId, name: owners.name, userId: owners.userId })
          .from(ownerships)
          .innerJoin(owners, eq(owners.id, ownerships.ownerId))
          .where(and(eq(ownerships.estateId, estateId), inArray(ownerships.unitId, unitIds)))
          .orderBy(asc(owners.name))
      : [],
    unitIds.length
      ? db
          .select({
            id: residents.id,
            unitId: residents.unitId,
            name: users.displayName,
            relation: residents.relation,
            since: residents.createdAt,
          })
          .from(residents)
          .innerJoin(users, eq(users.id, residents.userId))
          .where(and(eq(residents.estateId, estateId), inArray(residents.unitId, unitIds)))
          .orderBy(asc(residents.createdAt))
      : [],
    unitIds.length
      ? db
          .select({
            id: residentInvites.id,
            unitId: residentInvites.unitId,
            relation: residentInvites.relation,
            expiresAt: residentInvites.expiresAt,
          })
          .from(residentInvites)
          .where(
            and(
              eq(residentInvites.estateId, estateId),
              inArray(residentInvites.unitId, unitIds),
              isNull(residentInvites.usedAt),
              gt(residentInvites.expiresAt, now),
            ),
          )
          .orderBy(asc(residentInvites.createdAt))
      : [],
    db
      .select({ ...unitColumns, relation: residents.relation })
      .from(residents)
      .innerJoin(units, eq(units.id, residents.unitId))
      .innerJoin(buildings, eq(buildings.id, units.buildingId))
      .where(and(eq(residents.estateId, estateId), eq(residents.userId, userId)))
      .orderBy(asc(buildings.name), asc(units.number)),
  ]);
  return {
    owned: ownedRows.map((u) => ({
      ...u,
      coOwners: roster
        .filter((o) => o.unitId === u.unitId && o.userId !== userId)
        .map((o) => ({ name: maskName(o.name), claimed: o.userId !== null })),
      residents: unitResidents
        .filter((r) => r.unitId === u.unitId)
        .map((r) => ({ id: r.id, name: maskName(r.name), relation: r.relation, since: r.since })),
      invites: invites
        .filter((i) => i.unitId === u.unitId)
        .map((i) => ({ id: i.id, relation: i.relation, expiresAt: i.expiresAt })),
    })),
    residing,
  };
}

export type OwnerActResult<T = object> = ({ ok: true } & T) | { ok: false; error: "notFound" | "forbidden" };

/** Only an owner of that unit invites: a unit of another estate is not found, someone else's unit forbidden. */
export async function createInvite(input: {
  estateId: string;
  unitId: string;
  userId: string;
  relation: Relation;
  now?: Date;
}): Promise<OwnerActResult<{ token: string }>> {
  const now = input.now ?? new Date();
  const db = getDb();
  const [unit] = await db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.id, input.unitId), eq(units.estateId, input.estateId)));
  if (!unit) return { ok: false, error: "notFound" };
  if (!(await ownsUnit(db, input.estateId, input.unitId, input.userId))) return { ok: false, error: "forbidden" };
  const token = newInviteToken();
  await db.transaction(async (tx) => {
    const [invite] = await tx
      .insert(residentInvites)
      .values({
        estateId: input.estateId,
        unitId: input.unitId,
        relation: input.relation,
        tokenHash: hashInviteToken(token),
        createdBy: input.userId,
        expiresAt: new Date(now.getTime() + inviteLifetimeMs),
        createdAt: now,
      })
      .returning({ id: residentInvites.id });
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "resident_invite",
      subjectType: "resident_invite",
      subjectId: invite.id,
      detail: { unitId: input.unitId, relation: input.relation },
      at: now,
    });
  });
  return { ok: true, token };
}

/** An owner withdraws a link not used yet: it expires now. */
export async function revokeInvite(input: {
  estateId: string;
  inviteId: string;
  userId: string;
  now?: Date;
}): Promise<OwnerActResult> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx): Promise<OwnerActResult> => {
    const [invite] = await tx
      .select({ id: residentInvites.id, unitId: residentInvites.unitId })
      .from(residentInvites)
      .where(and(eq(residentInvites.id, input.inviteId), eq(residentInvites.estateId, input.estateId)))
      .for("update");
    if (!invite) return { ok: false, error: "notFound" };
    if (!(await ownsUnit(tx, input.estateId, invite.unitId, input.userId))) return { ok: false, error: "forbidden" };
    await tx
      .update(residentInvites)
      .set({ expiresAt: now })
      .where(and(eq(residentInvites.id, invite.id), isNull(residentInvites.usedAt)));
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "resident_invite_revoke",
      subjectType: "resident_invite",
      subjectId: invite.id,
      detail: { unitId: invite.unitId },
      at: now,
    });
    return { ok: true };
  });
}

/**
 * An owner removes a resident from their unit. The resident keeps their role in the estate
 * while they live in another unit there; otherwise their resident membership goes too.
 */
export async function removeResident(input: {
  estateId: string;
  residentId: string;
  userId: string;
  now?: Date;
}): Promise<OwnerActResult> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx): Promise<OwnerActResult> => {
    const [resident] = await tx
      .select()
      .from(residents)
      .where(and(eq(residents.id, input.residentId), eq(residents.estateId, input.estateId)))
      .for("update");
    if (!resident) return { ok: false, error: "notFound" };
    if (!(await ownsUnit(tx, input.estateId, resident.unitId, input.userId))) return { ok: false, error: "forbidden" };
    await tx.delete(residents).where(eq(residents.id, resident.id));
    const [left] = await tx
      .select({ n: count() })
      .from(residents)
      .where(and(eq(residents.estateId, input.estateId), eq(residents.userId, resident.userId)));
    if (left.n === 0) {
      await tx
        .delete(memberships)
        .where(
          and(
            eq(memberships.userId, resident.userId),
            eq(memberships.estateId, input.estateId),
            eq(memberships.role, "resident"),
          ),
        );
    }
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "resident_remove",
      subjectType: "resident",
      subjectId: resident.id,
      detail: {
        unitId: resident.unitId,
        userId: resident.userId,
        relation: resident.relation,
        membershipRemoved: left.n === 0,
      },
      at: now,
    });
    return { ok: true };
  });
}

export type InviteView =
  | { state: "unknown" }
  | {
      state: "valid" | "expired" | "used" | "ownUnit" | "already";
      estate: { slug: string; name: string };
      building: string;
      number: string;
      relation: Relation;
    };

async function findInvite(db: Queryable, token: string, lock: boolean) {
  const query = db
    .select({
      id: residentInvites.id,
      estateId: residentInvites.estateId,
      unitId: residentInvites.unitId,
      relation: residentInvites.relation,
      createdBy: residentInvites.createdBy,
      expiresAt: residentInvites.expiresAt,
      usedAt: residentInvites.usedAt,
      estateSlug: estates.slug,
      estateName: estates.name,
      building: buildings.name,
      number: units.number,
    })
    .from(residentInvites)
    .innerJoin(units, eq(units.id, residentInvites.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .innerJoin(estates, eq(estates.id, residentInvites.estateId))
    .where(eq(residentInvites.tokenHash, hashInviteToken(token)));
  const [invite] = lock ? await query.for("update", { of: residentInvites }) : await query;
  return invite;
}

async function viewOf(
  db: Queryable,
  invite: NonNullable<Awaited<ReturnType<typeof findInvite>>>,
  userId: string,
  now: Date,
): Promise<InviteView> {
  const base = {
    estate: { slug: invite.estateSlug, name: invite.estateName },
    building: invite.building,
    number: invite.number,
    relation: invite.relation,
  };
  const state = inviteState(invite, now);
  if (state !== "valid") return { state, ...base };
  if (await ownsUnit(db, invite.estateId, invite.unitId, userId)) return { state: "ownUnit", ...base };
  const [already] = await db
    .select({ id: residents.id })
    .from(residents)
    .where(and(eq(residents.unitId, invite.unitId), eq(residents.userId, userId)));
  if (already) return { state: "already", ...base };
  return { state: "valid", ...base };
}

/** What the person who opened an invitation link sees, before accepting. */
export async function inviteForToken(token: string, userId: string, now = new Date()): Promise<InviteView> {
  const db = getDb();
  const invite = await findInvite(db, token, false);
  if (!invite) return { state: "unknown" };
  return viewOf(db, invite, userId, now);
}

/** Accepting: the resident row, the resident membership and the used mark, in one transaction. */
export async function acceptInvite(token: string, userId: string, now = new Date()): Promise<InviteView> {
  return getDb().transaction(async (tx): Promise<InviteView> => {
    const invite = await findInvite(tx, token, true);
    if (!invite) return { state: "unknown" };
    const view = await viewOf(tx, invite, userId, now);
    if (view.state !== "valid") return view;
    await tx.insert(residents).values({
      estateId: invite.estateId,
      unitId: invite.unitId,
      userId,
      relation: invite.relation,
      invitedBy: invite.createdBy,
      createdAt: now,
    });
    await tx.insert(memberships).values({ userId, estateId: invite.estateId, role: "resident" }).onConflictDoNothing();
    await tx.update(residentInvites).set({ usedAt: now }).where(eq(residentInvites.id, invite.id));
    await recordAudit(tx, {
      estateId: invite.estateId,
      actorUserId: userId,
      act: "resident_join",
      subjectType: "resident_invite",
      subjectId: invite.id,
      detail: { unitId: invite.unitId, relation: invite.relation },
      at: now,
    });
    return view;
  });
}
