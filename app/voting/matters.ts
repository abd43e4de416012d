import { law, meets } from "~/lib/law";
import type { UnitKind } from "#db/schema/places";
import type { ProposalType } from "#db/schema/voting";
import type { Matter, RosterUnit } from "./tally";

/**
 * Civil Code Art. 278: the matter type fixes the majority. Raising the maintenance fund,
 * rebuilding or renovating, and changing the use of common parts (or running a business on
 * them) are major (law.majorApproval); every other matter, including using the fund, is
 * ordinary (law.ordinaryApproval).
 */
export const matterOfType: Record<ProposalType, Matter> = {
  rules_of_procedure: "ordinary",
  management_covenant: "ordinary",
  committee_election: "ordinary",
  property_company: "ordinary",
  fund_use: "ordinary",
  fund_raise: "major",
  rebuild_renovate: "major",
  common_parts_use: "major",
  other_major: "ordinary",
};

export const proposalTypeList = Object.keys(matterOfType) as ProposalType[];

/** The major matters, in the law's order: the one list (hint text derives from it; the SQL CHECK proposal_matter_fixed_by_type is tested against it). */
export const majorMatterTypes: readonly ProposalType[] = proposalTypeList.filter(
  (type) => matterOfType[type] === "major",
);

/** The roster as the rule engine sees it: only units of the kinds the estate counts in votes. */
export function votingRoster(
  units: { unitId: string; kind: UnitKind; areaCentiSqm: number; developerUnsold: boolean; ownerIds: string[] }[],
  countedKinds: readonly UnitKind[],
): RosterUnit[] {
  return units
    .filter((u) => countedKinds.includes(u.kind))
    .map((u) => ({
      unitId: u.unitId,
      areaCentiSqm: u.areaCentiSqm,
      ownerIds: u.ownerIds,
      developerUnsold: u.developerUnsold,
    }));
}

/** A petition is due once its signers hold law.petition (20%) of the area AND of the headcount. */
export function petitionThresholdMet(
  signed: { area: number; headcount: number },
  total: { area: number; headcount: number },
): boolean {
  return meets(law.petition, signed.area, total.area) && meets(law.petition, signed.headcount, total.headcount);
}
