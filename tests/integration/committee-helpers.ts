import { noticeBefore } from "./voting-helpers";
import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import { getDb, schema } from "../../db/client";
import {
  decideDeclaration,
  declareRole,
  registerCommittee,
  seatMember,
  vacateSeat,
} from "../../app/committee/composition.server";
import { callByElection, nominate, openElectionVoting, stand } from "../../app/committee/elections.server";
import { makeEstate, makeUnits, makeUser } from "../fixtures";

export const day = 86_400_000;

const hour = 3_600_000;

export type TestUser = Awaited<ReturnType<typeof makeUser>>;

/** A roster owner of one unit, with an account that holds the owner role. */
export async function ownerWithAccount(estateId: string, building: string, number: string, name: string) {
  const [unit] = await makeUnits(estateId, [
    { building, number, owners: [{ name, ref: `R-${building}-${number}-${Math.random().toString(36).slice(2, 8)}` }] },
  ]);
  const user = await makeUser([{ role: "owner", estateId }], name);
  await getDb()
    .update(schema.owners)
    .set({ userId: user.id, claimedAt: new Date() })
    .where(eq(schema.owners.id, unit.ownerIds[0]));
  return user;
}

export async function buildingIds(estateId: string) {
  const rows = await getDb().select().from(schema.buildings).where(eq(schema.buildings.estateId, estateId));
  return Object.fromEntries(rows.map((b) => [b.name, b.id]));
}

/**
 * An estate of 10 households in 3 buildings (5, 3, 2) and a 9-member committee: 7 N seats
 * apportioned 3/2/2 (one each, then 4 by households: 2, 1, 0 whole, the last seat to the
 * largest remainder, 3幢) and 2 X seats. members[0] is the chair. `owner` is an owner who is
 * not on the committee; `admin` the community admin.
 */
export async function committeeEstate(options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const estate = await makeEstate({ name: "测试花园" });
  const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }], "周社区");
  const n1 = [
    await ownerWithAccount(estate.id, "1幢", "101", "陈志强"),
    await ownerWithAccount(estate.id, "1幢", "102", "王芳"),
    await ownerWithAccount(estate.id, "1幢", "103", "李娜"),
  ];
  const x1 = await ownerWithAccount(estate.id, "1幢", "104", "张伟");
  const owner = await ownerWithAccount(estate.id, "1幢", "105", "刘洋");
  const n2 = [
    await ownerWithAccount(estate.id, "2幢", "101", "杨静"),
    await ownerWithAccount(estate.id, "2幢", "102", "黄磊"),
  ];
  const x2 = await ownerWithAccount(estate.id, "2幢", "103", "赵敏");
  const n3 = [
    await ownerWithAccount(estate.id, "3幢", "101", "吴军"),
    await ownerWithAccount(estate.id, "3幢", "102", "周艳"),
  ];
  const b = await buildingIds(estate.id);

  const registered = await registerCommittee({
    estateId: estate.id,
    userId: admin.id,
    title: "第一届业主委员会",
    size: 9,
    xSeats: 2,
    termStartsAt: new Date(now.getTime() - 30 * day),
    termEndsAt: new Date(now.getTime() + 365 * day),
    zones: [
      { name: "一区", buildingIds: [b["1幢"]], seats: 3 },
      { name: "二区", buildingIds: [b["2幢"]], seats: 2 },
      { name: "三区", buildingIds: [b["3幢"]], seats: 2 },
    ],
    now,
  });
  if (!registered.ok) throw new Error(registered.error);
  const zones = await getDb()
    .select()
    .from(schema.committeeZones)
    .where(eq(schema.committeeZones.committeeId, registered.id));
  const zone = (name: string) => zones.find((z) => z.name === name)!.id;

  for (const x of [x1, x2]) {
    const d = await declareRole({
      estateId: estate.id,
      userId: x.id,
      role: "npc",
      title: "区人大代表",
      proofNote: "代表证 123",
    });
    if (!d.ok) throw new Error(d.error);
    expect(
      await decideDeclaration({ estateId: estate.id, adminId: admin.id, declarationId: d.id, verify: true }),
    ).toEqual({ ok: true });
  }
  const seat = async (
    user: TestUser,
    s: "N" | "X",
    zoneName: string | null,
    office: "chair" | "vice_chair" | "member" = "member",
  ) => {
    const r = await seatMember({
      estateId: estate.id,
      adminId: admin.id,
      committeeId: registered.id,
      email: user.email,
      seat: s,
      zoneId: zoneName ? zone(zoneName) : null,
      office,
      now,
    });
    if (!r.ok) throw new Error(`${user.displayName}: ${r.error}`);
    return r.id;
  };
  const memberIds: string[] = [];
  memberIds.push(await seat(n1[0], "N", "一区", "chair"));
  memberIds.push(await seat(n1[1], "N", "一区", "vice_chair"));
  memberIds.push(await seat(n1[2], "N", "一区"));
  memberIds.push(await seat(n2[0], "N", "二区"));
  memberIds.push(await seat(n2[1], "N", "二区"));
  memberIds.push(await seat(n3[0], "N", "三区"));
  memberIds.push(await seat(n3[1], "N", "三区"));
  memberIds.push(await seat(x1, "X", null));
  memberIds.push(await seat(x2, "X", null));
  const members = [...n1, ...n2, ...n3, x1, x2];
  return { estate, admin, owner, members, memberIds, committeeId: registered.id, zone, buildings: b, now };
}

