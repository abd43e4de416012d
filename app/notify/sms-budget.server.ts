import { sql } from "drizzle-orm";
import { getDb, type Queryable } from "#db/client";
import { beijingMonth } from "~/lib/time";
import { enqueue, rowsOf } from "./outbox.server";

/**
 * The estate's monthly SMS budget is used up: its staff (the property company's staff, who send
 * most notices, and the community admins, who can raise the budget in the estate settings) are
 * told in the site and by mail, once a Beijing month (the idempotency key names the month).
 */
export async function smsBudgetReached(estateId: string, now = new Date(), db: Queryable = getDb()): Promise<number> {
  const month = beijingMonth(now);
  return db.transaction(async (tx) => {
    const staff = rowsOf<{ user_id: string; budget: number; slug: string }>(
      await tx.execute(sql`
        select distinct m.user_id, e.sms_monthly_budget as budget, e.slug
          from estate e
          join membership m
            on (m.role = 'property_staff' and m.estate_id = e.id)
            or (m.role = 'community_admin' and m.community_id = e.community_id)
         where e.id = ${estateId}`),
    );
    const { notices } = await enqueue(
      tx,
      staff.map((s) => ({
        template: "sms-budget-reached" as const,
        userId: s.user_id,
        estateId,
        idempotencyKey: `sms-budget:${estateId}:${month}`,
        props: { budget: Number(s.budget), month, path: `/e/${s.slug}/settings` },
      })),
    );
    return notices;
  });
}
