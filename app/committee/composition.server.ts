import { and, asc, desc, eq, isNull, ne, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import type { CommitteeOffice, CommitteeSeat, PublicRole } from "#db/schema/committee";
import {
  activeCommittee,
  archiveActiveCommittee,
  fail,
  syncCommitteeRoles,
  type Failure,
  type Ok,
} from "./access.server";
import {
  apportion,
  firstMeetingDueAt,
  followsApportionment,
  isValidSize,
  termEndsWithinLimit,
  type Apportionment,
} from "./rules";
import { isUuid } from "~/lib/ids";
import { restDayTable } from "~/lib/rest-days.server";
import { sniffType, storeUpload, withUploads } from "~/lib/uploads/store.server";
import { recordAudit } from "~/audit/audit.server";

const {
  buildings,
  committeeMembers,
  committeeZones,
  committees,
  memberships,
  owners,
  ownerships,
  roleDeclarations,
  units,
  users,
} = schema;

/** Buildings of an estate with their households (residential units), in name order. */
export async function estateBuildings(db: Queryable, estateId: string) {
  const rows = await db
    .select({
      id: buildings.id,
      name: buildings.name,
      households: sql<number>`count(${units.id}) filter (where ${units.kind} = 'residential')`.mapWith(Number),
    })
    .from(buildings)
    .leftJoin(units, eq(units.buildingId, buildings.id))
    .where(eq(buildings.estateId, estateId))
    .groupBy(buildings.id, buildings.name);
  return rows.sort((a, b) => a.name.localeCompare(b.name, "zh-CN", { numeric: true }));
}

export interface ZoneInput {
  name: string;
  buildingIds: string[];
  /** The seats the admin settles on: must follow the apportionment (a reported tie resolved either way). */
  seats: number;
}

export interface CommitteeInput {
  estateId: string;
  userId: string;
  title: string;
  size: number;
  xSeats: number;
  termStartsAt: Date;
  termEndsAt: Date;
  zones: ZoneInput[];
  /** How a reported tie was settled (by lot at the assembly, by the rules of procedure…); required when there is one. */
  tieNote?: string | null;
  now?: Date;
}

/** The apportionment for a plan of zones, from the households in their buildings now. */
export async function planApportionment(
  db: Queryable,
  estateId: string,
  zones: { name: string; buildingIds: string[] }[],
  nSeats: number,
): Promise<Ok<{ apportionment: Apportionment; households: number[] }> | Failure> {
  const all = await estateBuildings(db, estateId);
  const byId = new Map(all.map((b) => [b.id, b]));
  const seen = new Set<string>();
  for (const z of zones) {
    if (z.buildingIds.length === 0) return fail("zoneEmpty", { zone: z.name });
    for (const id of z.buildingIds) {
      if (!byId.has(id)) return fail("buildingNotInEstate");
      if (seen.has(id)) return fail("buildingTwice", { building: byId.get(id)!.name });
      seen.add(id);
    }
  }
  const uncovered = all.filter((b) => !seen.has(b.id));
  if (uncovered.length) return fail("buildingsUncovered", { buildings: uncovered.map((b) => b.name).join("、") });
  const names = new Set(zones.map((z) => z.name));
  if (names.size !== zones.length) return fail("zoneNameTwice");
  const households = zones.map((z) => z.buildingIds.reduce((sum, id) => sum + byId.get(id)!.households, 0));
  const apportionment = apportion(
    zones.map((z, i) => ({ id: String(i), households: households[i] })),
    nSeats,
  );
  return { ok: true, apportionment, households };
}

/**
 * A community admin enters a committee the owners elected before the estate used the platform
 * (or records one the platform cannot elect): its size, X seats, term and zones. The N seats
 * must follow the apportionment. The estate's active committee, if any, is archived in the same
 * transaction, and the committee role follows the seats.
 */
export async function registerCommittee(input: CommitteeInput): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  if (!isValidSize(input.size)) return fail("size");
  if (!Number.isInteger(input.xSeats) || input.xSeats < 0 || input.xSeats >= input.size) return fail("xSeats");
  if (!termEndsWithinLimit(input.termStartsAt, input.termEndsAt)) return fail("term");
  const nSeats = input.size - input.xSeats;
  if (input.zones.length === 0) return fail("zonesMissing");
  return getDb().transaction(async (tx) => {
    const plan = await planApportionment(tx, input.estateId, input.zones, nSeats);
    if (!plan.ok) return plan;
    const wanted = Object.fromEntries(input.zones.map((z, i) => [String(i), z.seats]));
    if (!followsApportionment(plan.apportionment, wanted)) return fail("seatsNotApportioned");
    const tie = plan.apportionment.ties.length > 0;
    if (tie && !input.tieNote?.trim()) return fail("tieNoteMissing");

    await archiveActiveCommittee(tx, input.estateId, input.userId, now);
    const [committee] = await tx
      .insert(committees)
      .values({
        estateId: input.estateId,
        title: input.title,
        status: "active",
        size: input.size,
        nSeats,
        xSeats: input.xSeats,
        origin: "registered",
        termStartsAt: input.termStartsAt,
        termEndsAt: input.termEndsAt,
        firstMeetingDueAt: firstMeetingDueAt(input.termStartsAt, await restDayTable(tx)),
        createdBy: input.userId,
        createdAt: now,
      })
      .returning();
    const tiedZones = new Set(plan.apportionment.ties.flatMap((t) => t.zoneIds));
    await tx.insert(committeeZones).values(
      input.zones.map((z, i) => ({
        estateId: input.estateId,
        committeeId: committee.id,
        name: z.name,
        position: i,
        buildingIds: z.buildingIds,
        households: plan.households[i],
        seats: z.seats,
        tieResolution: tiedZones.has(String(i)) ? input.tieNote!.trim() : null,
      })),
    );
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "committee_register",
      subjectType: "committee",
      subjectId: committee.id,
      detail: { size: input.size, nSeats, xSeats: input.xSeats, ties: plan.apportionment.ties.length },
      at: now,
    });
    await syncCommitteeRoles(tx, input.estateId);
    return { ok: true, id: committee.id } as const;
  });
}

