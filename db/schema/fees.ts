import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./people";
import { estates, unitKind, units } from "./places";

/*
 * Property fees and payments (issue 6). Money is integer fen everywhere; a bill's amount is
 * computed once, when it is issued, from the rate and area it snapshots (app/fees/billing.ts
 * documents the rounding). The database, not the application, guarantees the invariants that
 * keep money from being lost or counted twice:
 *  - one bill per (unit, period, charge)                              bill_once
 *  - a bill is "pending" exactly while a checkout holds it            bill_pending_has_checkout
 *  - a bill is "paid" exactly while a payment covers it               bill_paid_has_payment
 *  - one payment per checkout session, one per payment intent         payment_checkout_once, payment_intent_once
 *  - one processed row per provider event id (webhook idempotency)    payment_event primary key
 *  - receipt numbers unique per estate                                payment_receipt_once
 */

export const billingCycles = ["monthly", "quarterly", "yearly"] as const;
export type BillingCycle = (typeof billingCycles)[number];
export const billingCycle = pgEnum("billing_cycle", billingCycles);

/** What a bill line is for: 物业服务费 (per m²), 车位管理费 and 储藏室管理费 (per unit). */
export const feeCharges = ["property", "parking", "storage"] as const;
export type FeeCharge = (typeof feeCharges)[number];
export const feeCharge = pgEnum("fee_charge", feeCharges);

/** "area": rate in fen per m² per month; "unit": a fixed rate in fen per unit per month. */
export const feeBases = ["area", "unit"] as const;
export const feeBasis = pgEnum("fee_basis", feeBases);

export const billStatuses = ["unpaid", "pending", "paid"] as const;
export type BillStatus = (typeof billStatuses)[number];
export const billStatus = pgEnum("bill_status", billStatuses);

/**
 * creating → open (the provider made the session) → completed | expired | failed;
 * processing: the customer finished but the payment is still settling (async methods).
 */
export const checkoutStatuses = ["creating", "open", "processing", "completed", "expired", "failed"] as const;
export const checkoutStatus = pgEnum("checkout_status", checkoutStatuses);

export const paymentMethods = ["online", "cash", "bank_transfer"] as const;
export const paymentMethod = pgEnum("payment_method", paymentMethods);

/** Who publishes fee schedules in an estate (issue 6: property staff, or the committee). */
export const schedulePublishers = ["property_staff", "committee"] as const;
export type SchedulePublisher = (typeof schedulePublishers)[number];

/** One row per estate: the fee settings and the receipt counter. No row means the defaults. */
export const feeSettings = pgTable(
  "fee_settings",
  {
    estateId: uuid("estate_id")
      .primaryKey()
      .references(() => estates.id),
    billingCycle: billingCycle("billing_cycle").notNull().default("monthly"),
    /** A bill is due this many days after its period starts. */
    dueDays: integer("due_days").notNull().default(30),
    schedulePublisher: text("schedule_publisher").$type<SchedulePublisher>().notNull().default("property_staff"),
    /** Overdue reminders go out once a month on this day (Beijing time); null: no reminders. */
    reminderDay: smallint("reminder_day"),
    /** The last receipt number issued (receipt numbers count up per estate). */
    receiptSeq: integer("receipt_seq").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    check("fee_settings_due_days", sql`${t.dueDays} between 0 and 365`),
    check("fee_settings_reminder_day", sql`${t.reminderDay} is null or ${t.reminderDay} between 1 and 28`),
    check("fee_settings_publisher", sql`${t.schedulePublisher} in ('property_staff', 'committee')`),
    check("fee_settings_receipt_seq", sql`${t.receiptSeq} >= 0`),
  ],
);

/** A published fee schedule; never edited (a new one, effective from a later date, replaces it). */
export const feeSchedules = pgTable(
  "fee_schedule",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    name: text("name").notNull(),
    /** The first day (Beijing date) of the first period it applies to. */
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("fee_schedule_once").on(t.estateId, t.effectiveFrom)],
);

/** One charge of a schedule for one kind of unit. */
export const feeRates = pgTable(
  "fee_rate",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    scheduleId: uuid("schedule_id")
      .notNull()
      .references(() => feeSchedules.id),
    charge: feeCharge("charge").notNull(),
    unitKind: unitKind("unit_kind").notNull(),
    basis: feeBasis("basis").notNull(),
    /** Fen per m² per month ("area") or fen per unit per month ("unit"). */
    rateFen: integer("rate_fen").notNull(),
  },
  (t) => [
    unique("fee_rate_once").on(t.scheduleId, t.charge, t.unitKind),
    check("fee_rate_positive", sql`${t.rateFen} > 0 and ${t.rateFen} <= 10000000`),
  ],
);

