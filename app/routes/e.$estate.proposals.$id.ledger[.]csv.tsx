import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { findProposal } from "~/voting/access.server";
import { fullBallotListRequest } from "~/voting/ballot-list.server";
import { ledgerCsv, publicLedgerCsv } from "~/voting/ledger";
import { ledgerEntries } from "~/voting/proposals.server";
import type { Tally } from "~/voting/tally";

/**
 * The ledger as CSV once voting has closed: the public one (no areas, times to the minute) for
 * anyone in the estate to recount the headcount; with `?full=1` the full one (areas, exact
 * times, the hash chain) for scripts/verify-ledger.ts, to those the estate's setting names, audited.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user, roles } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const p = await findProposal(getDb(), estate.id, params.id ?? "");
  if (!p || p.status === "draft") notFound();
  const closed = p.finalHash !== null && p.result !== null;
  const { full } = await fullBallotListRequest(request, {
    estate,
    roles,
    userId: user.id,
    closed,
    vote: { proposalId: p.id },
    format: "csv",
  });
  if (!p.finalHash || !p.result) notFound();
  const result = p.result as Tally;
  const entries = await ledgerEntries(getDb(), p.id);
  const meta = {
    proposalId: p.id,
    matter: p.matter,
    totalAreaCentiSqm: result.totalArea,
    totalHeadcount: result.totalHeadcount,
    finalHash: p.finalHash,
    spoiledTakesPart: p.rules?.spoiledTakesPart,
  };
  return new Response(full ? ledgerCsv(meta, entries) : publicLedgerCsv(meta, entries), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${full ? "ballot-list" : "ledger"}-${p.id}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
