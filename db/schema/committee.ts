import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { owners, users } from "./people";
import { estates, units } from "./places";
// Used only inside lazy references (voting.ts refers back to elections): no value is read at load time.
import { proposals, proxies, votingFiles } from "./voting";
import { serviceReports } from "./tickets";
import { boardNotices } from "./board";
import { committeeSeats, committeeOffices, publicRoles, meetingKinds, agendaKinds } from "../values";

export { committeeSeats, committeeOffices, publicRoles, meetingKinds, agendaKinds };

/**
 * The N+X owners' committee (DESIGN.md "The N+X committee"). Records here are never deleted:
 * a member who leaves gets `left_at`, an old committee is archived, a meeting is cancelled,
 * a decision can be challenged in court for a year after an owner learns of it.
 */

/** forming: being elected (its zones and candidates exist); active: in office; archived: its term is over. */
export const committeeStatus = pgEnum("committee_status", ["forming", "active", "archived"]);
export type CommitteeSeat = (typeof committeeSeats)[number];
export const committeeSeat = pgEnum("committee_seat", committeeSeats);
export type CommitteeOffice = (typeof committeeOffices)[number];
export const committeeOffice = pgEnum("committee_office", committeeOffices);
export type PublicRole = (typeof publicRoles)[number];
export const publicRole = pgEnum("public_role", publicRoles);
export const declarationStatus = pgEnum("role_declaration_status", ["pending", "verified", "rejected"]);
export type MeetingKind = (typeof meetingKinds)[number];
export const meetingKind = pgEnum("meeting_kind", meetingKinds);
export const meetingStatus = pgEnum("meeting_status", ["scheduled", "held", "cancelled"]);
export type AgendaKind = (typeof agendaKinds)[number];
export const agendaKind = pgEnum("agenda_item_kind", agendaKinds);
export const memberChoice = pgEnum("member_choice", ["agree", "oppose", "abstain"]);

export const committees = pgTable(
  "committee",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    /** e.g. 第四届业主委员会 */
    title: text("title").notNull(),
    status: committeeStatus("status").notNull(),
    /** Members with a vote: 5 to 11, odd (MOHURD guidance Art. 31). */
    size: integer("size").notNull(),
    nSeats: integer("n_seats").notNull(),
    xSeats: integer("x_seats").notNull(),
    /** "registered": elected before the estate used the platform, entered by a community admin; "election": elected here. */
    origin: text("origin").notNull(),
    termStartsAt: timestamp("term_starts_at", { withTimezone: true }),
    termEndsAt: timestamp("term_ends_at", { withTimezone: true }),
    /** The first meeting, which elects the chair and vice-chair, is due within 7 days of the election. */
    firstMeetingDueAt: timestamp("first_meeting_due_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    archivedBy: uuid("archived_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("committee_estate_idx").on(t.estateId, t.createdAt),
    uniqueIndex("committee_one_active")
      .on(t.estateId)
      .where(sql`${t.status} = 'active'`),
    uniqueIndex("committee_one_forming")
      .on(t.estateId)
      .where(sql`${t.status} = 'forming'`),
    check("committee_size", sql`${t.size} between 5 and 11 and ${t.size} % 2 = 1`),
    check("committee_seats", sql`${t.nSeats} >= 0 and ${t.xSeats} >= 0 and ${t.nSeats} + ${t.xSeats} = ${t.size}`),
    check(
      "committee_term",
      sql`${t.status} = 'forming' or (${t.termStartsAt} is not null and ${t.termEndsAt} > ${t.termStartsAt} and ${t.termEndsAt} <= ${t.termStartsAt} + interval '5 years')`,
    ),
    check("committee_origin", sql`${t.origin} in ('registered', 'election')`),
  ],
);

/** A building or group of buildings that elects N members; seats by household count (largest remainder). */
export const committeeZones = pgTable(
  "committee_zone",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    committeeId: uuid("committee_id")
      .notNull()
      .references(() => committees.id),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    buildingIds: uuid("building_ids").array().notNull(),
    /** Households (residential units) when the seats were apportioned. */
    households: integer("households").notNull(),
    seats: integer("seats").notNull(),
    /** Set when the seat count came from resolving a tie the apportionment reported. */
    tieResolution: text("tie_resolution"),
  },
  (t) => [
    unique("committee_zone_name").on(t.committeeId, t.name),
    check("committee_zone_counts", sql`${t.households} >= 0 and ${t.seats} >= 0`),
  ],
);

