import { sql } from "drizzle-orm";
import type { Queryable } from "#db/client";
import { rowsOf } from "~/notify/outbox.server";
import type { Refusal } from "~/lib/forms/result";
import { kindOf, type VoteRef } from "./kinds";

export type CloseRefusal =
  | Refusal<"voting.errors.notFound">
  | Refusal<"voting.errors.windowNotOver">
  | (Refusal<"voting.errors.paperPending"> & { params: { count: number } });

/**
 * Why a vote may not close now (proposals and elections alike), or null: its window is not
 * over, or paper ballots wait for a second member's confirmation. The caller holds the vote's
 * lock and has checked its status.
 */
export async function closeRefusal(tx: Queryable, ref: VoteRef, now: Date): Promise<CloseRefusal | null> {
  const k = kindOf(ref);
  const [vote] = rowsOf<{ ends: Date | string; pending: number }>(
    await tx.execute(sql`
      select v.voting_ends_at as ends,
             (select count(*)::int from ${sql.identifier(k.paperTable)} p
               where p.${sql.identifier(k.voteColumn)} = v.id and p.status = 'pending') as pending
        from ${sql.identifier(k.table)} v where v.id = ${ref.id}`),
  );
  if (!vote) return { ok: false, error: "voting.errors.notFound" };
  if (now < new Date(vote.ends)) return { ok: false, error: "voting.errors.windowNotOver" };
  const pending = Number(vote.pending);
  if (pending > 0) return { ok: false, error: "voting.errors.paperPending", params: { count: pending } };
  return null;
}
