import { getDb, schema, type Queryable } from "#db/client";
import { restDayTableOf, type RestDayTable } from "~/lib/calendar";

const { restDayOverrides, restDayYears } = schema;

/*
 * The platform's rest days (holidays and make-up working days, db/schema/calendar.ts) for the
 * legal clocks of app/lib/calendar.ts. The admin edits them through app/calendar.
 *
 * Every legal clock reads the table, so it is cached; an edit drops the cache at once, and
 * another server process sees the edit within the cache's lifetime (the admin edits the table a
 * few times a year, weeks before the dates it changes).
 */
const cacheMs = 5 * 60_000;
let cache = new WeakMap<object, { table: RestDayTable; at: number }>();

/** Drops the cached tables (after an edit; tests that write the table directly). */
export function invalidateRestDays(): void {
  cache = new WeakMap();
}

/** The platform's rest-day table (holidays, make-up working days, the years entered). */
export async function restDayTable(db: Queryable = getDb()): Promise<RestDayTable> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < cacheMs) return hit.table;
  const [rows, years] = await Promise.all([
    db.select({ date: restDayOverrides.date, kind: restDayOverrides.kind }).from(restDayOverrides),
    db.select({ year: restDayYears.year }).from(restDayYears),
  ]);
  const table = restDayTableOf(
    rows,
    years.map((y) => String(y.year)),
  );
  cache.set(db, { table, at: Date.now() });
  return table;
}
