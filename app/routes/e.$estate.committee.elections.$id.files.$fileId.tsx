import type { LoaderFunctionArgs } from "@remix-run/node";
import { and, eq, or } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { forbidden, notFound, requireEstateRole } from "~/auth/guards.server";
import { isUuid } from "~/committee/access.server";
import { loadFile } from "~/voting/files.server";
import { hasAny, voteOverseers } from "~/voting/roles";

/**
 * A file of an election: a paper ballot's scan (committee members and admins), or a proxy's
 * authorisation (them, the owner who gave it and the proxy).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstateRole(request, context, params.estate, "any");
  const electionId = params.id ?? "";
  const fileId = params.fileId ?? "";
  if (!isUuid(electionId) || !isUuid(fileId)) notFound();
  const db = getDb();
  const file = await loadFile(db, estate.id, { electionId }, fileId);
  if (!file) notFound();
  if (!hasAny(roles, voteOverseers)) {
    if (file.row.kind !== "proxy") forbidden();
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