/** An attempt to pay bills online: our side of one provider checkout session. */
export const checkouts = pgTable(
  "checkout",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** "stripe" or "sandbox". */
    provider: text("provider").notNull(),
    /** The provider's session id (cs_…), known once the provider has made the session. */
    sessionId: text("session_id"),
    url: text("url"),
    /** How the owner pays: "hosted" (Stripe, sandbox), "jsapi" | "native" | "h5" (WeChat Pay), "page" | "wap" (Alipay). */
    channel: text("channel"),
    /** What the owner's page must do while the checkout is open (a QR code's URL, JSAPI's prepay_id): PayAction. */
    action: jsonb("action"),
    status: checkoutStatus("status").notNull().default("creating"),
    amountFen: integer("amount_fen").notNull(),
    currency: text("currency").notNull().default("cny"),
    paymentIntentId: text("payment_intent_id"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    unique("checkout_session_once").on(t.provider, t.sessionId),
    index("checkout_user_idx").on(t.userId, t.createdAt),
    index("checkout_unsettled_idx")
      .on(t.createdAt)
      .where(sql`${t.status} in ('creating', 'open', 'processing')`),
    check("checkout_amount", sql`${t.amountFen} > 0`),
  ],
);

/** Money received: online (one per completed checkout) or recorded by property staff. */
export const payments = pgTable(
  "payment",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    receiptNo: text("receipt_no").notNull(),
    method: paymentMethod("method").notNull(),
    provider: text("provider"),
    checkoutId: uuid("checkout_id").references(() => checkouts.id),
    providerPaymentIntent: text("provider_payment_intent"),
    amountFen: integer("amount_fen").notNull(),
    refundedFen: integer("refunded_fen").notNull().default(0),
    /**
     * false: the money came in but could not be put against its bills (another payment had
     * covered one of them, or the amount did not match); it waits for a refund.
     */
    applied: boolean("applied").notNull().default(true),
    payerUserId: uuid("payer_user_id").references(() => users.id, { onDelete: "set null" }),
    /** Property staff who recorded an offline payment. */
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "set null" }),
    /** Bank transfer reference or cash voucher number. */
    reference: text("reference"),
    paidAt: timestamp("paid_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("payment_receipt_once").on(t.estateId, t.receiptNo),
    unique("payment_checkout_once").on(t.checkoutId),
    unique("payment_intent_once").on(t.provider, t.providerPaymentIntent),
    index("payment_estate_idx").on(t.estateId, t.paidAt),
    check("payment_amount", sql`${t.amountFen} > 0`),
    check("payment_refunded", sql`${t.refundedFen} >= 0 and ${t.refundedFen} <= ${t.amountFen}`),
    check("payment_online_has_checkout", sql`(${t.method} = 'online') = (${t.checkoutId} is not null)`),
    check("payment_offline_recorded", sql`${t.method} = 'online' or ${t.recordedBy} is not null`),
  ],
);

/** One unit's charge for one billing period. */
export const bills = pgTable(
  "bill",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /**
     * The unit's estate and building, copied from the unit by the one statement that issues
     * bills (app/fees/bills.server.ts). No foreign keys of their own: the unit's key covers them,
     * and two more per-row checks cost a fifth of a 100,000-bill run.
     */
    estateId: uuid("estate_id").notNull(),
    unitId: uuid("unit_id")
      .notNull()
      .references(() => units.id),
    buildingId: uuid("building_id").notNull(),
    /** "2026-11" (monthly), "2026-Q4" (quarterly) or "2026" (yearly). */
    periodKey: text("period_key").notNull(),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    /** The day after the period's last day. */
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    charge: feeCharge("charge").notNull(),
    /** What the amount was computed from, as it stood when the bill was issued. */
    scheduleId: uuid("schedule_id")
      .notNull()
      .references(() => feeSchedules.id),
    basis: feeBasis("basis").notNull(),
    rateFen: integer("rate_fen").notNull(),
    areaCentiSqm: integer("area_centi_sqm").notNull(),
    months: smallint("months").notNull(),
    amountFen: integer("amount_fen").notNull(),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    status: billStatus("status").notNull().default("unpaid"),
    pendingCheckoutId: uuid("pending_checkout_id").references(() => checkouts.id),
    paymentId: uuid("payment_id").references(() => payments.id),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("bill_once").on(t.unitId, t.periodKey, t.charge),
    index("bill_estate_period_idx").on(t.estateId, t.periodKey),
    index("bill_open_idx")
      .on(t.estateId, t.dueDate)
      .where(sql`${t.status} <> 'paid'`),
    index("bill_payment_idx")
      .on(t.paymentId)
      .where(sql`${t.paymentId} is not null`),
    check("bill_amount", sql`${t.amountFen} > 0`),
    check("bill_months", sql`${t.months} in (1, 3, 12)`),
    check("bill_period_order", sql`${t.periodStart} < ${t.periodEnd}`),
    check("bill_period_key", sql`${t.periodKey} ~ '^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$'`),
    check("bill_pending_has_checkout", sql`(${t.status} = 'pending') = (${t.pendingCheckoutId} is not null)`),
    check(
      "bill_paid_has_payment",
      sql`(${t.status} = 'paid') = (${t.paymentId} is not null and ${t.paidAt} is not null)`,
    ),
  ],
);

