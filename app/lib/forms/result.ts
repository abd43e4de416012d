import type { SubmissionResult } from "@conform-to/react";

/**
 * Why a command (or a form post) was refused. Each reason is one HTTP status (see `statusOf`):
 * the input is wrong (400), the caller may not do this (403), the thing is not there (404), the
 * state of things forbids it now (409); and the rarer ones: a link used up (410), a body too
 * large (413), too many tries (429), a provider that did not answer (503).
 */
export type Reason =
  "invalid" | "forbidden" | "not_found" | "conflict" | "gone" | "too_large" | "rate_limited" | "unavailable";

/** Values a message's text needs (`{{line}}`, `{{count}}`). */
export type Params = Record<string, string | number>;

/**
 * A command's refusal: a catalogue key (`voting.errors.closed`) and, where the text needs them,
 * values; `reason` when it is not a conflict (the default), `fields` when it belongs to inputs.
 */
export type Refusal<E extends string = string> = {
  ok: false;
  error: E;
  params?: Params;
  reason?: Reason;
  fields?: Record<string, string[]>;
};

/** A command's success with what it produced. */
export type Ok<T = object> = { ok: true } & T;

/** What every command returns: its value, or a refusal. */
export type Result<T = object, E extends string = string> = Ok<T> | Refusal<E>;

/** The HTTP status of each reason. */
export const statusOf: Record<Reason, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** A refusal with its reason. */
export function refusal<E extends string>(reason: Reason, error: E, params?: Params): Refusal<E> {
  return params ? { ok: false, error, params, reason } : { ok: false, error, reason };
}

/**
 * What an action answers a refused form with: Conform's submission result (`useForm({ lastResult })`
 * shows `error[""]` above the form and each field's errors beside it; all catalogue keys), plus
 * `form`, the intent of the form that was sent (routes with several forms show the refusal only
 * beside that one), the reason and the values for the message.
 */
export type FormReply = SubmissionResult<string[]> & { status: "error"; form: string; reason: Reason; params?: Params };

/** Whether an action's answer is a refusal (and, given `form`, of one of those forms). */
export function isFormReply(value: unknown, form?: string | readonly string[]): value is FormReply {
  if (!value || typeof value !== "object") return false;
  const v = value as Partial<FormReply>;
  if (v.status !== "error" || typeof v.form !== "string" || typeof v.reason !== "string") return false;
  if (form === undefined) return true;
  return typeof form === "string" ? v.form === form : form.includes(v.form);
}

/** The message of a refusal for a form without per-field errors: its form-level one, else the first field's (a catalogue key). */
export function messageOf(reply: FormReply): string {
  return (
    reply.error?.[""]?.[0] ?? Object.values(reply.error ?? {}).find((e) => e?.length)?.[0] ?? "common.errors.invalid"
  );
}
