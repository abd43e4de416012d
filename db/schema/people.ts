import { sql } from "drizzle-orm";
import {
  boolean,
  check,
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
} from "drizzle-orm/pg-core";
import { communities, estates, units } from "./places";

export const users = pgTable(
  "user",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Lower-cased; null for an account signed up by phone without one. */
    email: text("email").unique(),
    /** Null for an account signed up by phone without a password: it logs in by SMS code. */
    passwordHash: text("password_hash"),
    displayName: text("display_name").notNull(),
    /**
     * Digits only, never shown in full. As given at sign-up it is unverified and used for nothing
     * but showing it to its owner; only a verified phone logs in or names a proxy.
     */
    phone: text("phone"),
    /** When the phone was verified (seeded from the roster, or by SMS once that exists); null: unverified. */
    phoneVerifiedAt: timestamp("phone_verified_at", { withTimezone: true }),
    locale: text("locale").notNull().default("zh-CN"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Set when the owner deleted the account: the row stays (anonymised) so ballots and payments keep their link. */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    // One account per verified phone; an unverified one claims nothing, so nobody can squat another's number.
    uniqueIndex("user_verified_phone")
      .on(t.phone)
      .where(sql`${t.phoneVerifiedAt} is not null`),
    check("user_phone_verified_has_phone", sql`${t.phoneVerifiedAt} is null or ${t.phone} is not null`),
    // Someone must be able to log in: by email (and password) or by a verified phone (and code).
    check(
      "user_reachable",
      sql`${t.deletedAt} is not null or ${t.email} is not null or ${t.phoneVerifiedAt} is not null`,
    ),
  ],
);

export const sessions = pgTable("session", {
  id: text("id").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
});

export const roles = [
  "owner",
  "resident",
  "committee",
  "property_staff",
  "community_admin",
  "platform_admin",
  // A deputy who is not an owner, seated as a non-voting observer: reads the committee's
  // records and attends its meetings; kept in step with the seats like "committee".
  "committee_observer",
] as const;
export type Role = (typeof roles)[number];
export const role = pgEnum("role", roles);

/**
 * A user's role in one estate (owner, resident, committee, property_staff), in one
 * community (community_admin), or everywhere (platform_admin: both scopes null).
 */
export const memberships = pgTable(
  "membership",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    estateId: uuid("estate_id").references(() => estates.id),
    communityId: uuid("community_id").references(() => communities.id),
    role: role("role").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("membership_once").on(t.userId, t.estateId, t.communityId, t.role).nullsNotDistinct(),
    index("membership_estate_idx").on(t.estateId),
    check(
      "membership_scope",
      sql`(${t.role} = 'platform_admin' and ${t.estateId} is null and ${t.communityId} is null)
        or (${t.role} = 'community_admin' and ${t.communityId} is not null and ${t.estateId} is null)
        or (${t.role} not in ('platform_admin', 'community_admin') and ${t.estateId} is not null and ${t.communityId} is null)`,
    ),
  ],
);

/** An owner as the roster lists them, with or without an account. */
export const owners = pgTable(
  "owner",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    name: text("name").notNull(),
    phone: text("phone"),
    /** A property certificate number the roster gave: it identifies a unit's title, never a person. */
    registerRef: text("register_ref"),
    /**
     * How the same person is recognised across units and re-imports (app/roster/identity.ts):
     * id:<HMAC of the ID number>, else name+phone, else name within one unit.
     */
    identityKey: text("identity_key").notNull(),
    /** The last 4 characters of the owner's ID number, the only part ever kept or shown (the rest is in the HMAC). */
    idTail: text("id_tail"),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
  },
  (t) => [unique("owner_identity").on(t.estateId, t.identityKey), index("owner_user_idx").on(t.userId)],
);

export const ownerships = pgTable(
  "ownership",
  {
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    unitId: uuid("unit_id")
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => owners.id, { onDelete: "cascade" }),
    /**
     * The co-owner the unit's co-owners named in writing to vote for it (estate setting
     * `coOwnersNameOne`), recorded by the committee; at most one per unit.
     */
    namedVoter: boolean("named_voter").notNull().default(false),
    namedBy: uuid("named_by").references(() => users.id, { onDelete: "set null" }),
    namedAt: timestamp("named_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.unitId, t.ownerId] }),
    index("ownership_owner_idx").on(t.ownerId),
    uniqueIndex("ownership_one_named_voter")
      .on(t.unitId)
      .where(sql`${t.namedVoter}`),
  ],
);

