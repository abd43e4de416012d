import { index, jsonb, pgEnum, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./people";
import { estates } from "./places";

/** Every audited act; the committee and admins read an estate's back at /e/:estate/audit. */
export const auditActs = [
  "roster_import",
  "vote_open",
  "vote_close",
  "election_open",
  "election_close",
  "paper_ballot_enter",
  "paper_ballot_confirm",
  "paper_ballot_reject",
  "proxy_approve",
  "proxy_reject",
  "minutes_publish",
  "payment_offline",
  "payment_refund",
  "claim_approve",
  "claim_reject",
  "role_verify",
  "role_reject",
  "account_delete",
  "voting_rules_change",
  "fee_settings_change",
  "fee_schedule_create",
  "bills_generate",
  "payment_unapplied",
  "password_reset",
  "claim_code_reissue",
  "claim_link",
  "claim_request",
  "resident_invite",
  "resident_invite_revoke",
  "resident_remove",
  "resident_join",
  "company_set",
  "ticket_targets_change",
  "service_report_publish",
  "committee_register",
  "committee_archive",
  "committee_member_seat",
  "committee_member_leave",
  "committee_office_set",
  "meeting_schedule",
  "meeting_cancel",
  "decisions_publish",
  "minutes_sign",
  "election_call",
  "election_publish",
  "requisition_create",
  "requisition_due",
  "vote_remind",
  "proposal_comment_open",
  "proposal_publish",
  "proposal_carry_out",
  // A reviewer saw a request's personal data in full (roster name, last digits of the roster phone).
  "personal_data_viewed",
  // Someone looked at a closed vote's full ballot list (areas, exact times).
  "ballot_list_view",
  // A role above owners and residents granted or revoked (property staff, community admin).
  "role_grant",
  "role_revoke",
] as const;
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
