import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { electionLedger } from "~/committee/election-votes.server";
import { electionLedgerCsv, publicElectionLedgerCsv } from "~/committee/ledger";
import { fullBallotListRequest } from "~/voting/ballot-list.server";
import { can } from "~/lib/permissions";

/**
 * The election's ledger as CSV: the public one (no areas, times to the minute) for anyone in the
 * estate to recount the headcount; with `?full=1` the full one (areas, exact times, the hash
 * chain) for scripts/verify-ledger.ts, to those the estate's setting names, audited.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const ledger = await electionLedger(estate.id, params.id ?? "", { overseer: can(roles, "elections:oversee") });
  if (!ledger) notFound();
  const { full } = await fullBallotListRequest(request, {
    estate,
    roles,
    userId: user.id,
    closed: ledger.meta !== null,
    vote: { electionId: ledger.election.id },
    format: "csv",
  });
  if (!ledger.meta) notFound();
  return new Response(
    full ? electionLedgerCsv(ledger.meta, ledger.entries) : publicElectionLedgerCsv(ledger.meta, ledger.entries),
    {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="election-${full ? "ballot-list" : "ledger"}-${ledger.election.id}.csv"`,
        "Cache-Control": "private, no-store",
      },
    },
  );
}
