import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client";
import { forbidden, notFound, requireEstatePermission } from "~/auth/guards.server";
import { findProposal } from "~/voting/access.server";
import { can } from "~/lib/permissions";
import { fileResponse } from "~/lib/uploads/response.server";
import { loadFile, requireProxyFileParty } from "~/voting/vote-files.server";

/**
 * An uploaded file. Proposal attachments: every member once the proposal is public. A proxy's
 * authorisation: the committee, the owner who gave it and the proxy. Paper ballot scans: the committee.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const db = getDb();
  const proposal = await findProposal(db, estate.id, params.id ?? "");
  if (!proposal) notFound();
  const file = await loadFile(db, estate.id, proposal.id, params.fileId ?? "").catch(() => null);
  if (!file) notFound();
  const overseer = can(roles, "voting:oversee");
  if (file.row.kind === "proposal" && proposal.status === "draft" && !overseer) notFound();
  if (file.row.kind === "paper" && !overseer) forbidden();
  if (file.row.kind === "proxy" && !overseer) await requireProxyFileParty(db, estate.id, file.row.id, user.id);
  return fileResponse(file);
}
