import { and, asc, eq, inArray } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { maskName } from "~/ui/mask";
import { fail, isUuid, votingSeatOf, type Failure, type Ok } from "./access.server";
import { ownerOfUser } from "./composition.server";

const { committeeMeetings, inquiries, inquiryReplies, users } = schema;

/**
 * An owner asks the committee a question on published minutes ("raise it through the
 * committee"). The thread is public to the estate; the asker's name is shown masked.
 */
export async function askQuestion(input: { estateId: string; meetingId: string; userId: string; body: string; now?: Date }): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.meetingId)) return fail("notFound");
  return getDb().transaction(async (tx) => {
    const [meeting] = await tx
      .select()
      .from(committeeMeetings)
      .where(and(eq(committeeMeetings.id, input.meetingId), eq(committeeMeetings.estateId, input.estateId)));
    if (!meeting) return fail("notFound");
    if (!meeting.minutesPublishedAt) return fail("notPublished");
    const owner = await ownerOfUser(tx, input.estateId, input.userId);
    const [user] = await tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, input.userId));
    const [row] = await tx
      .insert(inquiries)
      .values({ estateId: input.estateId, subjectKind: "minutes", meetingId: meeting.id, userId: input.userId, askerName: owner?.name ?? user.displayName, body: input.body, createdAt: now })
      .returning({ id: inquiries.id });
    return { ok: true, id: row.id } as const;
  });
}

/**
 * A reply in a thread: a committee member with a vote answers for the committee (the first
 * answer marks the question answered); the asker may follow up. Nobody else writes in it.
 */
export async function replyToInquiry(input: { estateId: string; inquiryId: string; userId: string; body: string; now?: Date }): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.inquiryId)) return fail("notFound");
  return getDb().transaction(async (tx) => {
    const [inquiry] = await tx
      .select()
      .from(inquiries)
      .where(and(eq(inquiries.id, input.inquiryId), eq(inquiries.estateId, input.estateId)))
      .for("update");
    if (!inquiry) return fail("notFound");
    const seat = await votingSeatOf(tx, input.estateId, input.userId);
    if (!seat && inquiry.userId !== input.userId) return fail("notYourThread");
    const owner = seat ? null : await ownerOfUser(tx, input.estateId, input.userId);
    const [user] = await tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, input.userId));
    await tx.insert(inquiryReplies).values({
      estateId: input.estateId,
      inquiryId: inquiry.id,
      userId: input.userId,
      memberId: seat?.member.id ?? null,
      authorName: seat?.member.name ?? owner?.name ?? user.displayName,
      body: input.body,
      createdAt: now,
    });
    if (seat && !inquiry.answeredAt) await tx.update(inquiries).set({ answeredAt: now }).where(eq(inquiries.id, inquiry.id));
    return { ok: true } as const;
  });
}

/** A meeting's threads, names masked. */
export async function listInquiries(estateId: string, meetingId: string, viewerId: string) {
  const db = getDb();
  const rows = await db
    .select()
    .from(inquiries)
    .where(and(eq(inquiries.estateId, estateId), eq(inquiries.meetingId, meetingId)))
    .orderBy(asc(inquiries.createdAt));
  const replies = rows.length
    ? await db
        .select()
        .from(inquiryReplies)
        .where(and(eq(inquiryReplies.estateId, estateId), inArray(inquiryReplies.inquiryId, rows.map((r) => r.id))))
        .orderBy(asc(inquiryReplies.createdAt))
    : [];
  return rows.map((r) => ({
    id: r.id,
    asker: maskName(r.askerName),
    mine: r.userId === viewerId,
    body: r.body,
    createdAt: r.createdAt.toISOString(),
    answeredAt: r.answeredAt?.toISOString() ?? null,
    replies: replies
      .filter((x) => x.inquiryId === r.id)
      .map((x) => ({ id: x.id, author: maskName(x.authorName), byCommittee: x.memberId !== null, body: x.body, createdAt: x.createdAt.toISOString() })),
  }));
}
