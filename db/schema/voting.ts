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
  type AnyPgColumn,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { owners, users } from "./people";
import { estates } from "./places";
// Used only inside lazy references (committee.ts refers back to proxies and files).
import { committeeElections, electionVoters } from "./committee";
import { boardNotices } from "./board";

/** Civil Code Art. 278's list of matters for the owners' joint decision. */
export const proposalTypes = [
  "rules_of_procedure", // 制定和修改业主大会议事规则
  "management_covenant", // 制定和修改管理规约
  "committee_election", // 选举业主委员会或者更换业主委员会成员
  "property_company", // 选聘和解聘物业服务企业或者其他管理人
  "fund_use", // 使用建筑物及其附属设施的维修资金
  "fund_raise", // 筹集建筑物及其附属设施的维修资金
  "rebuild_renovate", // 改建、重建建筑物及其附属设施
  "common_parts_use", // 改变共有部分的用途或者利用共有部分从事经营活动
  "other_major", // 有关共有和共同管理权利的其他重大事项
] as const;
export type ProposalType = (typeof proposalTypes)[number];
export const proposalType = pgEnum("proposal_type", proposalTypes);

export const matter = pgEnum("matter", ["ordinary", "major"]);

export const proposalStatuses = ["draft", "comment", "voting", "closed", "published", "carried_out"] as const;
export type ProposalStatus = (typeof proposalStatuses)[number];
export const proposalStatus = pgEnum("proposal_status", proposalStatuses);

/** "spoiled" (废票) only on paper: the ballot table's ballot_spoiled_paper check. */
export const choice = pgEnum("choice", ["agree", "oppose", "abstain", "spoiled"]);
export const ballotChannel = pgEnum("ballot_channel", ["online", "paper", "proxy"]);

/** The rules a vote runs under, fixed when it opens (later changes to the estate's settings don't apply). */
export interface VoteRules {
  ballotsChangeable: boolean;
  paperOnlineConflict: "online" | "paper";
  votingUnitKinds: string[];
  /** Whether spoiled ballots take part (absent in rules fixed before the setting: they did). */
  spoiledTakesPart?: boolean;
  /** Whether only the co-owner named on the roster casts online for a co-owned unit (absent: any co-owner). */
  coOwnersNameOne?: boolean;
}

export const petitions = pgTable(
  "petition",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** When the signers first held 20% of the area and 20% of the headcount. */
    dueAt: timestamp("due_at", { withTimezone: true }),
    /** The proposal the committee drafted from it (scheduled). */
    proposalId: uuid("proposal_id"),
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }),
  },
  (t) => [index("petition_estate_idx").on(t.estateId, t.createdAt)],
);

