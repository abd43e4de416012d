/**
 * The rule engine for owners' joint decisions (Civil Code Art. 278; Supreme People's Court
 * interpretation on building distinct ownership, Art. 8–9). Pure: no I/O, integers only.
 *
 * - Quorum: participants hold ≥ 2/3 of the total exclusive area AND ≥ 2/3 of the total
 *   headcount ("以上" includes the boundary, Civil Code Art. 1259). An abstention takes part.
 * - Major matters (raising the maintenance fund, rebuilding/renovation, changing the use of
 *   common parts): agree ≥ 3/4 of the participating area AND ≥ 3/4 of participating headcount.
 * - All other matters: agree > 1/2 ("过半数", strictly more than half) of both.
 */

export type Matter = "ordinary" | "major"; // major: raise fund, rebuild/renovate, change use of common parts
export type Choice = "agree" | "oppose" | "abstain";

export interface RosterUnit {
  unitId: string;
  areaCentiSqm: number; // integer hundredths of m²
  ownerIds: string[]; // the unit's owners (co-owners share one entry)
  developerUnsold: boolean; // unsold or undelivered developer unit
}

export interface Voter {
  voterId: string;
  areaCentiSqm: number;
  unitIds: string[];
}

/** The voterId of the developer's unsold or undelivered units, which together are one voter. */
const developerVoterId = "developer";
const choices: readonly Choice[] = ["agree", "oppose", "abstain"];

function assertArea(area: number, what: string) {
  if (!Number.isSafeInteger(area) || area <= 0) {
    throw new RangeError(`${what}: area must be a positive integer number of hundredths of m², got ${area}`);
  }
}

/** The voterId of an exact set of owners: the sorted owner ids joined by "+". */
function voterIdOf(ownerIds: readonly string[]): string {
  const set = [...new Set(ownerIds)];
  for (const id of set) {
    if (id === "" || id.includes("+") || id === developerVoterId) {
      throw new RangeError(`owner id ${JSON.stringify(id)} cannot form a voter id`);
    }
  }
  return set.sort().join("+");
}

/**
 * Supreme People's Court interpretation Art. 9: units with the same set of owners are
 * one voter (area summed); all developer-unsold units together are one voter whose
 * voterId is "developer". A voterId is the sorted owner ids joined by "+".
 * Voters come out sorted by voterId; each voter's unitIds keep the roster's order.
 */
export function electorate(units: RosterUnit[]): Voter[] {
  const byId = new Map<string, Voter>();
  const seenUnits = new Set<string>();
  for (const unit of units) {
    if (seenUnits.has(unit.unitId)) throw new RangeError(`unit ${unit.unitId} appears twice in the roster`);
    seenUnits.add(unit.unitId);
    assertArea(unit.areaCentiSqm, `unit ${unit.unitId}`);
    let voterId: string;
    if (unit.developerUnsold) voterId = developerVoterId;
    else {
      if (unit.ownerIds.length === 0) throw new RangeError(`unit ${unit.unitId} has no owner and is not the developer's`);
      voterId = voterIdOf(unit.ownerIds);
    }
    const voter = byId.get(voterId);
    if (voter) {
      voter.areaCentiSqm += unit.areaCentiSqm;
      voter.unitIds.push(unit.unitId);
    } else {
      byId.set(voterId, { voterId, areaCentiSqm: unit.areaCentiSqm, unitIds: [unit.unitId] });
    }
  }
  return [...byId.values()].sort((a, b) => (a.voterId < b.voterId ? -1 : a.voterId > b.voterId ? 1 : 0));
}

export interface Ballot {
  voterId: string;
  choice: Choice;
} // later ballots of a voter replace earlier ones

export interface Tally {
  totalArea: number;
  totalHeadcount: number;
  participatingArea: number;
  participatingHeadcount: number;
  agreeArea: number;
  agreeHeadcount: number;
  opposeArea: number;
  opposeHeadcount: number;
  abstainArea: number;
  abstainHeadcount: number;
  quorumMet: boolean; // participation ≥ 2/3 of total area AND ≥ 2/3 of total headcount
  passed: boolean; // quorumMet AND approval: major ≥ 3/4, ordinary > 1/2 of participating area AND headcount
}

