import { and, eq } from "drizzle-orm";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { claimRequestsOf, claimUnit } from "~/claims/claims.server";
import { myUnits } from "~/claims/residents.server";
import { formatClaimCode } from "~/roster/claim-code";
import { action as claimAction, loader as claimLoader } from "~/routes/claim";
import { action as reviewAction, loader as reviewLoader } from "~/routes/e.$estate.claims";
import { action as unitsAction, loader as unitsLoader } from "~/routes/e.$estate.units";
import { action as inviteAction, loader as inviteLoader } from "~/routes/invite.$token";
import { call, expectStatus, makeEstate, makeUnits, makeUser, refusalOf, statusOf } from "../fixtures";

const db = () => getDb();
type User = Awaited<ReturnType<typeof makeUser>>;

async function ownerRow(id: string) {
  const [row] = await db().select().from(schema.owners).where(eq(schema.owners.id, id));
  return row;
}

async function rolesOf(userId: string, estateId: string) {
  const rows = await db()
    .select({ role: schema.memberships.role })
    .from(schema.memberships)
    .where(and(eq(schema.memberships.userId, userId), eq(schema.memberships.estateId, estateId)));
  return rows.map((r) => r.role).sort();
}

async function auditActions(estateId: string) {
  const rows = await db()
    .select({ act: schema.auditEvents.act })
    .from(schema.auditEvents)
    .where(eq(schema.auditEvents.estateId, estateId));
  return rows.map((r) => r.act);
}

function claim(user: User, code: string, name: string) {
  return call(claimAction, { url: "/claim", user, form: { code, name } });
}

function formErrorsOf(result: unknown): string[] {
  const value = (result as { data: { error?: Record<string, string[] | null> } }).data;
  return value.error?.[""] ?? [];
}

function location(result: unknown) {
  return (result as Response).headers.get("Location");
}

async function setting() {
  const estate = await makeEstate({ name: "宜欣花园" });
  const committee = await makeUser([{ role: "committee", estateId: estate.id }], "陈委员");
  return {
    estate,
    committee,
    review: { url: `/e/${estate.slug}/claims`, params: { estate: estate.slug } },
    unitsPage: { url: `/e/${estate.slug}/units`, params: { estate: estate.slug } },
  };
}

