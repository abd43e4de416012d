import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client";
import { notFound, requireEstateRole } from "~/auth/guards.server";
import { findProposal } from "~/voting/access.server";
import { ledgerCsv } from "~/voting/ledger";
import { ledgerEntries } from "~/voting/proposals.server";
import type { Tally } from "~/voting/tally";

/** The ledger as CSV, for anyone in the estate to recount with scripts/verify-ledger.ts. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstateRole(request, context, params.estate, "any");
  const p = await findProposal(getDb(), estate.id, params.id ?? "");
  if (!p || !p.finalHash || !p.result) notFound();
  const result = p.result as Tally;
  const csv = ledgerCsv(
    { proposalId: p.id, matter: p.matter, totalAreaCentiSqm: result.totalArea, totalHeadcount: result.totalHeadcount, finalHash: p.finalHash },
    await ledgerEntries(getDb(), p.id),
  );
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="ledger-${p.id}.csv"`,
      "Cache-Control": "private, max-age=60",
    },
  });
}
