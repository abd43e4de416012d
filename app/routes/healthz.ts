import { sql } from "drizzle-orm";
import { getDb } from "#db/client";

/** For load balancers: 200 when the database answers, 503 when it does not. */
export async function loader() {
  try {
    await getDb().execute(sql`select 1`);
    return new Response("ok", { headers: { "Cache-Control": "no-store" } });
  } catch {
    return new Response("database unavailable", {
      status: 503,
      headers: { "Cache-Control": "no-store", "Retry-After": "5" },
    });
  }
}
