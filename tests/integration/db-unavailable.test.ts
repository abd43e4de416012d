import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { connectPostgres, getDb, isDatabaseUnavailable } from "#db/client";

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the query to fail");
}

describe("isDatabaseUnavailable (the server's 503 rule)", () => {
  it("is true for a database nobody answers on, through drizzle's wrapping", async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    const handle = connectPostgres("postgres://postgres@127.0.0.1:9/nowhere", { max: 1 });
    try {
      expect(isDatabaseUnavailable(await errorOf(() => handle.db.execute(sql`select 1`)))).toBe(true);
      expect(isDatabaseUnavailable(await errorOf(() => handle.db.transaction((tx) => tx.execute(sql`select 1`))))).toBe(
        true,
      );
    } finally {
      await handle.close();
    }
  });

  it("is false for queries that fail on a database that answers", async () => {
    expect(isDatabaseUnavailable(await errorOf(() => getDb().execute(sql`select 1 / 0`)))).toBe(false);
    expect(isDatabaseUnavailable(await errorOf(() => getDb().execute(sql`select * from no_such_table`)))).toBe(false);
    expect(isDatabaseUnavailable(new Error("plain"))).toBe(false);
  });
});
