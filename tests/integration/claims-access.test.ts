import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { claimUnit } from "~/claims/claims.server";
import { createInvite } from "~/claims/residents.server";
import { action as claimAction, loader as claimLoader } from "~/routes/claim";
import { action as reviewAction, loader as reviewLoader } from "~/routes/e.$estate.claims";
import { action as unitsAction, loader as unitsLoader } from "~/routes/e.$estate.units";
import { action as inviteAction, loader as inviteLoader } from "~/routes/invite.$token";
import { expectStatus, makeEstate, makeUnits, makeUser } from "../fixtures";

type User = Awaited<ReturnType<typeof makeUser>>;

/**
 * Two estates in two communities. In A: an owner (of unit 101, with a resident), a second
 * owner (unit 102), a resident, a committee member, property staff, and admins; in B, an owner
 * with a pending claim request, a resident and an open invitation of its own.
 */
let world: Awaited<ReturnType<typeof build>>;

async function build() {
  const a = await makeEstate({ name: "甲小区" });
  const b = await makeEstate({ name: "乙小区" });
  const [a101, a102, a103] = await makeUnits(a.id, [
    { building: "1幢", number: "101", owners: [{ name: "甲一" }] },
    { building: "1幢", number: "102", owners: [{ name: "甲二" }] },
    { building: "1幢", number: "103", owners: [{ name: "甲三" }] },
  ]);
  const [b101] = await makeUnits(b.id, [
    { building: "1幢", number: "101", owners: [{ name: "乙一" }, { name: "乙二" }] },
  ]);

  const ownerA = await makeUser([], "甲一");
  const owner2A = await makeUser([], "甲二");
  const ownerB = await makeUser([], "乙一");
  for (const [user, code, name] of [
    [ownerA, a101.claimCode, "甲一"],
    [owner2A, a102.claimCode, "甲二"],
    [ownerB, b101.claimCode, "乙一"],
  ] as const) {
    expect((await claimUnit({ userId: user.id, ip: "10.0.0.1", code, name })).ok).toBe(true);
  }
  const db = getDb();
  const residentA = await makeUser([{ role: "resident", estateId: a.id }], "住户甲");
  const [residentRowA] = await db
    .insert(schema.residents)
    .values({ estateId: a.id, unitId: a101.unitId, userId: residentA.id, relation: "family" })
    .returning();
  const residentB = await makeUser([{ role: "resident", estateId: b.id }], "住户乙");
  const [residentRowB] = await db
    .insert(schema.residents)
    .values({ estateId: b.id, unitId: b101.unitId, userId: residentB.id, relation: "tenant" })
    .returning();

  // Pending requests in both estates.
  const requesterA = await makeUser([], "申请人甲");
  await claimUnit({ userId: requesterA.id, ip: "10.0.0.2", code: a103.claimCode, name: "不对" });
  const requesterB = await makeUser([], "申请人乙");
  await claimUnit({ userId: requesterB.id, ip: "10.0.0.3", code: b101.claimCode, name: "不对" });
  const [requestA] = await db.select().from(schema.claimRequests).where(eq(schema.claimRequests.userId, requesterA.id));
  const [requestB] = await db.select().from(schema.claimRequests).where(eq(schema.claimRequests.userId, requesterB.id));

  const inviteB = await createInvite({ estateId: b.id, unitId: b101.unitId, userId: ownerB.id, relation: "family" });
  if (!inviteB.ok) throw new Error("invite");
  const [inviteRowB] = await db.select().from(schema.residentInvites).where(eq(schema.residentInvites.estateId, b.id));

  return {
    a,
    b,
    a101,
    a103,
    b101,
    requestA,
    requestB,
    residentRowA,
    residentRowB,
    inviteRowB,
    tokenB: inviteB.token,
    users: {
      ownerA,
      owner2A,
      ownerB,
      residentA,
      committeeA: await makeUser([{ role: "committee", estateId: a.id }], "委员"),
      staffA: await makeUser([{ role: "property_staff", estateId: a.id }], "物业"),
      communityAdminA: await makeUser([{ role: "community_admin", communityId: a.communityId }], "社区"),
      communityAdminB: await makeUser([{ role: "community_admin", communityId: b.communityId }], "别的社区"),
      platform: await makeUser([{ role: "platform_admin" }], "平台"),
    },
  };
}

