import { and, eq, isNotNull, lte } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { publishElection } from "./elections.server";
import { runEvery, type Periodic } from "~/lib/periodic.server";
import { publishResult } from "~/voting/proposals.server";

const { committeeElections, proposals } = schema;

/** The publicity of a final result posted by the job (公示), as the committee's button defaults to. */
export const finalPublicityDays = 15;

/**
 * Posts the final result of every vote and election whose query period has ended, each in its
 * own transaction (publishResult / publishElection re-check the phase under the row lock, so
 * two processes, or the job and the committee's button, cannot post it twice). Posted in the
 * name of whoever closed it. Returns how many were posted.
 */
export async function finaliseDueResults(now: Date = new Date()): Promise<number> {
  const db = getDb();
  const [dueProposals, dueElections] = await Promise.all([
    db
      .select({ id: proposals.id, estateId: proposals.estateId, by: proposals.closedBy, author: proposals.createdBy })
      .from(proposals)
      .where(and(eq(proposals.status, "closed"), isNotNull(proposals.queryEndsAt), lte(proposals.queryEndsAt, now))),
    db
      .select({
        id: committeeElections.id,
        estateId: committeeElections.estateId,
        by: committeeElections.closedBy,
        author: committeeElections.createdBy,
      })
      .from(committeeElections)
      .where(
        and(
          eq(committeeElections.status, "closed"),
          isNotNull(committeeElections.queryEndsAt),
          lte(committeeElections.queryEndsAt, now),
        ),
      ),
  ]);
  let posted = 0;
  for (const p of dueProposals) {
    const userId = p.by ?? p.author;
    if (!userId) continue;
    const r = await publishResult({
      estateId: p.estateId,
      proposalId: p.id,
      userId,
      publicityDays: finalPublicityDays,
      now,
    });
    if (r.ok) posted++;
  }
  for (const e of dueElections) {
    const userId = e.by ?? e.author;
    if (!userId) continue;
    const r = await publishElection({ estateId: e.estateId, electionId: e.id, userId, now });
    if (r.ok) posted++;
  }
  return posted;
}

/** Runs the final-result clock every few minutes until stopped (with the vote reminders: VOTE_REMINDERS=0 turns both off). */
export function startResultClock(options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): Periodic {
  return runEvery(() => finaliseDueResults(), {
    everyMs: options.intervalMs ?? 5 * 60_000,
    onError: options.onError ?? ((error) => console.error("[vote results]", error)),
  });
}
