import { boolean, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./people";
import { estates } from "./places";

/** held: no provider configured, kept here and never sent; sent: the carrier accepted it; failed: it refused. */
export const smsStatus = pgEnum("sms_status", ["held", "sent", "failed"]);

/**
 * Every text message the platform sent or held, one row each: what /dev/sms shows, what an
 * estate's monthly SMS budget counts (budgeted rows only: codes and fingerprints are outside it).
 */
export const smsMessages = pgTable(
  "sms_message",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Eleven digits, a mainland mobile number. */
    phone: text("phone").notNull(),
    /** The name in app/sms/templates.ts; the carrier's template code is resolved when sending. */
    template: text("template").notNull(),
    params: jsonb("params").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    estateId: uuid("estate_id").references(() => estates.id),
    /** Counts against the estate's monthly SMS budget (notices do; codes and fingerprints do not). */
    budgeted: boolean("budgeted").notNull().default(false),
    provider: text("provider").notNull(),
    providerId: text("provider_id"),
    status: smsStatus("status").notNull(),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("sms_message_phone_idx").on(t.phone, t.createdAt),
    index("sms_message_estate_idx").on(t.estateId, t.createdAt),
  ],
);
