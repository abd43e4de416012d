import { index, jsonb, pgEnum, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./people";
import { estates } from "./places";
import { auditActs } from "../values";

export { auditActs };

export type AuditAct = (typeof auditActs)[number];
export const auditAct = pgEnum("audit_act", auditActs);

export const auditSubjects = [
  "roster_import",
  "proposal",
  "election",
  "paper_ballot",
  "proxy",
  "meeting",
  "payment",
  "claim_request",
  "role_declaration",
  "user",
  "estate",
  "fee_schedule",
  "unit",
  "owner",
  "resident_invite",
  "resident",
  "property_company",
  "service_report",
  "committee",
  "committee_member",
  "requisition",
  "board_notice",
  // The platform's holiday table, one subject (calendarAuditSubjectId): the detail names the date.
  "calendar",
] as const;
export type AuditSubject = (typeof auditSubjects)[number];
export const auditSubject = pgEnum("audit_subject", auditSubjects);

/**
 * One row per sensitive act, written in the act's own transaction (app/audit/audit.server.ts).
 * Append-only: a trigger in the migration refuses UPDATE and DELETE. The detail holds ids,
 * counts and amounts, never names or phone numbers, so the committee may read every row.
 * It is the only audit table: reasons and other free text stay on the domain rows they explain.
 */
export const auditEvents = pgTable(
  "audit_event",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Null only for an act outside any estate (an account with no role anywhere deleted). */
    estateId: uuid("estate_id").references(() => estates.id),
    /** Null for acts of the system (a refund reported by the payment provider). */
    actorUserId: uuid("actor_user_id").references(() => users.id),
    act: auditAct("act").notNull(),
    subjectType: auditSubject("subject_type").notNull(),
    subjectId: uuid("subject_id").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_event_estate_idx").on(t.estateId, t.createdAt.desc()),
    index("audit_event_actor_idx").on(t.actorUserId),
    index("audit_event_subject_idx").on(t.subjectType, t.subjectId),
  ],
);