/** The buildings an owner's units are in, in one estate. */
async function ownerBuildings(db: Queryable, estateId: string, ownerId: string) {
  const rows = await db
    .selectDistinct({ id: buildings.id, name: buildings.name })
    .from(ownerships)
    .innerJoin(units, eq(units.id, ownerships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(and(eq(ownerships.ownerId, ownerId), eq(ownerships.estateId, estateId)));
  return rows.sort((a, b) => a.name.localeCompare(b.name, "zh-CN", { numeric: true }));
}

/** The roster owner an account is in one estate (the first, if several entries are linked). */
export async function ownerOfUser(db: Queryable, estateId: string, userId: string) {
  const [row] = await db
    .select()
    .from(owners)
    .where(and(eq(owners.estateId, estateId), eq(owners.userId, userId)))
    .orderBy(asc(owners.name));
  return row ?? null;
}

export interface SeatInput {
  estateId: string;
  adminId: string;
  committeeId: string;
  /** The member's account, found by email. */
  email: string;
  seat: CommitteeSeat;
  zoneId?: string | null;
  office: CommitteeOffice;
  now?: Date;
}

/**
 * Seats a member on a committee. Every member is an owner of the estate: an N member owns a
 * unit in the zone's buildings; an X member holds a verified public role; an observer (a
 * deputy who is not an owner) holds a verified role and has no vote and no office.
 */
export async function seatMember(input: SeatInput): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.committeeId)) return fail("notFound");
  return getDb().transaction(async (tx) => {
    const [committee] = await tx
      .select()
      .from(committees)
      .where(and(eq(committees.id, input.committeeId), eq(committees.estateId, input.estateId)))
      .for("update");
    if (!committee) return fail("notFound");
    if (committee.status !== "active") return fail("committeeNotActive");
    const [user] = await tx.select().from(users).where(eq(users.email, input.email.trim().toLowerCase()));
    if (!user) return fail("noAccount");
    const seated = await tx
      .select()
      .from(committeeMembers)
      .where(and(eq(committeeMembers.committeeId, committee.id), isNull(committeeMembers.leftAt)));
    if (seated.some((m) => m.userId === user.id)) return fail("alreadySeated");
    const owner = await ownerOfUser(tx, input.estateId, user.id);
    if (input.seat !== "observer" && !owner) return fail("notOwner");
    if (input.seat === "observer" && input.office !== "member") return fail("observerOffice");

    let zoneId: string | null = null;
    let building = "";
    if (owner) building = (await ownerBuildings(tx, input.estateId, owner.id)).map((b) => b.name).join("、");
    if (input.seat === "N") {
      const [zone] =
        input.zoneId && isUuid(input.zoneId)
          ? await tx
              .select()
              .from(committeeZones)
              .where(and(eq(committeeZones.id, input.zoneId), eq(committeeZones.committeeId, committee.id)))
          : [];
      if (!zone) return fail("zoneMissing");
      const inZone = (await ownerBuildings(tx, input.estateId, owner!.id)).filter((b) =>
        zone.buildingIds.includes(b.id),
      );
      if (inZone.length === 0) return fail("notInZone", { zone: zone.name });
      if (seated.filter((m) => m.zoneId === zone.id).length >= zone.seats) return fail("zoneFull", { zone: zone.name });
      zoneId = zone.id;
      building = inZone.map((b) => b.name).join("、");
    }
    if (input.seat === "X" && seated.filter((m) => m.seat === "X").length >= committee.xSeats) return fail("xFull");
    let declarationId: string | null = null;
    if (input.seat !== "N") {
      const [declaration] = await tx
        .select()
        .from(roleDeclarations)
        .where(
          and(
            eq(roleDeclarations.estateId, input.estateId),
            eq(roleDeclarations.userId, user.id),
            eq(roleDeclarations.status, "verified"),
          ),
        );
      if (!declaration) return fail("roleNotVerified");
      declarationId = declaration.id;
    }
    if (input.office !== "member" && seated.some((m) => m.office === input.office)) return fail("officeTaken");
    const [member] = await tx
      .insert(committeeMembers)
      .values({
        estateId: input.estateId,
        committeeId: committee.id,
        userId: user.id,
        ownerId: owner?.id ?? null,
        name: owner?.name ?? user.displayName,
        building,
        seat: input.seat,
        zoneId,
        declarationId,
        office: input.office,
        seatedAt: now,
      })
      .returning();
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.adminId,
      act: "committee_member_seat",
      subjectType: "committee_member",
      subjectId: member.id,
      detail: { seat: input.seat },
      at: now,
    });
    await syncCommitteeRoles(tx, input.estateId);
    return { ok: true, id: member.id } as const;
  });
}