describe("claiming with the code from the letter", () => {
  it("links a matching name at once: owner slot, owner membership, audit; the unit shows under my units", async () => {
    const { estate, unitsPage } = await setting();
    const [unit] = await makeUnits(estate.id, [
      { building: "2幢", number: "101", area: 8950, owners: [{ name: "王秀英", phone: "13900000101" }] },
    ]);
    const user = await makeUser([], "秀英");
    // Case, spaces and dashes in the code do not matter; spaces in the name do not either.
    const result = await claim(user, ` ${formatClaimCode(unit.claimCode).toLowerCase()} `, "王 秀英");
    expect(statusOf(result)).toBe(302);
    expect(location(result)).toBe(`/e/${estate.slug}/units`);
    const owner = await ownerRow(unit.ownerIds[0]);
    expect(owner.userId).toBe(user.id);
    expect(owner.claimedAt).toBeInstanceOf(Date);
    expect(await rolesOf(user.id, estate.id)).toEqual(["owner"]);
    expect(await auditActions(estate.id)).toEqual(["claim_link"]);

    const page = (await call(unitsLoader, { ...unitsPage, user })) as Awaited<ReturnType<typeof unitsLoader>>;
    expect(page.owned).toHaveLength(1);
    expect(page.owned[0]).toMatchObject({ building: "2幢", number: "101", areaCentiSqm: 8950, coOwners: [] });
  });

  it("says so for an unknown code, and changes nothing", async () => {
    const { estate } = await setting();
    await makeUnits(estate.id, [{ building: "1幢", number: "101", owners: [{ name: "王秀英" }] }]);
    const user = await makeUser();
    const result = await claim(user, "ZZZZZZZZZZ", "王秀英");
    expect(statusOf(result)).toBe(400);
    expect(formErrorsOf(result)).toEqual(["claims.claim.unknownCode"]);
    expect(await rolesOf(user.id, estate.id)).toEqual([]);
    const blank = await claim(user, "", "");
    expect(statusOf(blank)).toBe(400);
  });

  it("turns a mismatch into a request that a committee member approves as the chosen owner", async () => {
    const { estate, committee, review } = await setting();
    const [unit] = await makeUnits(estate.id, [
      { building: "3幢", number: "502", owners: [{ name: "张伟" }, { name: "刘芳" }] },
    ]);
    const user = await makeUser([], "伟伟");
    const result = await claim(user, unit.claimCode, "张 威");
    expect(location(result)).toBe("/claim");
    expect(await rolesOf(user.id, estate.id)).toEqual([]);
    const again = await claim(user, unit.claimCode, "张威");
    expect(statusOf(again)).toBe(409);
    expect(formErrorsOf(again)).toEqual(["claims.claim.alreadyRequested"]);

    const mine = (await call(claimLoader, { url: "/claim", user })) as Awaited<ReturnType<typeof claimLoader>>;
    expect(mine.requests).toMatchObject([{ status: "pending", nameGiven: "张 威", building: "3幢", number: "502" }]);

    const list = (await call(reviewLoader, { ...review, user: committee })) as Awaited<ReturnType<typeof reviewLoader>>;
    expect(list.pending).toHaveLength(1);
    const pending = list.pending[0];
    expect(pending.nameGiven).toBe("张 威");
    // The reviewer checks against the paper letter: roster names in full (each look audited, see four-eyes-claims).
    expect(pending.owners.map((o) => o.name).sort()).toEqual(["刘芳", "张伟"]);

    // Approving needs the owner chosen.
    const missing = await call(reviewAction, {
      ...review,
      user: committee,
      form: { intent: "approve", requestId: pending.id },
    });
    expect(statusOf(missing)).toBe(400);
    const approved = await call(reviewAction, {
      ...review,
      user: committee,
      form: { intent: "approve", requestId: pending.id, ownerId: unit.ownerIds[0] },
    });
    expect(statusOf(approved)).toBe(302);
    expect((await ownerRow(unit.ownerIds[0])).userId).toBe(user.id);
    expect((await ownerRow(unit.ownerIds[1])).userId).toBeNull();
    expect(await rolesOf(user.id, estate.id)).toEqual(["owner"]);
    const [request] = await db().select().from(schema.claimRequests).where(eq(schema.claimRequests.id, pending.id));
    expect(request).toMatchObject({ status: "approved", ownerId: unit.ownerIds[0], decidedBy: committee.id });
    expect((await auditActions(estate.id)).sort()).toEqual([
      "claim_approve",
      "claim_link",
      "claim_request",
      "personal_data_viewed",
    ]);

    // A decided request cannot be decided again.
    const twice = await call(reviewAction, {
      ...review,
      user: committee,
      form: { intent: "reject", requestId: pending.id, reason: "重复" },
    });
    expect(statusOf(twice)).toBe(409);
    expect((await claimRequestsOf(user.id))[0].status).toBe("approved");
  });

  it("rejects with a reason that the requester sees; no reason, no rejection", async () => {
    const { estate, committee, review, unitsPage } = await setting();
    const [unit] = await makeUnits(estate.id, [{ building: "4幢", number: "301", owners: [{ name: "赵敏" }] }]);
    const user = await makeUser([{ role: "resident", estateId: estate.id }], "路人");
    await claim(user, unit.claimCode, "赵明");
    const [request] = await claimRequestsOf(user.id);
    const noReason = await call(reviewAction, {
      ...review,
      user: committee,
      form: { intent: "reject", requestId: request.id, reason: "  " },
    });
    expect(statusOf(noReason)).toBe(400);
    expect((await claimRequestsOf(user.id))[0].status).toBe("pending");

    const rejected = await call(reviewAction, {
      ...review,
      user: committee,
      form: { intent: "reject", requestId: request.id, reason: "姓名与房产证不符" },
    });
    expect(statusOf(rejected)).toBe(302);
    expect((await claimRequestsOf(user.id))[0]).toMatchObject({ status: "rejected", reason: "姓名与房产证不符" });
    expect((await ownerRow(unit.ownerIds[0])).userId).toBeNull();
    expect(await auditActions(estate.id)).toContain("claim_reject");
    // The requester (a resident here) sees the outcome on their units page too.
    const page = (await call(unitsLoader, { ...unitsPage, user })) as Awaited<ReturnType<typeof unitsLoader>>;
    expect(page.requests).toMatchObject([{ status: "rejected", reason: "姓名与房产证不符" }]);
    const approveLate = await call(reviewAction, {
      ...review,
      user: committee,
      form: { intent: "approve", requestId: request.id, ownerId: unit.ownerIds[0] },
    });
    expect(statusOf(approveLate)).toBe(409);
  });

  it("lets both co-owners claim their own slot, then the code is used up", async () => {
    const { estate } = await setting();
    const [unit] = await makeUnits(estate.id, [
      { building: "5幢", number: "1201", owners: [{ name: "李强" }, { name: "王芳" }] },
    ]);
    const husband = await makeUser([], "强");
    const wife = await makeUser([], "芳");
    const stranger = await makeUser([], "某人");
    expect(location(await claim(husband, unit.claimCode, "李强"))).toBe(`/e/${estate.slug}/units`);
    // One account holds one slot of a unit: the husband cannot take his wife's.
    const grab = await claim(husband, unit.claimCode, "王芳");
    expect(statusOf(grab)).toBe(302);
    expect((await ownerRow(unit.ownerIds[1])).userId).toBeNull();
    // Someone else giving the claimed name is refused.
    const impostor = await claim(stranger, unit.claimCode, "李强");
    expect(statusOf(impostor)).toBe(409);
    expect(formErrorsOf(impostor)).toEqual(["claims.claim.takenByOther"]);
    expect(location(await claim(wife, unit.claimCode, "王芳"))).toBe(`/e/${estate.slug}/units`);
    expect((await ownerRow(unit.ownerIds[1])).userId).toBe(wife.id);

    const usedUp = await claim(stranger, unit.claimCode, "王芳");
    expect(statusOf(usedUp)).toBe(409);
    expect(formErrorsOf(usedUp)).toEqual(["claims.claim.usedUp"]);
    const usedUpOtherName = await claim(stranger, unit.claimCode, "陌生人");
    expect(formErrorsOf(usedUpOtherName)).toEqual(["claims.claim.usedUp"]);
    expect(await claimRequestsOf(stranger.id)).toEqual([]);

    const coOwners = await myUnits(wife.id, estate.id);
    expect(coOwners.owned[0].coOwners).toEqual([{ name: "李*", claimed: true }]);
  });

  it("refuses the developer's unsold units", async () => {
    const { estate } = await setting();
    const [unit] = await makeUnits(estate.id, [{ building: "9幢", number: "2601", developerUnsold: true }]);
    const user = await makeUser();
    const result = await claim(user, unit.claimCode, "开发商");
    expect(statusOf(result)).toBe(409);
    expect(formErrorsOf(result)).toEqual(["claims.claim.developerUnsold"]);
    expect(await claimRequestsOf(user.id)).toEqual([]);
  });

  it("lets one person claim several units: one roster identity, or one name on several rows", async () => {
    const { estate, unitsPage } = await setting();
    const units = await makeUnits(estate.id, [
      { building: "1幢", number: "101", owners: [{ name: "李建国", ref: "SZ001" }] },
      { building: "1幢", number: "102", owners: [{ name: "李建国", ref: "SZ001" }] },
      { building: "7幢", number: "303", owners: [{ name: "李建国" }] },
    ]);
    expect(units[0].ownerIds[0]).toBe(units[1].ownerIds[0]);
    const user = await makeUser([], "建国");
    expect(location(await claim(user, units[0].claimCode, "李建国"))).toBe(`/e/${estate.slug}/units`);
    // The second letter of the same register identity: already linked, and it says so.
    expect(location(await claim(user, units[1].claimCode, "李建国"))).toBe(`/e/${estate.slug}/units`);
    // A separate roster row with the same name is linked to the same account.
    expect(location(await claim(user, units[2].claimCode, "李建国"))).toBe(`/e/${estate.slug}/units`);
    expect((await ownerRow(units[2].ownerIds[0])).userId).toBe(user.id);
    const page = (await call(unitsLoader, { ...unitsPage, user })) as Awaited<ReturnType<typeof unitsLoader>>;
    expect(page.owned.map((u) => `${u.building}${u.number}`)).toEqual(["1幢101", "1幢102", "7幢303"]);
    expect(await rolesOf(user.id, estate.id)).toEqual(["owner"]);
  });

  it("settles an earlier request when the claimant then gives the matching name", async () => {
    const { estate, review, committee } = await setting();
    const [unit] = await makeUnits(estate.id, [{ building: "6幢", number: "101", owners: [{ name: "孙丽" }] }]);
    const user = await makeUser();
    await claim(user, unit.claimCode, "孙莉");
    expect(location(await claim(user, unit.claimCode, "孙丽"))).toBe(`/e/${estate.slug}/units`);
    expect((await claimRequestsOf(user.id))[0].status).toBe("approved");
    const list = (await call(reviewLoader, { ...review, user: committee })) as Awaited<ReturnType<typeof reviewLoader>>;
    expect(list.pending).toEqual([]);
    expect(list.decided[0]).toMatchObject({ status: "approved", automatic: true });
  });

  it("locks code guessing at the tenth wrong code, per user, and per address", async () => {
    const { estate } = await setting();
    const [unit] = await makeUnits(estate.id, [{ building: "8幢", number: "808", owners: [{ name: "周杰" }] }]);
    const guesser = await makeUser();
    for (let i = 0; i < 9; i++) {
      const r = await claim(guesser, `WRONG${String(i).padStart(5, "2")}`, "周杰");
      expect(formErrorsOf(r)).toEqual(["claims.claim.unknownCode"]);
    }
    const tenth = await claim(guesser, "WRONGXXXXX", "周杰");
    expect(statusOf(tenth)).toBe(429);
    expect(formErrorsOf(tenth)).toEqual(["claims.claim.justLocked"]);
    // Even the right code is refused while locked, and nothing is linked.
    const right = await claim(guesser, unit.claimCode, "周杰");
    expect(statusOf(right)).toBe(429);
    expect(refusalOf(right)).toMatchObject({
      error: "claims.claim.locked",
      reason: "rate_limited",
      params: { minutes: expect.any(Number) },
    });
    expect((await ownerRow(unit.ownerIds[0])).userId).toBeNull();
    // Another account (from another address) is not affected.
    const other = await makeUser();
    expect((await claimUnit({ userId: other.id, ip: "10.7.0.1", code: unit.claimCode, name: "周杰" })).ok).toBe(true);

    // One address trying many accounts is limited too (50 failures an hour).
    const t0 = new Date(Date.now() - 30 * 60_000);
    for (let i = 0; i < 50; i++) {
      const u = await makeUser();
      await claimUnit({ userId: u.id, ip: "10.8.8.8", code: "NOPENOPE22", name: "x", now: new Date(t0.getTime() + i) });
    }
    const fresh = await makeUser();
    expect(await claimUnit({ userId: fresh.id, ip: "10.8.8.8", code: "NOPENOPE22", name: "x" })).toMatchObject({
      ok: false,
      error: "locked",
    });
  });
});

