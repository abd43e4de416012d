import { tally, type Ballot, type Choice, type Tally, type Voter } from "~/voting/tally";
import { allocateSeats, committeeConstituted, type CandidateResult, type SeatRace } from "./rules";

/**
 * How a ballot reads (documented for owners on the election page): for each candidate the
 * voter marks agree, oppose or abstain; a candidate left unmarked is an abstention (the ballot
 * still takes part). In each race (a zone's N seats, or the X seats) a ballot may agree to at
 * most as many candidates as there are seats. Each candidate's approval is then the ordinary
 * owners' decision on that candidate (app/voting/tally.ts: > 1/2 of the participating area and
 * headcount, with participation ≥ 2/3 of both), the participants being everyone who returned
 * a ballot.
 */
export interface ElectionResult {
  voters: number;
  ballots: number;
  candidates: (CandidateResult & { tally: Tally })[];
  races: SeatRace[];
  /** Whether the seats filled (more than half of the committee's size) constitute the committee (general elections). */
  constituted: boolean | null;
}

/**
 * The count, pure over what was stored: each candidate's tally, then the seats by race.
 * `zoneAreas` (the election's zone voting is `own`): a zone's N candidates are decided by the
 * voters holding area in that zone, with that area; the X candidates by every voter.
 */
export function countElection(
  voters: Voter[],
  ballots: { voterId: string; marks: Map<string, Choice> }[],
  candidates: { id: string; seat: "N" | "X"; zoneId: string | null }[],
  races: { race: string; zoneId: string | null; seats: number }[],
  size: number | null,
  zoneAreas: ReadonlyMap<string, Record<string, number> | null> | null = null,
): ElectionResult {
  const electorateOf = new Map<string, Voter[]>();
  const votersFor = (c: { seat: "N" | "X"; zoneId: string | null }): Voter[] => {
    if (!zoneAreas || c.seat === "X" || c.zoneId === null) return voters;
    const zoneId = c.zoneId;
    let zoneVoters = electorateOf.get(zoneId);
    if (!zoneVoters) {
      zoneVoters = voters.flatMap((v) => {
        const area = zoneAreas.get(v.voterId)?.[zoneId] ?? 0;
        return area > 0 ? [{ ...v, areaCentiSqm: area }] : [];
      });
      electorateOf.set(zoneId, zoneVoters);
    }
    return zoneVoters;
  };
  const results = candidates.map((c) => {
    const electorate = votersFor(c);
    const inRace = electorate === voters ? null : new Set(electorate.map((v) => v.voterId));
    const perCandidate: Ballot[] = ballots
      .filter((b) => !inRace || inRace.has(b.voterId))
      .map((b) => ({ voterId: b.voterId, choice: b.marks.get(c.id) ?? "abstain" }));
    const t = tally("ordinary", electorate, perCandidate);
    return {
      id: c.id,
      seat: c.seat,
      zoneId: c.zoneId,
      approved: t.passed,
      agreeHeadcount: t.agreeHeadcount,
      agreeArea: t.agreeArea,
      tally: t,
    };
  });
  const seatRaces = allocateSeats(
    races.filter((r) => r.race !== "X").map((r) => ({ id: r.zoneId!, seats: r.seats })),
    races.find((r) => r.race === "X")?.seats ?? 0,
    results,
  );
  const elected = seatRaces.reduce((n, r) => n + r.elected.length, 0);
  return {
    voters: voters.length,
    ballots: ballots.length,
    candidates: results,
    races: seatRaces,
    constituted: size === null ? null : committeeConstituted(elected, size),
  };
}
