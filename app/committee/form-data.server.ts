import { readUploadForm } from "~/ui/form-data.server";

/** A committee form post, with files of up to `maxBytes` held in memory (see readUploadForm). */
export function readForm(request: Request, maxBytes: number) {
  const tooBig = "committee.errors.fileTooBig" as const;
  return readUploadForm(request, { maxPartBytes: maxBytes, maxRequestBytes: maxBytes + 64 * 1024, tooLarge: tooBig, partTooLarge: tooBig });
}
