import { z } from "zod";

/**
 * Whom owners ask about a claim letter (the property office, the committee: a name, a phone, a
 * place), printed on every letter. Kept in estate.settings under `claimContact`, beside the rules
 * of procedure but not one of them (changing it changes no vote). Client-safe.
 */
export const claimContactMax = 120;

export const ClaimContactSchema = z.object({
  contact: z
    .string()
    .trim()
    .max(claimContactMax, "common.errors.tooLong")
    // eslint-disable-next-line no-control-regex
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "common.errors.invalid")
    .optional()
    .transform((v) => v ?? ""),
});

/** The stored contact, or "" when none (or a stored value that is not a short string). */
export function claimContactOf(settings: unknown): string {
  const raw = settings && typeof settings === "object" ? (settings as Record<string, unknown>).claimContact : undefined;
  return typeof raw === "string" && raw.length <= claimContactMax ? raw.trim() : "";
}
