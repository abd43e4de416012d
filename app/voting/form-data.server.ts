import { maxUploadBytes } from "~/lib/uploads/store.server";
import { readUploadForm } from "~/ui/form-data.server";

/** A voting form post, with at most one file of up to 10 MB held in memory (see readUploadForm). */
export function readFormData(request: Request) {
  const tooLarge = "voting.errors.tooLarge" as const;
  return readUploadForm(request, { maxPartBytes: maxUploadBytes, maxRequestBytes: maxUploadBytes + 64 * 1024, tooLarge, partTooLarge: tooLarge });
}
