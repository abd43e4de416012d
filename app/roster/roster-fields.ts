/** The roster file's columns and limits: shared by the parser and the upload page (no parser code in the browser). */

export const rosterLimits = { maxBytes: 10 * 1024 * 1024, maxRows: 50_000 };
export type RosterLimits = typeof rosterLimits;

export const rosterFields = [
  "building",
  "unit",
  "floor",
  "kind",
  "area",
  "ownerNames",
  "ownerPhones",
  "developerUnsold",
  "registerRefs",
] as const;
export type RosterField = (typeof rosterFields)[number];
export const requiredRosterFields: readonly RosterField[] = ["building", "unit", "floor", "kind", "area", "ownerNames"];
