import { z } from "zod";

/**
 * Text that people type and others read. Two kinds of invisible character make trouble:
 * bidi controls (U+200E/F marks, U+202A–U+202E embeddings and overrides, U+2066–U+2069
 * isolates), which reorder what is shown (`‮fdp.exe`), and zero-width characters (U+200B–U+200D,
 * U+2060 word joiner, U+FEFF), which make `1\u200b01` a different string from `101` that looks
 * the same. Identifiers and names (unit numbers, building labels, person names, titles) refuse
 * both; free text (comments, bodies) loses its bidi controls, keeping zero-width joiners, which
 * emoji sequences and some scripts need.
 */
export const invisibleCharacters = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g;

/** The catalogue key of the refusal. */
export const invisibleMessage = "common.errors.forbiddenCharacters";

/** Whether text has a bidi control or a zero-width character in it. */
export function hasInvisible(text: string): boolean {
  return invisibleCharacters.test(text);
}

/**
 * A unit number or building label as stored and as looked up: NFKC (full-width digits and
 * letters become ASCII, `１０１` is `101`), runs of white space one space, trimmed. Apply it
 * wherever a label is written or compared, so lookalikes cannot sit side by side.
 */
export function normaliseLabel(text: string): string {
  return text.normalize("NFKC").replace(/\s+/g, " ").trim();
}

/** Free text without bidi embeddings, overrides and isolates. */
export function stripBidi(text: string): string {
  return text.replace(bidiControls, "");
}

type Messages = { required?: string; tooLong?: string };

/** A required name or title field: trimmed, at most `max` characters, no invisible characters. */
export function nameField(max: number, messages: Messages = {}) {
  return z
    .string({ required_error: messages.required ?? "common.errors.required" })
    .trim()
    .min(1, messages.required ?? "common.errors.required")
    .max(max, messages.tooLong ?? "common.errors.tooLong")
    .refine((value) => !hasInvisible(value), invisibleMessage);
}

/** A required unit number or building label: a name field, normalised (normaliseLabel). */
export function labelField(max: number, messages: Messages = {}) {
  return nameField(max, messages).transform(normaliseLabel);
}

/** Free text of at most `max` characters, trimmed, its bidi controls removed. */
export function freeText(max: number, messages: Messages = {}) {
  return z
    .string({ required_error: messages.required ?? "common.errors.required" })
    .transform((value) => stripBidi(value).trim())
    .pipe(z.string().max(max, messages.tooLong ?? "common.errors.tooLong"));
}
