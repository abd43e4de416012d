import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import { assertEstatePermission } from "~/auth/guards.server";
import { isUuid } from "~/lib/ids";

const { ownerships, owners } = schema;

/**
 * Under the estate rule `coOwnersNameOne` (fixed at opening), only the co-owner the unit's
 * co-owners named in writing (recorded on the roster) casts online for a co-owned voter. A voter
 * with one owner is unaffected; nor is a proxy (the authorisation already names who acts).
 */
export async function mayCastAsCoOwner(
  db: Queryable,
  voter: { unitIds: string[]; ownerIds: string[] },
  userId: string,
): Promise<boolean> {
  if (voter.ownerIds.length <= 1 || voter.unitIds.length === 0) return true;
  const rows = await db
    .select({ ownerId: ownerships.ownerId })
    .from(ownerships)
    .innerJoin(owners, eq(owners.id, ownerships.ownerId))
    .where(and(inArray(ownerships.unitId, voter.unitIds), eq(ownerships.namedVoter, true), eq(owners.userId, userId)))
    .limit(1);
  return rows.length > 0;
}

/**
 * The committee records which co-owner of a unit the co-owners named in writing to vote for it
 * (null: none named). One per unit (ownership_one_named_voter); audited.
 */
export async function nameCoOwnerVoter(input: {
  estateId: string;
  unitId: string;
  ownerId: string | null;
  userId: string;
  now?: Date;
}): Promise<{ ok: true } | { ok: false; error: "voting.errors.notFound" }> {
  const now = input.now ?? new Date();
  if (!isUuid(input.unitId) || (input.ownerId !== null && !isUuid(input.ownerId)))
    return { ok: false, error: "voting.errors.notFound" };
  return getDb().transaction(async (tx) => {
    await assertEstatePermission(tx, input.userId, input.estateId, "roster:manage");
    const held = await tx
      .select({ ownerId: ownerships.ownerId })
      .from(ownerships)
      .where(and(eq(ownerships.unitId, input.unitId), eq(ownerships.estateId, input.estateId)))
      .for("update");
    if (held.length === 0 || (input.ownerId !== null && !held.some((h) => h.ownerId === input.ownerId)))
      return { ok: false, error: "voting.errors.notFound" } as const;
    await tx
      .update(ownerships)
      .set({ namedVoter: false, namedBy: null, namedAt: null })
      .where(and(eq(ownerships.unitId, input.unitId), sql`${ownerships.namedVoter}`));
    if (input.ownerId)
      await tx
        .update(ownerships)
        .set({ namedVoter: true, namedBy: input.userId, namedAt: now })
        .where(and(eq(ownerships.unitId, input.unitId), eq(ownerships.ownerId, input.ownerId)));
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "co_owner_named",
      subjectType: "unit",
      subjectId: input.unitId,
      detail: { namedVoter: input.ownerId },
      at: now,
    });
    return { ok: true } as const;
  });
}
