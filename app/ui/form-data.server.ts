import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";

export type FormRead<E extends string> = { ok: true; formData: FormData } | { ok: false; error: E | "common.errors.invalid" };

/**
 * A form post, with its files held in memory. An oversized upload is refused before it is read
 * (by Content-Length, `tooLarge`) or as soon as a part passes `maxPartBytes` (`partTooLarge`);
 * a body that is not a form is `common.errors.invalid`. The errors are catalogue keys.
 */
export async function readUploadForm<E extends string>(
  request: Request,
  limits: { maxPartBytes: number; maxRequestBytes: number; tooLarge: E; partTooLarge: E },
): Promise<FormRead<E>> {
  const type = request.headers.get("Content-Type") ?? "";
  try {
    if (!type.startsWith("multipart/form-data")) return { ok: true, formData: await request.formData() };
    if (Number(request.headers.get("Content-Length") ?? 0) > limits.maxRequestBytes) return { ok: false, error: limits.tooLarge };
    return { ok: true, formData: await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: limits.maxPartBytes })) };
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, error: limits.partTooLarge };
    if (error instanceof TypeError) return { ok: false, error: "common.errors.invalid" };
    throw error;
  }
}