/** A member leaves (resigns, moves away, is removed): kept on record with the date and reason; the seat is vacant. */
export async function vacateSeat(input: {
  estateId: string;
  adminId: string;
  memberId: string;
  reason: string;
  now?: Date;
}): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.memberId)) return fail("notFound");
  return getDb().transaction(async (tx) => {
    const [member] = await tx
      .update(committeeMembers)
      .set({ leftAt: now, leftReason: input.reason })
      .where(
        and(
          eq(committeeMembers.id, input.memberId),
          eq(committeeMembers.estateId, input.estateId),
          isNull(committeeMembers.leftAt),
        ),
      )
      .returning();
    if (!member) return fail("notFound");
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.adminId,
      act: "committee_member_leave",
      subjectType: "committee_member",
      subjectId: member.id,
      at: now,
    });
    await syncCommitteeRoles(tx, input.estateId);
    return { ok: true } as const;
  });
}

/** Records an office the members elected (for a committee entered by an admin; the platform's own first meeting sets it by decision). */
export async function setOffice(input: {
  estateId: string;
  adminId: string;
  memberId: string;
  office: CommitteeOffice;
  now?: Date;
}): Promise<Ok | Failure> {
  if (!isUuid(input.memberId)) return fail("notFound");
  return getDb().transaction(async (tx) => {
    const [member] = await tx
      .select()
      .from(committeeMembers)
      .where(
        and(
          eq(committeeMembers.id, input.memberId),
          eq(committeeMembers.estateId, input.estateId),
          isNull(committeeMembers.leftAt),
        ),
      );
    if (!member) return fail("notFound");
    if (member.seat === "observer" && input.office !== "member") return fail("observerOffice");
    await assignOffice(tx, member.committeeId, member.id, input.office);
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.adminId,
      act: "committee_office_set",
      subjectType: "committee_member",
      subjectId: member.id,
      detail: { office: input.office },
      at: input.now ?? new Date(),
    });
    return { ok: true } as const;
  });
}

