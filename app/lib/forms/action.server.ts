import type { Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { data } from "@remix-run/node";
import type { z } from "zod";
import { readUploadForm } from "./form-data.server";
import { statusOf, type FormReply, type Params, type Reason, type Refusal } from "./result";

/** How much an upload form may carry, and the catalogue keys for a body or a part past it. */
export type UploadLimits = { maxPartBytes: number; maxRequestBytes?: number; tooLarge: string; partTooLarge?: string };

/** Limits for a form without files: a generous 64 KB of fields. */
const plainLimits: UploadLimits = { maxPartBytes: 64 * 1024, tooLarge: "common.errors.tooLarge" };

/** A catalogue key (`voting.errors.closed`), as opposed to Zod's own English defaults. */
const catalogueKey = /^[a-z][A-Za-z]*\.[A-Za-z0-9_.]+$/;

type ReplyOptions = {
  /** The parsed submission, so the form gets its values back and field errors land on fields. */
  submission?: Submission<unknown>;
  /** The reason when the refusal has none of its own (default: conflict). */
  reason?: Reason;
  /** Reasons by catalogue key, for commands whose refusals do not carry one (e.g. `{ "voting.errors.notFound": "not_found" }`). */
  reasons?: Readonly<Partial<Record<string, Reason>>>;
  /** Fields never sent back (passwords). */
  hideFields?: string[];
};

/**
 * The one answer to a refused form: the refusal's status (400 invalid, 403 forbidden, 404 not
 * found, 409 conflict, 413 too large) with a body Conform's `useForm({ lastResult })` reads and
 * `FormError` shows beside the form that sent `form` (its intent). The message stays a catalogue
 * key; the page translates it in the reader's language.
 */
export function refuse(
  form: string,
  refused: Omit<Refusal, "ok"> | string,
  o: ReplyOptions & { params?: Params } = {},
) {
  const r = typeof refused === "string" ? { error: refused, params: o.params } : refused;
  const reason = r.reason ?? o.reasons?.[r.error] ?? o.reason ?? "conflict";
  const result = o.submission
    ? o.submission.reply(
        r.fields
          ? { fieldErrors: r.fields, hideFields: o.hideFields }
          : { formErrors: [r.error], hideFields: o.hideFields },
      )
    : { error: r.fields ?? { "": [r.error] } };
  const body: FormReply = { ...result, status: "error", form, reason };
  if (r.params) body.params = r.params;
  return data(body, { status: statusOf[reason] });
}

/** The form's intent as sent (`""` when it has none). */
function intentOf(formData: FormData) {
  const intent = formData.get("intent");
  return typeof intent === "string" ? intent : "";
}

/**
 * Reads a form post (multipart with uploads up to `upload`'s limits, or plain fields) and checks
 * it against `schema` (or the schema for the intent sent) with Conform. A body too large or unreadable is refused for `uploadForm`
 * (the form with the file); `form` names a route's only form when it sends no intent, `alias`
 * the form whose refusals an intent shares (a second button of one form); a field that fails its check is refused with
 * status 400, its errors (catalogue keys; Zod's own English defaults become
 * `common.errors.invalid`) on the fields. On success: the value, the submission (for `refuse`),
 * the raw form data (for files) and the intent.
 */
export async function parseForm<S extends z.ZodTypeAny>(
  request: Request,
  schema: S | ((intent: string) => S),
  o: {
    upload?: UploadLimits;
    uploadForm?: string;
    form?: string;
    alias?: Readonly<Record<string, string>>;
    hideFields?: string[];
  } = {},
): Promise<
  | { ok: true; value: z.output<S>; submission: Submission<z.output<S>>; formData: FormData; intent: string }
  | { ok: false; response: ReturnType<typeof refuse> }
> {
  const limits = o.upload ?? plainLimits;
  const read = await readUploadForm(request, {
    maxPartBytes: limits.maxPartBytes,
    maxRequestBytes: limits.maxRequestBytes ?? limits.maxPartBytes + 64 * 1024,
    tooLarge: limits.tooLarge,
    partTooLarge: limits.partTooLarge ?? limits.tooLarge,
  });
  if (!read.ok) {
    const reason: Reason = read.error === "common.errors.invalid" ? "invalid" : "too_large";
    return { ok: false, response: refuse(o.uploadForm ?? o.form ?? "", read.error, { reason }) };
  }
  const formData = read.formData;
  const intent = intentOf(formData) || (o.form ?? "");
  const submission = parseWithZod(formData, { schema: typeof schema === "function" ? schema(intent) : schema });
  if (submission.status !== "success") {
    const fields: Record<string, string[]> = {};
    for (const [name, errors] of Object.entries(submission.error ?? {})) {
      if (errors?.length) fields[name] = errors.map((e) => (catalogueKey.test(e) ? e : "common.errors.invalid"));
    }
    if (Object.keys(fields).length === 0) fields[""] = ["common.errors.invalid"];
    const form = o.alias?.[intent] ?? intent;
    return {
      ok: false,
      response: refuse(
        form,
        { error: Object.values(fields)[0][0], fields, reason: "invalid" },
        { submission, hideFields: o.hideFields },
      ),
    };
  }
  return {
    ok: true,
    value: submission.value as z.output<S>,
    submission: submission as Submission<z.output<S>>,
    formData,
    intent,
  };
}