describe("residents", () => {
  async function ownedUnit() {
    const s = await setting();
    const [unit, other] = await makeUnits(s.estate.id, [
      { building: "1幢", number: "101", owners: [{ name: "李建国" }] },
      { building: "1幢", number: "102", owners: [{ name: "王明" }] },
    ]);
    const owner = await makeUser([], "建国");
    await claim(owner, unit.claimCode, "李建国");
    return { ...s, unit, other, owner };
  }

  async function invite(
    owner: User,
    unitsPage: { url: string; params: Record<string, string> },
    unitId: string,
    relation: "family" | "tenant",
  ) {
    const result = (await call(unitsAction, {
      ...unitsPage,
      user: owner,
      form: { intent: "invite", unitId, relation },
    })) as { link: string };
    expect(result.link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    const token = result.link.split("/invite/")[1];
    return { token, link: result.link, page: { url: `/invite/${token}`, params: { token } } };
  }

  it("invites a tenant: the link is shown once, only its hash is stored; accepting makes a resident who sees the unit", async () => {
    const { estate, unit, owner, unitsPage } = await ownedUnit();
    const { token, page } = await invite(owner, unitsPage, unit.unitId, "tenant");
    const [stored] = await db()
      .select()
      .from(schema.residentInvites)
      .where(eq(schema.residentInvites.unitId, unit.unitId));
    expect(stored.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(token);
    const days = (stored.expiresAt.getTime() - stored.createdAt.getTime()) / 86_400_000;
    expect(days).toBe(7);
    // The owner's page lists the open invitation but not its link.
    const ownerPage = (await call(unitsLoader, { ...unitsPage, user: owner })) as Awaited<
      ReturnType<typeof unitsLoader>
    >;
    expect(ownerPage.owned[0].invites).toHaveLength(1);
    expect(JSON.stringify(ownerPage)).not.toContain(token);

    const tenant = await makeUser([], "租客小王");
    const shown = (await expectStatus(inviteLoader, { ...page, user: tenant }, 200)) as {
      data: { view: { state: string; building: string; relation: string } };
    };
    expect(shown.data.view).toMatchObject({ state: "valid", building: "1幢", relation: "tenant" });
    const accepted = await call(inviteAction, { ...page, user: tenant, form: {} });
    expect(location(accepted)).toBe(`/e/${estate.slug}/units`);
    expect(await rolesOf(tenant.id, estate.id)).toEqual(["resident"]);
    const tenantPage = (await call(unitsLoader, { ...unitsPage, user: tenant })) as Awaited<
      ReturnType<typeof unitsLoader>
    >;
    expect(tenantPage.residing).toMatchObject([{ building: "1幢", number: "101", relation: "tenant" }]);
    expect(tenantPage.owned).toEqual([]);
    const ownerAfter = (await call(unitsLoader, { ...unitsPage, user: owner })) as Awaited<
      ReturnType<typeof unitsLoader>
    >;
    expect(ownerAfter.owned[0].residents).toMatchObject([{ name: "租***", relation: "tenant" }]);
    expect(ownerAfter.owned[0].invites).toEqual([]);
    expect(await auditActions(estate.id)).toEqual(expect.arrayContaining(["resident_invite", "resident_join"]));

    // Used: a second person gets "gone", not a second resident row.
    const late = await makeUser();
    await expectStatus(inviteLoader, { ...page, user: late }, 410);
    await expectStatus(inviteAction, { ...page, user: late, form: {} }, 410);
    expect(await rolesOf(late.id, estate.id)).toEqual([]);
  });

  it("gives clear statuses for unknown, expired and revoked links, and refuses the unit's own owner", async () => {
    const { unit, owner, unitsPage, estate } = await ownedUnit();
    const someone = await makeUser();
    await expectStatus(inviteLoader, { url: "/invite/nonsense", params: { token: "nonsense" }, user: someone }, 404);
    await expectStatus(
      inviteAction,
      { url: "/invite/nonsense", params: { token: "nonsense" }, user: someone, form: {} },
      404,
    );

    const expired = await invite(owner, unitsPage, unit.unitId, "family");
    await db()
      .update(schema.residentInvites)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.residentInvites.tokenHash, createHash("sha256").update(expired.token).digest("hex")));
    await expectStatus(inviteLoader, { ...expired.page, user: someone }, 410);
    await expectStatus(inviteAction, { ...expired.page, user: someone, form: {} }, 410);

    const own = await invite(owner, unitsPage, unit.unitId, "family");
    await expectStatus(inviteLoader, { ...own.page, user: owner }, 409);
    await expectStatus(inviteAction, { ...own.page, user: owner, form: {} }, 409);
    const residents = await db().select().from(schema.residents).where(eq(schema.residents.estateId, estate.id));
    expect(residents).toEqual([]);

    const ownerPage = (await call(unitsLoader, { ...unitsPage, user: owner })) as Awaited<
      ReturnType<typeof unitsLoader>
    >;
    const open = ownerPage.owned[0].invites.find((i) => i.relation === "family")!;
    expect(
      statusOf(
        await call(unitsAction, { ...unitsPage, user: owner, form: { intent: "revokeInvite", inviteId: open.id } }),
      ),
    ).toBe(302);
    await expectStatus(inviteAction, { ...own.page, user: someone, form: {} }, 410);
  });

  it("removes a resident; their resident role goes only with their last unit in the estate", async () => {
    const { estate, unit, other, owner, unitsPage } = await ownedUnit();
    const secondOwner = await makeUser([], "王明");
    await claim(secondOwner, other.claimCode, "王明");
    const family = await makeUser([], "家属");
    const a = await invite(owner, unitsPage, unit.unitId, "family");
    const b = await invite(secondOwner, unitsPage, other.unitId, "tenant");
    await call(inviteAction, { ...a.page, user: family, form: {} });
    await call(inviteAction, { ...b.page, user: family, form: {} });

    const residentIn = async (unitId: string) =>
      (
        await db()
          .select()
          .from(schema.residents)
          .where(and(eq(schema.residents.unitId, unitId), eq(schema.residents.userId, family.id)))
      )[0];
    const first = await residentIn(unit.unitId);
    // The owner of 101 cannot remove the resident of 102.
    const notTheirs = await call(unitsAction, {
      ...unitsPage,
      user: owner,
      form: { intent: "removeResident", residentId: (await residentIn(other.unitId)).id },
    });
    expect(statusOf(notTheirs)).toBe(403);

    expect(
      statusOf(
        await call(unitsAction, {
          ...unitsPage,
          user: owner,
          form: { intent: "removeResident", residentId: first.id },
        }),
      ),
    ).toBe(302);
    expect(await residentIn(unit.unitId)).toBeUndefined();
    expect(await rolesOf(family.id, estate.id)).toEqual(["resident"]);

    const second = await residentIn(other.unitId);
    expect(
      statusOf(
        await call(unitsAction, {
          ...unitsPage,
          user: secondOwner,
          form: { intent: "removeResident", residentId: second.id },
        }),
      ),
    ).toBe(302);
    expect(await rolesOf(family.id, estate.id)).toEqual([]);
    expect((await auditActions(estate.id)).filter((a) => a === "resident_remove")).toHaveLength(2);
    // Without a role in the estate, its units page is not found.
    await expectStatus(unitsLoader, { ...unitsPage, user: family }, 404);
  });
});
