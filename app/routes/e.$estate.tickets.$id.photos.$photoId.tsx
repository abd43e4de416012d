import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { isUuid } from "~/lib/ids";
import { photoBytes } from "~/tickets/photos.server";
import { canSeeWhole, viewerOf } from "~/tickets/tickets.server";

/**
 * A ticket's photo (stripped of its metadata on upload): only for those who see the ticket
 * whole (the filer and their household, the property staff, the committee once escalated).
 * The public board never shows photos; to anyone else the photo does not exist.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const ticketId = params.id ?? "";
  const photoId = params.photoId ?? "";
  if (!isUuid(ticketId) || !isUuid(photoId)) notFound();
  const db = getDb();
  if (!(await canSeeWhole(estate.id, ticketId, await viewerOf(db, estate.id, user.id, roles)))) notFound();
  const photo = await photoBytes(db, estate.id, ticketId, photoId);
  if (!photo) notFound();
  return new Response(photo.bytes, {
    headers: {
      "Content-Type": photo.row.contentType,
      "Content-Length": String(photo.bytes.byteLength),
      "Content-Disposition": "inline",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, max-age=3600",
    },
  });
}