/**
 * What may be seen of a vote while it runs (DESIGN.md "Sealed until close"): who took part,
 * by area and headcount, against the 2/3 quorum. No choice total: those exist only at closing.
 */
export interface Participation {
  totalArea: number;
  totalHeadcount: number;
  participatingArea: number;
  participatingHeadcount: number;
  quorumMet: boolean;
}

/** The participation quorum alone: ≥ 2/3 of the total area AND ≥ 2/3 of the total headcount (an empty electorate never meets it). */
export function participation(p: Omit<Participation, "quorumMet">): Participation {
  const quorumMet = p.totalHeadcount > 0 && atLeastTwoThirds(p.participatingArea, p.totalArea) && atLeastTwoThirds(p.participatingHeadcount, p.totalHeadcount);
  return { totalArea: p.totalArea, totalHeadcount: p.totalHeadcount, participatingArea: p.participatingArea, participatingHeadcount: p.participatingHeadcount, quorumMet };
}

/** a × b as an exact integer (throws rather than lose precision). */
function times(a: number, b: number): number {
  const product = a * b;
  if (!Number.isSafeInteger(product)) throw new RangeError(`integer overflow in ${a} × ${b}`);
  return product;
}

/** part ≥ 2/3 of whole, in integers. */
function atLeastTwoThirds(part: number, whole: number): boolean {
  return times(3, part) >= times(2, whole);
}

/** part ≥ 3/4 of whole, in integers. */
function atLeastThreeQuarters(part: number, whole: number): boolean {
  return times(4, part) >= times(3, whole);
}

/** part > 1/2 of whole (过半数), in integers. */
function moreThanHalf(part: number, whole: number): boolean {
  return times(2, part) > whole;
}

export function tally(matter: Matter, voters: Voter[], ballots: Ballot[]): Tally {
  if (matter !== "ordinary" && matter !== "major") throw new RangeError(`unknown matter ${String(matter)}`);
  const area = new Map<string, number>();
  let totalArea = 0;
  for (const v of voters) {
    if (area.has(v.voterId)) throw new RangeError(`voter ${v.voterId} appears twice in the electorate`);
    assertArea(v.areaCentiSqm, `voter ${v.voterId}`);
    area.set(v.voterId, v.areaCentiSqm);
    totalArea += v.areaCentiSqm;
  }
  if (!Number.isSafeInteger(totalArea)) throw new RangeError("total area overflows");

  // Later ballots of a voter replace earlier ones.
  const last = new Map<string, Choice>();
  for (const b of ballots) {
    if (!area.has(b.voterId)) throw new RangeError(`ballot from ${b.voterId}, who is not in the electorate`);
    if (!choices.includes(b.choice)) throw new RangeError(`unknown choice ${String(b.choice)}`);
    last.set(b.voterId, b.choice);
  }

  const sums: Record<Choice, { area: number; headcount: number }> = {
    agree: { area: 0, headcount: 0 },
    oppose: { area: 0, headcount: 0 },
    abstain: { area: 0, headcount: 0 },
  };
  for (const [voterId, choice] of last) {
    sums[choice].area += area.get(voterId)!;
    sums[choice].headcount += 1;
  }
  const participatingArea = sums.agree.area + sums.oppose.area + sums.abstain.area;
  const participatingHeadcount = last.size;
  const totalHeadcount = voters.length;

  // An empty electorate decides nothing (0 ≥ 2/3 × 0 must not count as a quorum).
  const quorumMet =
    totalHeadcount > 0 && atLeastTwoThirds(participatingArea, totalArea) && atLeastTwoThirds(participatingHeadcount, totalHeadcount);
  const approve = matter === "major" ? atLeastThreeQuarters : moreThanHalf;
  const approved =
    participatingHeadcount > 0 &&
    approve(sums.agree.area, participatingArea) &&
    approve(sums.agree.headcount, participatingHeadcount);

  return {
    totalArea,
    totalHeadcount,
    participatingArea,
    participatingHeadcount,
    agreeArea: sums.agree.area,
    agreeHeadcount: sums.agree.headcount,
    opposeArea: sums.oppose.area,
    opposeHeadcount: sums.oppose.headcount,
    abstainArea: sums.abstain.area,
    abstainHeadcount: sums.abstain.headcount,
    quorumMet,
    passed: quorumMet && approved,
  };
}