/** Gives a member an office; whoever held it before becomes a member. */
export async function assignOffice(tx: Queryable, committeeId: string, memberId: string, office: CommitteeOffice) {
  if (office !== "member") {
    await tx
      .update(committeeMembers)
      .set({ office: "member" })
      .where(
        and(
          eq(committeeMembers.committeeId, committeeId),
          eq(committeeMembers.office, office),
          isNull(committeeMembers.leftAt),
          ne(committeeMembers.id, memberId),
        ),
      );
  }
  await tx.update(committeeMembers).set({ office }).where(eq(committeeMembers.id, memberId));
}

/** Archives the active committee (its term is over): still readable; its members lose the committee role. */
export async function archiveCommittee(input: {
  estateId: string;
  adminId: string;
  committeeId: string;
  now?: Date;
}): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.committeeId)) return fail("notFound");
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(committees)
      .set({ status: "archived", archivedAt: now, archivedBy: input.adminId })
      .where(
        and(
          eq(committees.id, input.committeeId),
          eq(committees.estateId, input.estateId),
          eq(committees.status, "active"),
        ),
      )
      .returning();
    if (!row) return fail("notFound");
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.adminId,
      act: "committee_archive",
      subjectType: "committee",
      subjectId: row.id,
      at: now,
    });
    await syncCommitteeRoles(tx, input.estateId);
    return { ok: true } as const;
  });
}

// ---------------------------------------------------------------------------------------------
// Public roles (X seats).

export async function declareRole(input: {
  estateId: string;
  userId: string;
  role: PublicRole;
  title: string;
  proofNote: string;
  proof?: { key: string; type: string } | null;
  now?: Date;
}): Promise<Ok<{ id: string }> | Failure> {
  return getDb().transaction(async (tx) => {
    const open = await tx
      .select({ id: roleDeclarations.id })
      .from(roleDeclarations)
      .where(
        and(
          eq(roleDeclarations.estateId, input.estateId),
          eq(roleDeclarations.userId, input.userId),
          ne(roleDeclarations.status, "rejected"),
        ),
      );
    if (open.length) return fail("declarationOpen");
    const [row] = await tx
      .insert(roleDeclarations)
      .values({
        estateId: input.estateId,
        userId: input.userId,
        role: input.role,
        title: input.title,
        proofNote: input.proofNote,
        proofFileKey: input.proof?.key ?? null,
        proofFileType: input.proof?.type ?? null,
        createdAt: input.now ?? new Date(),
      })
      .returning({ id: roleDeclarations.id });
    return { ok: true, id: row.id } as const;
  });
}

