import type { UnitKind } from "#db/schema/places";
import { nameAndPhoneKey, normaliseName, ownerIdentityKey } from "./identity";
import type { RosterRow } from "./roster-csv";

/**
 * What importing a valid roster file into an estate would change, worked out from the estate's
 * roster as it stands. Pure: the same plan is shown in the preview and applied on confirmation
 * (recomputed then, against the roster as it stands at that moment).
 */

export interface ExistingUnit {
  id: string;
  building: string;
  number: string;
  floor: number;
  kind: UnitKind;
  areaCentiSqm: number;
  developerUnsold: boolean;
}

export interface ExistingOwner {
  id: string;
  identityKey: string;
  name: string;
  phone: string | null;
  registerRef: string | null;
  idTail: string | null;
  userId: string | null;
}

export interface EstateRoster {
  buildings: string[];
  units: ExistingUnit[];
  owners: ExistingOwner[];
  ownerships: { unitId: string; ownerId: string }[];
}

export type UnitField = "floor" | "kind" | "area" | "developerUnsold";

export interface PlannedOwner {
  identityKey: string;
  name: string;
  phone: string | null;
  registerRef: string | null;
  idTail: string | null;
}

/**
 * The same name and phone under different ID numbers: two people (say a parent and a child of
 * the same name sharing a phone) or a mistyped number. Imported as listed; the admin is told.
 */
export interface IdentityWarning {
  /** Masked by the caller before anything leaves the server. */
  name: string;
  /** Lines of the file that list this name and phone. */
  lines: number[];
  /** Whether an owner already on the roster has this name and phone under another ID number. */
  onRoster: boolean;
  /** The last 4 characters of each ID number involved. */
  tails: string[];
}

export interface ImportSummary {
  rows: number;
  buildingsNew: number;
  unitsNew: number;
  unitsUpdated: number;
  unitsUnchanged: number;
  /** Units of the estate the file does not mention: left as they are. */
  unitsNotInFile: number;
  ownersNew: number;
  ownersUpdated: number;
  /** Existing units whose set of owners changes. */
  ownershipChanged: number;
  /** Owners with an account whose roster entry is kept (matched again by identity or by name in the unit). */
  claimedOwnersKept: number;
}

export interface ChangeSample {
  line: number;
  building: string;
  unit: string;
  status: "new" | "updated";
  changes: (UnitField | "owners")[];
  /** Names masked by the caller before anything leaves the server. */
  ownersBefore: string[];
  ownersAfter: string[];
}

export interface ImportPlan {
  newBuildings: string[];
  newUnits: RosterRow[];
  updatedUnits: { id: string; row: RosterRow; changes: UnitField[] }[];
  newOwners: PlannedOwner[];
  /** Existing owners whose name, phone, reference or identity key change (ids kept: accounts stay linked). */
  updatedOwners: (PlannedOwner & { id: string })[];
  /** Units (by building and number) whose owner set is replaced, with the identity keys of the new set. */
  ownershipSets: { building: string; unit: string; ownerKeys: string[] }[];
  summary: ImportSummary;
  samples: ChangeSample[];
  identityWarnings: IdentityWarning[];
}

export const unitKey = (building: string, unit: string) => `${building}\u0000${unit}`;

