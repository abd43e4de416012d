import { getDb } from "#db/client";
import type { Role } from "#db/schema/people";
import { forbidden, type Estate } from "~/auth/guards.server";
import { recordAudit } from "~/audit/audit.server";
import { can } from "~/lib/permissions";
import { estateSettings } from "~/estates/procedure";

/**
 * The full ballot ledger of a closed vote (areas, exact times, the hash chain: it rechecks the
 * chain, and with the turnout list it tells who voted how) is for the people the estate's rules
 * of procedure name (estate setting `ballotListAccess`, default the verified owners), after
 * close only, and every look is written to the audit log. The public ledger is the anonymous one.
 */
export function mayInspectBallotList(estate: Pick<Estate, "settings">, roles: readonly Role[]): boolean {
  const access = estateSettings(estate.settings).ballotListAccess;
  if (access === "verified_owners") return can(roles, "voting:ballot-list");
  if (access === "committee") return can(roles, "voting:manage");
  return false;
}

/**
 * Whether a ledger request asks for the full ballot list (`?full=1`), and whether the caller may
 * have it. Asking for it while the vote is open, or without the estate's leave, is refused (403);
 * each look granted is written to the audit log here, so no ledger route can forget it.
 */
export async function fullBallotListRequest(
  request: Request,
  input: {
    estate: Pick<Estate, "id" | "settings">;
    roles: readonly Role[];
    userId: string;
    closed: boolean;
    vote: { proposalId: string } | { electionId: string };
    format: "page" | "csv";
  },
): Promise<{ full: boolean; allowed: boolean }> {
  const full = new URL(request.url).searchParams.get("full") === "1";
  const allowed = mayInspectBallotList(input.estate, input.roles);
  if (!full) return { full, allowed };
  if (!input.closed || !allowed) forbidden();
  const [subjectType, subjectId] =
    "proposalId" in input.vote
      ? (["proposal", input.vote.proposalId] as const)
      : (["election", input.vote.electionId] as const);
  await recordAudit(getDb(), {
    estateId: input.estate.id,
    actorUserId: input.userId,
    act: "ballot_list_view",
    subjectType,
    subjectId,
    detail: { format: input.format },
  });
  return { full, allowed };
}
