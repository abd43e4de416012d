import { createHash } from "node:crypto";
import { type Locale } from "./locales";
import { resources } from "./resources";

/**
 * One language's catalogue as the browser receives it: the JSON and a short hash of it, so its
 * address changes when a message does and the browser may keep it for a year otherwise.
 */
const cache = new Map<Locale, { json: string; version: string }>();

export function catalogueOf(locale: Locale) {
  let found = cache.get(locale);
  if (!found) {
    const json = JSON.stringify(resources[locale].translation);
    found = { json, version: createHash("sha256").update(json).digest("hex").slice(0, 12) };
    cache.set(locale, found);
  }
  return found;
}
