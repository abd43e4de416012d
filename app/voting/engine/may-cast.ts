/**
 * Whether a ballot may be cast now for one voter: the page shows the cast button exactly when
 * the server would accept the cast (the same window, the same replacement rule). Pure and
 * client-safe; both kinds of vote use it.
 */
import { replacement, type CastBallotInfo, type ReplacementRules } from "./replacement";

export interface VotingWindow {
  status: string;
  votingStartsAt: Date;
  votingEndsAt: Date;
}

/** Ballots are taken while the vote is open for voting, from its start up to (not including) its end. */
export function windowOpen(vote: VotingWindow, now: Date): boolean {
  return vote.status === "voting" && now >= vote.votingStartsAt && now < vote.votingEndsAt;
}

export function mayCast(
  vote: VotingWindow,
  rules: ReplacementRules,
  current: CastBallotInfo | null,
  incoming: CastBallotInfo,
  now: Date,
): boolean {
  return windowOpen(vote, now) && replacement(rules, current, incoming).ok;
}
