import { and, eq, isNotNull, lte, notExists, sql } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { beijingDate } from "~/lib/time";
import { enqueue, rowsOf } from "~/notify/outbox.server";

const { estates, feeReminderRuns, feeSettings } = schema;

export interface ReminderResult {
  estates: number;
  recipients: number;
}

/**
 * Overdue reminders, on the schedule each estate sets: once a month, on or after the estate's
 * reminder day (Beijing time), every owner with an account whose units have unpaid bills past
 * their due date gets one mail (count, total, oldest period) through the outbox. Bills being
 * paid at that moment are left out. One run per estate per month: the fee_reminder_run row is
 * written in the same transaction as the mails, so a second run (or a second process) sends
 * nothing, and a run that fails sends nothing and is tried again next time.
 */
export async function sendOverdueReminders(options: { now?: Date; estateId?: string } = {}): Promise<ReminderResult> {
  const now = options.now ?? new Date();
  const today = beijingDate(now);
  const day = Number(today.slice(8, 10));
  const month = today.slice(0, 7);
  const db = getDb();
  const due = await db
    .select({ estateId: feeSettings.estateId, slug: estates.slug })
    .from(feeSettings)
    .innerJoin(estates, eq(estates.id, feeSettings.estateId))
    .where(
      and(
        isNotNull(feeSettings.reminderDay),
        lte(feeSettings.reminderDay, day),
        options.estateId ? eq(feeSettings.estateId, options.estateId) : undefined,
        notExists(
          db
            .select({ one: sql`1` })
            .from(feeReminderRuns)
            .where(and(eq(feeReminderRuns.estateId, feeSettings.estateId), eq(feeReminderRuns.month, month))),
        ),
      ),
    );
  const result: ReminderResult = { estates: 0, recipients: 0 };
  for (const estate of due) {
    const sent = await db.transaction(async (tx) => {
      const [claimed] = await tx
        .insert(feeReminderRuns)
        .values({ estateId: estate.estateId, month, recipients: 0, ranAt: now })
        .onConflictDoNothing()
        .returning({ estateId: feeReminderRuns.estateId });
      if (!claimed) return null;
      const owed = rowsOf<{ user_id: string; bills: number; fen: string; oldest: string }>(
        await tx.execute(sql`
          select o.user_id, count(distinct b.id)::int as bills, sum(b.amount_fen)::bigint as fen,
                 (array_agg(b.period_key order by b.period_start))[1] as oldest
          from bill b
          join ownership os on os.unit_id = b.unit_id and os.estate_id = b.estate_id
          join owner o on o.id = os.owner_id and o.user_id is not null
          where b.estate_id = ${estate.estateId} and b.status = 'unpaid' and b.due_date < ${today}::date
          group by o.user_id
        `),
      );
      await enqueue(
        tx,
        owed.map((r) => ({
          template: "bill-overdue" as const,
          userId: r.user_id,
          estateId: estate.estateId,
          props: {
            count: Number(r.bills),
            amountFen: Number(r.fen),
            oldestPeriod: r.oldest,
            path: `/e/${estate.slug}/bills`,
          },
          idempotencyKey: `bills-overdue:${estate.estateId}:${month}`,
        })),
      );
      await tx
        .update(feeReminderRuns)
        .set({ recipients: owed.length })
        .where(and(eq(feeReminderRuns.estateId, estate.estateId), eq(feeReminderRuns.month, month)));
      return owed.length;
    });
    if (sent === null) continue;
    result.estates++;
    result.recipients += sent;
  }
  return result;
}
