/**
 * After a vote closes (DESIGN.md "After close"): the preliminary result is posted and the
 * estate's query period (询异) runs; while it runs owners may query and the committee may
 * correct through the engine; once it has ended the final result is posted and the decision
 * takes effect. The same phases for proposals and elections, from the vote's own columns.
 *
 * Client-safe and pure: the server's commands and the pages ask the same questions here.
 */

/** What a vote's phase depends on: its status (either kind's) and its clocks. */
export interface ResultClock {
  status: string;
  /** End (exclusive) of the query period; null for a vote closed before the period existed. */
  queryEndsAt: Date | null;
}

/**
 * - `open`: not closed yet (no result of any kind);
 * - `query`: the preliminary result is posted and owners may query it;
 * - `due`: the period is over and the final result may (and should) be posted;
 * - `final`: the final result is posted, the decision in effect (published, or carried out).
 */
export type ResultPhase = "open" | "query" | "due" | "final";

export function resultPhase(vote: ResultClock, now: Date): ResultPhase {
  if (vote.status === "published" || vote.status === "carried_out") return "final";
  if (vote.status !== "closed") return "open";
  return vote.queryEndsAt && now < vote.queryEndsAt ? "query" : "due";
}

/** An owner may query the preliminary result, and the committee correct it, only while the period runs. */
export function mayQuery(vote: ResultClock, now: Date): boolean {
  return resultPhase(vote, now) === "query";
}

/** The final result may be posted only once the query period has ended. */
export function mayPostFinal(vote: ResultClock, now: Date): boolean {
  return resultPhase(vote, now) === "due";
}

/** A result is shown to the estate's owners from the preliminary result on. */
export function resultVisible(vote: ResultClock): boolean {
  return vote.status === "closed" || vote.status === "published" || vote.status === "carried_out";
}
