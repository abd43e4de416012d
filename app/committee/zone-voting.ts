import type { ZoneVoting } from "~/estates/procedure";
import { law, meets } from "~/lib/law";

/**
 * Whether an owner votes in every zone's race (`all`, the law's reading: the committee is
 * elected by all owners) or only in their own zone's N race plus the X race (`own`, where the
 * estate's rules of procedure say so). Fixed on the election when voting opens.
 * Client-safe and pure.
 */
export { zoneVotingModes, type ZoneVoting } from "~/estates/procedure";

/** A voter's zones: those where they hold area (a person with flats in two zones votes in both). */
export function zonesOfVoter(zoneAreas: Record<string, number> | null | undefined): string[] {
  return Object.entries(zoneAreas ?? {})
    .filter(([, area]) => area > 0)
    .map(([zoneId]) => zoneId);
}

/** The candidates on one voter's ballot: all of them, or under `own` the X candidates and those of the voter's zones. */
export function onVotersBallot<C extends { seat: "N" | "X"; zoneId: string | null }>(
  candidates: readonly C[],
  mode: ZoneVoting,
  voterZoneIds: readonly string[],
): C[] {
  if (mode === "all") return [...candidates];
  return candidates.filter((c) => c.seat === "X" || (c.zoneId !== null && voterZoneIds.includes(c.zoneId)));
}

/** The candidates of a ballot left unmarked: each counts as an abstention (the ballot still takes part). */
export function unmarkedCandidates(
  candidateIds: readonly string[],
  marks: Readonly<Record<string, unknown>>,
): string[] {
  return candidateIds.filter((id) => !(id in marks));
}

/**
 * Under `all`, every returned ballot takes part in every candidate's decision, and a candidate
 * needs law.ordinaryApproval of the participating area AND headcount. If owners agree only to
 * their own zone's candidates, a zone's candidates get at most the zone's own area and
 * headcount, even when every owner takes part: the zones listed here cannot reach the approval
 * on their own, so their candidates would be elected by nobody.
 */
export function zonesShortAlone(
  zones: readonly { zoneId: string; headcount: number; areaCentiSqm: number }[],
  total: { headcount: number; areaCentiSqm: number },
): string[] {
  return zones
    .filter(
      (z) =>
        !meets(law.ordinaryApproval, z.areaCentiSqm, total.areaCentiSqm) ||
        !meets(law.ordinaryApproval, z.headcount, total.headcount),
    )
    .map((z) => z.zoneId);
}
