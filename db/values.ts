// The value lists of the schema's enums that pages also need (select options, filters, form
// schemas). Plain arrays, no Drizzle: a page that imports one must not pull the schema (and
// drizzle-orm) into the browser's JavaScript. db/schema/* builds its pgEnums from these.
// (tests/page-weight.ts fails when a Drizzle marker reaches a client asset.)
export const unitKinds = ["residential", "commercial", "parking", "storage"] as const;

// audit
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
  // The contact printed on claim letters (estate settings).
  "claim_contact_change",
  // An account's phone number added or changed (after SMS codes), its other sessions ended.
  "phone_change",
  // An estate's payment providers or merchant ids changed (never the secrets themselves).
  "payment_settings_change",
  // The estate's monthly allowance of notice SMS changed (estate settings).
  "sms_budget_change",
  // The committee recorded which co-owner of a unit the co-owners named to vote (estate setting coOwnersNameOne).
  "co_owner_named",
  // An account bound to or unbound from the WeChat official account (subject: the user).
  "wechat_bind",
  "wechat_unbind",
  // The platform's holiday table (/admin/calendar): a date added, changed or removed, a year marked entered.
  "rest_day_change",
  // A notice posted on the estate's notice board (subject: the notice).
  "board_notice_post",
  // The ballot-box log: a paper ballot received (by unit), witnessed by a second member, or an unwitnessed entry withdrawn.
  "ballot_box_log",
  "ballot_box_witness",
  "ballot_box_withdraw",
  // A vote's notice posted on the board before voting (物业管理条例 Art. 14).
  "vote_notice_post",
  // A correction of a closed vote's result in its query period: asked with a reason, confirmed by a second member.
  "vote_correction_request",
  "vote_correction_confirm",
] as const;

// committee
/** N: an owner representative of a zone; X: an owner holding a public role; observer: a non-owner deputy, without a vote. */
export const committeeSeats = ["N", "X", "observer"] as const;

export const committeeOffices = ["chair", "vice_chair", "member"] as const;

export const publicRoles = ["party_congress", "npc", "cppcc", "public_servant"] as const;

export const meetingKinds = ["regular", "first", "requisitioned"] as const;

export const agendaKinds = ["motion", "information", "elect_chair", "elect_vice_chair"] as const;

// tickets
export const ticketCategories = ["repair", "cleaning", "security", "greenery", "parking", "noise", "other"] as const;

/** unit: inside one of the filer's units; building: a building of the estate; common: a common area. */
export const ticketLocations = ["unit", "building", "common"] as const;

/**
 * The committee's public ledgers (Civil Code Art. 281; guidance Art. 36): the maintenance
 * fund's use, and the income from common parts. Entries are never edited or deleted; a
 * mistake is corrected by an entry the other way that names the one it corrects.
 */
export const ledgerKinds = ["maintenance_fund", "common_income"] as const;

// board
/** What a notice on the estate's notice board (公告栏) is. */
export const boardNoticeKinds = [
  "vote_notice",
  "election_notice",
  "preliminary_result",
  "final_result",
  "decision",
  "minutes",
  "fee_schedule",
  "general",
] as const;
/** Who a notice speaks for. */
export const boardNoticeAuthors = ["committee", "property", "community", "platform"] as const;
/** What a notice may link to. */
export const boardNoticeSubjects = ["proposal", "election", "meeting", "fee_schedule"] as const;

// calendar
/** A date in the holiday table: a holiday (rest), or a make-up working day (a weekend worked). */
export const restDayKinds = ["holiday", "workday"] as const;
