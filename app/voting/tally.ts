/**
 * The rule engine for owners' joint decisions (Civil Code Art. 278; Supreme People's Court
 * interpretation on building distinct ownership, Art. 8–9). Pure: no I/O, integers only.
 *
 * - Quorum: participants hold law.quorum of the total exclusive area AND of the total
 *   headcount. An abstention takes part; so does a spoiled paper ballot (废票) unless the
 *   estate's rule (`spoiledTakesPart`, fixed at opening) says it does not. A spoiled ballot
 *   never agrees.
 * - Major matters (matters.ts): agree law.majorApproval of the participating area AND headcount.
 * - All other matters: agree law.ordinaryApproval of both.
 * The fractions and their boundaries are in app/lib/law.ts; each criterion comes out with what
 * it needed and what it reached, so pages render it and never recompute it.
 */

import { criterion, law, type Criterion, type Threshold } from "~/lib/law";

export type Matter = "ordinary" | "major"; // major: raise fund, rebuild/renovate, change use of common parts
/** What an owner may choose (online, by proxy or on paper). */
export type Choice = "agree" | "oppose" | "abstain";
/** What a counted ballot may say: a choice, or spoiled (废票, recorded from paper only). */
export type BallotChoice = Choice | "spoiled";

/** How a vote counts spoiled ballots, fixed when it opens (estate setting `spoiledTakesPart`). */
export interface CountRules {
  spoiledTakesPart: boolean;
}
export const defaultCountRules: CountRules = { spoiledTakesPart: true };

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
const ballotChoices: readonly BallotChoice[] = ["agree", "oppose", "abstain", "spoiled"];

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
      if (unit.ownerIds.length === 0)
        throw new RangeError(`unit ${unit.unitId} has no owner and is not the developer's`);
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
  choice: BallotChoice;
} // later ballots of a voter replace earlier ones

/** The criteria of an owners' joint decision, each with what it needed and what it reached. */
export interface TallyCriteria {
  /** Participants' area against the total area (law.quorum). */
  quorumArea: Criterion;
  /** Participants' headcount against the total headcount (law.quorum). */
  quorumHeadcount: Criterion;
  /** Agreeing area against the participating area (law.majorApproval or law.ordinaryApproval). */
  approvalArea: Criterion;
  /** Agreeing headcount against the participating headcount. */
  approvalHeadcount: Criterion;
}

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
  /** Spoiled ballots, shown apart; in the participating figures only where they take part. */
  spoiledArea: number;
  spoiledHeadcount: number;
  criteria: TallyCriteria;
  quorumMet: boolean; // both quorum criteria met
  passed: boolean; // quorumMet AND both approval criteria met
}

/**
 * What may be seen of a vote while it runs (DESIGN.md "Sealed until close"): who took part,
 * by area and headcount, against the quorum. No choice total: those exist only at closing.
 */
export interface Participation {
  totalArea: number;
  totalHeadcount: number;
  participatingArea: number;
  participatingHeadcount: number;
  criteria: Pick<TallyCriteria, "quorumArea" | "quorumHeadcount">;
  quorumMet: boolean;
}

type Counts = Omit<Participation, "criteria" | "quorumMet">;

/** The participation quorum alone (law.quorum of the total area AND of the total headcount; an empty electorate never meets it). */
export function participation(p: Counts): Participation {
  const criteria = {
    quorumArea: criterion(law.quorum, p.participatingArea, p.totalArea),
    quorumHeadcount: criterion(law.quorum, p.participatingHeadcount, p.totalHeadcount),
  };
  return {
    totalArea: p.totalArea,
    totalHeadcount: p.totalHeadcount,
    participatingArea: p.participatingArea,
    participatingHeadcount: p.participatingHeadcount,
    criteria,
    quorumMet: criteria.quorumArea.met && criteria.quorumHeadcount.met,
  };
}

/** The approval a matter needs: the law's major or ordinary majority. */
export function approvalThreshold(matter: Matter): Threshold {
  if (matter === "major") return law.majorApproval;
  if (matter === "ordinary") return law.ordinaryApproval;
  throw new RangeError(`unknown matter ${String(matter)}`);
}

/** Judges a count: every criterion, the quorum and the outcome. */
export function judge(matter: Matter, counts: Omit<Tally, "criteria" | "quorumMet" | "passed">): Tally {
  const approval = approvalThreshold(matter);
  const { criteria: quorum, quorumMet } = participation(counts);
  const criteria: TallyCriteria = {
    ...quorum,
    approvalArea: criterion(approval, counts.agreeArea, counts.participatingArea),
    approvalHeadcount: criterion(approval, counts.agreeHeadcount, counts.participatingHeadcount),
  };
  return {
    ...counts,
    criteria,
    quorumMet,
    passed: quorumMet && criteria.approvalArea.met && criteria.approvalHeadcount.met,
  };
}

/**
 * A tally as stored with a closed vote (proposal.result). Results stored before the criteria
 * were recorded get them from their counts; the verdict stays the one stored.
 */
export function storedTally(matter: Matter, stored: unknown): Tally {
  const raw = stored as Tally;
  if (raw.criteria && raw.spoiledArea !== undefined) return raw;
  // Results stored before spoiled ballots existed had none.
  const t = { ...raw, spoiledArea: raw.spoiledArea ?? 0, spoiledHeadcount: raw.spoiledHeadcount ?? 0 };
  if (t.criteria) return t;
  return { ...judge(matter, t), quorumMet: t.quorumMet, passed: t.passed };
}

export function tally(
  matter: Matter,
  voters: Voter[],
  ballots: Ballot[],
  rules: CountRules = defaultCountRules,
): Tally {
  approvalThreshold(matter);
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
  const last = new Map<string, BallotChoice>();
  for (const b of ballots) {
    if (!area.has(b.voterId)) throw new RangeError(`ballot from ${b.voterId}, who is not in the electorate`);
    if (!ballotChoices.includes(b.choice)) throw new RangeError(`unknown choice ${String(b.choice)}`);
    last.set(b.voterId, b.choice);
  }

  const sums: Record<BallotChoice, { area: number; headcount: number }> = {
    agree: { area: 0, headcount: 0 },
    oppose: { area: 0, headcount: 0 },
    abstain: { area: 0, headcount: 0 },
    spoiled: { area: 0, headcount: 0 },
  };
  for (const [voterId, choice] of last) {
    sums[choice].area += area.get(voterId)!;
    sums[choice].headcount += 1;
  }
  const spoiledPart = rules.spoiledTakesPart ? sums.spoiled : { area: 0, headcount: 0 };
  const participatingArea = sums.agree.area + sums.oppose.area + sums.abstain.area + spoiledPart.area;
  const participatingHeadcount =
    sums.agree.headcount + sums.oppose.headcount + sums.abstain.headcount + spoiledPart.headcount;
  const totalHeadcount = voters.length;

  return judge(matter, {
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
    spoiledArea: sums.spoiled.area,
    spoiledHeadcount: sums.spoiled.headcount,
  });
}
