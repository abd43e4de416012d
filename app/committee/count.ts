import {
  defaultCountRules,
  tally,
  type Ballot,
  type Choice,
  type CountRules,
  type Tally,
  type Voter,
} from "~/voting/tally";
import { allocateSeats, committeeConstituted, type CandidateResult, type SeatRace } from "./rules";

/**
 * How a ballot reads (documented for owners on the election page): for each candidate the
 * voter marks agree, oppose or abstain; a candidate left unmarked is an abstention (the ballot
 * still takes part). In each race (a zone's N seats, or the X seats) a ballot may agree to at
 * most as many candidates as there are seats. Each candidate's approval is then the ordinary
 * owners' decision on that candidate (app/voting/tally.ts: > 1/2 of the participating area and
 * headcount, with participation ≥ 2/3 of both), the participants being everyone who returned
 * a ballot.
 *
 * A paper ballot over-marked in a race (more agrees than seats) is spoiled (废票) for that race
 * only: for each of that race's candidates it counts as spoiled — taking part or not per the
 * estate's rule fixed at opening, never agreeing — and its other races count as marked.
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
  ballots: { voterId: string; marks: Map<string, Choice>; spoiledRaces?: ReadonlySet<string> }[],
  candidates: { id: string; seat: "N" | "X"; zoneId: string | null }[],
  races: { race: string; zoneId: string | null; seats: number }[],
  size: number | null,
  rules: CountRules = defaultCountRules,
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
    const race = raceOf(c);
    const perCandidate: Ballot[] = ballots
      .filter((b) => !inRace || inRace.has(b.voterId))
      .map((b) => ({
        voterId: b.voterId,
        choice: b.spoiledRaces?.has(race) ? "spoiled" : (b.marks.get(c.id) ?? "abstain"),
      }));
    const t = tally("ordinary", electorate, perCandidate, rules);
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

/**
 * The races a paper ballot over-marks (more agrees than seats): each is spoiled (废票) for that
 * race instead of the ballot being refused.
 */
export function overMarkedRaces(
  marks: Record<string, Choice>,
  candidates: { id: string; seat: "N" | "X"; zoneId: string | null }[],
  races: { race: string; seats: number }[],
): string[] {
  const raceOfCandidate = new Map(candidates.map((c) => [c.id, raceOf(c)]));
  return races
    .filter(
      (r) =>
        Object.entries(marks).filter(([id, c]) => c === "agree" && raceOfCandidate.get(id) === r.race).length > r.seats,
    )
    .map((r) => r.race);
}

/** A ballot's marks without those in its spoiled races (which are not counted, nor recorded on the ballot). */
export function marksOutside(
  marks: Record<string, Choice>,
  candidates: { id: string; seat: "N" | "X"; zoneId: string | null }[],
  spoiledRaces: readonly string[],
): Record<string, Choice> {
  const raceOfCandidate = new Map(candidates.map((c) => [c.id, raceOf(c)]));
  return Object.fromEntries(Object.entries(marks).filter(([id]) => !spoiledRaces.includes(raceOfCandidate.get(id)!)));
}

/** The race a candidate stands in: their zone's id (N seats), or "X". */
export function raceOf(c: { seat: "N" | "X"; zoneId: string | null }): string {
  return c.seat === "X" ? "X" : c.zoneId!;
}
