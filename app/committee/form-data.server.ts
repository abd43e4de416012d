import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";

/**
 * A form post, with files of up to `maxBytes` held in memory. An oversized upload is refused
 * before it is read (by Content-Length) or as soon as a part passes the limit.
 */
export async function readForm(request: Request, maxBytes: number): Promise<{ ok: true; formData: FormData } | { ok: false; error: "committee.errors.fileTooBig" | "common.errors.invalid" }> {
  const type = request.headers.get("Content-Type") ?? "";
  try {
    if (!type.startsWith("multipart/form-data")) return { ok: true, formData: await request.formData() };
    if (Number(request.headers.get("Content-Length") ?? 0) > maxBytes + 64 * 1024) return { ok: false, error: "committee.errors.fileTooBig" };
    return { ok: true, formData: await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: maxBytes })) };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, error: "committee.errors.fileTooBig" };
    if (error instanceof TypeError) return { ok: false, error: "common.errors.invalid" };
    throw error;
  }
}
