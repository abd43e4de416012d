import { getDb } from "#db/client";
import type { Role } from "#db/schema/people";
import type { Estate } from "~/auth/guards.server";
import { recordAudit } from "~/audit/audit.server";
import { hasAny, voteManagers } from "./roles";
import { estateSettings } from "./settings.server";

/**
 * The full ballot ledger of a closed vote (areas, exact times, the hash chain: it rechecks the
 * chain, and with the turnout list it tells who voted how) is for the people the estate's rules
 * of procedure name (estate setting `ballotListAccess`, default the verified owners), after
 * close only, and every look is written to the audit log. The public ledger is the anonymous one.
 */
export function mayInspectBallotList(estate: Pick<Estate, "settings">, roles: readonly Role[]): boolean {
  const access = estateSettings(estate.settings).ballotListAccess;
  if (access === "verified_owners") return hasAny(roles, ["owner", ...voteManagers]);
  if (access === "committee") return hasAny(roles, voteManagers);
  return false;
}

/** One look at a full ballot list (its page or its CSV), in the audit log. */
export async function auditBallotListLook(input: { estateId: string; userId: string; vote: { proposalId: string } | { electionId: string }; format: "page" | "csv" }) {
  const isProposal = "proposalId" in input.vote;
  await recordAudit(getDb(), {
    estateId: input.estateId,
    actorUserId: input.userId,
    act: "ballot_list_view",
    subjectType: isProposal ? "proposal" : "election",
    subjectId: "proposalId" in input.vote ? input.vote.proposalId : input.vote.electionId,
    detail: { format: input.format },
  });
}
