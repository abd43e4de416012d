import { randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, exists, ilike, inArray, isNotNull, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { isUniqueViolation } from "#db/errors";
import { recordPersonalDataViews } from "~/audit/audit.server";
import { isUuid } from "~/lib/ids";
import { maskName, phoneTail } from "~/ui/mask";
import { generateClaimCode } from "./claim-code";
import { parseRoster, type RosterIssue, type RosterRow } from "./roster-csv";
import {
  planImport,
  type ChangeSample,
  type EstateRoster,
  type IdentityWarning,
  type ImportSummary,
} from "./roster-plan";
import type { IdBasis } from "./roster-fields";
import { personKeyOf } from "./person-key.server";
import { recordAudit } from "~/audit/audit.server";
import { assertEstatePermission } from "~/auth/guards.server";

const { buildings, units, owners, ownerships, rosterImports, claimRequests, estates } = schema;

/** What the preview page shows: counts and a sample of changes, names already masked. */
export interface StoredSummary extends ImportSummary {
  encoding: "utf-8" | "gbk";
  samples: ChangeSample[];
  /** Owners in the file with an ID number (absent in imports stored before ID numbers were read). */
  idNumbers?: number;
  /** The same name and phone under different ID numbers, names masked. */
  identityWarnings?: IdentityWarning[];
}

/** Rows of a raw query, whichever driver ran it (postgres.js gives an array, PGlite { rows }). */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Parameters of set-based statements travel as one JSON document: no limit on the number of rows. */
const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

async function loadRoster(db: Queryable, estateId: string): Promise<EstateRoster> {
  const [buildingRows, unitRows, ownerRows, ownershipRows] = await Promise.all([
    db.select({ name: buildings.name }).from(buildings).where(eq(buildings.estateId, estateId)),
    db
      .select({
        id: units.id,
        building: buildings.name,
        number: units.number,
        floor: units.floor,
        kind: units.kind,
        areaCentiSqm: units.areaCentiSqm,
        developerUnsold: units.developerUnsold,
      })
      .from(units)
      .innerJoin(buildings, eq(buildings.id, units.buildingId))
      .where(eq(units.estateId, estateId)),
    db
      .select({
        id: owners.id,
        identityKey: owners.identityKey,
        name: owners.name,
        phone: owners.phone,
        registerRef: owners.registerRef,
        idTail: owners.idTail,
        userId: owners.userId,
      })
      .from(owners)
      .where(eq(owners.estateId, estateId)),
    db
      .select({ unitId: ownerships.unitId, ownerId: ownerships.ownerId })
      .from(ownerships)
      .where(eq(ownerships.estateId, estateId)),
  ]);
  return { buildings: buildingRows.map((b) => b.name), units: unitRows, owners: ownerRows, ownerships: ownershipRows };
}

function maskSamples(samples: ChangeSample[]): ChangeSample[] {
  return samples.map((s) => ({
    ...s,
    ownersBefore: s.ownersBefore.map(maskName),
    ownersAfter: s.ownersAfter.map(maskName),
  }));
}

export type PreviewResult = { ok: true; importId: string } | { ok: false; issues: RosterIssue[] };

/**
 * Parses and validates an uploaded file; a valid one is stored as a preview (nothing else is
 * written), an invalid one writes nothing at all.
 */
export async function previewImport(input: {
  estateId: string;
  userId: string;
  fileName: string;
  bytes: Uint8Array;
  /** Required when the file has ID numbers (PIPL Art. 28–29); ignored when it has none. */
  idBasis?: IdBasis | null;
}): Promise<PreviewResult> {
  // ID numbers become keyed hashes inside the parser: the numbers are never stored, even in a preview.
  const parsed = parseRoster(input.bytes, undefined, personKeyOf);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  if (parsed.idNumbers > 0 && !input.idBasis) return { ok: false, issues: [{ line: null, code: "idBasisRequired" }] };
  const db = getDb();
  const plan = planImport(parsed.rows, await loadRoster(db, input.estateId));
  const summary: StoredSummary = {
    ...plan.summary,
    encoding: parsed.encoding,
    samples: maskSamples(plan.samples),
    idNumbers: parsed.idNumbers,
    identityWarnings: plan.identityWarnings.map((w) => ({ ...w, name: maskName(w.name) })),
  };
  const [row] = await db
    .insert(rosterImports)
    .values({
      estateId: input.estateId,
      uploadedBy: input.userId,
      fileName: input.fileName.slice(0, 200),
      rows: parsed.rows,
      idBasis: parsed.idNumbers > 0 ? input.idBasis : null,
      summary,
    })
    .returning({ id: rosterImports.id });
  return { ok: true, importId: row.id };
}

/** An import of this estate (never another's), without its rows. */
export async function getImport(estateId: string, importId: string) {
  if (!isUuid(importId)) return null;
  const [row] = await getDb()
    .select({
      id: rosterImports.id,
      fileName: rosterImports.fileName,
      status: rosterImports.status,
      summary: rosterImports.summary,
      idBasis: rosterImports.idBasis,
      createdAt: rosterImports.createdAt,
      appliedAt: rosterImports.appliedAt,
    })
    .from(rosterImports)
    .where(and(eq(rosterImports.id, importId), eq(rosterImports.estateId, estateId)));
  return row ? { ...row, summary: row.summary as StoredSummary, idBasis: row.idBasis as IdBasis | null } : null;
}

export async function recentImports(estateId: string, limit = 10) {
  const rows = await getDb()
    .select({
      id: rosterImports.id,
      fileName: rosterImports.fileName,
      status: rosterImports.status,
      summary: rosterImports.summary,
      createdAt: rosterImports.createdAt,
    })
    .from(rosterImports)
    .where(eq(rosterImports.estateId, estateId))
    .orderBy(desc(rosterImports.createdAt))
    .limit(limit);
  return rows.map((r) => {
    const s = r.summary as StoredSummary;
    return {
      id: r.id,
      fileName: r.fileName,
      status: r.status,
      createdAt: r.createdAt,
      rows: s.rows,
      unitsNew: s.unitsNew,
      unitsUpdated: s.unitsUpdated,
    };
  });
}

export type ConfirmResult = { ok: true; summary: ImportSummary } | { ok: false; error: "notFound" | "notPending" };

/** Random bytes drawn 64 KiB at a time: thousands of claim codes without thousands of system calls. */
function pooledRandom() {
  let pool = new Uint8Array(0);
  let at = 0;
  return (n: number) => {
    if (at + n > pool.length) {
      pool = randomBytes(65536);
      at = 0;
    }
    at += n;
    return pool.subarray(at - n, at);
  };
}

/** Inserts units not yet in the estate, each with a fresh claim code (a rare code collision is drawn again). */
async function insertUnits(
  tx: Queryable,
  estateId: string,
  rows: RosterRow[],
  buildingIds: Map<string, string>,
  random: (n: number) => Uint8Array,
) {
  let pending = rows.map((r) => ({
    building_id: buildingIds.get(r.building)!,
    number: r.unit,
    floor: r.floor,
    kind: r.kind,
    area: r.areaCentiSqm,
    unsold: r.developerUnsold,
    code: generateClaimCode(random),
  }));
  for (let attempt = 0; pending.length && attempt < 5; attempt++) {
    const [{ n }] = rowsOf<{ n: number }>(
      await tx.execute(sql`
        with inserted as (
          insert into ${units} (estate_id, building_id, number, floor, kind, area_centi_sqm, developer_unsold, claim_code)
          select ${estateId}::uuid, v.building_id, v.number, v.floor, v.kind, v.area, v.unsold, v.code
          from jsonb_to_recordset(${json(pending)}) as v(building_id uuid, number text, floor int, kind unit_kind, area int, unsold boolean, code text)
          on conflict do nothing
          returning 1
        )
        select count(*)::int as n from inserted`),
    );
    if (n === pending.length) return;
    // Some codes collided with existing ones: find the units still missing and draw again for them.
    const present = rowsOf<{ building_id: string; number: string }>(
      await tx.execute(sql`
        select u.building_id, u.number from ${units} u
        join jsonb_to_recordset(${json(pending.map((p) => ({ building_id: p.building_id, number: p.number })))}) as v(building_id uuid, number text)
          on u.building_id = v.building_id and u.number = v.number`),
    );
    const done = new Set(present.map((r) => `${r.building_id}\u0000${r.number}`));
    pending = pending
      .filter((p) => !done.has(`${p.building_id}\u0000${p.number}`))
      .map((p) => ({ ...p, code: generateClaimCode(random) }));
  }
  if (pending.length) throw new Error("Could not insert units: claim codes kept colliding");
}

/**
 * Applies a previewed import in one transaction: buildings and units upserted by (building,
 * unit number), owners upserted by identity (accounts stay linked), each listed unit's owner set
 * replaced by the file's. Units the file does not mention are left as they are.
 */
export async function confirmImport(
  input: { estateId: string; importId: string; userId: string },
  /** Where claim codes' randomness comes from (tests force a collision). */
  random: (n: number) => Uint8Array = pooledRandom(),
): Promise<ConfirmResult> {
  if (!isUuid(input.importId)) return { ok: false, error: "notFound" };
  try {
    return await applyImport(input, random);
  } finally {
    forgetEstateSize(input.estateId);
  }
}

async function applyImport(
  input: { estateId: string; importId: string; userId: string },
  random: (n: number) => Uint8Array,
): Promise<ConfirmResult> {
  return getDb().transaction(async (tx) => {
    const { estateId } = input;
    // One roster change at a time per estate; the import row is locked against a double confirmation.
    await tx.select({ id: estates.id }).from(estates).where(eq(estates.id, estateId)).for("no key update");
    const [record] = await tx
      .select({
        id: rosterImports.id,
        status: rosterImports.status,
        rows: rosterImports.rows,
        idBasis: rosterImports.idBasis,
      })
      .from(rosterImports)
      .where(and(eq(rosterImports.id, input.importId), eq(rosterImports.estateId, estateId)))
      .for("update");
    if (!record) return { ok: false, error: "notFound" } as const;
    if (record.status !== "preview") return { ok: false, error: "notPending" } as const;
    const rows = record.rows as RosterRow[];
    const plan = planImport(rows, await loadRoster(tx, estateId), 0);

    if (plan.newBuildings.length) {
      await tx
        .insert(buildings)
        .values(plan.newBuildings.map((name) => ({ estateId, name })))
        .onConflictDoNothing();
    }
    const buildingIds = new Map(
      (
        await tx
          .select({ id: buildings.id, name: buildings.name })
          .from(buildings)
          .where(eq(buildings.estateId, estateId))
      ).map((b) => [b.name, b.id]),
    );

    if (plan.newUnits.length) await insertUnits(tx, estateId, plan.newUnits, buildingIds, random);
    if (plan.updatedUnits.length) {
      await tx.execute(sql`
        update ${units} u set floor = v.floor, kind = v.kind, area_centi_sqm = v.area, developer_unsold = v.unsold, updated_at = now()
        from jsonb_to_recordset(${json(plan.updatedUnits.map(({ id, row }) => ({ id, floor: row.floor, kind: row.kind, area: row.areaCentiSqm, unsold: row.developerUnsold })))})
          as v(id uuid, floor int, kind unit_kind, area int, unsold boolean)
        where u.id = v.id and u.estate_id = ${estateId}::uuid`);
    }

    if (plan.updatedOwners.length) {
      await tx.execute(sql`
        update ${owners} o set identity_key = v.identity_key, name = v.name, phone = v.phone, register_ref = v.register_ref, id_tail = v.id_tail
        from jsonb_to_recordset(${json(plan.updatedOwners.map((o) => ({ id: o.id, identity_key: o.identityKey, name: o.name, phone: o.phone, register_ref: o.registerRef, id_tail: o.idTail })))})
          as v(id uuid, identity_key text, name text, phone text, register_ref text, id_tail text)
        where o.id = v.id and o.estate_id = ${estateId}::uuid`);
    }
    if (plan.newOwners.length) {
      await tx.execute(sql`
        insert into ${owners} (estate_id, identity_key, name, phone, register_ref, id_tail)
        select ${estateId}::uuid, v.identity_key, v.name, v.phone, v.register_ref, v.id_tail
        from jsonb_to_recordset(${json(plan.newOwners.map((o) => ({ identity_key: o.identityKey, name: o.name, phone: o.phone, register_ref: o.registerRef, id_tail: o.idTail })))})
          as v(identity_key text, name text, phone text, register_ref text, id_tail text)`);
    }

    if (plan.ownershipSets.length) {
      // Units and owners are found by (building, number) and identity key in SQL: no ids travel back and forth.
      const touched = plan.ownershipSets.map((s) => ({ building: s.building, number: s.unit }));
      const links = plan.ownershipSets.flatMap((s) =>
        s.ownerKeys.map((key) => ({ building: s.building, number: s.unit, key })),
      );
      await tx.execute(sql`
        delete from ${ownerships} o
        using jsonb_to_recordset(${json(touched)}) as v(building text, number text), ${buildings} b, ${units} u
        where b.estate_id = ${estateId}::uuid and b.name = v.building
          and u.building_id = b.id and u.number = v.number
          and o.unit_id = u.id and o.estate_id = ${estateId}::uuid`);
      if (links.length) {
        await tx.execute(sql`
          insert into ${ownerships} (estate_id, unit_id, owner_id)
          select ${estateId}::uuid, u.id, o.id
          from jsonb_to_recordset(${json(links)}) as v(building text, number text, key text)
          join ${buildings} b on b.estate_id = ${estateId}::uuid and b.name = v.building
          join ${units} u on u.building_id = b.id and u.number = v.number
          join ${owners} o on o.estate_id = ${estateId}::uuid and o.identity_key = v.key`);
      }
    }

    await tx
      .update(rosterImports)
      .set({ status: "applied", appliedAt: new Date() })
      .where(eq(rosterImports.id, record.id));
    await recordAudit(tx, {
      estateId,
      actorUserId: input.userId,
      act: "roster_import",
      subjectType: "roster_import",
      subjectId: record.id,
      // The legal basis relied on for the file's ID numbers is on record with the import itself.
      detail: {
        ...plan.summary,
        idBasis: record.idBasis,
        idNumbers: rows.reduce((n, r) => n + r.owners.filter((o) => o.personKey).length, 0),
      },
    });
    return { ok: true, summary: plan.summary } as const;
  });
}

/**
 * How many buildings and units an estate has, for its home page. They change only when a roster
 * import is applied, yet the home page counted the estate's units on every view: the figures are
 * kept per process for a minute and forgotten when this process applies an import (another
 * instance's import shows here within the minute).
 */
const sizeTtlMs = 60_000;
const sizes = new Map<string, { at: number; size: Promise<{ buildingCount: number; unitCount: number }> }>();

export function estateSize(estateId: string): Promise<{ buildingCount: number; unitCount: number }> {
  const now = Date.now();
  const kept = sizes.get(estateId);
  if (kept && now - kept.at < sizeTtlMs) return kept.size;
  const db = getDb();
  const size = Promise.all([
    db.select({ n: count() }).from(buildings).where(eq(buildings.estateId, estateId)),
    db.select({ n: count() }).from(units).where(eq(units.estateId, estateId)),
  ]).then(([[b], [u]]) => ({ buildingCount: b.n, unitCount: u.n }));
  sizes.set(estateId, { at: now, size });
  size.catch(() => sizes.delete(estateId));
  return size;
}

export function forgetEstateSize(estateId: string) {
  sizes.delete(estateId);
}

/** Drops a preview that will not be applied (the record stays, marked discarded). */
export async function discardImport(input: { estateId: string; importId: string }) {
  if (!isUuid(input.importId)) return false;
  const rows = await getDb()
    .update(rosterImports)
    .set({ status: "discarded" })
    .where(
      and(
        eq(rosterImports.id, input.importId),
        eq(rosterImports.estateId, input.estateId),
        eq(rosterImports.status, "preview"),
      ),
    )
    .returning({ id: rosterImports.id });
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Reading the roster

/** Buildings in natural order (2幢 before 10幢). */
const buildingOrder = [
  sql`nullif(substring(${buildings.name} from '^[0-9]+'), '')::numeric nulls last`,
  asc(buildings.name),
];
const unitOrder = [sql`nullif(substring(${units.number} from '^[0-9]+'), '')::numeric nulls last`, asc(units.number)];

export async function buildingNames(estateId: string) {
  const rows = await getDb()
    .select({ name: buildings.name })
    .from(buildings)
    .where(eq(buildings.estateId, estateId))
    .orderBy(...buildingOrder);
  return rows.map((r) => r.name);
}

export async function rosterStats(estateId: string) {
  const db = getDb();
  const claimed = exists(
    db
      .select({ one: sql`1` })
      .from(ownerships)
      .innerJoin(owners, eq(owners.id, ownerships.ownerId))
      .where(and(eq(ownerships.unitId, units.id), isNotNull(owners.userId))),
  );
  const [[u], [c], [unsold], [o], [pending]] = await Promise.all([
    db.select({ n: count() }).from(units).where(eq(units.estateId, estateId)),
    db
      .select({ n: count() })
      .from(units)
      .where(and(eq(units.estateId, estateId), claimed)),
    db
      .select({ n: count() })
      .from(units)
      .where(and(eq(units.estateId, estateId), eq(units.developerUnsold, true))),
    db.select({ n: count() }).from(owners).where(eq(owners.estateId, estateId)),
    db
      .select({ n: count() })
      .from(claimRequests)
      .where(and(eq(claimRequests.estateId, estateId), eq(claimRequests.status, "pending"))),
  ]);
  return { units: u.n, claimedUnits: c.n, unsoldUnits: unsold.n, owners: o.n, pendingClaims: pending.n };
}

/** Owners of some units of one estate, masked, with whether each has claimed. */
async function maskedOwners(db: Queryable, estateId: string, unitIds: string[]) {
  const byUnit = new Map<string, { name: string; claimed: boolean }[]>();
  if (!unitIds.length) return byUnit;
  const rows = await db
    .select({ unitId: ownerships.unitId, name: owners.name, userId: owners.userId })
    .from(ownerships)
    .innerJoin(owners, eq(owners.id, ownerships.ownerId))
    .where(and(eq(ownerships.estateId, estateId), inArray(ownerships.unitId, unitIds)))
    .orderBy(asc(owners.name));
  for (const r of rows) {
    const list = byUnit.get(r.unitId) ?? [];
    list.push({ name: maskName(r.name), claimed: r.userId !== null });
    byUnit.set(r.unitId, list);
  }
  return byUnit;
}

/** LIKE wildcards typed by a user are taken literally. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export const unitsPageSize = 50;

/** The units list: filtered by building and unit number, a page at a time, owners masked, no phones. */
export async function listUnits(input: { estateId: string; building?: string; q?: string; page: number }) {
  const db = getDb();
  const where = and(
    eq(units.estateId, input.estateId),
    input.building ? eq(buildings.name, input.building) : undefined,
    input.q ? ilike(units.number, `%${likeEscape(input.q)}%`) : undefined,
  );
  const [[total], page] = await Promise.all([
    db.select({ n: count() }).from(units).innerJoin(buildings, eq(buildings.id, units.buildingId)).where(where),
    db
      .select({
        id: units.id,
        building: buildings.name,
        number: units.number,
        floor: units.floor,
        kind: units.kind,
        areaCentiSqm: units.areaCentiSqm,
        developerUnsold: units.developerUnsold,
      })
      .from(units)
      .innerJoin(buildings, eq(buildings.id, units.buildingId))
      .where(where)
      .orderBy(...buildingOrder, ...unitOrder)
      .limit(unitsPageSize)
      .offset((input.page - 1) * unitsPageSize),
  ]);
  const ownersByUnit = await maskedOwners(
    db,
    input.estateId,
    page.map((u) => u.id),
  );
  return {
    total: total.n,
    pages: Math.max(1, Math.ceil(total.n / unitsPageSize)),
    units: page.map((u) => {
      const list = ownersByUnit.get(u.id) ?? [];
      return { ...u, owners: list.map((o) => o.name), claimed: list.some((o) => o.claimed) };
    }),
  };
}

/**
 * One unit of the estate (404 for another estate's id), owners masked — or, for an admin who
 * checks a person against the roster before reissuing their code (`reviewerId`), in full with the
 * roster phone's last 4 digits, the look written to the audit log.
 */
export async function unitDetail(estateId: string, unitId: string, reviewerId?: string) {
  if (!isUuid(unitId)) return null;
  const db = getDb();
  const [unit] = await db
    .select({
      id: units.id,
      building: buildings.name,
      number: units.number,
      floor: units.floor,
      kind: units.kind,
      areaCentiSqm: units.areaCentiSqm,
      developerUnsold: units.developerUnsold,
      claimCode: units.claimCode,
      claimCodeIssuedAt: units.claimCodeIssuedAt,
    })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(and(eq(units.id, unitId), eq(units.estateId, estateId)));
  if (!unit) return null;
  if (!reviewerId) {
    const list = (await maskedOwners(db, estateId, [unit.id])).get(unit.id) ?? [];
    return { ...unit, owners: list.map((o) => ({ ...o, phoneTail: null, idTail: null })) };
  }
  const full = await db
    .select({ name: owners.name, phone: owners.phone, idTail: owners.idTail, userId: owners.userId })
    .from(ownerships)
    .innerJoin(owners, eq(owners.id, ownerships.ownerId))
    .where(and(eq(ownerships.estateId, estateId), eq(ownerships.unitId, unit.id)))
    .orderBy(asc(owners.name));
  if (full.length)
    await recordPersonalDataViews(db, {
      estateId,
      actorUserId: reviewerId,
      subjectType: "unit",
      subjectIds: [unit.id],
      page: "roster-unit",
    });
  return {
    ...unit,
    owners: full.map((o) => ({
      name: o.name,
      phoneTail: phoneTail(o.phone),
      idTail: o.idTail,
      claimed: o.userId !== null,
    })),
  };
}

export const maxLettersPerPage = 1000;

/** Units for claim letters: a building, or chosen units; the developer's unsold units have no owner to write to. */
export async function letterUnits(input: {
  estateId: string;
  building?: string;
  unitIds?: string[];
  unclaimedOnly?: boolean;
}) {
  const db = getDb();
  const ids = (input.unitIds ?? []).filter(isUuid);
  if (!input.building && !ids.length) return [];
  const claimed = exists(
    db
      .select({ one: sql`1` })
      .from(ownerships)
      .innerJoin(owners, eq(owners.id, ownerships.ownerId))
      .where(and(eq(ownerships.unitId, units.id), isNotNull(owners.userId))),
  );
  const rows = await db
    .select({ id: units.id, building: buildings.name, number: units.number, claimCode: units.claimCode })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(
      and(
        eq(units.estateId, input.estateId),
        eq(units.developerUnsold, false),
        input.building ? eq(buildings.name, input.building) : undefined,
        ids.length ? inArray(units.id, ids) : undefined,
        input.unclaimedOnly ? sql`not ${claimed}` : undefined,
      ),
    )
    .orderBy(...buildingOrder, ...unitOrder)
    .limit(maxLettersPerPage);
  const ownersByUnit = await maskedOwners(
    db,
    input.estateId,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, owners: (ownersByUnit.get(r.id) ?? []).map((o) => o.name) }));
}

/** A new claim code for a unit: the old one stops working at once. */
export async function reissueClaimCode(input: { estateId: string; unitId: string; actorId: string }): Promise<boolean> {
  if (!isUuid(input.unitId)) return false;
  for (let attempt = 0; ; attempt++) {
    try {
      return await getDb().transaction(async (tx) => {
        await assertEstatePermission(tx, input.actorId, input.estateId, "roster:admin");
        const [unit] = await tx
          .update(units)
          .set({ claimCode: generateClaimCode(), claimCodeIssuedAt: new Date() })
          .where(and(eq(units.id, input.unitId), eq(units.estateId, input.estateId)))
          .returning({ id: units.id });
        if (!unit) return false;
        await recordAudit(tx, {
          estateId: input.estateId,
          actorUserId: input.actorId,
          act: "claim_code_reissue",
          subjectType: "unit",
          subjectId: unit.id,
        });
        return true;
      });
    } catch (error) {
      // A collision with another unit's code (about one in 10^9 per estate): draw again.
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}
