import type { Ballot, BallotChoice, Voter } from "./tally";

/**
 * The rule engine's input from the electorate's totals and the current ballots, each ballot
 * being one voter (headcount 1) weighing its voter's area. The voters who did not take part
 * enter as placeholders holding the rest of the area and headcount — all the quorum rule needs
 * of them (how their area is split changes no figure). Throws when the ballots do not fit.
 */
export function countInputs(
  total: { headcount: number; areaCentiSqm: number },
  current: { areaCentiSqm: number; choice: BallotChoice }[],
): { voters: Voter[]; ballots: Ballot[] } {
  const voters: Voter[] = [];
  const ballots: Ballot[] = [];
  let area = 0;
  current.forEach((b, i) => {
    voters.push({ voterId: `ballot:${i}`, areaCentiSqm: b.areaCentiSqm, unitIds: [] });
    ballots.push({ voterId: `ballot:${i}`, choice: b.choice });
    area += b.areaCentiSqm;
  });
  const absentHeadcount = total.headcount - current.length;
  const absentArea = total.areaCentiSqm - area;
  if (absentHeadcount < 0 || absentArea < absentHeadcount || (absentHeadcount === 0 && absentArea !== 0)) {
    throw new RangeError("the ballots do not fit in the electorate's totals");
  }
  const share = absentHeadcount > 0 ? Math.floor(absentArea / absentHeadcount) : 0;
  for (let i = 0; i < absentHeadcount; i++) {
    voters.push({
      voterId: `absent:${i}`,
      areaCentiSqm: i === 0 ? absentArea - share * (absentHeadcount - 1) : share,
      unitIds: [],
    });
  }
  return { voters, ballots };
}