export const petitionSignatures = pgTable(
  "petition_signature",
  {
    petitionId: uuid("petition_id")
      .notNull()
      .references(() => petitions.id, { onDelete: "cascade" }),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    signedAt: timestamp("signed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.petitionId, t.userId] })],
);

export const proposals = pgTable(
  "proposal",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    title: text("title").notNull(),
    /** Markdown, sanitised when rendered. */
    body: text("body").notNull(),
    type: proposalType("type").notNull(),
    matter: matter("matter").notNull(),
    status: proposalStatus("status").notNull().default("draft"),
    commentEndsAt: timestamp("comment_ends_at", { withTimezone: true }).notNull(),
    votingStartsAt: timestamp("voting_starts_at", { withTimezone: true }).notNull(),
    votingEndsAt: timestamp("voting_ends_at", { withTimezone: true }).notNull(),
    petitionId: uuid("petition_id").references(() => petitions.id),
    /** The buildings whose owners decide (app/voting/engine/electorate.server.ts); null: the whole estate. Fixed with the draft. */
    scopeBuildingIds: uuid("scope_building_ids").array(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    commentOpenedAt: timestamp("comment_opened_at", { withTimezone: true }),
    openedAt: timestamp("opened_at", { withTimezone: true }),
    openedBy: uuid("opened_by").references(() => users.id, { onDelete: "set null" }),
    rules: jsonb("rules").$type<VoteRules>(),
    /**
     * How many owners one person may hold authorisations for in this vote, fixed when it opens;
     * null before then (the estate's current setting applies). Enforced by the proxy_holder_cap trigger.
     */
    proxyCap: integer("proxy_cap"),
    /** The hash chain over this vote's ballots: the last sequence number and hash. */
    chainSeq: integer("chain_seq").notNull().default(0),
    chainHead: text("chain_head"),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    closedBy: uuid("closed_by").references(() => users.id, { onDelete: "set null" }),
    /** The Tally (app/voting/tally.ts) computed at closing. */
    result: jsonb("result"),
    finalHash: text("final_hash"),
    /** End (exclusive) of the query period (询异) after the preliminary result, set at close. */
    queryEndsAt: timestamp("query_ends_at", { withTimezone: true }),
    /** When the final result was posted; the decision takes effect from then. */
    effectiveAt: timestamp("effective_at", { withTimezone: true }),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    publicityEndsAt: timestamp("publicity_ends_at", { withTimezone: true }),
    carriedOutAt: timestamp("carried_out_at", { withTimezone: true }),
    carriedOutBy: uuid("carried_out_by").references(() => users.id, { onDelete: "set null" }),
    carriedOutRecord: text("carried_out_record"),
    lastReminderAt: timestamp("last_reminder_at", { withTimezone: true }),
    /** The vote notice (表决公告) on the board, and when it was posted: voting opens only once it has run its days. */
    noticeId: uuid("notice_id").references(() => boardNotices.id),
    noticedAt: timestamp("noticed_at", { withTimezone: true }),
  },
  (t) => [
    index("proposal_estate_idx").on(t.estateId, t.status, t.createdAt),
    check("proposal_notice_pair", sql`(${t.noticeId} is null) = (${t.noticedAt} is null)`),
    check(
      "proposal_matter_fixed_by_type",
      sql`${t.matter} = (case when ${t.type} in ('fund_raise', 'rebuild_renovate', 'common_parts_use') then 'major' else 'ordinary' end)::matter`,
    ),
    check(
      "proposal_window_order",
      sql`${t.commentEndsAt} <= ${t.votingStartsAt} and ${t.votingStartsAt} < ${t.votingEndsAt}`,
    ),
    check("proposal_chain_seq", sql`${t.chainSeq} >= 0`),
    check("proposal_proxy_cap", sql`${t.proxyCap} is null or ${t.proxyCap} >= 1`),
    check("proposal_scope_not_empty", sql`cardinality(${t.scopeBuildingIds}) > 0`),
  ],
);

export const fileKind = pgEnum("voting_file_kind", ["proposal", "proxy", "paper"]);

/** An uploaded file (PDF or image) of a proposal or a committee election; the bytes are in the file store under storage_key. */
export const votingFiles = pgTable(
  "voting_file",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    proposalId: uuid("proposal_id").references(() => proposals.id),
    electionId: uuid("election_id").references(() => committeeElections.id),
    kind: fileKind("kind").notNull(),
    storageKey: text("storage_key").notNull().unique(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("voting_file_proposal_idx").on(t.proposalId, t.kind),
    index("voting_file_election_idx").on(t.electionId, t.kind),
    check("voting_file_size", sql`${t.sizeBytes} > 0`),
    check("voting_file_one_vote", sql`num_nonnulls(${t.proposalId}, ${t.electionId}) = 1`),
  ],
);

export const proposalComments = pgTable(
  "proposal_comment",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    proposalId: uuid("proposal_id")
      .notNull()
      .references(() => proposals.id),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("proposal_comment_idx").on(t.proposalId, t.createdAt)],
);

/** The electorate as it stood when the vote opened: one row per voter (SPC interpretation Art. 9). */
export const voteVoters = pgTable(
  "vote_voter",
  {
    proposalId: uuid("proposal_id")
      .notNull()
      .references(() => proposals.id),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    voterId: text("voter_id").notNull(),
    areaCentiSqm: integer("area_centi_sqm").notNull(),
    headcount: integer("headcount").notNull().default(1),
    unitIds: uuid("unit_ids").array().notNull(),
    ownerIds: uuid("owner_ids").array().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.proposalId, t.voterId] }),
    // The target of ballots' (proposal, voter, area) key: a ballot carries its voter's snapshot area.
    unique("vote_voter_area_key").on(t.proposalId, t.voterId, t.areaCentiSqm),
    check("vote_voter_area", sql`${t.areaCentiSqm} > 0`),
    check("vote_voter_headcount", sql`${t.headcount} = 1`),
  ],
);