/** A community admin verifies or rejects a declared public role; never their own (four eyes). */
export async function decideDeclaration(input: {
  estateId: string;
  adminId: string;
  declarationId: string;
  verify: boolean;
  reason?: string | null;
  now?: Date;
}): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.declarationId)) return fail("notFound");
  if (!input.verify && !input.reason?.trim()) return fail("reasonMissing");
  return getDb().transaction(async (tx) => {
    const [declared] = await tx
      .select({ userId: roleDeclarations.userId })
      .from(roleDeclarations)
      .where(and(eq(roleDeclarations.id, input.declarationId), eq(roleDeclarations.estateId, input.estateId)))
      .for("update");
    if (!declared) return fail("notFound");
    if (declared.userId === input.adminId) return fail("ownDeclaration");
    const [row] = await tx
      .update(roleDeclarations)
      .set({
        status: input.verify ? "verified" : "rejected",
        decidedBy: input.adminId,
        decidedAt: now,
        reason: input.reason?.trim() || null,
      })
      .where(
        and(
          eq(roleDeclarations.id, input.declarationId),
          eq(roleDeclarations.estateId, input.estateId),
          eq(roleDeclarations.status, "pending"),
        ),
      )
      .returning();
    if (!row) return fail("notFound");
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.adminId,
      act: input.verify ? "role_verify" : "role_reject",
      subjectType: "role_declaration",
      subjectId: row.id,
      detail: { role: row.role, userId: row.userId },
      at: now,
    });
    return { ok: true } as const;
  });
}

/**
 * A deputy who is not an owner of the estate, entered by a community admin who has checked
 * the proof: the declaration is verified at once. They can sit only as a non-voting observer.
 * They sign up themselves first (their own email and password); the admin names that account.
 */
export async function recordObserverRole(input: {
  estateId: string;
  adminId: string;
  email: string;
  role: PublicRole;
  title: string;
  proofNote: string;
  now?: Date;
}): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, input.email.trim().toLowerCase()));
    if (!user) return fail("observerNoAccount");
    if (user.id === input.adminId) return fail("ownDeclaration");
    const open = await tx
      .select({ id: roleDeclarations.id })
      .from(roleDeclarations)
      .where(
        and(
          eq(roleDeclarations.estateId, input.estateId),
          eq(roleDeclarations.userId, user.id),
          ne(roleDeclarations.status, "rejected"),
        ),
      );
    if (open.length) return fail("declarationOpen");
    const [row] = await tx
      .insert(roleDeclarations)
      .values({
        estateId: input.estateId,
        userId: user.id,
        role: input.role,
        title: input.title,
        proofNote: input.proofNote,
        status: "verified",
        decidedBy: input.adminId,
        decidedAt: now,
        createdAt: now,
      })
      .returning({ id: roleDeclarations.id });
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.adminId,
      act: "role_verify",
      subjectType: "role_declaration",
      subjectId: row.id,
      detail: { role: input.role, userId: user.id, observer: true },
      at: now,
    });
    return { ok: true, id: row.id } as const;
  });
}

/** Declarations for the roles page: the caller's own, and (for admins) everyone's. */
export async function listDeclarations(db: Queryable, estateId: string, opts: { userId?: string }) {
  const rows = await db
    .select({
      id: roleDeclarations.id,
      userId: roleDeclarations.userId,
      role: roleDeclarations.role,
      title: roleDeclarations.title,
      proofNote: roleDeclarations.proofNote,
      hasProofFile: sql<boolean>`${roleDeclarations.proofFileKey} is not null`,
      status: roleDeclarations.status,
      reason: roleDeclarations.reason,
      createdAt: roleDeclarations.createdAt,
      decidedAt: roleDeclarations.decidedAt,
      displayName: users.displayName,
      email: users.email,
    })
    .from(roleDeclarations)
    .innerJoin(users, eq(users.id, roleDeclarations.userId))
    .where(
      and(eq(roleDeclarations.estateId, estateId), opts.userId ? eq(roleDeclarations.userId, opts.userId) : undefined),
    )
    .orderBy(desc(roleDeclarations.createdAt));
  return rows;
}

