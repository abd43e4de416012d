import { and, count, desc, eq, inArray, or } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import type { BoardNoticeAuthor, BoardNoticeKind, BoardNoticeSubject } from "#db/schema/board";
import type { OptionalCategory } from "#db/schema/notify";
import { recordAudit } from "~/audit/audit.server";
import { isUuid } from "~/lib/ids";
import { addDaysToDate, beijingDate, parseBeijingDate } from "~/lib/time";
import { enqueue } from "~/notify/outbox.server";

export type { BoardNoticeAuthor, BoardNoticeKind, BoardNoticeSubject };

const { boardNotices, estates, memberships } = schema;

export type BoardNotice = typeof boardNotices.$inferSelect;

export const maxTitleLength = 120;
export const maxBodyLength = 20_000;

/**
 * Which of a reader's notification choices a notice follows: votes and their results with
 * votes, fee schedules with bills, everything else (decisions, minutes, general notices) with
 * "minutes and notices".
 */
export function noticeCategory(kind: BoardNoticeKind): OptionalCategory {
  switch (kind) {
    case "vote_notice":
    case "election_notice":
    case "preliminary_result":
    case "final_result":
      return "votes";
    case "fee_schedule":
      return "bills";
    case "decision":
    case "minutes":
    case "general":
      return "minutes";
  }
}

/**
 * The end (exclusive) of a publicity period of `days` days starting at `postedAt`: 24:00
 * Beijing of the days-th day after the posting's date.
 * TODO(i15-calendar): deadlineWithin(postedAt, days, await restDayTable(tx)) once it lands.
 */
async function publicityEnd(_tx: Queryable, postedAt: Date, days: number): Promise<Date> {
  return parseBeijingDate(addDaysToDate(beijingDate(postedAt), days + 1))!;
}

export interface PostNoticeInput {
  estateId: string;
  kind: BoardNoticeKind;
  title: string;
  body: string;
  postedBy: string;
  author: BoardNoticeAuthor;
  /** What the notice is about (its page links there). */
  subject?: { type: BoardNoticeSubject; id: string };
  /** A publicity period in days (e.g. 3 for decisions): publicity_ends_at by the calendar clock. */
  publicityDays?: number;
  /** Also tell the community's admins (the residents' committee, 物业管理条例 Art. 14). */
  tellCommunity?: boolean;
  now?: Date;
}

/**
 * Posts a notice on the estate's board, inside the caller's transaction: the row, its audit
 * record and one `board-notice` message to each owner and resident (and the community's admins
 * when asked), per their choices for the notice's category. Posting starts the publicity clock.
 * Kept forever: there is no edit or delete; a correction is a new notice.
 */
export async function postNotice(tx: Queryable, input: PostNoticeInput): Promise<{ id: string }> {
  const title = input.title.trim();
  const body = input.body.trim();
  if (!title || [...title].length > maxTitleLength) throw new Error("postNotice: a title of 1 to 120 characters");
  if ([...body].length > maxBodyLength) throw new Error("postNotice: body too long");
  if (input.publicityDays !== undefined && !(Number.isSafeInteger(input.publicityDays) && input.publicityDays > 0))
    throw new Error("postNotice: publicityDays must be a positive whole number");
  const now = input.now ?? new Date();
  const publicityEndsAt = input.publicityDays ? await publicityEnd(tx, now, input.publicityDays) : null;

  const [estate] = await tx
    .select({ slug: estates.slug, communityId: estates.communityId })
    .from(estates)
    .where(eq(estates.id, input.estateId));
  if (!estate) throw new Error("postNotice: no such estate");

  const [row] = await tx
    .insert(boardNotices)
    .values({
      estateId: input.estateId,
      kind: input.kind,
      title,
      body,
      postedAt: now,
      postedBy: input.postedBy,
      author: input.author,
      subjectType: input.subject?.type ?? null,
      subjectId: input.subject?.id ?? null,
      publicityEndsAt,
      createdAt: now,
    })
    .returning({ id: boardNotices.id });

  await recordAudit(tx, {
    estateId: input.estateId,
    actorUserId: input.postedBy,
    act: "board_notice_post",
    subjectType: "board_notice",
    subjectId: row.id,
    detail: {
      kind: input.kind,
      author: input.author,
      subjectType: input.subject?.type ?? null,
      subjectId: input.subject?.id ?? null,
    },
    at: now,
  });

  const readers = await tx
    .selectDistinct({ userId: memberships.userId })
    .from(memberships)
    .where(
      or(
        and(eq(memberships.estateId, input.estateId), inArray(memberships.role, ["owner", "resident"])),
        input.tellCommunity
          ? and(eq(memberships.communityId, estate.communityId), eq(memberships.role, "community_admin"))
          : undefined,
      ),
    );
  await enqueue(
    tx,
    readers.map(({ userId }) => ({
      template: "board-notice" as const,
      userId,
      estateId: input.estateId,
      category: noticeCategory(input.kind),
      idempotencyKey: `board-notice:${row.id}`,
      props: {
        title,
        postedAt: now.toISOString(),
        publicityEndsAt: publicityEndsAt?.toISOString() ?? null,
        path: noticePath(estate.slug, row.id),
      },
    })),
  );
  return { id: row.id };
}

export function noticePath(estateSlug: string, noticeId: string): string {
  return `/e/${estateSlug}/board/${noticeId}`;
}

export const noticesPageSize = 20;

/** The estate's notices, newest first, optionally of one kind; `page` counts from 1. */
export async function listNotices(
  estateId: string,
  opts: { kind?: BoardNoticeKind | null; page?: number; pageSize?: number } = {},
  db: Queryable = getDb(),
): Promise<{ notices: BoardNotice[]; total: number }> {
  const pageSize = opts.pageSize ?? noticesPageSize;
  const page = Math.max(1, opts.page ?? 1);
  const where = and(eq(boardNotices.estateId, estateId), opts.kind ? eq(boardNotices.kind, opts.kind) : undefined);
  const [notices, [{ n }]] = await Promise.all([
    db
      .select()
      .from(boardNotices)
      .where(where)
      .orderBy(desc(boardNotices.postedAt), desc(boardNotices.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(boardNotices).where(where),
  ]);
  return { notices, total: Number(n) };
}

/** One notice of the estate, or null (also for an id that is not a UUID). */
export async function findNotice(estateId: string, id: string, db: Queryable = getDb()): Promise<BoardNotice | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select()
    .from(boardNotices)
    .where(and(eq(boardNotices.estateId, estateId), eq(boardNotices.id, id)));
  return row ?? null;
}

/** The notices about one thing (a proposal's vote notice and results), oldest first. */
export async function noticesAbout(
  estateId: string,
  subject: { type: BoardNoticeSubject; id: string },
  db: Queryable = getDb(),
): Promise<BoardNotice[]> {
  return db
    .select()
    .from(boardNotices)
    .where(
      and(
        eq(boardNotices.estateId, estateId),
        eq(boardNotices.subjectType, subject.type),
        eq(boardNotices.subjectId, subject.id),
      ),
    )
    .orderBy(boardNotices.postedAt);
}