/** The units of the snapshot, for turnout by building and the list of units not yet voted. */
export const voteUnits = pgTable(
  "vote_unit",
  {
    proposalId: uuid("proposal_id")
      .notNull()
      .references(() => proposals.id),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    unitId: uuid("unit_id").notNull(),
    voterId: text("voter_id").notNull(),
    buildingName: text("building_name").notNull(),
    unitNumber: text("unit_number").notNull(),
    areaCentiSqm: integer("area_centi_sqm").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.proposalId, t.unitId] }),
    index("vote_unit_voter_idx").on(t.proposalId, t.voterId),
    foreignKey({
      name: "vote_unit_voter_fk",
      columns: [t.proposalId, t.voterId],
      foreignColumns: [voteVoters.proposalId, voteVoters.voterId],
    }),
  ],
);

export const proxyStatus = pgEnum("proxy_status", ["pending", "approved", "rejected"]);

/** An owner's written authorisation for another person to vote for them in one vote: a proposal's, or a committee election. */
export const proxies = pgTable(
  "proxy_authorisation",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    proposalId: uuid("proposal_id").references(() => proposals.id),
    electionId: uuid("election_id").references(() => committeeElections.id),
    grantorOwnerId: uuid("grantor_owner_id")
      .notNull()
      .references(() => owners.id),
    grantorUserId: uuid("grantor_user_id")
      .notNull()
      .references(() => users.id),
    proxyUserId: uuid("proxy_user_id")
      .notNull()
      .references(() => users.id),
    /** The name written on the authorisation. */
    proxyName: text("proxy_name").notNull(),
    fileId: uuid("file_id")
      .notNull()
      .references(() => votingFiles.id),
    status: proxyStatus("status").notNull().default("pending"),
    decidedBy: uuid("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    reason: text("reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("proxy_proposal_idx").on(t.proposalId, t.status),
    uniqueIndex("proxy_one_live")
      .on(t.proposalId, t.grantorOwnerId)
      .where(sql`${t.status} <> 'rejected'`),
    index("proxy_election_idx").on(t.electionId, t.status),
    uniqueIndex("proxy_one_live_election")
      .on(t.electionId, t.grantorOwnerId)
      .where(sql`${t.status} <> 'rejected'`),
    check("proxy_one_vote", sql`num_nonnulls(${t.proposalId}, ${t.electionId}) = 1`),
    check("proxy_not_self", sql`${t.proxyUserId} <> ${t.grantorUserId}`),
    check("proxy_not_self_approved", sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.grantorUserId}`),
    check("proxy_not_holder_approved", sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.proxyUserId}`),
  ],
);

export const paperStatus = pgEnum("paper_ballot_status", ["pending", "counted", "overridden", "rejected"]);

/**
 * A paper ballot: entered by one committee member, confirmed by a different one before it
 * counts. "overridden": confirmed, but an online ballot of the same voter wins (estate setting).
 */