export async function rolesOf(userId: string, estateId: string) {
  const rows = await getDb()
    .select({ role: schema.memberships.role })
    .from(schema.memberships)
    .where(and(eq(schema.memberships.userId, userId), eq(schema.memberships.estateId, estateId)));
  return rows.map((r) => r.role).sort();
}

/**
 * A by-election for one vacant N seat of 二区 on the 10-household estate of committee-helpers
 * (plus one more household in 2幢, who stands). Voting is run through online ballots, a proxy
 * and paper ballots, then closed and published; the ledger must recount to the same result.
 */
export async function byElection(
  options: {
    paperOnlineConflict?: "online" | "paper";
    electionZoneVoting?: "all" | "own";
    secondCandidate?: boolean;
    spoiledTakesPart?: boolean;
  } = {},
) {
  const c = await committeeEstate();
  if (options.paperOnlineConflict) await setConflictRule(c.estate.id, options.paperOnlineConflict);
  if (options.electionZoneVoting !== undefined || options.spoiledTakesPart !== undefined) {
    const [row] = await getDb().select().from(schema.estates).where(eq(schema.estates.id, c.estate.id));
    const settings = { ...row.settings } as Record<string, unknown>;
    if (options.electionZoneVoting !== undefined) settings.electionZoneVoting = options.electionZoneVoting;
    if (options.spoiledTakesPart !== undefined) settings.spoiledTakesPart = options.spoiledTakesPart;
    await getDb().update(schema.estates).set({ settings }).where(eq(schema.estates.id, c.estate.id));
  }
  const candidate = await ownerWithAccount(c.estate.id, "2幢", "104", "孙丽");
  const rival = options.secondCandidate ? await ownerWithAccount(c.estate.id, "2幢", "105", "钱进") : null;
  expect(
    await vacateSeat({ estateId: c.estate.id, adminId: c.admin.id, memberId: c.memberIds[4], reason: "辞职" }),
  ).toEqual({ ok: true });
  const t0 = Date.now();
  const at = (h: number) => new Date(t0 + h * hour);
  const by = await callByElection({
    estateId: c.estate.id,
    userId: c.admin.id,
    title: "二区补选",
    nominationThreshold: 1,
    nominationEndsAt: at(1),
    votingStartsAt: at(1),
    votingEndsAt: at(48),
    now: at(0),
  });
  if (!by.ok) throw new Error(by.error);
  const ids = { estateId: c.estate.id, electionId: by.id };
  const stood = await stand({ ...ids, userId: candidate.id, seat: "N", zoneId: c.zone("二区"), now: at(0.5) });
  if (!stood.ok) throw new Error(stood.error);
  expect(
    await nominate({ estateId: c.estate.id, candidateId: stood.id, userId: c.members[3].id, now: at(0.5) }),
  ).toMatchObject({ ok: true });
  let rivalId: string | null = null;
  if (rival) {
    const second = await stand({ ...ids, userId: rival.id, seat: "N", zoneId: c.zone("二区"), now: at(0.5) });
    if (!second.ok) throw new Error(second.error);
    rivalId = second.id;
    expect(
      await nominate({ estateId: c.estate.id, candidateId: second.id, userId: c.members[3].id, now: at(0.5) }),
    ).toMatchObject({ ok: true });
  }
  await noticeBefore(c.estate.id, { kind: "election", id: by.id }, c.admin.id, at(2));
  const opened = await openElectionVoting({ ...ids, userId: c.admin.id, now: at(2) });
  if (!opened.ok) throw new Error(opened.error);
  const voters = await getDb().select().from(schema.electionVoters).where(eq(schema.electionVoters.electionId, by.id));
  const [owners] = [await getDb().select().from(schema.owners).where(eq(schema.owners.estateId, c.estate.id))];
  const voterOf = (userId: string) =>
    voters.find((v) => v.ownerIds.some((o) => owners.find((x) => x.id === o)?.userId === userId))!.voterId;
  return { c, candidate, candidateId: stood.id, rivalId, ids, at, voters, voterOf };
}

/** The estate's setting for a paper ballot meeting an online one (the estate settings page writes the same). */
export async function setConflictRule(estateId: string, rule: "online" | "paper") {
  const db = getDb();
  const [estate] = await db.select().from(schema.estates).where(eq(schema.estates.id, estateId));
  await db
    .update(schema.estates)
    .set({ settings: { ...estate.settings, paperOnlineConflict: rule } })
    .where(eq(schema.estates.id, estateId));
}
