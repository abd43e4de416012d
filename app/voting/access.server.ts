import { and, eq } from "drizzle-orm";
import { schema, type Queryable } from "#db/client";
import { isUuid } from "~/lib/ids";
import type { Refusal as Failure } from "~/lib/forms/result";

const { owners, proposals } = schema;

export type Proposal = typeof proposals.$inferSelect;

/** Error results carry a catalogue key (voting.errors.*) and, where the text needs them, values. */
export type { Failure };

/** A proposal of one estate (the tenant boundary: another estate's id reads as not found). */
export async function findProposal(db: Queryable, estateId: string, proposalId: string): Promise<Proposal | null> {
  if (!isUuid(proposalId)) return null;
  const [row] = await db
    .select()
    .from(proposals)
    .where(and(eq(proposals.id, proposalId), eq(proposals.estateId, estateId)));
  return row ?? null;
}

/**
 * The same, locked for the rest of the transaction. Every write to a vote's ballots takes this
 * lock first, so the hash chain grows one ballot at a time and closing waits for casts in flight.
 */
export async function lockProposal(tx: Queryable, estateId: string, proposalId: string): Promise<Proposal | null> {
  if (!isUuid(proposalId)) return null;
  const [row] = await tx
    .select()
    .from(proposals)
    .where(and(eq(proposals.id, proposalId), eq(proposals.estateId, estateId)))
    .for("update");
  return row ?? null;
}

/** The roster owners an account is linked to in one estate. */
export async function ownerIdsOfUser(db: Queryable, estateId: string, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: owners.id })
    .from(owners)
    .where(and(eq(owners.estateId, estateId), eq(owners.userId, userId)));
  return rows.map((r) => r.id);
}
