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
  "idNumbers",
] as const;
export type RosterField = (typeof rosterFields)[number];
export const requiredRosterFields: readonly RosterField[] = ["building", "unit", "floor", "kind", "area", "ownerNames"];

/**
 * What the estate relies on to process owners' ID numbers (sensitive personal information,
 * PIPL Art. 28–29), chosen on import when the file has an ID-number column and kept with the
 * import: each owner's separate consent (Art. 29), a contract the owner is party to (Art. 13
 * (2)), or a legal duty (Art. 13 (3): counting owners for joint decisions, Civil Code Art. 278).
 */
export const idBases = ["consent", "contract", "legalDuty"] as const;
export type IdBasis = (typeof idBases)[number];
