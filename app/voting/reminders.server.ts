import { sql } from "drizzle-orm";
import { getDb, type Db } from "#db/client";
import { enqueue, rowsOf } from "~/notify/outbox.server";
import { runEvery, type Periodic } from "~/lib/periodic.server";

/** How long before a vote closes the reminder goes out. */
export const closingReminderMs = 2 * 24 * 3_600_000;

/**
 * The closing reminder: for every vote closing within two days, each owner of its roster with
 * an account whose voter has not voted (no current ballot; as the committee's reminder) is queued one
 * "vote-closing" notice (in-app, mail, SMS by their preference). The idempotency key names the
 * vote only, so each person is reminded once per vote however often the job runs, in however
 * many processes. One statement per run, in one transaction with the notices.
 */
export async function remindClosingVotes(now: Date = new Date(), options: { db?: Db } = {}): Promise<number> {
  const db = options.db ?? getDb();
  return db.transaction(async (tx) => {
    const rows = rowsOf<{
      proposal_id: string;
      estate_id: string;
      slug: string;
      title: string;
      ends: string;
      user_id: string;
    }>(
      await tx.execute(sql`
        select distinct p.id as proposal_id, p.estate_id, e.slug, p.title,
               to_char(p.voting_ends_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ends, o.user_id
          from proposal p
          join estate e on e.id = p.estate_id
          join vote_voter vv on vv.proposal_id = p.id
          join owner o on o.id = any(vv.owner_ids) and o.estate_id = p.estate_id
         where p.status = 'voting'
           and p.voting_ends_at > ${now.toISOString()}::timestamptz
           and p.voting_ends_at <= ${new Date(now.getTime() + closingReminderMs).toISOString()}::timestamptz
           and o.user_id is not null
           and not exists (
             select 1 from ballot b where b.proposal_id = vv.proposal_id and b.voter_id = vv.voter_id and not b.superseded)`),
    );
    if (rows.length === 0) return 0;
    const { notices } = await enqueue(
      tx,
      rows.map((r) => ({
        template: "vote-closing" as const,
        userId: r.user_id,
        estateId: r.estate_id,
        idempotencyKey: `vote-closing:${r.proposal_id}`,
        props: { proposalTitle: r.title, closesAt: r.ends, path: `/e/${r.slug}/proposals/${r.proposal_id}` },
      })),
    );
    return notices;
  });
}

/** Runs the reminder every few minutes until stopped (VOTE_REMINDERS=0 turns it off). */
export function startVoteReminders(
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): Periodic {
  return runEvery(() => remindClosingVotes(), {
    everyMs: options.intervalMs ?? 5 * 60_000,
    onError: options.onError ?? ((error) => console.error("[vote reminders]", error)),
  });
}
