import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { maxUploadBytes } from "./files.server";

/**
 * A form post, with at most one file of up to 10 MB held in memory. An oversized upload is
 * refused before it is read (by Content-Length) or as soon as a part passes the limit.
 */
export async function readFormData(request: Request): Promise<{ ok: true; formData: FormData } | { ok: false; error: "voting.errors.tooLarge" | "common.errors.invalid" }> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    try {
      return { ok: true, formData: await request.formData() };
    } catch {
      return { ok: false, error: "common.errors.invalid" };
    }
  }
  if (Number(request.headers.get("Content-Length") ?? 0) > maxUploadBytes + 64 * 1024) return { ok: false, error: "voting.errors.tooLarge" };
  try {
    return { ok: true, formData: await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: maxUploadBytes })) };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, error: "voting.errors.tooLarge" };
    if (error instanceof TypeError) return { ok: false, error: "common.errors.invalid" };
    throw error;
  }
}
