import { sql } from "drizzle-orm";
import { check, index, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./people";
import { estates } from "./places";
import { boardNoticeAuthors, boardNoticeKinds, boardNoticeSubjects } from "../values";

export { boardNoticeAuthors, boardNoticeKinds, boardNoticeSubjects };
export type BoardNoticeKind = (typeof boardNoticeKinds)[number];
export type BoardNoticeAuthor = (typeof boardNoticeAuthors)[number];
export type BoardNoticeSubject = (typeof boardNoticeSubjects)[number];

export const boardNoticeKind = pgEnum("board_notice_kind", boardNoticeKinds);
export const boardNoticeAuthor = pgEnum("board_notice_author", boardNoticeAuthors);
export const boardNoticeSubject = pgEnum("board_notice_subject", boardNoticeSubjects);

/**
 * The estate's notice board (公告栏): every notice the law wants posted "in a conspicuous place".
 * Kept forever: a trigger in the migration refuses UPDATE and DELETE; a correction is a new
 * notice. `posted_at` starts the publicity clock; `publicity_ends_at` (exclusive) is when a
 * notice with a publicity period (e.g. decisions, 3 days) has been up long enough.
 */
export const boardNotices = pgTable(
  "board_notice",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    kind: boardNoticeKind("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    postedAt: timestamp("posted_at", { withTimezone: true }).notNull(),
    postedBy: uuid("posted_by")
      .notNull()
      .references(() => users.id),
    author: boardNoticeAuthor("author").notNull(),
    subjectType: boardNoticeSubject("subject_type"),
    subjectId: uuid("subject_id"),
    publicityEndsAt: timestamp("publicity_ends_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("board_notice_estate_idx").on(t.estateId, t.postedAt.desc()),
    index("board_notice_subject_idx").on(t.subjectType, t.subjectId),
    check("board_notice_subject_pair", sql`(${t.subjectType} is null) = (${t.subjectId} is null)`),
    check("board_notice_title", sql`length(btrim(${t.title})) > 0`),
    check("board_notice_publicity", sql`${t.publicityEndsAt} is null or ${t.publicityEndsAt} > ${t.postedAt}`),
  ],
);
