import type { LoaderFunctionArgs } from "@remix-run/node";
import { and, eq, or } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { forbidden, notFound, requireEstateRole } from "~/auth/guards.server";
import { findProposal } from "~/voting/access.server";
import { loadFile } from "~/voting/files.server";
import { hasAny, voteOverseers } from "~/voting/roles";

/**
 * An uploaded file. Proposal attachments: every member once the proposal is public. A proxy's
 * authorisation: the committee, the owner who gave it and the proxy. Paper ballot scans: the committee.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstateRole(request, context, params.estate, "any");
  const db = getDb();
  const proposal = await findProposal(db, estate.id, params.id ?? "");
  if (!proposal) notFound();
  const file = await loadFile(db, estate.id, proposal.id, params.fileId ?? "").catch(() => null);
  if (!file) notFound();
  const overseer = hasAny(roles, voteOverseers);
  if (file.row.kind === "proposal" && proposal.status === "draft" && !overseer) notFound();
  if (file.row.kind === "paper" && !overseer) forbidden();
  if (file.row.kind === "proxy" && !overseer) {
    const { proxies } = schema;
    const [mine] = await db
      .select({ id: proxies.id })
      .from(proxies)
      .where(and(eq(proxies.fileId, file.row.id), eq(proxies.estateId, estate.id), or(eq(proxies.grantorUserId, user.id), eq(proxies.proxyUserId, user.id))));
    if (!mine) forbidden();
  }
  const inline = file.row.contentType === "application/pdf" || file.row.contentType.startsWith("image/");
  return new Response(file.bytes, {
    headers: {
      "Content-Type": file.row.contentType,
      "Content-Length": String(file.bytes.byteLength),
      "Content-Disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(file.row.fileName)}`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      "Cache-Control": "private, max-age=3600",
    },
  });
}