export function planImport(rows: RosterRow[], roster: EstateRoster, sampleLimit = 200): ImportPlan {
  const unitsByKey = new Map(roster.units.map((u) => [unitKey(u.building, u.number), u]));
  const ownersById = new Map(roster.owners.map((o) => [o.id, { ...o }]));
  const ownerByKey = new Map(roster.owners.map((o) => [o.identityKey, ownersById.get(o.id)!]));
  const ownerIdsByUnit = new Map<string, string[]>();
  for (const { unitId, ownerId } of roster.ownerships) {
    const list = ownerIdsByUnit.get(unitId) ?? [];
    list.push(ownerId);
    ownerIdsByUnit.set(unitId, list);
  }
  const originals = new Map(roster.owners.map((o) => [o.id, o]));
  // Names before any change, for the preview.
  const namesBefore = (unitId: string) => (ownerIdsByUnit.get(unitId) ?? []).map((id) => originals.get(id)!.name);

  const fileOwners = rows.map((row) =>
    row.owners.map((o) => ({ ...o, identityKey: ownerIdentityKey(o, `${row.building}/${row.unit}`) })),
  );

  // A person is recognised by their ID key, else by name and phone: the ID keys seen (in the file
  // and on the roster) under each name and phone. One key there also names the owners listed
  // under that name and phone without an ID number; two or more are reported.
  const idKeysByNamePhone = new Map<
    string,
    { keys: Map<string, string | null>; lines: Set<number>; onRoster: boolean; name: string }
  >();
  const noteId = (name: string, phone: string | null, key: string, tail: string | null, line: number | null) => {
    if (!phone || !key.startsWith("id:")) return;
    const np = nameAndPhoneKey(name, phone);
    const group = idKeysByNamePhone.get(np) ?? { keys: new Map(), lines: new Set(), onRoster: false, name };
    if (!group.keys.has(key)) group.keys.set(key, tail);
    if (line === null) group.onRoster = true;
    else group.lines.add(line);
    idKeysByNamePhone.set(np, group);
  };
  for (const o of roster.owners) noteId(o.name, o.phone, o.identityKey, o.idTail, null);
  rows.forEach((row, i) => fileOwners[i].forEach((o) => noteId(o.name, o.phone, o.identityKey, o.idTail, row.line)));
  rows.forEach((row, i) => {
    const existing = unitsByKey.get(unitKey(row.building, row.unit));
    for (const owner of fileOwners[i]) {
      if (owner.personKey) continue;
      const group = owner.phone ? idKeysByNamePhone.get(nameAndPhoneKey(owner.name, owner.phone)) : undefined;
      if (group) {
        group.lines.add(row.line);
        if (group.keys.size === 1) {
          const [[key, tail]] = [...group.keys];
          owner.identityKey = key;
          owner.idTail = tail;
        }
        continue;
      }
      // A file without the ID column does not forget the ID key of an owner already in this unit.
      const known = existing
        ? (ownerIdsByUnit.get(existing.id) ?? [])
            .map((id) => originals.get(id)!)
            .find((o) => o.identityKey.startsWith("id:") && normaliseName(o.name) === normaliseName(owner.name))
        : undefined;
      if (known) {
        owner.identityKey = known.identityKey;
        owner.idTail = known.idTail;
      }
    }
  });
  const identityWarnings: IdentityWarning[] = [...idKeysByNamePhone.values()]
    .filter((g) => g.keys.size > 1 && g.lines.size > 0)
    .map((g) => ({
      name: g.name,
      lines: [...g.lines].sort((a, b) => a - b),
      onRoster: g.onRoster,
      tails: [...g.keys.values()].map((t) => t ?? "????"),
    }))
    .sort((a, b) => a.lines[0] - b.lines[0]);
  const fileKeys = new Set(fileOwners.flat().map((o) => o.identityKey));

  // Someone already on the roster whose identity changed (a phone added, a reference now known):
  // the owner of the same unit with the same name, whose old identity the file no longer uses,
  // keeps their entry (and the account linked to it) under the new identity.
  const rekeyed = new Set<string>();
  rows.forEach((row, i) => {
    const existing = unitsByKey.get(unitKey(row.building, row.unit));
    if (!existing) return;
    for (const owner of fileOwners[i]) {
      if (ownerByKey.has(owner.identityKey)) continue;
      const candidate = (ownerIdsByUnit.get(existing.id) ?? [])
        .map((id) => ownersById.get(id)!)
        .find(
          (o) =>
            !rekeyed.has(o.id) && !fileKeys.has(o.identityKey) && normaliseName(o.name) === normaliseName(owner.name),
        );
      if (!candidate) continue;
      rekeyed.add(candidate.id);
      ownerByKey.delete(candidate.identityKey);
      candidate.identityKey = owner.identityKey;
      ownerByKey.set(owner.identityKey, candidate);
    }
  });

  // One entry per person: the first row that names them gives the name; the first phone given wins.
  const wanted = new Map<string, PlannedOwner>();
  for (const owner of fileOwners.flat()) {
    const known = wanted.get(owner.identityKey);
    if (!known)
      wanted.set(owner.identityKey, {
        identityKey: owner.identityKey,
        name: owner.name,
        phone: owner.phone,
        registerRef: owner.registerRef,
        idTail: owner.idTail,
      });
    else {
      if (!known.phone && owner.phone) known.phone = owner.phone;
      if (!known.idTail && owner.idTail) known.idTail = owner.idTail;
    }
  }
  const newOwners: PlannedOwner[] = [];
  const updatedOwners: ImportPlan["updatedOwners"] = [];
  let claimedOwnersKept = 0;
  for (const planned of wanted.values()) {
    const current = ownerByKey.get(planned.identityKey);
    if (!current) {
      newOwners.push(planned);
      continue;
    }
    if (current.userId) claimedOwnersKept++;
    const original = originals.get(current.id)!;
    if (
      original.identityKey !== planned.identityKey ||
      original.name !== planned.name ||
      original.phone !== planned.phone ||
      original.registerRef !== planned.registerRef ||
      original.idTail !== planned.idTail
    ) {
      updatedOwners.push({ id: current.id, ...planned });
    }
  }

  const existingBuildings = new Set(roster.buildings);
  const newBuildings = [...new Set(rows.map((r) => r.building))].filter((b) => !existingBuildings.has(b));
  const newUnits: RosterRow[] = [];
  const updatedUnits: ImportPlan["updatedUnits"] = [];
  const ownershipSets: ImportPlan["ownershipSets"] = [];
  const samples: ChangeSample[] = [];
  let unitsUnchanged = 0;
  let ownershipChanged = 0;
  let matched = 0;
  rows.forEach((row, i) => {
    const keys = fileOwners[i].map((o) => o.identityKey);
    const existing = unitsByKey.get(unitKey(row.building, row.unit));
    const ownersAfter = row.owners.map((o) => o.name);
    if (!existing) {
      newUnits.push(row);
      if (keys.length) ownershipSets.push({ building: row.building, unit: row.unit, ownerKeys: keys });
      if (samples.length < sampleLimit) {
        samples.push({
          line: row.line,
          building: row.building,
          unit: row.unit,
          status: "new",
          changes: [],
          ownersBefore: [],
          ownersAfter,
        });
      }
      return;
    }
    matched++;
    const changes: UnitField[] = [];
    if (existing.floor !== row.floor) changes.push("floor");
    if (existing.kind !== row.kind) changes.push("kind");
    if (existing.areaCentiSqm !== row.areaCentiSqm) changes.push("area");
    if (existing.developerUnsold !== row.developerUnsold) changes.push("developerUnsold");
    const before = new Set((ownerIdsByUnit.get(existing.id) ?? []).map((id) => ownersById.get(id)!.identityKey));
    const ownersChanged = before.size !== new Set(keys).size || keys.some((k) => !before.has(k));
    if (changes.length) updatedUnits.push({ id: existing.id, row, changes });
    if (ownersChanged) {
      ownershipChanged++;
      ownershipSets.push({ building: row.building, unit: row.unit, ownerKeys: keys });
    }
    if (!changes.length && !ownersChanged) {
      unitsUnchanged++;
      return;
    }
    if (samples.length < sampleLimit) {
      samples.push({
        line: row.line,
        building: row.building,
        unit: row.unit,
        status: "updated",
        changes: ownersChanged ? [...changes, "owners"] : changes,
        ownersBefore: namesBefore(existing.id),
        ownersAfter,
      });
    }
  });

  const unitsUpdated = rows.length - newUnits.length - unitsUnchanged;
  return {
    newBuildings,
    newUnits,
    updatedUnits,
    newOwners,
    updatedOwners,
    ownershipSets,
    samples,
    identityWarnings,
    summary: {
      rows: rows.length,
      buildingsNew: newBuildings.length,
      unitsNew: newUnits.length,
      unitsUpdated,
      unitsUnchanged,
      unitsNotInFile: roster.units.length - matched,
      ownersNew: newOwners.length,
      ownersUpdated: updatedOwners.length,
      ownershipChanged,
      claimedOwnersKept,
    },
  };
}
