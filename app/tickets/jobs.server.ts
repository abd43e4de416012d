import { sql } from "drizzle-orm";
import { getDb, type Db } from "#db/client";
import { enqueue, rowsOf, type Notice } from "~/notify/outbox.server";
import { confirmDays } from "./sla";
import { summaryOf, ts } from "./tickets.server";
import { runEvery, type Periodic } from "~/lib/periodic.server";

/*
 * The ticket clocks' background work: escalate overdue tickets to the committee, and close
 * resolutions the filer left unconfirmed for 7 days. Each is one set-based UPDATE … RETURNING
 * in a transaction with its timeline events and notices, so any number of copies may run at
 * once: a row updated by one copy no longer matches the other's WHERE (PostgreSQL re-checks it
 * after the row lock), so nothing is escalated or closed twice, and the outbox's idempotency
 * keys would stop a second mail anyway.
 */

interface Row {
  id: string;
  estate_id: string;
  seq: number;
  category: string;
  description: string;
  filer_id: string;
  assignee_id: string | null;
  slug: string;
  reason?: string;
  event_id: string;
}

function notice(r: Row, step: "escalated" | "auto_closed", userId: string): Notice {
  return {
    template: "ticket-update",
    userId,
    estateId: r.estate_id,
    idempotencyKey: `ticket:${r.id}:${r.event_id}`,
    props: {
      seq: r.seq,
      category: r.category as never,
      step,
      summary: summaryOf(r.description),
      note: "",
      path: `/e/${r.slug}/tickets/${r.id}`,
    },
  };
}

/** Escalates every overdue ticket not escalated yet (at most `limit` per call); tells the committee, the filer and the staff. */
export async function escalateOverdue(
  now: Date = new Date(),
  options: { db?: Db; limit?: number } = {},
): Promise<number> {
  const db = options.db ?? getDb();
  return db.transaction(async (tx) => {
    const result = await tx.execute(sql`
      with due as (
        select id from ticket
        where escalated_at is null and status in ('open', 'acknowledged')
          and ((status = 'open' and response_due_at < ${ts(now)}) or resolution_due_at < ${ts(now)})
        order by resolution_due_at
        limit ${options.limit ?? 500}
        for update skip locked
      ),
      up as (
        update ticket t
        set escalated_at = ${ts(now)},
            escalation_reason = case when t.status = 'open' and t.response_due_at < ${ts(now)} then 'response' else 'resolution' end
        from due where t.id = due.id
        returning t.id, t.estate_id, t.seq, t.category::text as category, t.description, t.filer_id, t.assignee_id, t.escalation_reason
      ),
      ev as (
        insert into ticket_event (estate_id, ticket_id, kind, actor_id, detail, at)
        select up.estate_id, up.id, 'escalated', null, jsonb_build_object('reason', up.escalation_reason), ${ts(now)} from up
        returning id, ticket_id
      )
      select up.id, up.estate_id, up.seq, up.category, up.description, up.filer_id, up.assignee_id, up.escalation_reason as reason, e.slug, ev.id as event_id
      from up join ev on ev.ticket_id = up.id join estate e on e.id = up.estate_id
    `);
    const rows = rowsOf<Row>(result);
    if (rows.length === 0) return 0;
    const estateIds = [...new Set(rows.map((r) => r.estate_id))];
    const members = rowsOf<{ estate_id: string; user_id: string; role: string }>(
      await tx.execute(sql`
        select distinct estate_id, user_id, role::text as role from membership
        where estate_id in (${sql.join(
          estateIds.map((id) => sql`${id}`),
          sql`, `,
        )}) and role in ('committee', 'property_staff')
      `),
    );
    const out: Notice[] = [];
    for (const r of rows) {
      const here = members.filter((m) => m.estate_id === r.estate_id);
      const staff = r.assignee_id
        ? [r.assignee_id]
        : here.filter((m) => m.role === "property_staff").map((m) => m.user_id);
      const recipients = new Set([
        ...here.filter((m) => m.role === "committee").map((m) => m.user_id),
        r.filer_id,
        ...staff,
      ]);
      for (const userId of recipients) out.push(notice(r, "escalated", userId));
    }
    await enqueue(tx, out);
    return rows.length;
  });
}

/** Closes resolutions left unconfirmed for 7 days; tells the filer. */
export async function autoCloseResolved(
  now: Date = new Date(),
  options: { db?: Db; limit?: number } = {},
): Promise<number> {
  const db = options.db ?? getDb();
  return db.transaction(async (tx) => {
    const result = await tx.execute(sql`
      with due as (
        select id from ticket
        where status = 'resolved' and resolved_at <= ${ts(now)} - ${confirmDays} * interval '1 day'
        order by resolved_at
        limit ${options.limit ?? 500}
        for update skip locked
      ),
      up as (
        update ticket t set status = 'closed', closed_at = ${ts(now)}, closed_by = 'auto'
        from due where t.id = due.id
        returning t.id, t.estate_id, t.seq, t.category::text as category, t.description, t.filer_id, t.assignee_id
      ),
      ev as (
        insert into ticket_event (estate_id, ticket_id, kind, actor_id, at)
        select up.estate_id, up.id, 'auto_closed', null, ${ts(now)} from up
        returning id, ticket_id
      )
      select up.*, e.slug, ev.id as event_id
      from up join ev on ev.ticket_id = up.id join estate e on e.id = up.estate_id
    `);
    const rows = rowsOf<Row>(result);
    await enqueue(
      tx,
      rows.map((r) => notice(r, "auto_closed", r.filer_id)),
    );
    return rows.length;
  });
}

/** One pass of the ticket jobs (repeated while a batch came back full). */
export async function runTicketJobs(
  now: Date = new Date(),
  options: { db?: Db } = {},
): Promise<{ escalated: number; closed: number }> {
  const batch = 500;
  let escalated = 0;
  let closed = 0;
  let n: number;
  do {
    n = await escalateOverdue(now, { ...options, limit: batch });
    escalated += n;
  } while (n === batch);
  do {
    n = await autoCloseResolved(now, { ...options, limit: batch });
    closed += n;
  } while (n === batch);
  return { escalated, closed };
}

/**
 * Runs the ticket jobs every `intervalMs` (a minute by default) in this process: started by the
 * server next to the mail worker. Safe to run in every copy of the server (see above).
 */
export function startTicketJobs(options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): Periodic {
  return runEvery(runTicketJobs, {
    everyMs: options.intervalMs ?? 60_000,
    onError: options.onError ?? ((error) => console.error("[ticket jobs]", error)),
  });
}
