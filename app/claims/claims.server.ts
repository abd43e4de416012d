import { and, asc, desc, eq, inArray, isNull, ne } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { claimLimit, limitState, releaseAttempt, takeAttempt } from "~/auth/rate-limit.server";
import { normaliseClaimCode } from "~/roster/claim-code";
import { maskName, phoneTail } from "~/ui/mask";
import { approvalProblem, decideClaim, deciderConflict, type RosterOwner } from "./rules";
import { recordAudit, recordPersonalDataViews } from "~/audit/audit.server";

const { buildings, claimRequests, estates, memberships, owners, ownerships, units, users } = schema;

/** The roster owners of one unit (the tenant boundary: the unit's estate). */
export async function rosterOwnersOfUnit(db: Queryable, estateId: string, unitId: string): Promise<RosterOwner[]> {
  return db
    .select({ id: owners.id, name: owners.name, userId: owners.userId })
    .from(ownerships)
    .innerJoin(owners, eq(owners.id, ownerships.ownerId))
    .where(and(eq(ownerships.estateId, estateId), eq(ownerships.unitId, unitId)))
    .orderBy(asc(owners.name), asc(owners.id));
}

/**
 * Links an unclaimed roster owner to an account and makes the account an owner of the estate.
 * Returns false when someone else got the slot first (the update sees `user_id` already set).
 */
async function linkOwner(
  tx: Queryable,
  input: {
    estateId: string;
    unitId: string;
    ownerId: string;
    userId: string;
    actorId: string;
    via: "code" | "approval";
    requestId?: string;
    now: Date;
  },
): Promise<boolean> {
  const [linked] = await tx
    .update(owners)
    .set({ userId: input.userId, claimedAt: input.now })
    .where(and(eq(owners.id, input.ownerId), eq(owners.estateId, input.estateId), isNull(owners.userId)))
    .returning({ id: owners.id });
  if (!linked) return false;
  await tx
    .insert(memberships)
    .values({ userId: input.userId, estateId: input.estateId, role: "owner" })
    .onConflictDoNothing();
  await recordAudit(tx, {
    estateId: input.estateId,
    actorUserId: input.actorId,
    act: "claim_link",
    subjectType: "owner",
    subjectId: input.ownerId,
    detail: { unitId: input.unitId, userId: input.userId, via: input.via, requestId: input.requestId ?? null },
    at: input.now,
  });
  return true;
}

export type ClaimResult =
  | {
      ok: true;
      kind: "linked" | "alreadyMine" | "requested";
      estate: { slug: string; name: string };
      building: string;
      number: string;
    }
  | { ok: false; error: "locked"; until: Date; justLocked: boolean }
  | {
      ok: false;
      error: "unknownCode" | "developerUnsold" | "usedUp" | "takenByOther" | "noOwners" | "alreadyRequested";
    };

/**
 * A claim with the code from the paper letter and the name as on the property register.
 * Unknown codes count against the claimant's account and address (claimLimit), so codes
 * cannot be guessed; a matching name links at once, a mismatch becomes a request.
 */
export async function claimUnit(input: {
  userId: string;
  ip: string;
  code: string;
  name: string;
  now?: Date;
}): Promise<ClaimResult> {
  const now = input.now ?? new Date();
  const db = getDb();
  // Taken before the code is looked up, so codes sent all at once cannot outrun the count.
  const taken = await takeAttempt(claimLimit, input.userId, input.ip, now);
  if (!taken.ok) return { ok: false, error: "locked", until: taken.until, justLocked: false };

  const [unit] = await db
    .select({
      id: units.id,
      estateId: units.estateId,
      developerUnsold: units.developerUnsold,
      number: units.number,
      building: buildings.name,
      estateSlug: estates.slug,
      estateName: estates.name,
    })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .innerJoin(estates, eq(estates.id, units.estateId))
    .where(eq(units.claimCode, normaliseClaimCode(input.code)));
  if (!unit) {
    const after = await limitState(claimLimit, input.userId, input.ip, now);
    if (after.locked) return { ok: false, error: "locked", until: after.until, justLocked: true };
    return { ok: false, error: "unknownCode" };
  }
  // A real code is not a failed guess; it does not count as a success either (that would reset the count).
  await releaseAttempt(taken.id);
  const found = {
    estate: { slug: unit.estateSlug, name: unit.estateName },
    building: unit.building,
    number: unit.number,
  };

  return db.transaction(async (tx): Promise<ClaimResult> => {
    // One claim on a unit at a time: the slots are read and taken under this lock.
    await tx.select({ id: units.id }).from(units).where(eq(units.id, unit.id)).for("update");
    const roster = await rosterOwnersOfUnit(tx, unit.estateId, unit.id);
    const decision = decideClaim(unit, roster, { userId: input.userId, name: input.name });
    switch (decision.kind) {
      case "alreadyMine":
        return { ok: true, kind: "alreadyMine", ...found };
      case "link": {
        const linked = await linkOwner(tx, {
          estateId: unit.estateId,
          unitId: unit.id,
          ownerId: decision.ownerId,
          userId: input.userId,
          actorId: input.userId,
          via: "code",
          now,
        });
        if (!linked) return { ok: false, error: "takenByOther" };
        // A request the claimant made earlier for this unit is settled by the match.
        await tx
          .update(claimRequests)
          .set({ status: "approved", ownerId: decision.ownerId, decidedAt: now })
          .where(
            and(
              eq(claimRequests.unitId, unit.id),
              eq(claimRequests.userId, input.userId),
              eq(claimRequests.status, "pending"),
            ),
          );
        return { ok: true, kind: "linked", ...found };
      }
      case "request": {
        const [request] = await tx
          .insert(claimRequests)
          .values({
            estateId: unit.estateId,
            unitId: unit.id,
            userId: input.userId,
            nameGiven: input.name.trim(),
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: claimRequests.id });
        if (!request) return { ok: false, error: "alreadyRequested" };
        // The name given stays on the request itself, which only the estate's admins read.
        await recordAudit(tx, {
          estateId: unit.estateId,
          actorUserId: input.userId,
          act: "claim_request",
          subjectType: "claim_request",
          subjectId: request.id,
          detail: { unitId: unit.id },
          at: now,
        });
        return { ok: true, kind: "requested", ...found };
      }
      default:
        return { ok: false, error: decision.kind };
    }
  });
}