export const paperBallots = pgTable(
  "paper_ballot",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    proposalId: uuid("proposal_id")
      .notNull()
      .references(() => proposals.id),
    unitId: uuid("unit_id").notNull(),
    voterId: text("voter_id").notNull(),
    choice: choice("choice").notNull(),
    fileId: uuid("file_id")
      .notNull()
      .references(() => votingFiles.id),
    enteredBy: uuid("entered_by")
      .notNull()
      .references(() => users.id),
    enteredAt: timestamp("entered_at", { withTimezone: true }).notNull().defaultNow(),
    status: paperStatus("status").notNull().default("pending"),
    confirmedBy: uuid("confirmed_by").references(() => users.id),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  },
  (t) => [
    foreignKey({
      name: "paper_ballot_voter_fk",
      columns: [t.proposalId, t.voterId],
      foreignColumns: [voteVoters.proposalId, voteVoters.voterId],
    }),
    uniqueIndex("paper_ballot_one_live")
      .on(t.proposalId, t.voterId)
      .where(sql`${t.status} <> 'rejected'`),
    check("paper_ballot_second_member", sql`${t.confirmedBy} is null or ${t.confirmedBy} <> ${t.enteredBy}`),
    check("paper_ballot_confirmed", sql`(${t.status} = 'pending') = (${t.confirmedBy} is null)`),
  ],
);

/**
 * Ballots, hash-chained per vote in cast order. A voter has at most one current ballot
 * (superseded = false), enforced by the partial unique index; a replacement marks the
 * earlier one superseded and names its receipt in `replaces`.
 */
export const ballots = pgTable(
  "ballot",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    proposalId: uuid("proposal_id")
      .notNull()
      .references(() => proposals.id),
    voterId: text("voter_id").notNull(),
    choice: choice("choice").notNull(),
    channel: ballotChannel("channel").notNull(),
    /** Who cast it: the owner, their proxy, or the member who confirmed a paper ballot. */
    castBy: uuid("cast_by")
      .notNull()
      .references(() => users.id),
    proxyId: uuid("proxy_id").references(() => proxies.id),
    paperBallotId: uuid("paper_ballot_id").references(() => paperBallots.id),
    receipt: text("receipt").notNull().unique(),
    seq: integer("seq").notNull(),
    replaces: text("replaces"),
    areaCentiSqm: integer("area_centi_sqm").notNull(),
    headcount: integer("headcount").notNull(),
    castAt: timestamp("cast_at", { withTimezone: true }).notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
    superseded: boolean("superseded").notNull().default(false),
    supersededAt: timestamp("superseded_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("ballot_one_current")
      .on(t.proposalId, t.voterId)
      .where(sql`not ${t.superseded}`),
    unique("ballot_seq").on(t.proposalId, t.seq),
    index("ballot_cast_by_idx").on(t.castBy),
    foreignKey({
      name: "ballot_voter_fk",
      columns: [t.proposalId, t.voterId],
      foreignColumns: [voteVoters.proposalId, voteVoters.voterId],
    }),
    // The area a ballot weighs is its voter's area in the snapshot, so the count can read ballots alone.
    foreignKey({
      name: "ballot_voter_area_fk",
      columns: [t.proposalId, t.voterId, t.areaCentiSqm],
      foreignColumns: [voteVoters.proposalId, voteVoters.voterId, voteVoters.areaCentiSqm],
    }),
    check("ballot_headcount", sql`${t.headcount} = 1`),
    check(
      "ballot_channel_link",
      sql`(${t.channel} = 'proxy') = (${t.proxyId} is not null) and (${t.channel} = 'paper') = (${t.paperBallotId} is not null)`,
    ),
    // Compared as text: the enum's new value cannot be named in the migration that adds it.
    check("ballot_spoiled_paper", sql`${t.choice}::text <> 'spoiled' or ${t.channel} = 'paper'`),
  ],
);

