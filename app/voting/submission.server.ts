import { parseWithZod } from "@conform-to/zod";
import { data } from "@remix-run/node";
import type { z } from "zod";
import type { ActionFailure } from "./action-error";
import { readFormData } from "./form-data.server";

/** A refusal for the form that sent `intent`, with its HTTP status. */
export function refuse(intent: string, error: string, status: number, params?: Record<string, string | number>) {
  return data<ActionFailure>({ intent, error, params }, { status });
}

/**
 * Reads a voting form post (multipart, one upload at most) and checks it against `schema`. A body
 * too large or unreadable is refused for `uploadIntent` (the form with the file); a field that
 * fails its check is refused with the first catalogue key it gave.
 */
export async function readSubmission<S extends z.ZodTypeAny>(request: Request, schema: S, uploadIntent: string) {
  const read = await readFormData(request);
  if (!read.ok) return { ok: false as const, refusal: refuse(uploadIntent, read.error, read.error === "voting.errors.tooLarge" ? 413 : 400) };
  const formData = read.formData;
  const submission = parseWithZod(formData, { schema });
  const intent = String(formData.get("intent") ?? "");
  if (submission.status !== "success") {
    const first = Object.values(submission.error ?? {}).flat()[0];
    return { ok: false as const, refusal: refuse(intent, first && /^[a-z]+\.errors\./.test(first) ? first : "common.errors.invalid", 400) };
  }
  return { ok: true as const, value: submission.value as z.output<S>, formData, intent };
}