beforeAll(async () => {
  world = await build();
});

function page(path: string, estate: { slug: string }) {
  return { url: `/e/${estate.slug}/${path}`, params: { estate: estate.slug } };
}

describe("/claim", () => {
  it("sends the anonymous to log in and back; admits any logged-in user", async () => {
    const anonymous = (await expectStatus(claimLoader, { url: "/claim" }, 302)) as Response;
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fclaim");
    await expectStatus(claimAction, { url: "/claim", form: { code: world.a103.claimCode, name: "甲三" } }, 302);
    expect(
      (await getDb().select().from(schema.owners).where(eq(schema.owners.id, world.a103.ownerIds[0])))[0].userId,
    ).toBeNull();
    const newcomer = await makeUser([], "新人");
    await expectStatus(claimLoader, { url: "/claim", user: newcomer }, 200);
  });
});

describe("/e/:estate/claims", () => {
  const allowed = ["committeeA", "communityAdminA", "platform"] as const;
  const refused = ["ownerA", "residentA", "staffA"] as const;

  it("loader: anonymous → log in, outsiders → 404, wrong role → 403, committee and admins → 200", async () => {
    const p = page("claims", world.a);
    const anonymous = (await expectStatus(reviewLoader, p, 302)) as Response;
    expect(anonymous.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(p.url)}`);
    await expectStatus(reviewLoader, { ...p, user: world.users.ownerB }, 404);
    await expectStatus(reviewLoader, { ...p, user: world.users.communityAdminB }, 404);
    for (const who of refused) await expectStatus(reviewLoader, { ...p, user: world.users[who] }, 403);
    for (const who of allowed) await expectStatus(reviewLoader, { ...p, user: world.users[who] }, 200);
    await expectStatus(
      reviewLoader,
      { url: "/e/nowhere/claims", params: { estate: "nowhere" }, user: world.users.platform },
      404,
    );
  });

  it("action: the same gates, and another estate's request or owner ids are not found", async () => {
    const p = page("claims", world.a);
    const reject = { intent: "reject", requestId: world.requestA.id, reason: "核实不符" };
    await expectStatus(reviewAction, { ...p, form: reject }, 302);
    await expectStatus(reviewAction, { ...p, user: world.users.ownerB, form: reject }, 404);
    for (const who of refused) await expectStatus(reviewAction, { ...p, user: world.users[who], form: reject }, 403);
    // B's request through A's page: not found, and B's request stays pending.
    await expectStatus(
      reviewAction,
      { ...p, user: world.users.committeeA, form: { intent: "reject", requestId: world.requestB.id, reason: "x" } },
      404,
    );
    await expectStatus(
      reviewAction,
      {
        ...p,
        user: world.users.committeeA,
        form: { intent: "approve", requestId: world.requestB.id, ownerId: world.b101.ownerIds[1] },
      },
      404,
    );
    // A's request approved as B's owner: not found, nothing linked.
    await expectStatus(
      reviewAction,
      {
        ...p,
        user: world.users.committeeA,
        form: { intent: "approve", requestId: world.requestA.id, ownerId: world.b101.ownerIds[1] },
      },
      404,
    );
    // An owner of A who is not of the request's unit: not found either.
    await expectStatus(
      reviewAction,
      {
        ...p,
        user: world.users.committeeA,
        form: { intent: "approve", requestId: world.requestA.id, ownerId: world.a101.ownerIds[0] },
      },
      404,
    );
    await expectStatus(
      reviewAction,
      { ...p, user: world.users.committeeA, form: { intent: "approve", requestId: "not-a-uuid", ownerId: "x" } },
      400,
    );
    const db = getDb();
    const [b] = await db.select().from(schema.claimRequests).where(eq(schema.claimRequests.id, world.requestB.id));
    expect(b.status).toBe("pending");
    expect(
      (await db.select().from(schema.owners).where(eq(schema.owners.id, world.b101.ownerIds[1])))[0].userId,
    ).toBeNull();
    // The right role on the right request decides it.
    await expectStatus(reviewAction, { ...p, user: world.users.communityAdminA, form: reject }, 302);
  });
});

describe("/e/:estate/units", () => {
  it("loader: anonymous → log in, outsiders → 404, roles without units → 403, owners and residents → 200", async () => {
    const p = page("units", world.a);
    await expectStatus(unitsLoader, p, 302);
    await expectStatus(unitsLoader, { ...p, user: world.users.ownerB }, 404);
    for (const who of ["committeeA", "staffA", "communityAdminA", "platform"] as const) {
      await expectStatus(unitsLoader, { ...p, user: world.users[who] }, 403);
    }
    await expectStatus(unitsLoader, { ...p, user: world.users.ownerA }, 200);
    await expectStatus(unitsLoader, { ...p, user: world.users.residentA }, 200);
  });

  it("action: only an owner of that unit invites, removes and revokes; other estates' ids are not found", async () => {
    const p = page("units", world.a);
    const inviteA = { intent: "invite", unitId: world.a101.unitId, relation: "family" };
    await expectStatus(unitsAction, { ...p, form: inviteA }, 302);
    await expectStatus(unitsAction, { ...p, user: world.users.ownerB, form: inviteA }, 404);
    await expectStatus(unitsAction, { ...p, user: world.users.committeeA, form: inviteA }, 403);
    // A resident of the unit, and the owner of the unit next door, may not invite to it.
    await expectStatus(unitsAction, { ...p, user: world.users.residentA, form: inviteA }, 403);
    await expectStatus(unitsAction, { ...p, user: world.users.owner2A, form: inviteA }, 403);
    // B's unit, resident and invitation through A's page: not found.
    await expectStatus(
      unitsAction,
      { ...p, user: world.users.ownerA, form: { intent: "invite", unitId: world.b101.unitId, relation: "family" } },
      404,
    );
    await expectStatus(
      unitsAction,
      { ...p, user: world.users.ownerA, form: { intent: "removeResident", residentId: world.residentRowB.id } },
      404,
    );
    await expectStatus(
      unitsAction,
      { ...p, user: world.users.ownerA, form: { intent: "revokeInvite", inviteId: world.inviteRowB.id } },
      404,
    );
    await expectStatus(
      unitsAction,
      { ...p, user: world.users.ownerA, form: { intent: "invite", unitId: world.a101.unitId, relation: "landlord" } },
      400,
    );
    const db = getDb();
    expect(await db.select().from(schema.residents).where(eq(schema.residents.id, world.residentRowB.id))).toHaveLength(
      1,
    );
    expect(
      (
        await db.select().from(schema.residentInvites).where(eq(schema.residentInvites.id, world.inviteRowB.id))
      )[0].expiresAt.getTime(),
    ).toBeGreaterThan(Date.now());
    // Someone else's resident in the same estate: forbidden.
    await expectStatus(
      unitsAction,
      { ...p, user: world.users.owner2A, form: { intent: "removeResident", residentId: world.residentRowA.id } },
      403,
    );
    // The owner of the unit: allowed.
    const invited = (await expectStatus(unitsAction, { ...p, user: world.users.ownerA, form: inviteA }, 200)) as {
      link: string;
    };
    expect(invited.link).toContain("/invite/");
    await expectStatus(
      unitsAction,
      { ...p, user: world.users.ownerA, form: { intent: "removeResident", residentId: world.residentRowA.id } },
      302,
    );
  });
});

describe("/invite/:token", () => {
  it("sends the anonymous to log in and back; shows a valid link to any logged-in user", async () => {
    const p = { url: `/invite/${world.tokenB}`, params: { token: world.tokenB } };
    const anonymous = (await expectStatus(inviteLoader, p, 302)) as Response;
    expect(anonymous.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(p.url)}`);
    await expectStatus(inviteAction, { ...p, form: {} }, 302);
    const stranger: User = await makeUser([], "陌生人");
    await expectStatus(inviteLoader, { ...p, user: stranger }, 200);
    expect(
      (await getDb().select().from(schema.residentInvites).where(eq(schema.residentInvites.id, world.inviteRowB.id)))[0]
        .usedAt,
    ).toBeNull();
  });
});
