/**
 * The two kinds of vote the engine runs: a proposal (one choice per ballot) and a committee
 * election (a mark per candidate). Each keeps its own tables; this says where they are, so the
 * orchestration (electorate, casting, paper, close) is written once. Pure and client-safe.
 */

export type VoteKind = "proposal" | "election";
export type VoteRef = { kind: VoteKind; id: string };

export interface KindDescriptor {
  kind: VoteKind;
  /** The vote's own table and the column of its id in the tables hanging off it. */
  table: "proposal" | "committee_election";
  voteColumn: "proposal_id" | "election_id";
  /** The electorate snapshot: one row per voter (voter_id, area_centi_sqm, unit_ids, owner_ids). */
  voterTable: "vote_voter" | "committee_election_voter";
  /** Ballots, and the SQL condition of a current (not replaced) one. */
  ballotTable: "ballot" | "committee_election_ballot";
  currentBallot: "not superseded" | "replaced_at is null";
  paperTable: "paper_ballot" | "committee_election_paper_ballot";
  /** The audit log's subject type for the vote. */
  auditSubject: "proposal" | "election";
  /** The vote's page inside its estate. */
  path: (estateSlug: string, id: string) => string;
}

export const kinds: Record<VoteKind, KindDescriptor> = {
  proposal: {
    kind: "proposal",
    table: "proposal",
    voteColumn: "proposal_id",
    voterTable: "vote_voter",
    ballotTable: "ballot",
    currentBallot: "not superseded",
    paperTable: "paper_ballot",
    auditSubject: "proposal",
    path: (slug, id) => `/e/${slug}/proposals/${id}`,
  },
  election: {
    kind: "election",
    table: "committee_election",
    voteColumn: "election_id",
    voterTable: "committee_election_voter",
    ballotTable: "committee_election_ballot",
    currentBallot: "replaced_at is null",
    paperTable: "committee_election_paper_ballot",
    auditSubject: "election",
    path: (slug, id) => `/e/${slug}/committee/elections/${id}`,
  },
};

export function kindOf(ref: VoteRef): KindDescriptor {
  return kinds[ref.kind];
}
