import { and, desc, eq, isNull, ne } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { audit, fail, isUuid, votingSeatOf, type Failure, type Ok } from "./access.server";
import { addDays, requisitionDays, requisitionThresholdMet } from "./rules";

const { committeeMeetings, committeeMembers, requisitionSignatures, requisitions } = schema;

async function votingMemberCount(tx: Queryable, committeeId: string) {
  const rows = await tx
    .select({ id: committeeMembers.id })
    .from(committeeMembers)
    .where(and(eq(committeeMembers.committeeId, committeeId), isNull(committeeMembers.leftAt), ne(committeeMembers.seat, "observer")));
  return rows.length;
}

/**
 * A member requires a meeting (and signs the requirement). Once a third of the members with a
 * vote have signed, the chair must hold the meeting within 7 days.
 */
export async function requireMeeting(input: { estateId: string; userId: string; subject: string; now?: Date }): Promise<Ok<{ id: string; thresholdMet: boolean }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const seat = await votingSeatOf(tx, input.estateId, input.userId);
    if (!seat) return fail("notMember");
    const [req] = await tx
      .insert(requisitions)
      .values({ estateId: input.estateId, committeeId: seat.committee.id, subject: input.subject, createdBy: input.userId, createdAt: now })
      .returning();
    await tx.insert(requisitionSignatures).values({ requisitionId: req.id, memberId: seat.member.id, estateId: input.estateId, signedAt: now });
    const met = requisitionThresholdMet(1, await votingMemberCount(tx, seat.committee.id));
    if (met) await tx.update(requisitions).set({ thresholdMetAt: now, dueAt: addDays(now, requisitionDays) }).where(eq(requisitions.id, req.id));
    await audit(tx, { estateId: input.estateId, actorId: input.userId, action: "committee.requisition.created", subject: req.id, at: now });
    return { ok: true, id: req.id, thresholdMet: met } as const;
  });
}

export async function signRequisition(input: { estateId: string; userId: string; requisitionId: string; now?: Date }): Promise<Ok<{ thresholdMet: boolean }> | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.requisitionId)) return fail("notFound");
  return getDb().transaction(async (tx) => {
    const seat = await votingSeatOf(tx, input.estateId, input.userId);
    if (!seat) return fail("notMember");
    const [req] = await tx
      .select()
      .from(requisitions)
      .where(and(eq(requisitions.id, input.requisitionId), eq(requisitions.estateId, input.estateId), eq(requisitions.committeeId, seat.committee.id)))
      .for("update");
    if (!req) return fail("notFound");
    const inserted = await tx
      .insert(requisitionSignatures)
      .values({ requisitionId: req.id, memberId: seat.member.id, estateId: input.estateId, signedAt: now })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) return fail("alreadySigned");
    const signers = (await tx.select({ m: requisitionSignatures.memberId }).from(requisitionSignatures).where(eq(requisitionSignatures.requisitionId, req.id))).length;
    const met = requisitionThresholdMet(signers, await votingMemberCount(tx, seat.committee.id));
    if (met && !req.thresholdMetAt) {
      await tx.update(requisitions).set({ thresholdMetAt: now, dueAt: addDays(now, requisitionDays) }).where(eq(requisitions.id, req.id));
      await audit(tx, { estateId: input.estateId, actorId: input.userId, action: "committee.requisition.due", subject: req.id, at: now });
    }
    return { ok: true, thresholdMet: met } as const;
  });
}

/** The active committee's requirements, with signers and whether the meeting is held, scheduled or overdue. */
export async function listRequisitions(estateId: string, committeeId: string, now: Date = new Date()) {
  const db = getDb();
  const rows = await db
    .select({ req: requisitions, meetingStatus: committeeMeetings.status, meetingAt: committeeMeetings.scheduledAt })
    .from(requisitions)
    .leftJoin(committeeMeetings, eq(committeeMeetings.id, requisitions.meetingId))
    .where(and(eq(requisitions.estateId, estateId), eq(requisitions.committeeId, committeeId)))
    .orderBy(desc(requisitions.createdAt));
  const sigs = await db
    .select({ requisitionId: requisitionSignatures.requisitionId, memberId: requisitionSignatures.memberId, signedAt: requisitionSignatures.signedAt })
    .from(requisitionSignatures)
    .innerJoin(requisitions, eq(requisitions.id, requisitionSignatures.requisitionId))
    .where(eq(requisitions.committeeId, committeeId));
  return rows.map(({ req, meetingStatus, meetingAt }) => {
    const held = meetingStatus === "held";
    return {
      id: req.id,
      subject: req.subject,
      createdAt: req.createdAt.toISOString(),
      thresholdMetAt: req.thresholdMetAt?.toISOString() ?? null,
      dueAt: req.dueAt?.toISOString() ?? null,
      meetingId: req.meetingId,
      meetingAt: meetingAt?.toISOString() ?? null,
      held,
      overdue: Boolean(req.dueAt && !held && now > req.dueAt),
      signers: sigs.filter((s) => s.requisitionId === req.id).map((s) => s.memberId),
    };
  });
}
