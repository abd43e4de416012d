import { sql } from "drizzle-orm";
import {
  bigint,
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
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./people";
import { buildings, estates, units } from "./places";
import { proposals } from "./voting";
import { ticketCategories, ticketLocations, ledgerKinds } from "../values";

export { ticketCategories, ticketLocations, ledgerKinds };

/*
 * The feedback loop with the property company (issue 7).
 *
 * The property company is modelled minimally: a company row, and the estates it serves
 * (company_estate, one current row per estate). Its staff are the users holding the
 * property_staff role in an estate the company serves: staff belong to a company through
 * their memberships, not through a table of their own. Every ticket records the company that
 * served the estate when it was filed, so a scorecard is per company and estate.
 */

export const propertyCompanies = pgTable("property_company", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Which company serves an estate, from when to when (ended_at null: now). Never deleted. */
export const companyEstates = pgTable(
  "company_estate",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id")
      .notNull()
      .references(() => propertyCompanies.id),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("company_estate_one_current")
      .on(t.estateId)
      .where(sql`${t.endedAt} is null`),
    index("company_estate_company_idx").on(t.companyId),
    check("company_estate_order", sql`${t.endedAt} is null or ${t.endedAt} > ${t.startedAt}`),
  ],
);

export type TicketCategory = (typeof ticketCategories)[number];
export const ticketCategory = pgEnum("ticket_category", ticketCategories);

export type TicketLocation = (typeof ticketLocations)[number];
export const ticketLocation = pgEnum("ticket_location", ticketLocations);

/**
 * open → acknowledged (the company answered: the response clock stops) → resolved → closed
 * (the filer confirmed, or 7 days passed). A reopened ticket goes back to acknowledged.
 */
export const ticketStatuses = ["open", "acknowledged", "resolved", "closed"] as const;
export type TicketStatus = (typeof ticketStatuses)[number];
export const ticketStatus = pgEnum("ticket_status", ticketStatuses);

export const ticketEventKinds = [
  "filed",
  "acknowledged",
  "assigned",
  "comment",
  "resolved",
  "reopened",
  "confirmed",
  "auto_closed",
  "escalated",
  "committee_comment",
  "pressed",
] as const;
export type TicketEventKind = (typeof ticketEventKinds)[number];
export const ticketEventKind = pgEnum("ticket_event_kind", ticketEventKinds);

/** Response and resolution targets in hours, per category. */
export type TicketTargets = Record<TicketCategory, { responseHours: number; resolutionHours: number }>;

/** One row per estate: its ticket targets and the ticket number counter. No row: the defaults. */
export const ticketSettings = pgTable(
  "ticket_settings",
  {
    estateId: uuid("estate_id")
      .primaryKey()
      .references(() => estates.id),
    /** Targets that differ from the defaults (app/tickets/sla.ts); missing categories use the defaults. */
    targets: jsonb("targets").$type<Partial<TicketTargets>>().notNull().default({}),
    /** The last ticket number given out in the estate. */
    ticketSeq: integer("ticket_seq").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [check("ticket_settings_seq", sql`${t.ticketSeq} >= 0`)],
);

export const tickets = pgTable(
  "ticket",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    /** Numbered per estate: #1, #2… */
    seq: integer("seq").notNull(),
    /** The company serving the estate when the ticket was filed. */
    companyId: uuid("company_id").references(() => propertyCompanies.id),
    filerId: uuid("filer_id")
      .notNull()
      .references(() => users.id),
    /** The filer's unit (household) the ticket was filed from: who else may see a private ticket. */
    unitId: uuid("unit_id")
      .notNull()
      .references(() => units.id),
    category: ticketCategory("category").notNull(),
    location: ticketLocation("location").notNull(),
    buildingId: uuid("building_id").references(() => buildings.id),
    /** Where exactly: "3单元电梯", "北门停车场". */
    place: text("place"),
    description: text("description").notNull(),
    isPublic: boolean("is_public").notNull(),
    status: ticketStatus("status").notNull().default("open"),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    /** The targets as they stood when the ticket was filed. */
    responseDueAt: timestamp("response_due_at", { withTimezone: true }).notNull(),
    resolutionDueAt: timestamp("resolution_due_at", { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    firstResolvedAt: timestamp("first_resolved_at", { withTimezone: true }),
    /** The latest resolution (cleared by a reopening). */
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    reopenCount: integer("reopen_count").notNull().default(0),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /** "filer" or "auto". */
    closedBy: text("closed_by"),
    rating: smallint("rating"),
    ratingComment: text("rating_comment"),
    ratedAt: timestamp("rated_at", { withTimezone: true }),
    escalatedAt: timestamp("escalated_at", { withTimezone: true }),
    /** "response" or "resolution": which target was missed. */
    escalationReason: text("escalation_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("ticket_seq_once").on(t.estateId, t.seq),
    // The scorecard reads a month of an estate's tickets from this index alone (an index-only scan).
    index("ticket_scorecard_idx").on(
      t.estateId,
      t.createdAt,
      t.companyId,
      t.acknowledgedAt,
      t.resolvedAt,
      t.resolutionDueAt,
      t.firstResolvedAt,
      t.reopenCount,
      t.rating,
    ),
    index("ticket_estate_status_idx").on(t.estateId, t.status),
    index("ticket_filer_idx").on(t.filerId),
    index("ticket_unit_idx").on(t.unitId),
    index("ticket_unescalated_idx")
      .on(t.resolutionDueAt)
      .where(sql`${t.escalatedAt} is null and ${t.status} in ('open', 'acknowledged')`),
    index("ticket_resolved_idx")
      .on(t.resolvedAt)
      .where(sql`${t.status} = 'resolved'`),
    check("ticket_rating", sql`${t.rating} is null or ${t.rating} between 1 and 5`),
    check("ticket_rated_when_closed", sql`${t.rating} is null or ${t.status} = 'closed'`),
    check("ticket_due_order", sql`${t.responseDueAt} > ${t.createdAt} and ${t.resolutionDueAt} >= ${t.responseDueAt}`),
    check("ticket_resolved", sql`(${t.status} = 'resolved') = (${t.resolvedAt} is not null and ${t.closedAt} is null)`),
    check(
      "ticket_closed",
      sql`(${t.status} = 'closed') = (${t.closedAt} is not null and ${t.closedBy} in ('filer', 'auto'))`,
    ),
    check("ticket_acknowledged", sql`${t.status} = 'open' or ${t.acknowledgedAt} is not null`),
    check("ticket_location_building", sql`${t.location} = 'common' or ${t.buildingId} is not null`),
    check("ticket_reopen_count", sql`${t.reopenCount} >= 0`),
    check("ticket_escalation_reason", sql`(${t.escalatedAt} is null) = (${t.escalationReason} is null)`),
  ],
);

/** A photo of a ticket; the bytes (metadata stripped) are in the file store under storage_key. */
export const ticketPhotos = pgTable(
  "ticket_photo",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id),
    storageKey: text("storage_key").notNull().unique(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("ticket_photo_ticket_idx").on(t.ticketId), check("ticket_photo_size", sql`${t.sizeBytes} > 0`)],
);

/** The ticket's timeline; never edited. actor null: the system (escalation, auto-close). */
export const ticketEvents = pgTable(
  "ticket_event",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id),
    kind: ticketEventKind("kind").notNull(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    /** The actor's role when acting: owner, resident, property_staff, committee… */
    actorRole: text("actor_role"),
    body: text("body"),
    detail: jsonb("detail"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("ticket_event_ticket_idx").on(t.ticketId, t.at)],
);

/** An owner's "+1": this affects me too. Once per user. */
export const ticketUpvotes = pgTable(
  "ticket_upvote",
  {
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] })],
);

