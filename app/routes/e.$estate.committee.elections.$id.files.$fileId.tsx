import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client";
import { forbidden, notFound, requireEstatePermission } from "~/auth/guards.server";
import { can } from "~/lib/permissions";
import { isUuid } from "~/lib/ids";
import { fileResponse } from "~/lib/uploads/response.server";
import { loadFile, requireProxyFileParty } from "~/voting/vote-files.server";

/**
 * A file of an election: a paper ballot's scan (committee members and admins), or a proxy's
 * authorisation (them, the owner who gave it and the proxy).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const electionId = params.id ?? "";
  const fileId = params.fileId ?? "";
  if (!isUuid(electionId) || !isUuid(fileId)) notFound();
  const db = getDb();
  const file = await loadFile(db, estate.id, { electionId }, fileId);
  if (!file) notFound();
  if (!can(roles, "elections:oversee")) {
    if (file.row.kind !== "proxy") forbidden();
    await requireProxyFileParty(db, estate.id, file.row.id, user.id);
  }
  return fileResponse(file);
}
