/**
 * The one replacement rule (DESIGN.md "Proposals and votes"): whether a ballot arriving for a
 * voter who already has a current one replaces it. Used by online casts, proxy casts and paper
 * confirmations, of proposals and elections alike. Pure.
 *
 * In order:
 * 1. Nothing current: the ballot counts.
 * 2. An owner's own ballot (online or paper) beats their proxy's: a proxy never replaces it
 *    (`ownBeatsProxy`), and it replaces a proxy's ballot even where ballots are final.
 * 3. Paper against online (either way): the vote's `paperOnlineConflict` decides, whether or not
 *    ballots are changeable. A losing online ballot is refused (`paperCounts`); a losing paper
 *    ballot is kept but does not count (`onlineCounts`: the caller records it as overridden).
 * 4. Otherwise a second ballot of the same channel replaces the first only where the vote's
 *    rules make ballots changeable (`ballotFinal`).
 */

export type CastChannel = "online" | "proxy" | "paper";

export interface ReplacementRules {
  ballotsChangeable: boolean;
  paperOnlineConflict: "online" | "paper";
}

export interface CastBallotInfo {
  channel: CastChannel;
  castBy: string | null;
}

export type ReplacementError = "ballotFinal" | "paperCounts" | "onlineCounts" | "ownBeatsProxy";

export type Replacement =
  // tellUserId: the owner whose own online ballot is replaced by someone else's (a co-owner's, or a paper ballot)
  { ok: true; replaces: boolean; tellUserId: string | null } | { ok: false; error: ReplacementError };

const own = (c: CastChannel) => c !== "proxy";

export function replacement(
  rules: ReplacementRules,
  current: CastBallotInfo | null,
  incoming: CastBallotInfo,
): Replacement {
  if (!current) return { ok: true, replaces: false, tellUserId: null };
  const replaces = (): Replacement => ({
    ok: true,
    replaces: true,
    tellUserId:
      current.channel === "online" && current.castBy !== null && current.castBy !== incoming.castBy
        ? current.castBy
        : null,
  });
  if (own(current.channel) && !own(incoming.channel)) return { ok: false, error: "ownBeatsProxy" };
  if (!own(current.channel) && own(incoming.channel)) return replaces();
  if (current.channel !== incoming.channel && current.channel !== "proxy") {
    // One is paper, the other online.
    if (incoming.channel === "paper")
      return rules.paperOnlineConflict === "paper" ? replaces() : { ok: false, error: "onlineCounts" };
    return rules.paperOnlineConflict === "online" ? replaces() : { ok: false, error: "paperCounts" };
  }
  return rules.ballotsChangeable ? replaces() : { ok: false, error: "ballotFinal" };
}
