import { sql } from "drizzle-orm";
import type { Queryable } from "#db/client";
import { isTemplateName, templates, type StoredProps, type TemplateName, type Templates } from "./templates.server";

/**
 * One notice to one user. `idempotencyKey` names the event (e.g. `vote-opened:<vote id>`):
 * queuing the same key for the same user again does nothing, so a retried request or a
 * re-run job never mails a person twice. Estate mail carries the estate's id.
 */
export type Notice = {
  [K in TemplateName]: {
    template: K;
    userId: string;
    props: StoredProps<K>;
    idempotencyKey: string;
  } & (Templates[K]["scope"] extends "estate" ? { estateId: string } : { estateId?: null });
}[TemplateName];

/** Rows from `db.execute`: postgres.js returns an array, PGlite an object with rows. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Queues notices inside the caller's transaction: the change and its notices commit together
 * or not at all. One statement for any number of recipients: an outbox row per person who
 * wants this category by email (security mail always), and an in-app notice for everyone.
 */
export async function enqueue(tx: Queryable, notices: readonly Notice[]): Promise<{ mails: number; notices: number }> {
  if (notices.length === 0) return { mails: 0, notices: 0 };
  const input = notices.map((n) => {
    if (!isTemplateName(n.template)) throw new Error(`unknown template: ${String(n.template)}`);
    const entry = templates[n.template];
    if (entry.scope === "estate" && !n.estateId) throw new Error(`${n.template} needs an estateId`);
    if (!n.idempotencyKey) throw new Error("idempotencyKey is required");
    return { u: n.userId, e: n.estateId ?? null, c: entry.template.category, t: n.template, p: n.props, k: n.idempotencyKey, a: entry.inApp };
  });
  const result = await tx.execute(sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
        as x(u uuid, e uuid, c notify_category, t text, p jsonb, k text, a boolean)
    ),
    mail as (
      insert into outbox (idempotency_key, user_id, estate_id, category, template, props)
      select x.k, x.u, x.e, x.c, x.t, x.p
      from input x
      left join notification_preference pref on pref.user_id = x.u and pref.category = x.c
      where x.c = 'security' or coalesce(pref.email, true)
      on conflict (idempotency_key, user_id) do nothing
      returning 1
    ),
    in_app as (
      insert into notification (idempotency_key, user_id, estate_id, category, template, props)
      select x.k, x.u, x.e, x.c, x.t, x.p from input x where x.a
      on conflict (idempotency_key, user_id) do nothing
      returning 1
    )
    select (select count(*) from mail)::int as mails, (select count(*) from in_app)::int as notices
  `);
  const [counts] = rowsOf<{ mails: number; notices: number }>(result);
  return { mails: Number(counts.mails), notices: Number(counts.notices) };
}