export async function declarationProof(db: Queryable, estateId: string, declarationId: string) {
  if (!isUuid(declarationId)) return null;
  const [row] = await db
    .select({
      key: roleDeclarations.proofFileKey,
      type: roleDeclarations.proofFileType,
      userId: roleDeclarations.userId,
    })
    .from(roleDeclarations)
    .where(and(eq(roleDeclarations.id, declarationId), eq(roleDeclarations.estateId, estateId)));
  return row?.key ? row : null;
}

/** The setup page: the active committee with zones and seats, the buildings, verified roles. */
export async function setupPage(estateId: string) {
  const db = getDb();
  const committee = await activeCommittee(db, estateId);
  const buildingList = await estateBuildings(db, estateId);
  const zones = committee
    ? await db
        .select()
        .from(committeeZones)
        .where(eq(committeeZones.committeeId, committee.id))
        .orderBy(asc(committeeZones.position))
    : [];
  const members = committee
    ? await db
        .select()
        .from(committeeMembers)
        .where(and(eq(committeeMembers.committeeId, committee.id), isNull(committeeMembers.leftAt)))
        .orderBy(asc(committeeMembers.seatedAt))
    : [];
  const verified = await db
    .select({
      userId: roleDeclarations.userId,
      role: roleDeclarations.role,
      title: roleDeclarations.title,
      email: users.email,
      displayName: users.displayName,
    })
    .from(roleDeclarations)
    .innerJoin(users, eq(users.id, roleDeclarations.userId))
    .where(and(eq(roleDeclarations.estateId, estateId), eq(roleDeclarations.status, "verified")));
  return { committee, buildings: buildingList, zones, members, verified };
}

/** Users holding the owner role in an estate: who is told when minutes are published. */
export async function ownerUserIds(db: Queryable, estateId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.estateId, estateId), eq(memberships.role, "owner")));
  return [...new Set(rows.map((r) => r.userId))];
}

export const maxPhotoBytes = 2 * 1024 * 1024;

/**
 * A member's photo (optional): the member themself or an admin uploads a PNG, JPEG or WebP of
 * up to 2 MB; the type is read from the bytes. The old photo's bytes stay in the store.
 */
export async function setMemberPhoto(input: {
  estateId: string;
  userId: string;
  isAdmin: boolean;
  memberId: string;
  file: FormDataEntryValue | null;
}): Promise<Ok | Failure> {
  if (!isUuid(input.memberId)) return fail("notFound");
  const file = input.file;
  if (!file || typeof file === "string" || file.size === 0) return fail("photoMissing");
  if (file.size > maxPhotoBytes) return fail("photoTooBig");
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffType(bytes);
  if (type !== "image/png" && type !== "image/jpeg" && type !== "image/webp") return fail("photoType");
  const db = getDb();
  const [member] = await db
    .select()
    .from(committeeMembers)
    .where(
      and(
        eq(committeeMembers.id, input.memberId),
        eq(committeeMembers.estateId, input.estateId),
        isNull(committeeMembers.leftAt),
      ),
    );
  if (!member) return fail("notFound");
  if (!input.isAdmin && member.userId !== input.userId) return fail("notYourPhoto");
  return withUploads(async () => {
    const key = await storeUpload(input.estateId, bytes);
    await db.update(committeeMembers).set({ photoKey: key, photoType: type }).where(eq(committeeMembers.id, member.id));
    return { ok: true } as const;
  });
}

/** The members seated on a committee now (observers included). */
export async function seatedMembersOf(db: Queryable, committeeId: string) {
  return db
    .select()
    .from(committeeMembers)
    .where(and(eq(committeeMembers.committeeId, committeeId), isNull(committeeMembers.leftAt)))
    .orderBy(asc(committeeMembers.seatedAt));
}
