import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";

export type FormRead<E extends string> =
  { ok: true; formData: FormData } | { ok: false; error: E | "common.errors.invalid" };

class RequestTooLarge extends Error {}

/** The request with its body counted as it streams: past `limit` bytes the stream fails with RequestTooLarge. */
function countedRequest(request: Request, limit: number) {
  if (!request.body) return request;
  let size = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > limit) controller.error(new RequestTooLarge());
      else controller.enqueue(chunk);
    },
  });
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body.pipeThrough(counter),
    signal: request.signal,
    duplex: "half",
  } as RequestInit);
}

/** A NUL byte in a field's name or value or in a file name: no form of ours takes one, and PostgreSQL refuses it. */
function hasNul(formData: FormData) {
  for (const [name, value] of formData) {
    if (name.includes("\0")) return true;
    if (typeof value === "string" ? value.includes("\0") : value.name.includes("\0")) return true;
  }
  return false;
}

/**
 * A form post, with its files held in memory. An oversized upload is refused before it is read
 * (by Content-Length, `tooLarge`), as soon as the streamed body passes `maxRequestBytes`
 * (chunked bodies too, `tooLarge`) or as soon as a part passes `maxPartBytes` (`partTooLarge`);
 * a body that is not a form, that the multipart parser cannot read (a file name with `=` or `;`
 * in it, a malformed header) or that has a NUL in it is `common.errors.invalid`. The errors are
 * catalogue keys.
 */
export async function readUploadForm<E extends string>(
  request: Request,
  limits: { maxPartBytes: number; maxRequestBytes: number; tooLarge: E; partTooLarge: E },
): Promise<FormRead<E>> {
  const type = request.headers.get("Content-Type") ?? "";
  let formData: FormData;
  try {
    if (!type.startsWith("multipart/form-data")) formData = await request.formData();
    else {
      if (Number(request.headers.get("Content-Length") ?? 0) > limits.maxRequestBytes)
        return { ok: false, error: limits.tooLarge };
      const counted = countedRequest(request, limits.maxRequestBytes);
      formData = await unstable_parseMultipartFormData(
        counted,
        unstable_createMemoryUploadHandler({ maxPartSize: limits.maxPartBytes }),
      );
    }
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, error: limits.partTooLarge };
    if (error instanceof RequestTooLarge) return { ok: false, error: limits.tooLarge };
    // Everything else thrown while reading the body is the body's fault: the multipart parser
    // throws plain Errors on headers it cannot read (`filename="a=b.pdf"`), fetch a TypeError.
    return { ok: false, error: "common.errors.invalid" };
  }
  if (hasNul(formData)) return { ok: false, error: "common.errors.invalid" };
  return { ok: true, formData };
}
