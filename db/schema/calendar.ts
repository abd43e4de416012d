import { check, date, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { users } from "./people";
import { restDayKinds } from "../values";

export const restDayKind = pgEnum("rest_day_kind", restDayKinds);

/**
 * The State Council's holiday arrangement, one row per date that differs from the plain week:
 * a holiday (a weekday off, or a weekend day folded into a holiday) or a make-up working day
 * (a weekend day worked). Every legal deadline is moved past rest days with it
 * (app/lib/calendar.ts). The platform admin keeps it (/admin/calendar); the migration seeds the
 * published years from db/data/holidays-cn.json.
 */
export const restDayOverrides = pgTable(
  "rest_day_override",
  {
    date: date("date", { mode: "string" }).primaryKey(),
    kind: restDayKind("kind").notNull(),
    /** The holiday's name (春节); null for a make-up working day or a seeded row without one. */
    name: text("name"),
    /** Null for the seeded rows. */
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("rest_day_override_name_len", sql`char_length(${t.name}) <= 40`)],
);

/**
 * The years whose arrangement the platform admin has entered (or the migration seeded): a year
 * with no holiday at all is still "entered" once confirmed, and a year not here is one the
 * admin page asks for.
 */
export const restDayYears = pgTable(
  "rest_day_year",
  {
    year: integer("year").primaryKey(),
    /** Null for the seeded years. */
    enteredBy: uuid("entered_by").references(() => users.id, { onDelete: "set null" }),
    enteredAt: timestamp("entered_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("rest_day_year_range", sql`${t.year} between 2000 and 2200`)],
);