/** A proposal the committee started from a scorecard, with the scorecard as it stood (attached). */
export const scorecardProposals = pgTable(
  "scorecard_proposal",
  {
    proposalId: uuid("proposal_id")
      .primaryKey()
      .references(() => proposals.id),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    companyId: uuid("company_id").references(() => propertyCompanies.id),
    /** "2026-11": the scorecard's month (Beijing time). */
    month: text("month").notNull(),
    /** "renew", "renegotiate" or "replace". */
    intent: text("intent").notNull(),
    /** The scorecard's twelve months as computed when the proposal was started. */
    figures: jsonb("figures").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("scorecard_proposal_estate_idx").on(t.estateId, t.createdAt),
    check("scorecard_proposal_intent", sql`${t.intent} in ('renew', 'renegotiate', 'replace')`),
    check("scorecard_proposal_month", sql`${t.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
  ],
);

/** The company's quarterly service report to the owners: text plus the fee's income and spending. */
export const serviceReports = pgTable(
  "service_report",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    companyId: uuid("company_id").references(() => propertyCompanies.id),
    /** "2026-Q4". */
    quarter: text("quarter").notNull(),
    title: text("title").notNull(),
    /** Plain text (rendered escaped). */
    body: text("body").notNull(),
    publishedBy: uuid("published_by").references(() => users.id, { onDelete: "set null" }),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("service_report_once").on(t.estateId, t.quarter),
    check("service_report_quarter", sql`${t.quarter} ~ '^[0-9]{4}-Q[1-4]$'`),
  ],
);

/** One line of a report's figures: income ("物业费收入") or spending ("保洁外包"), integer fen. */
export const serviceReportLines = pgTable(
  "service_report_line",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    reportId: uuid("report_id")
      .notNull()
      .references(() => serviceReports.id),
    position: integer("position").notNull(),
    /** "income" or "spending". */
    kind: text("kind").notNull(),
    label: text("label").notNull(),
    amountFen: bigint("amount_fen", { mode: "number" }).notNull(),
  },
  (t) => [
    unique("service_report_line_position").on(t.reportId, t.position),
    check("service_report_line_kind", sql`${t.kind} in ('income', 'spending')`),
    check("service_report_line_amount", sql`${t.amountFen} >= 0 and ${t.amountFen} <= 100000000000`),
  ],
);

export type LedgerKind = (typeof ledgerKinds)[number];
export const ledgerKind = pgEnum("ledger_kind", ledgerKinds);

export const ledgerEntries = pgTable(
  "ledger_entry",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    ledger: ledgerKind("ledger").notNull(),
    /** Per estate and ledger: 1, 2, 3… in the order entered. */
    seq: integer("seq").notNull(),
    /** "in" (money into the fund / income received) or "out" (money spent / paid out). */
    direction: text("direction").notNull(),
    occurredOn: date("occurred_on", { mode: "string" }).notNull(),
    description: text("description").notNull(),
    counterparty: text("counterparty"),
    amountFen: bigint("amount_fen", { mode: "number" }).notNull(),
    /** The owners' vote that approved a use of the fund (Civil Code Art. 278). */
    proposalId: uuid("proposal_id").references(() => proposals.id),
    /** The entry this one corrects. */
    correctsId: uuid("corrects_id"),
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "set null" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("ledger_entry_seq").on(t.estateId, t.ledger, t.seq),
    index("ledger_entry_estate_idx").on(t.estateId, t.ledger, t.occurredOn),
    check("ledger_entry_direction", sql`${t.direction} in ('in', 'out')`),
    check("ledger_entry_amount", sql`${t.amountFen} > 0 and ${t.amountFen} <= 100000000000`),
  ],
);