/** A user's claim requests, everywhere (the /claim page) or in one estate (their units page). */
export async function claimRequestsOf(userId: string, estateId?: string) {
  return getDb()
    .select({
      id: claimRequests.id,
      estate: estates.name,
      estateSlug: estates.slug,
      building: buildings.name,
      number: units.number,
      nameGiven: claimRequests.nameGiven,
      status: claimRequests.status,
      reason: claimRequests.reason,
      createdAt: claimRequests.createdAt,
      decidedAt: claimRequests.decidedAt,
    })
    .from(claimRequests)
    .innerJoin(units, eq(units.id, claimRequests.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .innerJoin(estates, eq(estates.id, claimRequests.estateId))
    .where(and(eq(claimRequests.userId, userId), estateId ? eq(claimRequests.estateId, estateId) : undefined))
    .orderBy(desc(claimRequests.createdAt))
    .limit(50);
}

/**
 * The requests a committee member or admin decides. The reviewer sees what they must check
 * against the paper letter: the name the requester typed, each roster owner's name in full and
 * the last 4 digits of the roster's phone (never the phone typed at sign-up); each look is
 * written to the audit log, one row per pending request shown. The requester's display name
 * stays masked. A request the reviewer may not decide (their own, or for a unit they own) says so.
 */
export async function requestsForReview(estateId: string, viewerId: string) {
  const db = getDb();
  const columns = {
    id: claimRequests.id,
    unitId: claimRequests.unitId,
    building: buildings.name,
    number: units.number,
    nameGiven: claimRequests.nameGiven,
    requester: users.displayName,
    requesterId: claimRequests.userId,
    status: claimRequests.status,
    reason: claimRequests.reason,
    createdAt: claimRequests.createdAt,
    decidedAt: claimRequests.decidedAt,
    decidedBy: claimRequests.decidedBy,
  };
  const base = () =>
    db
      .select(columns)
      .from(claimRequests)
      .innerJoin(units, eq(units.id, claimRequests.unitId))
      .innerJoin(buildings, eq(buildings.id, units.buildingId))
      .innerJoin(users, eq(users.id, claimRequests.userId));
  const [pending, decided] = await Promise.all([
    base()
      .where(and(eq(claimRequests.estateId, estateId), eq(claimRequests.status, "pending")))
      .orderBy(asc(claimRequests.createdAt))
      .limit(200),
    base()
      .where(and(eq(claimRequests.estateId, estateId), ne(claimRequests.status, "pending")))
      .orderBy(desc(claimRequests.decidedAt))
      .limit(30),
  ]);
  const unitIds = [...new Set(pending.map((p) => p.unitId))];
  const roster = unitIds.length
    ? await db
        .select({
          unitId: ownerships.unitId,
          id: owners.id,
          name: owners.name,
          phone: owners.phone,
          userId: owners.userId,
        })
        .from(ownerships)
        .innerJoin(owners, eq(owners.id, ownerships.ownerId))
        .where(and(eq(ownerships.estateId, estateId), inArray(ownerships.unitId, unitIds)))
        .orderBy(asc(owners.name), asc(owners.id))
    : [];
  await recordPersonalDataViews(db, {
    estateId,
    actorUserId: viewerId,
    subjectType: "claim_request",
    subjectIds: pending.map((p) => p.id),
    page: "claims",
  });
  return {
    pending: pending.map((p) => {
      const unitOwners = roster.filter((o) => o.unitId === p.unitId);
      return {
        id: p.id,
        building: p.building,
        number: p.number,
        nameGiven: p.nameGiven,
        requester: maskName(p.requester),
        createdAt: p.createdAt,
        owners: unitOwners.map((o) => ({
          id: o.id,
          name: o.name,
          phoneTail: phoneTail(o.phone),
          claimed: o.userId !== null,
        })),
        requesterHoldsSlot: unitOwners.some((o) => o.userId === p.requesterId),
        /** Why this reviewer may not decide it (four eyes), or null. */
        conflict: deciderConflict(unitOwners, p.requesterId, viewerId),
      };
    }),
    decided: decided.map((d) => ({
      id: d.id,
      building: d.building,
      number: d.number,
      nameGiven: d.nameGiven,
      requester: maskName(d.requester),
      status: d.status,
      reason: d.reason,
      decidedAt: d.decidedAt,
      automatic: d.status === "approved" && d.decidedBy === null,
    })),
  };
}

export type DecisionResult =
  | { ok: true }
  | { ok: false; error: "notFound" | "alreadyDecided" | "ownerTaken" | "alreadyOwner" | "ownRequest" | "ownUnit" };

/** Locks a pending request of this estate; ids from another estate are not found. */
async function lockRequest(tx: Queryable, estateId: string, requestId: string) {
  const [request] = await tx
    .select()
    .from(claimRequests)
    .where(and(eq(claimRequests.id, requestId), eq(claimRequests.estateId, estateId)))
    .for("update");
  return request;
}

/** Approves a request as one unclaimed roster owner of its unit: linked exactly as a matching claim. */
export async function approveRequest(input: {
  estateId: string;
  requestId: string;
  ownerId: string;
  actorId: string;
  now?: Date;
}): Promise<DecisionResult> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx): Promise<DecisionResult> => {
    const request = await lockRequest(tx, input.estateId, input.requestId);
    if (!request) return { ok: false, error: "notFound" };
    if (request.status !== "pending") return { ok: false, error: "alreadyDecided" };
    await tx.select({ id: units.id }).from(units).where(eq(units.id, request.unitId)).for("update");
    const roster = await rosterOwnersOfUnit(tx, input.estateId, request.unitId);
    const conflict = deciderConflict(roster, request.userId, input.actorId);
    if (conflict) return { ok: false, error: conflict };
    const problem = approvalProblem(roster, input.ownerId, request.userId);
    if (problem === "notAnOwner") return { ok: false, error: "notFound" };
    if (problem) return { ok: false, error: problem };
    const linked = await linkOwner(tx, {
      estateId: input.estateId,
      unitId: request.unitId,
      ownerId: input.ownerId,
      userId: request.userId,
      actorId: input.actorId,
      via: "approval",
      requestId: request.id,
      now,
    });
    if (!linked) return { ok: false, error: "ownerTaken" };
    await tx
      .update(claimRequests)
      .set({ status: "approved", ownerId: input.ownerId, decidedBy: input.actorId, decidedAt: now })
      .where(eq(claimRequests.id, request.id));
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.actorId,
      act: "claim_approve",
      subjectType: "claim_request",
      subjectId: request.id,
      detail: { unitId: request.unitId, ownerId: input.ownerId, userId: request.userId },
      at: now,
    });
    return { ok: true };
  });
}

export async function rejectRequest(input: {
  estateId: string;
  requestId: string;
  reason: string;
  actorId: string;
  now?: Date;
}): Promise<DecisionResult> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx): Promise<DecisionResult> => {
    const request = await lockRequest(tx, input.estateId, input.requestId);
    if (!request) return { ok: false, error: "notFound" };
    if (request.status !== "pending") return { ok: false, error: "alreadyDecided" };
    const conflict = deciderConflict(
      await rosterOwnersOfUnit(tx, input.estateId, request.unitId),
      request.userId,
      input.actorId,
    );
    if (conflict) return { ok: false, error: conflict };
    await tx
      .update(claimRequests)
      .set({ status: "rejected", reason: input.reason, decidedBy: input.actorId, decidedAt: now })
      .where(eq(claimRequests.id, request.id));
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.actorId,
      act: "claim_reject",
      subjectType: "claim_request",
      subjectId: request.id,
      detail: { unitId: request.unitId, userId: request.userId },
      at: now,
    });
    return { ok: true };
  });
}
