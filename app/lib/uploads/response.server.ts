import { and, eq, or } from "drizzle-orm";
import { schema, type Queryable } from "#db/client";
import { forbidden } from "~/auth/guards.server";
import type { loadFile } from "./files.server";

type LoadedFile = NonNullable<Awaited<ReturnType<typeof loadFile>>>;

/**
 * A proxy's signed authorisation is read by those who oversee the vote (checked by the caller),
 * the owner who gave it and the proxy; anyone else is refused (403).
 */
export async function requireProxyFileParty(db: Queryable, estateId: string, fileId: string, userId: string) {
  const { proxies } = schema;
  const [mine] = await db
    .select({ id: proxies.id })
    .from(proxies)
    .where(and(eq(proxies.fileId, fileId), eq(proxies.estateId, estateId), or(eq(proxies.grantorUserId, userId), eq(proxies.proxyUserId, userId))));
  if (!mine) forbidden();
}

/**
 * An uploaded voting file as a download: PDFs and pictures shown in the browser, anything else
 * saved; sandboxed and never sniffed, so an upload cannot run as a page of the site.
 */
export function fileResponse(file: LoadedFile) {
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