/** An owner's (or a non-owner deputy's) declared public role, with proof, verified by a community admin. */
export const roleDeclarations = pgTable(
  "role_declaration",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    role: publicRole("role").notNull(),
    /** The office as it reads publicly, e.g. 虎丘区人大代表. */
    title: text("title").notNull(),
    /** Certificate number, issuing body: what the admin checks. Not public. */
    proofNote: text("proof_note").notNull(),
    proofFileKey: text("proof_file_key"),
    proofFileType: text("proof_file_type"),
    status: declarationStatus("status").notNull().default("pending"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    reason: text("reason"),
  },
  (t) => [
    index("role_declaration_estate_idx").on(t.estateId, t.status),
    uniqueIndex("role_declaration_one_open")
      .on(t.estateId, t.userId)
      .where(sql`${t.status} <> 'rejected'`),
    check("role_declaration_not_own", sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.userId}`),
  ],
);

export const committeeMembers = pgTable(
  "committee_member",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    committeeId: uuid("committee_id")
      .notNull()
      .references(() => committees.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** The roster owner the member is; only an observer may have none. */
    ownerId: uuid("owner_id").references(() => owners.id),
    /** The name as the roster (or, for an observer, the account) gives it; shown masked. */
    name: text("name").notNull(),
    /** The member's building(s), e.g. "3幢". */
    building: text("building").notNull(),
    seat: committeeSeat("seat").notNull(),
    zoneId: uuid("zone_id").references(() => committeeZones.id),
    declarationId: uuid("declaration_id").references(() => roleDeclarations.id),
    office: committeeOffice("office").notNull().default("member"),
    photoKey: text("photo_key"),
    photoType: text("photo_type"),
    seatedAt: timestamp("seated_at", { withTimezone: true }).notNull().defaultNow(),
    leftAt: timestamp("left_at", { withTimezone: true }),
    leftReason: text("left_reason"),
  },
  (t) => [
    index("committee_member_committee_idx").on(t.committeeId),
    uniqueIndex("committee_member_once")
      .on(t.committeeId, t.userId)
      .where(sql`${t.leftAt} is null`),
    uniqueIndex("committee_one_chair")
      .on(t.committeeId)
      .where(sql`${t.leftAt} is null and ${t.office} = 'chair'`),
    uniqueIndex("committee_one_vice_chair")
      .on(t.committeeId)
      .where(sql`${t.leftAt} is null and ${t.office} = 'vice_chair'`),
    check("committee_member_owner", sql`${t.seat} = 'observer' or ${t.ownerId} is not null`),
    check("committee_member_zone", sql`(${t.seat} = 'N') = (${t.zoneId} is not null)`),
    check("committee_member_role", sql`(${t.seat} = 'N') = (${t.declarationId} is null)`),
    check("committee_member_observer_office", sql`${t.seat} <> 'observer' or ${t.office} = 'member'`),
  ],
);

export const committeeMeetings = pgTable(
  "committee_meeting",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    committeeId: uuid("committee_id")
      .notNull()
      .references(() => committees.id),
    title: text("title").notNull(),
    kind: meetingKind("kind").notNull(),
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }).notNull(),
    place: text("place"),
    onlineLink: text("online_link"),
    scheduledBy: uuid("scheduled_by").references(() => users.id, { onDelete: "set null" }),
    /** When members were notified and the agenda posted to owners. */
    noticedAt: timestamp("noticed_at", { withTimezone: true }).notNull().defaultNow(),
    /** Notice less than 7 days ahead: allowed, and flagged. */
    shortNotice: boolean("short_notice").notNull(),
    requisitionId: uuid("requisition_id"),
    status: meetingStatus("status").notNull().default("scheduled"),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancelReason: text("cancel_reason"),
    attendanceRecordedAt: timestamp("attendance_recorded_at", { withTimezone: true }),
    /** Markdown; sanitised when rendered. Frozen at the first sign-off. */
    minutes: text("minutes"),
    minutesUpdatedAt: timestamp("minutes_updated_at", { withTimezone: true }),
    minutesUpdatedBy: uuid("minutes_updated_by").references(() => users.id, { onDelete: "set null" }),
    minutesPublishedAt: timestamp("minutes_published_at", { withTimezone: true }),
    /** Decisions are due within 3 days of the meeting; published later is flagged. */
    decisionsPublishedAt: timestamp("decisions_published_at", { withTimezone: true }),
    decisionsPublishedBy: uuid("decisions_published_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("committee_meeting_estate_idx").on(t.estateId, t.scheduledAt),
    check("committee_meeting_where", sql`${t.place} is not null or ${t.onlineLink} is not null`),
    check(
      "committee_meeting_minutes_after_decisions",
      sql`${t.minutesPublishedAt} is null or ${t.decisionsPublishedAt} is not null`,
    ),
  ],
);

export const agendaItems = pgTable(
  "committee_agenda_item",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => committeeMeetings.id),
    position: integer("position").notNull(),
    kind: agendaKind("kind").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    /** For elect_chair / elect_vice_chair: the member proposed for the office. */
    candidateMemberId: uuid("candidate_member_id").references(() => committeeMembers.id),
    /** The wording of the decision put to the vote, as recorded at the meeting. */
    resolution: text("resolution"),
    /** Frozen when the decisions are published: the counts and the outcome. */
    agreeCount: integer("agree_count"),
    opposeCount: integer("oppose_count"),
    abstainCount: integer("abstain_count"),
    memberCount: integer("member_count"),
    passed: boolean("passed"),
  },
  (t) => [
    unique("agenda_item_position").on(t.meetingId, t.position),
    check(
      "agenda_item_candidate",
      sql`(${t.kind} in ('elect_chair', 'elect_vice_chair')) = (${t.candidateMemberId} is not null)`,
    ),
  ],
);

/** The roll of a held meeting: every seated member, present or not, with whether they had a vote. */
export const meetingAttendance = pgTable(
  "committee_attendance",
  {
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => committeeMeetings.id),
    memberId: uuid("member_id")
      .notNull()
      .references(() => committeeMembers.id),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    voting: boolean("voting").notNull(),
    present: boolean("present").notNull(),
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "set null" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.memberId] })],
);

/** One member's own vote on one agenda item (no proxies: only a present member with a vote). */
export const memberVotes = pgTable(
  "committee_vote",
  {
    itemId: uuid("item_id")
      .notNull()
      .references(() => agendaItems.id),
    memberId: uuid("member_id")
      .notNull()
      .references(() => committeeMembers.id),
    meetingId: uuid("meeting_id").notNull(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    choice: memberChoice("choice").notNull(),
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "set null" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.memberId] }),
    foreignKey({
      name: "committee_vote_roll_fk",
      columns: [t.meetingId, t.memberId],
      foreignColumns: [meetingAttendance.meetingId, meetingAttendance.memberId],
    }),
  ],
);

/** An attending member's sign-off of the minutes: a recorded act, with the time and the text signed. */
export const minutesSignoffs = pgTable(
  "committee_minutes_signoff",
  {
    meetingId: uuid("meeting_id").notNull(),
    memberId: uuid("member_id").notNull(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    /** SHA-256 of the minutes as signed. */
    minutesSha256: text("minutes_sha256").notNull(),
    signedAt: timestamp("signed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.meetingId, t.memberId] }),
    foreignKey({
      name: "committee_signoff_roll_fk",
      columns: [t.meetingId, t.memberId],
      foreignColumns: [meetingAttendance.meetingId, meetingAttendance.memberId],
    }),
  ],
);

/** A third of the members can require a meeting; the chair must hold it within 7 days. */
export const requisitions = pgTable(
  "committee_requisition",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    committeeId: uuid("committee_id")
      .notNull()
      .references(() => committees.id),
    subject: text("subject").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** When a third of the members had signed; the meeting is due 7 days later. */
    thresholdMetAt: timestamp("threshold_met_at", { withTimezone: true }),
    dueAt: timestamp("due_at", { withTimezone: true }),
    meetingId: uuid("meeting_id").references(() => committeeMeetings.id),
  },
  (t) => [index("committee_requisition_idx").on(t.estateId, t.createdAt)],
);

export const requisitionSignatures = pgTable(
  "committee_requisition_signature",
  {
    requisitionId: uuid("requisition_id")
      .notNull()
      .references(() => requisitions.id),
    memberId: uuid("member_id")
      .notNull()
      .references(() => committeeMembers.id),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    signedAt: timestamp("signed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.requisitionId, t.memberId] })],
);

/**
 * What an owner's question is about: published minutes, one of the company's service reports,
 * or one of the committee's two ledgers (the maintenance fund, the income from common parts;
 * Civil Code Art. 281). A ledger is one per estate, so its questions name no row.
 */
export const inquirySubjectKinds = [
  "minutes",
  "service_report",
  "maintenance_fund",
  "common_income",
  "vote",
  "election",
] as const;
export type InquirySubjectKind = (typeof inquirySubjectKinds)[number];
export const inquirySubjectKind = pgEnum("inquiry_subject_kind", inquirySubjectKinds);

/**
 * An owner's public question to the committee; the committee answers in the same thread. The
 * subject's row is referenced through its own foreign key (one per kind that has rows), so a
 * question can never point at a meeting or report that does not exist.
 */
export const inquiries = pgTable(
  "committee_inquiry",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    subjectKind: inquirySubjectKind("subject_kind").notNull(),
    meetingId: uuid("meeting_id").references(() => committeeMeetings.id),
    serviceReportId: uuid("service_report_id").references(() => serviceReports.id),
    /** A query (询异) on a closed vote's preliminary result: the proposal or election queried. */
    proposalId: uuid("proposal_id").references((): AnyPgColumn => proposals.id),
    electionId: uuid("election_id").references((): AnyPgColumn => committeeElections.id),
    /** A query's topic: the asker's own ballot, or a listed unit's eligibility (that unit). */
    queryTopic: text("query_topic").$type<"own_ballot" | "eligibility">(),
    queryUnitId: uuid("query_unit_id").references((): AnyPgColumn => units.id),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    /** The asker's name when asked, shown masked. */
    askerName: text("asker_name").notNull(),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
  },
  (t) => [
    index("committee_inquiry_meeting_idx").on(t.meetingId, t.createdAt),
    index("committee_inquiry_subject_idx").on(t.estateId, t.subjectKind, t.createdAt),
    check(
      "committee_inquiry_subject",
      sql`(${t.subjectKind} = 'minutes') = (${t.meetingId} is not null) and (${t.subjectKind} = 'service_report') = (${t.serviceReportId} is not null)`,
    ),
    // Compared as text: the enum's new values cannot be used in the migration that adds them.
    check(
      "committee_inquiry_vote_subject",
      sql`(${t.subjectKind}::text = 'vote') = (${t.proposalId} is not null) and (${t.subjectKind}::text = 'election') = (${t.electionId} is not null) and (${t.subjectKind}::text in ('vote', 'election')) = (${t.queryTopic} is not null) and (${t.queryUnitId} is null or ${t.queryTopic} = 'eligibility')`,
    ),
  ],
);

export const inquiryReplies = pgTable(
  "committee_inquiry_reply",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    inquiryId: uuid("inquiry_id")
      .notNull()
      .references(() => inquiries.id),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    /** Set when a committee member answers for the committee; null for the asker's follow-up. */
    memberId: uuid("member_id").references(() => committeeMembers.id),
    authorName: text("author_name").notNull(),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("committee_inquiry_reply_idx").on(t.inquiryId, t.createdAt)],
);

// ---------------------------------------------------------------------------------------------
// Elections: an owners' vote on candidates (each needs the ordinary approval with the 2/3
// participation quorum, Civil Code Art. 278); seats by zone for N and overall for X.

export const electionKind = pgEnum("committee_election_kind", ["general", "by_election"]);
export const electionStatus = pgEnum("committee_election_status", ["nominating", "voting", "closed", "published"]);

export const committeeElections = pgTable(
  "committee_election",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    /** general: the committee being formed; by_election: the committee in office whose vacancies are filled. */
    committeeId: uuid("committee_id")
      .notNull()
      .references(() => committees.id),
    kind: electionKind("kind").notNull(),
    title: text("title").notNull(),
    status: electionStatus("status").notNull().default("nominating"),
    /** Households of the zone that must nominate an N candidate. */
    nominationThreshold: integer("nomination_threshold").notNull(),
    nominationEndsAt: timestamp("nomination_ends_at", { withTimezone: true }).notNull(),
    votingStartsAt: timestamp("voting_starts_at", { withTimezone: true }).notNull(),
    votingEndsAt: timestamp("voting_ends_at", { withTimezone: true }).notNull(),
    /** The new committee's term, from publication (general elections; at most 60 months). */
    termMonths: integer("term_months"),
    /** The buildings whose owners vote (as `proposal.scope_building_ids`); null: the whole estate. Fixed at the call. */
    scopeBuildingIds: uuid("scope_building_ids").array(),
    /** Unit kinds counted, fixed when voting opens. */
    votingUnitKinds: text("voting_unit_kinds").array(),
    ballotsChangeable: boolean("ballots_changeable"),
    /** Whether an online ballot may replace a counted paper one, fixed when voting opens (as `proposal.rules`). */
    paperOnlineConflict: text("paper_online_conflict").$type<"online" | "paper">(),
    /** Whether an owner votes in every zone's race or only their own zone's (plus X), fixed when voting opens. */
    zoneVoting: text("zone_voting").$type<"all" | "own">(),
    /** The most owners one person may hold authorisations for, fixed when voting opens (as `proposal.proxy_cap`). */
    proxyCap: integer("proxy_cap"),
    /** Whether spoiled races take part in the count, fixed when voting opens (null before: the default, yes). */
    spoiledTakesPart: boolean("spoiled_takes_part"),
    /** Whether only the co-owner named on the roster casts online for a co-owned unit, fixed when voting opens. */
    coOwnersNameOne: boolean("co_owners_name_one"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** The election notice on the board, and when it was posted: voting opens only once it has run its days. */
    noticeId: uuid("notice_id").references(() => boardNotices.id),
    noticedAt: timestamp("noticed_at", { withTimezone: true }),
    openedAt: timestamp("opened_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /** Who closed it (the final result is posted in their name when the job posts it). */
    closedBy: uuid("closed_by").references(() => users.id, { onDelete: "set null" }),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** End (exclusive) of the query period (询异) after the preliminary result, set at close. */
    queryEndsAt: timestamp("query_ends_at", { withTimezone: true }),
    /** When the final result was posted: the elected take their seats (a general election's committee is constituted) from then. */
    effectiveAt: timestamp("effective_at", { withTimezone: true }),
    /** The count at closing: every candidate's tally, the seats by race, ties and unfilled seats. */
    result: jsonb("result"),
    /** The hash chain over this election's ballots (app/voting/ledger.ts): last sequence number and hash. */
    chainSeq: integer("chain_seq").notNull().default(0),
    chainHead: text("chain_head"),
    /** The chain's head at closing, published with the result. */
    finalHash: text("final_hash"),
  },
  (t) => [
    index("committee_election_estate_idx").on(t.estateId, t.createdAt),
    check("committee_election_notice_pair", sql`(${t.noticeId} is null) = (${t.noticedAt} is null)`),
    check("committee_election_threshold", sql`${t.nominationThreshold} >= 1`),
    check(
      "committee_election_window",
      sql`${t.nominationEndsAt} <= ${t.votingStartsAt} and ${t.votingStartsAt} < ${t.votingEndsAt}`,
    ),
    check("committee_election_term", sql`${t.termMonths} is null or ${t.termMonths} between 1 and 60`),
    check("committee_election_proxy_cap", sql`${t.proxyCap} is null or ${t.proxyCap} >= 1`),
    check("committee_election_scope_not_empty", sql`cardinality(${t.scopeBuildingIds}) > 0`),
    check("committee_election_zone_voting", sql`${t.zoneVoting} is null or ${t.zoneVoting} in ('all', 'own')`),
  ],
);

/** The seats contested: one race per zone (N) and one for X. */
export const electionRaces = pgTable(
  "committee_election_race",
  {
    electionId: uuid("election_id")
      .notNull()
      .references(() => committeeElections.id),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    /** The zone's id, or "X". */
    race: text("race").notNull(),
    zoneId: uuid("zone_id").references(() => committeeZones.id),
    seats: integer("seats").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.electionId, t.race] }),
    check("committee_election_race_seats", sql`${t.seats} >= 0`),
  ],
);

export const candidateStatus = pgEnum("committee_candidate_status", ["standing", "withdrawn"]);

export const electionCandidates = pgTable(
  "committee_candidate",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    electionId: uuid("election_id")
      .notNull()
      .references(() => committeeElections.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => owners.id),
    name: text("name").notNull(),
    building: text("building").notNull(),
    seat: committeeSeat("seat").notNull(),
    zoneId: uuid("zone_id").references(() => committeeZones.id),
    declarationId: uuid("declaration_id").references(() => roleDeclarations.id),
    statement: text("statement"),
    status: candidateStatus("status").notNull().default("standing"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("committee_candidate_once")
      .on(t.electionId, t.userId)
      .where(sql`${t.status} = 'standing'`),
    check(
      "committee_candidate_seat",
      sql`(${t.seat} = 'N' and ${t.zoneId} is not null and ${t.declarationId} is null) or (${t.seat} = 'X' and ${t.zoneId} is null and ${t.declarationId} is not null)`,
    ),
  ],
);

/** A household of the zone nominating an N candidate (an owner nominates for each of their units there). */
export const nominations = pgTable(
  "committee_nomination",
  {
    candidateId: uuid("candidate_id")
      .notNull()
      .references(() => electionCandidates.id),
    unitId: uuid("unit_id")
      .notNull()
      .references(() => units.id),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.candidateId, t.unitId] })],
);

/** The electorate when voting opened (SPC interpretation Art. 9, through app/voting/tally.ts electorate()). */
export const electionVoters = pgTable(
  "committee_election_voter",
  {
    electionId: uuid("election_id")
      .notNull()
      .references(() => committeeElections.id),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    voterId: text("voter_id").notNull(),
    areaCentiSqm: integer("area_centi_sqm").notNull(),
    unitIds: uuid("unit_ids").array().notNull(),
    ownerIds: uuid("owner_ids").array().notNull(),
    /** The voter's area in each zone (zone id → hundredths of m²), fixed at opening: who votes in which zone's race. */
    zoneAreas: jsonb("zone_areas").$type<Record<string, number>>(),
  },
  (t) => [
    primaryKey({ columns: [t.electionId, t.voterId] }),
    // The target of ballots' (election, voter, area) key: a ballot carries its voter's snapshot area.
    unique("committee_election_voter_area_key").on(t.electionId, t.voterId, t.areaCentiSqm),
    check("committee_election_voter_area", sql`${t.areaCentiSqm} > 0`),
  ],
);

/**
 * A paper ballot of an election: entered by one committee member or admin with the scan, and
 * counted only once a different one confirms it. "overridden": confirmed, but an online ballot
 * of the same voter wins (the estate's setting, as for proposals).
 */
export const electionPaperBallots = pgTable(
  "committee_election_paper_ballot",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    electionId: uuid("election_id").notNull(),
    unitId: uuid("unit_id")
      .notNull()
      .references(() => units.id),
    voterId: text("voter_id").notNull(),
    /** Candidate id → agree / oppose / abstain, as marked on the paper (a spoiled race's marks are not counted). */
    marks: jsonb("marks").$type<Record<string, "agree" | "oppose" | "abstain">>().notNull(),
    /** The races (zone id, or "X") this paper spoils (废票): over-marked, or unreadable. */
    spoiledRaces: text("spoiled_races")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    fileId: uuid("file_id")
      .notNull()
      .references(() => votingFiles.id),
    enteredBy: uuid("entered_by")
      .notNull()
      .references(() => users.id),
    enteredAt: timestamp("entered_at", { withTimezone: true }).notNull().defaultNow(),
    status: text("status").notNull().default("pending"),
    confirmedBy: uuid("confirmed_by").references(() => users.id),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  },
  (t) => [
    foreignKey({
      name: "committee_election_paper_voter_fk",
      columns: [t.electionId, t.voterId],
      foreignColumns: [electionVoters.electionId, electionVoters.voterId],
    }),
    uniqueIndex("committee_election_paper_one_live")
      .on(t.electionId, t.voterId)
      .where(sql`${t.status} <> 'rejected'`),
    check("committee_election_paper_status", sql`${t.status} in ('pending', 'counted', 'overridden', 'rejected')`),
    check(
      "committee_election_paper_second_member",
      sql`${t.confirmedBy} is null or ${t.confirmedBy} <> ${t.enteredBy}`,
    ),
    check("committee_election_paper_confirmed", sql`(${t.status} = 'pending') = (${t.confirmedBy} is null)`),
  ],
);

/**
 * One voter's ballot, hash-chained per election in cast order like proposal ballots
 * (app/voting/ledger.ts); a later one (where the estate allows changes) replaces it, both kept,
 * and names the receipt it replaces.
 */
export const electionBallots = pgTable(
  "committee_election_ballot",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    electionId: uuid("election_id").notNull(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    voterId: text("voter_id").notNull(),
    castBy: uuid("cast_by").references(() => users.id, { onDelete: "set null" }),
    /** online, paper (confirmed by a second member) or proxy (an approved authorisation). */
    channel: text("channel").$type<"online" | "paper" | "proxy">().notNull(),
    proxyId: uuid("proxy_id").references(() => proxies.id),
    paperBallotId: uuid("paper_ballot_id").references(() => electionPaperBallots.id),
    receipt: text("receipt").notNull().unique(),
    seq: integer("seq").notNull(),
    replaces: text("replaces"),
    areaCentiSqm: integer("area_centi_sqm").notNull(),
    castAt: timestamp("cast_at", { withTimezone: true }).notNull().defaultNow(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
    replacedAt: timestamp("replaced_at", { withTimezone: true }),
    /** The races this ballot spoils (paper only); its marks in them are not recorded. */
    spoiledRaces: text("spoiled_races")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
  },
  (t) => [
    uniqueIndex("committee_election_ballot_current")
      .on(t.electionId, t.voterId)
      .where(sql`${t.replacedAt} is null`),
    unique("committee_election_ballot_seq").on(t.electionId, t.seq),
    foreignKey({
      name: "committee_election_ballot_voter_fk",
      columns: [t.electionId, t.voterId],
      foreignColumns: [electionVoters.electionId, electionVoters.voterId],
    }),
    // The area a ballot weighs is its voter's area in the snapshot (as ballot_voter_area_fk for proposals).
    foreignKey({
      name: "committee_election_ballot_voter_area_fk",
      columns: [t.electionId, t.voterId, t.areaCentiSqm],
      foreignColumns: [electionVoters.electionId, electionVoters.voterId, electionVoters.areaCentiSqm],
    }),
    check("committee_election_ballot_channel", sql`${t.channel} in ('online', 'paper', 'proxy')`),
    check("committee_election_ballot_spoiled_paper", sql`cardinality(${t.spoiledRaces}) = 0 or ${t.channel} = 'paper'`),
    check(
      "committee_election_ballot_channel_link",
      sql`(${t.channel} = 'proxy') = (${t.proxyId} is not null) and (${t.channel} = 'paper') = (${t.paperBallotId} is not null)`,
    ),
  ],
);

/** A ballot's choice on one candidate; a candidate not marked counts as an abstention. */
export const electionMarks = pgTable(
  "committee_election_mark",
  {
    ballotId: uuid("ballot_id")
      .notNull()
      .references(() => electionBallots.id),
    candidateId: uuid("candidate_id")
      .notNull()
      .references(() => electionCandidates.id),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    choice: memberChoice("choice").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ballotId, t.candidateId] })],
);
