import { createHmac } from "node:crypto";
import { env } from "~/env.server";

/**
 * The key person keys are made under: derived from SESSION_SECRET with a label of its own (as
 * the SMS code key is), so it is no other secret's key; production refuses to start on an unset
 * or published SESSION_SECRET (app/env.server.ts). An ID number has 18 characters of which
 * few vary: a plain hash is reversed by trying every birth date and sequence, an HMAC needs
 * this key. Changing SESSION_SECRET changes every key: owners imported before are then matched
 * again by name and phone, or by name within the unit (roster-plan.ts), on the next import.
 */
function personKeyKey(): Buffer {
  return createHmac("sha256", env().SESSION_SECRET).update("roster-person-key").digest();
}

/** HMAC-SHA256 of a normalised ID number (identity.ts normaliseIdNumber): the only form kept. */
export function personKeyOf(idNumber: string): string {
  return createHmac("sha256", personKeyKey()).update(idNumber).digest("base64url");
}