/** The bills a checkout covers, with their amounts at the time. */
export const checkoutBills = pgTable(
  "checkout_bill",
  {
    checkoutId: uuid("checkout_id")
      .notNull()
      .references(() => checkouts.id),
    billId: uuid("bill_id")
      .notNull()
      .references(() => bills.id),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    amountFen: integer("amount_fen").notNull(),
  },
  (t) => [primaryKey({ columns: [t.checkoutId, t.billId] }), index("checkout_bill_bill_idx").on(t.billId)],
);

/** The bills a payment paid (kept after a refund reopens them: the ledger's history). */
export const paymentBills = pgTable(
  "payment_bill",
  {
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id),
    billId: uuid("bill_id")
      .notNull()
      .references(() => bills.id),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    amountFen: integer("amount_fen").notNull(),
  },
  (t) => [primaryKey({ columns: [t.paymentId, t.billId] }), index("payment_bill_bill_idx").on(t.billId)],
);

/** A refund as the provider reported it (charge.refunded carries the running total). */
export const refunds = pgTable(
  "refund",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id),
    providerChargeId: text("provider_charge_id"),
    /** The payment's refunded total after this refund, and what this refund added. */
    totalFen: integer("total_fen").notNull(),
    amountFen: integer("amount_fen").notNull(),
    eventId: text("event_id").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("refund_payment_idx").on(t.paymentId),
    check("refund_amount", sql`${t.amountFen} > 0 and ${t.totalFen} >= ${t.amountFen}`),
  ],
);

/**
 * Every provider event handled, by its id: the webhook inserts the row first, in the same
 * transaction as its effects, so a second delivery of the same event changes nothing.
 * outcome "deferred": a refund for a payment not recorded yet; applied when the payment is.
 */
export const paymentEvents = pgTable(
  "payment_event",
  {
    eventId: text("event_id").primaryKey(),
    provider: text("provider").notNull(),
    type: text("type").notNull(),
    objectId: text("object_id"),
    outcome: text("outcome").notNull(),
    /** For deferred refunds: the payment intent they wait for, and what they said. */
    relatedRef: text("related_ref"),
    detail: jsonb("detail"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("payment_event_deferred_idx")
      .on(t.relatedRef)
      .where(sql`${t.outcome} = 'deferred'`),
  ],
);

/** Overdue reminders sent for an estate in a month (one run per estate per month). */
export const feeReminderRuns = pgTable(
  "fee_reminder_run",
  {
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    /** "2026-11": the Beijing month the reminders went out in. */
    month: text("month").notNull(),
    recipients: integer("recipients").notNull(),
    ranAt: timestamp("ran_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.estateId, t.month] })],
);

/**
 * The sandbox provider's own sessions (used when no STRIPE_SECRET_KEY is set): what Stripe
 * would keep on its side. The app's checkout table is the same as with Stripe.
 */
export const sandboxSessions = pgTable("sandbox_session", {
  id: text("id").primaryKey(),
  estateId: uuid("estate_id")
    .notNull()
    .references(() => estates.id),
  idempotencyKey: text("idempotency_key").notNull().unique(),
  clientReferenceId: text("client_reference_id"),
  customerEmail: text("customer_email"),
  amountTotal: integer("amount_total").notNull(),
  currency: text("currency").notNull(),
  lineItems: jsonb("line_items").$type<{ name: string; amount: number }[]>().notNull(),
  metadata: jsonb("metadata").$type<Record<string, string>>().notNull(),
  paymentMethodTypes: text("payment_method_types").array().notNull(),
  successUrl: text("success_url").notNull(),
  cancelUrl: text("cancel_url").notNull(),
  /** "open" | "complete" | "expired", as Stripe says it. */
  status: text("status").notNull().default("open"),
  paymentStatus: text("payment_status").notNull().default("unpaid"),
  paymentIntent: text("payment_intent"),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