export const residentRelation = pgEnum("resident_relation", ["family", "tenant"]);

export const residents = pgTable(
  "resident",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    unitId: uuid("unit_id")
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    relation: residentRelation("relation").notNull(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("resident_once").on(t.unitId, t.userId)],
);

export const residentInvites = pgTable("resident_invite", {
  id: uuid("id").primaryKey().defaultRandom(),
  estateId: uuid("estate_id")
    .notNull()
    .references(() => estates.id),
  unitId: uuid("unit_id")
    .notNull()
    .references(() => units.id, { onDelete: "cascade" }),
  relation: residentRelation("relation").notNull(),
  /** SHA-256 of the token in the link; the link itself is shown once to the inviting owner. */
  tokenHash: text("token_hash").notNull().unique(),
  createdBy: uuid("created_by")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const claimStatus = pgEnum("claim_status", ["pending", "approved", "rejected"]);

/** A claim whose name did not match the roster, waiting for a committee member or admin. */
export const claimRequests = pgTable(
  "claim_request",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    unitId: uuid("unit_id")
      .notNull()
      .references(() => units.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    nameGiven: text("name_given").notNull(),
    status: claimStatus("status").notNull().default("pending"),
    /** The roster owner the request was approved as. */
    ownerId: uuid("owner_id").references(() => owners.id, { onDelete: "set null" }),
    reason: text("reason"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("claim_request_estate_idx").on(t.estateId, t.status),
    uniqueIndex("claim_request_one_pending")
      .on(t.unitId, t.userId)
      .where(sql`${t.status} = 'pending'`),
    // Four eyes: nobody decides their own request (a trigger in the migration also keeps the unit's owners out).
    check("claim_request_not_own", sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.userId}`),
  ],
);

/** Login and claim-code attempts, counted in the database so limits hold across app instances. */
export const attempts = pgTable(
  "attempt",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    accountKey: text("account_key").notNull(),
    ip: text("ip").notNull(),
    succeeded: boolean("succeeded").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("attempt_account_idx").on(t.kind, t.accountKey, t.createdAt),
    index("attempt_ip_idx").on(t.kind, t.ip, t.createdAt),
  ],
);

export const rosterImports = pgTable(
  "roster_import",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    fileName: text("file_name").notNull(),
    status: text("status").notNull().default("preview"),
    /** Parsed, validated rows (ID numbers only as keyed hashes and last 4 characters); applied as they are on confirmation. */
    rows: jsonb("rows").notNull(),
    /** The legal basis relied on for the file's ID numbers (roster-fields.ts idBases); null when it has none. */
    idBasis: text("id_basis"),
    summary: jsonb("summary").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    appliedAt: timestamp("applied_at", { withTimezone: true }),
  },
  (t) => [
    check("roster_import_id_basis", sql`${t.idBasis} is null or ${t.idBasis} in ('consent', 'contract', 'legalDuty')`),
  ],
);

export const smsCodePurposes = ["signup", "login", "reset", "change_number"] as const;
export type SmsCodePurpose = (typeof smsCodePurposes)[number];
export const smsCodePurpose = pgEnum("sms_code_purpose", smsCodePurposes);

/**
 * A 6-digit code sent by SMS (app/auth/sms-codes.server.ts). Only an HMAC of it is kept, keyed
 * from SESSION_SECRET. One live code per number and purpose: a new one closes the old.
 */
export const smsCodes = pgTable(
  "sms_code",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Digits, as normalisePhone gives them. */
    phone: text("phone").notNull(),
    purpose: smsCodePurpose("purpose").notNull(),
    codeHmac: text("code_hmac").notNull(),
    /** Checks made against it, right or wrong; the sixth is refused. */
    tries: integer("tries").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** Used (a right guess) or replaced by a newer code: either way it checks nothing any more. */
    closedAt: timestamp("closed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sms_code_live")
      .on(t.phone, t.purpose)
      .where(sql`${t.closedAt} is null`),
  ],
);
