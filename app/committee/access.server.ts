import { and, eq, inArray, isNull } from "drizzle-orm";
import { schema, type Queryable } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import type { Refusal as Failure } from "~/lib/forms/result";

const { committeeMembers, committees, memberships } = schema;

export type Committee = typeof committees.$inferSelect;
export type Member = typeof committeeMembers.$inferSelect;

/** A refusal (the one Refusal of ~/lib/forms): a catalogue key (committee.errors.*) and, where the text needs them, values. */
export type { Failure };
export type { Ok } from "~/lib/forms/result";

export function fail(error: string, params?: Record<string, string | number>): Failure {
  return { ok: false, error: `committee.errors.${error}`, params };
}

export async function activeCommittee(db: Queryable, estateId: string): Promise<Committee | null> {
  const [row] = await db
    .select()
    .from(committees)
    .where(and(eq(committees.estateId, estateId), eq(committees.status, "active")));
  return row ?? null;
}

/** Archives the estate's active committee, if there is one (a new one replaces it), audited. */
export async function archiveActiveCommittee(tx: Queryable, estateId: string, userId: string, at: Date): Promise<void> {
  const old = await activeCommittee(tx, estateId);
  if (!old) return;
  await tx
    .update(committees)
    .set({ status: "archived", archivedAt: at, archivedBy: userId })
    .where(eq(committees.id, old.id));
  await recordAudit(tx, {
    estateId,
    actorUserId: userId,
    act: "committee_archive",
    subjectType: "committee",
    subjectId: old.id,
    at,
  });
}

/** The caller's seat on the estate's active committee, if they hold one (an observer's too). */
export async function seatOf(
  db: Queryable,
  estateId: string,
  userId: string,
): Promise<{ committee: Committee; member: Member } | null> {
  const rows = await db
    .select({ committee: committees, member: committeeMembers })
    .from(committeeMembers)
    .innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
    .where(
      and(
        eq(committees.estateId, estateId),
        eq(committees.status, "active"),
        eq(committeeMembers.userId, userId),
        isNull(committeeMembers.leftAt),
      ),
    );
  return rows[0] ?? null;
}

/** A member with a vote (N or X) on the active committee: who may write the committee's records. */
export async function votingSeatOf(db: Queryable, estateId: string, userId: string) {
  const seat = await seatOf(db, estateId, userId);
  return seat && seat.member.seat !== "observer" ? seat : null;
}

/**
 * Keeps the "committee" and "committee_observer" roles in step with the seats, in the caller's
 * transaction: the members with a vote on the estate's active committee hold "committee", its
 * seated observers (deputies who are not owners) "committee_observer", which lets them into the
 * estate to read the committee's records and attend, and nothing more; nobody else in the
 * estate holds either (an archived committee's members lose them unless re-elected).
 */
export async function syncCommitteeRoles(tx: Queryable, estateId: string): Promise<void> {
  const seated = await tx
    .select({ userId: committeeMembers.userId, seat: committeeMembers.seat })
    .from(committeeMembers)
    .innerJoin(committees, eq(committees.id, committeeMembers.committeeId))
    .where(and(eq(committees.estateId, estateId), eq(committees.status, "active"), isNull(committeeMembers.leftAt)));
  for (const role of ["committee", "committee_observer"] as const) {
    const want = new Set(
      seated.filter((r) => (r.seat === "observer") === (role === "committee_observer")).map((r) => r.userId),
    );
    const held = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.estateId, estateId), eq(memberships.role, role)));
    const have = new Set(held.map((r) => r.userId));
    const drop = [...have].filter((u) => !want.has(u));
    const add = [...want].filter((u) => !have.has(u));
    if (drop.length) {
      await tx
        .delete(memberships)
        .where(and(eq(memberships.estateId, estateId), eq(memberships.role, role), inArray(memberships.userId, drop)));
    }
    if (add.length) {
      await tx
        .insert(memberships)
        .values(add.map((userId) => ({ userId, estateId, role })))
        .onConflictDoNothing();
    }
  }
}
