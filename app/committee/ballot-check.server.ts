import { and, eq } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { findElection, qualifiedCandidates } from "./elections.server";
import { unmarkedCandidates } from "./zone-voting";
import { ballotCandidateIds } from "./zone-voting.server";

const { electionVoters } = schema;

/**
 * The candidates on this voter's ballot that the marks leave unmarked (each would count as an
 * abstention), for the confirm step before a ballot is cast. Empty for an unknown election or
 * voter: the cast itself then gives the refusal.
 */
export async function unmarkedOnBallot(input: {
  estateId: string;
  electionId: string;
  voterId: string;
  marks: Record<string, unknown>;
}): Promise<string[]> {
  const db = getDb();
  const election = await findElection(db, input.estateId, input.electionId);
  if (!election || election.status !== "voting") return [];
  const [voter] = await db
    .select({ voterId: electionVoters.voterId })
    .from(electionVoters)
    .where(and(eq(electionVoters.electionId, election.id), eq(electionVoters.voterId, input.voterId)));
  if (!voter) return [];
  const qualified = await qualifiedCandidates(db, election);
  const onBallot = await ballotCandidateIds(db, election, input.voterId, qualified);
  return unmarkedCandidates(onBallot, input.marks);
}