/**
 * The ballot-box log: a paper ballot received while the window is open, logged by unit by one
 * committee member and witnessed by a second (DESIGN.md "The window binds every channel"). After
 * the window's end only a logged-and-witnessed ballot may be entered and confirmed, and a vote
 * (proposal or election) cannot close while such a ballot has no confirmed or rejected paper
 * ballot. An unwitnessed entry made by mistake is withdrawn, never deleted.
 */
export const ballotBoxEntries = pgTable(
  "ballot_box_entry",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    proposalId: uuid("proposal_id").references(() => proposals.id),
    electionId: uuid("election_id").references(() => committeeElections.id),
    unitId: uuid("unit_id").notNull(),
    /** The unit's voter in the vote's snapshot: one ballot per voter, whichever of their units it names. */
    voterId: text("voter_id").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    loggedBy: uuid("logged_by")
      .notNull()
      .references(() => users.id),
    witnessedBy: uuid("witnessed_by").references(() => users.id),
    witnessedAt: timestamp("witnessed_at", { withTimezone: true }),
    withdrawnBy: uuid("withdrawn_by").references(() => users.id),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("ballot_box_one_live")
      .on(t.proposalId, t.voterId)
      .where(sql`${t.withdrawnAt} is null`),
    uniqueIndex("ballot_box_one_live_election")
      .on(t.electionId, t.voterId)
      .where(sql`${t.withdrawnAt} is null`),
    foreignKey({
      name: "ballot_box_proposal_unit_fk",
      columns: [t.proposalId, t.unitId],
      foreignColumns: [voteUnits.proposalId, voteUnits.unitId],
    }),
    foreignKey({
      name: "ballot_box_proposal_voter_fk",
      columns: [t.proposalId, t.voterId],
      foreignColumns: [voteVoters.proposalId, voteVoters.voterId],
    }),
    foreignKey({
      name: "ballot_box_election_voter_fk",
      columns: [t.electionId, t.voterId],
      foreignColumns: [electionVoters.electionId, electionVoters.voterId],
    }),
    check("ballot_box_one_vote", sql`num_nonnulls(${t.proposalId}, ${t.electionId}) = 1`),
    check("ballot_box_second_member", sql`${t.witnessedBy} is null or ${t.witnessedBy} <> ${t.loggedBy}`),
    check("ballot_box_witnessed", sql`(${t.witnessedBy} is null) = (${t.witnessedAt} is null)`),
    check("ballot_box_withdrawn", sql`(${t.withdrawnBy} is null) = (${t.withdrawnAt} is null)`),
    check("ballot_box_withdrawn_unwitnessed", sql`${t.withdrawnAt} is null or ${t.witnessedAt} is null`),
    check("ballot_box_witnessed_after", sql`${t.witnessedAt} is null or ${t.witnessedAt} >= ${t.receivedAt}`),
  ],
);

/**
 * A correction of a closed vote's result during its query period, made only through the
 * engine: one committee member states the reason, a second confirms, and the result is
 * recounted from the ballots as they then stand (e.g. a logged paper ballot wrongly left out,
 * entered and confirmed after close). The counts before and after are kept and shown.
 */
export const voteCorrections = pgTable(
  "vote_correction",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    proposalId: uuid("proposal_id").references(() => proposals.id),
    electionId: uuid("election_id").references((): AnyPgColumn => committeeElections.id),
    reason: text("reason").notNull(),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
    confirmedBy: uuid("confirmed_by").references(() => users.id, { onDelete: "set null" }),
    confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [
    index("vote_correction_vote_idx").on(t.proposalId, t.electionId, t.requestedAt),
    check("vote_correction_one_vote", sql`(${t.proposalId} is null) <> (${t.electionId} is null)`),
    check("vote_correction_four_eyes", sql`${t.confirmedBy} is null or ${t.confirmedBy} <> ${t.requestedBy}`),
    check("vote_correction_confirmed", sql`(${t.confirmedBy} is null) = (${t.confirmedAt} is null)`),
  ],
);
