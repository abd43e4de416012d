/** A stored file as the store and its row give it: the name and type recorded at upload, and the bytes. */
export interface LoadedFile {
  row: { contentType: string; fileName: string };
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * An uploaded file as a download: PDFs and pictures shown in the browser, anything else
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
