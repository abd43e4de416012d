import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { isUuid } from "~/lib/ids";
import { datesBetween } from "~/lib/calendar";
import { beijingDate } from "~/lib/time";
import { ownerIdsOfUser, type Failure } from "./access.server";
import { petitionThresholdMet, votingRoster } from "./matters";
import { estateSettings } from "~/estates/procedure";
import { currentRoster } from "./proposals.server";
import { electorate } from "./tally";

const { estates, owners, petitionSignatures, petitions } = schema;

export type PetitionError = "voting.errors.notFound" | "voting.errors.notOwner" | "voting.errors.petitionScheduled";

/**
 * The electorate as the roster stands now. A unit whose owners are missing from the roster is
 * counted as a voter of its own (its owners are at least one person), so totals are never understated.
 */
async function liveElectorate(db: Queryable, estateId: string) {
  const [estate] = await db.select({ settings: estates.settings }).from(estates).where(eq(estates.id, estateId));
  const settings = estateSettings(estate.settings);
  const roster = await currentRoster(db, estateId, settings.votingUnitKinds);
  const units = votingRoster(roster, settings.votingUnitKinds).map((u) =>
    !u.developerUnsold && u.ownerIds.length === 0 ? { ...u, ownerIds: [`unknown-${u.unitId}`] } : u,
  );
  return electorate(units);
}

type Electorate = Awaited<ReturnType<typeof liveElectorate>>;

async function signerOwnerIds(db: Queryable, estateId: string, petitionIds: string[]) {
  if (petitionIds.length === 0) return new Map<string, Set<string>>();
  const rows = await db
    .select({ petitionId: petitionSignatures.petitionId, ownerId: owners.id })
    .from(petitionSignatures)
    .innerJoin(owners, and(eq(owners.userId, petitionSignatures.userId), eq(owners.estateId, estateId)))
    .where(and(eq(petitionSignatures.estateId, estateId), inArray(petitionSignatures.petitionId, petitionIds)));
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!out.has(r.petitionId)) out.set(r.petitionId, new Set());
    out.get(r.petitionId)!.add(r.ownerId);
  }
  return out;
}

/** The voters any signer belongs to (a co-owner's signature carries their voter, as a co-owner's ballot does). */
function coverage(voters: Electorate, signerOwners: Set<string> | undefined) {
  let area = 0;
  let headcount = 0;
  let totalArea = 0;
  for (const v of voters) {
    totalArea += v.areaCentiSqm;
    if (signerOwners && v.voterId !== "developer" && v.voterId.split("+").some((id) => signerOwners.has(id))) {
      area += v.areaCentiSqm;
      headcount += 1;
    }
  }
  const signed = { area, headcount };
  const total = { area: totalArea, headcount: voters.length };
  return { signed, total, met: petitionThresholdMet(signed, total) };
}

export async function createPetition(input: {
  estateId: string;
  userId: string;
  title: string;
  body: string;
  now?: Date;
}): Promise<{ ok: true; id: string } | Failure<PetitionError>> {
  const now = input.now ?? new Date();
  const db = getDb();
  if ((await ownerIdsOfUser(db, input.estateId, input.userId)).length === 0)
    return { ok: false, error: "voting.errors.notOwner" };
  const [row] = await db
    .insert(petitions)
    .values({ estateId: input.estateId, title: input.title, body: input.body, createdBy: input.userId, createdAt: now })
    .returning({ id: petitions.id });
  const signed = await signPetition({ estateId: input.estateId, petitionId: row.id, userId: input.userId, now });
  if (!signed.ok) return signed;
  return { ok: true, id: row.id };
}

/** An owner co-signs; the petition becomes due when its signers first hold 20% of the area and of the headcount. */
export async function signPetition(input: {
  estateId: string;
  petitionId: string;
  userId: string;
  now?: Date;
}): Promise<{ ok: true; due: boolean } | Failure<PetitionError>> {
  const now = input.now ?? new Date();
  if (!isUuid(input.petitionId)) return { ok: false, error: "voting.errors.notFound" };
  return getDb().transaction(async (tx) => {
    const [petition] = await tx
      .select()
      .from(petitions)
      .where(and(eq(petitions.id, input.petitionId), eq(petitions.estateId, input.estateId)))
      .for("update");
    if (!petition) return { ok: false, error: "voting.errors.notFound" } as const;
    if (petition.scheduledAt) return { ok: false, error: "voting.errors.petitionScheduled" } as const;
    if ((await ownerIdsOfUser(tx, input.estateId, input.userId)).length === 0)
      return { ok: false, error: "voting.errors.notOwner" } as const;
    await tx
      .insert(petitionSignatures)
      .values({ petitionId: petition.id, estateId: input.estateId, userId: input.userId, signedAt: now })
      .onConflictDoNothing();
    if (petition.dueAt) return { ok: true, due: true } as const;
    const voters = await liveElectorate(tx, input.estateId);
    const signers = await signerOwnerIds(tx, input.estateId, [petition.id]);
    const { met } = coverage(voters, signers.get(petition.id));
    if (met)
      await tx
        .update(petitions)
        .set({ dueAt: now })
        .where(and(eq(petitions.id, petition.id), isNull(petitions.dueAt)));
    return { ok: true, due: met } as const;
  });
}

export async function listPetitions(estateId: string, userId: string, now = new Date()) {
  const db = getDb();
  const rows = await db
    .select()
    .from(petitions)
    .where(eq(petitions.estateId, estateId))
    .orderBy(desc(petitions.createdAt))
    .limit(100);
  const ids = rows.map((r) => r.id);
  const [voters, signers, mine] = await Promise.all([
    liveElectorate(db, estateId),
    signerOwnerIds(db, estateId, ids),
    ids.length
      ? db
          .select({ petitionId: petitionSignatures.petitionId })
          .from(petitionSignatures)
          .where(and(eq(petitionSignatures.userId, userId), inArray(petitionSignatures.petitionId, ids)))
      : Promise.resolve([]),
  ]);
  const signedByMe = new Set(mine.map((m) => m.petitionId));
  return rows.map((r) => {
    const c = coverage(voters, signers.get(r.id));
    return {
      id: r.id,
      title: r.title,
      body: r.body,
      createdAt: r.createdAt.toISOString(),
      signed: c.signed,
      total: c.total,
      dueAt: r.dueAt?.toISOString() ?? null,
      // Calendar days in Beijing since it became due (due yesterday at 23:59 is one day waiting today).
      daysWaiting: r.dueAt && !r.scheduledAt ? datesBetween(beijingDate(r.dueAt), beijingDate(now)) : null,
      scheduledAt: r.scheduledAt?.toISOString() ?? null,
      proposalId: r.proposalId,
      signedByMe: signedByMe.has(r.id),
    };
  });
}

export async function findPetition(estateId: string, petitionId: string) {
  if (!isUuid(petitionId)) return null;
  const [row] = await getDb()
    .select()
    .from(petitions)
    .where(and(eq(petitions.id, petitionId), eq(petitions.estateId, estateId)));
  return row ?? null;
}
