import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./people";
import { estates } from "./places";

/** What a notice is about; the user chooses per category whether it also comes by email. Security mail always goes. */
export const notifyCategories = ["votes", "minutes", "bills", "tickets", "security"] as const;
export type NotifyCategory = (typeof notifyCategories)[number];
export const notifyCategory = pgEnum("notify_category", notifyCategories);
/** The categories a user may switch off. */
export const optionalCategories = ["votes", "minutes", "bills", "tickets"] as const satisfies readonly NotifyCategory[];
export type OptionalCategory = (typeof optionalCategories)[number];

/**
 * queued → sending (claimed by a worker, with a lease) → sent; a failure goes back to queued
 * with a later next_attempt_at, and after the last attempt to failed. Without SMTP_URL the
 * worker parks mail as held: kept in the database, never reported as delivered.
 */
export const outboxStatus = pgEnum("outbox_status", ["queued", "sending", "sent", "failed", "held", "skipped"]);

/**
 * How a notice reaches a person besides the site's own list: mail, SMS (to a verified phone),
 * WeChat (a template message to a bound openid). One outbox row per person and channel.
 */
export const outboxChannels = ["mail", "sms", "wechat"] as const;
export type OutboxChannel = (typeof outboxChannels)[number];
export const outboxChannel = pgEnum("outbox_channel", outboxChannels);

/**
 * One message to one user on one channel, written in the same transaction as the change it
 * tells about. held: kept, not sent (no SMTP, no SMS carrier, no WeChat sender); skipped: will
 * not be sent, last_error says why (the estate's SMS budget, a phone no longer verified).
 */
export const outbox = pgTable(
  "outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The event (e.g. "vote-opened:<vote id>"); with user_id unique, so one event mails one person once. */
    idempotencyKey: text("idempotency_key").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    channel: outboxChannel("channel").notNull().default("mail"),
    estateId: uuid("estate_id").references(() => estates.id),
    category: notifyCategory("category").notNull(),
    template: text("template").notNull(),
    props: jsonb("props").notNull(),
    status: outboxStatus("status").notNull().default("queued"),
    /** Claims so far (a claim whose lease ran out counts too). */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** While sending: the claim's lease; after it another worker may claim the row again. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    claimedBy: text("claimed_by"),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    // Leading with user_id, it also serves the users foreign key (cascading deletes).
    unique("outbox_once").on(t.userId, t.channel, t.idempotencyKey),
    index("outbox_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'queued'`),
    index("outbox_lease_idx")
      .on(t.lockedUntil)
      .where(sql`${t.status} = 'sending'`),
    index("outbox_problem_idx")
      .on(t.status, t.createdAt)
      .where(sql`${t.status} in ('failed', 'held')`),
  ],
);

/** The same events in the site: a user's bell list, read or unread. */
export const notifications = pgTable(
  "notification",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    idempotencyKey: text("idempotency_key").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    estateId: uuid("estate_id").references(() => estates.id),
    category: notifyCategory("category").notNull(),
    template: text("template").notNull(),
    props: jsonb("props").notNull(),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("notification_once").on(t.userId, t.idempotencyKey),
    index("notification_user_idx").on(t.userId, t.createdAt),
    index("notification_unread_idx")
      .on(t.userId)
      .where(sql`${t.readAt} is null`),
  ],
);

/**
 * Whether a user wants a category by email, SMS and WeChat; no row (or null) means the default
 * (app/notify/categories.ts channelDefaults: mail yes, SMS for votes, bills and tickets, WeChat yes).
 */
export const notificationPreferences = pgTable(
  "notification_preference",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    category: notifyCategory("category").notNull(),
    email: boolean("email").notNull(),
    sms: boolean("sms"),
    wechat: boolean("wechat"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.category] })],
);

/** A password reset link: only the SHA-256 of its token is stored; 30 minutes, single use. */
export const passwordResets = pgTable(
  "password_reset",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("password_reset_user_idx").on(t.userId)],
);
