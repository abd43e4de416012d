import { and, desc, eq, isNull, ne } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { isUuid } from "~/lib/ids";
import { restDayTable } from "~/lib/rest-days.server";
import { enqueue } from "~/notify/outbox.server";
import { fail, votingSeatOf, type Failure, type Ok } from "./access.server";
import { recordAudit } from "~/audit/audit.server";
import { requisitionDueAt, requisitionOverdue, requisitionThresholdMet } from "./rules";

const { committeeMeetings, committeeMembers, estates, requisitionSignatures, requisitions } = schema;

async function votingMembers(tx: Queryable, committeeId: string) {
  return tx
    .select({ id: committeeMembers.id, userId: committeeMembers.userId, office: committeeMembers.office })
    .from(committeeMembers)
    .where(
      and(
        eq(committeeMembers.committeeId, committeeId),
        isNull(committeeMembers.leftAt),
        ne(committeeMembers.seat, "observer"),
      ),
    );
}

/**
 * The requirement reached a third: the chair is told (in the same transaction), as it is the
 * chair who must hold the meeting. Without a chair (before the first meeting elected one) the
 * vice-chair is told, and without either every member with a vote, so someone can call it.
 */
async function tellChair(
  tx: Queryable,
  estateId: string,
  req: { id: string; subject: string },
  members: { userId: string; office: string }[],
  signers: number,
  dueAt: Date,
) {
  const chair = members.filter((m) => m.office === "chair");
  const vice = members.filter((m) => m.office === "vice_chair");
  const to = chair.length ? chair : vice.length ? vice : members;
  const [estate] = await tx.select({ slug: estates.slug }).from(estates).where(eq(estates.id, estateId));
  await enqueue(
    tx,
    to.map((m) => ({
      template: "meeting-required" as const,
      userId: m.userId,
      estateId,
      idempotencyKey: `meeting-required:${req.id}`,
      props: {
        subject: req.subject,
        signers,
        members: members.length,
        dueAt: dueAt.toISOString(),
        path: `/e/${estate.slug}/committee/requisitions`,
      },
    })),
  );
}

/**
 * A member requires a meeting (and signs the requirement). Once a third of the members with a
 * vote have signed, the chair must hold the meeting within 7 days.
 */
export async function requireMeeting(input: {
  estateId: string;
  userId: string;
  subject: string;
  now?: Date;
}): Promise<Ok<{ id: string; thresholdMet: boolean }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const seat = await votingSeatOf(tx, input.estateId, input.userId);
    if (!seat) return fail("notMember");
    const [req] = await tx
      .insert(requisitions)
      .values({
        estateId: input.estateId,
        committeeId: seat.committee.id,
        subject: input.subject,
        createdBy: input.userId,
        createdAt: now,
      })
      .returning();
    await tx
      .insert(requisitionSignatures)
      .values({ requisitionId: req.id, memberId: seat.member.id, estateId: input.estateId, signedAt: now });
    const members = await votingMembers(tx, seat.committee.id);
    const met = requisitionThresholdMet(1, members.length);
    if (met) {
      const dueAt = requisitionDueAt(now, await restDayTable(tx));
      await tx.update(requisitions).set({ thresholdMetAt: now, dueAt }).where(eq(requisitions.id, req.id));
      await tellChair(tx, input.estateId, req, members, 1, dueAt);
    }
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "requisition_create",
      subjectType: "requisition",
      subjectId: req.id,
      at: now,
    });
    return { ok: true, id: req.id, thresholdMet: met } as const;
  });
}

export async function signRequisition(input: {
  estateId: string;
  userId: string;
  requisitionId: string;
  now?: Date;
}): Promise<Ok<{ thresholdMet: boolean }> | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.requisitionId)) return fail("notFound");
  return getDb().transaction(async (tx) => {
    const seat = await votingSeatOf(tx, input.estateId, input.userId);
    if (!seat) return fail("notMember");
    const [req] = await tx
      .select()
      .from(requisitions)
      .where(
        and(
          eq(requisitions.id, input.requisitionId),
          eq(requisitions.estateId, input.estateId),
          eq(requisitions.committeeId, seat.committee.id),
        ),
      )
      .for("update");
    if (!req) return fail("notFound");
    const inserted = await tx
      .insert(requisitionSignatures)
      .values({ requisitionId: req.id, memberId: seat.member.id, estateId: input.estateId, signedAt: now })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) return fail("alreadySigned");
    const signers = (
      await tx
        .select({ m: requisitionSignatures.memberId })
        .from(requisitionSignatures)
        .where(eq(requisitionSignatures.requisitionId, req.id))
    ).length;
    const members = await votingMembers(tx, seat.committee.id);
    const met = requisitionThresholdMet(signers, members.length);
    if (met && !req.thresholdMetAt) {
      const dueAt = requisitionDueAt(now, await restDayTable(tx));
      await tx.update(requisitions).set({ thresholdMetAt: now, dueAt }).where(eq(requisitions.id, req.id));
      await recordAudit(tx, {
        estateId: input.estateId,
        actorUserId: input.userId,
        act: "requisition_due",
        subjectType: "requisition",
        subjectId: req.id,
        at: now,
      });
      await tellChair(tx, input.estateId, req, members, signers, dueAt);
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
    .select({
      requisitionId: requisitionSignatures.requisitionId,
      memberId: requisitionSignatures.memberId,
      signedAt: requisitionSignatures.signedAt,
    })
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
      overdue: requisitionOverdue(req.dueAt, held ? meetingAt : null, now),
      signers: sigs.filter((s) => s.requisitionId === req.id).map((s) => s.memberId),
    };
  });
}
