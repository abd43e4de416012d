import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireEstateRole } from "~/auth/guards.server";
import { electionLedger } from "~/committee/election-votes.server";
import { electionLedgerCsv } from "~/committee/ledger";
import { hasAny, voteOverseers } from "~/voting/roles";

/** The election's ledger as CSV, for anyone in the estate to recount with scripts/verify-ledger.ts. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstateRole(request, context, params.estate, "any");
  const ledger = await electionLedger(estate.id, params.id ?? "", { overseer: hasAny(roles, voteOverseers) });
  if (!ledger?.meta) notFound();
  return new Response(electionLedgerCsv(ledger.meta, ledger.entries), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="election-ledger-${ledger.election.id}.csv"`,
      "Cache-Control": "private, max-age=60",
    },
  });
}
