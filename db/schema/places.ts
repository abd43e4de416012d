import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { unitKinds } from "../values";

export { unitKinds };

export const unitKind = pgEnum("unit_kind", unitKinds);
export type UnitKind = (typeof unitKind.enumValues)[number];

export const subDistricts = pgTable("sub_district", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
});

export const communities = pgTable("community", {
  id: uuid("id").primaryKey().defaultRandom(),
  subDistrictId: uuid("sub_district_id")
    .notNull()
    .references(() => subDistricts.id),
  name: text("name").notNull(),
});

/**
 * The estate's rules of procedure, as JSON. Their keys, defaults and validation are in
 * app/estates/procedure.ts, and the app reads them only through its `estateSettings` (which fills
 * missing keys with the defaults). This literal is the column's default as migrated; it is not
 * where the app's defaults live.
 */
export type StoredEstateSettings = Record<string, unknown>;
const settingsColumnDefault: StoredEstateSettings = {
  votingUnitKinds: ["residential", "commercial", "parking", "storage"],
  ballotsChangeable: true,
  paperOnlineConflict: "online",
  ballotListAccess: "verified_owners",
};

export const estates = pgTable("estate", {
  id: uuid("id").primaryKey().defaultRandom(),
  communityId: uuid("community_id")
    .notNull()
    .references(() => communities.id),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  settings: jsonb("settings").$type<StoredEstateSettings>().notNull().default(settingsColumnDefault),
  /** Notice SMS per Beijing calendar month (sms_message.budgeted); over it they stop. Codes and fingerprints never do. */
  smsMonthlyBudget: integer("sms_monthly_budget").notNull().default(1000),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const buildings = pgTable(
  "building",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    name: text("name").notNull(),
  },
  (t) => [unique("building_estate_name").on(t.estateId, t.name)],
);

export const units = pgTable(
  "unit",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    buildingId: uuid("building_id")
      .notNull()
      .references(() => buildings.id),
    number: text("number").notNull(),
    floor: integer("floor").notNull(),
    kind: unitKind("kind").notNull(),
    /** Exclusive area (专有部分面积) in hundredths of a square metre. */
    areaCentiSqm: integer("area_centi_sqm").notNull(),
    developerUnsold: boolean("developer_unsold").notNull().default(false),
    claimCode: text("claim_code").notNull().unique(),
    claimCodeIssuedAt: timestamp("claim_code_issued_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("unit_building_number").on(t.buildingId, t.number),
    index("unit_estate_idx").on(t.estateId),
    check("unit_area_positive", sql`${t.areaCentiSqm} > 0`),
  ],
);
