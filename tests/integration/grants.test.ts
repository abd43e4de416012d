import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { rolesInEstate } from "~/auth/guards.server";
import { estateProcedure, saveProcedure } from "~/estates/settings.server";
import { grantCommunityAdmin, grantPropertyStaff, revokeCommunityAdmin } from "~/grants/grants.server";
import { action as adminAction, loader as adminLoader } from "~/routes/admin.communities";
import { action as staffAction, loader as staffLoader } from "~/routes/e.$estate.staff";
import { setServingCompany, servingCompany } from "~/tickets/company.server";
import { call, makeEstate, makeUser, statusOf } from "../fixtures";

const { auditEvents, memberships } = schema;

async function auditRows(subjectId: string) {
  return getDb().select().from(auditEvents).where(eq(auditEvents.subjectId, subjectId)).orderBy(auditEvents.createdAt);
}

async function holds(userId: string, role: "property_staff" | "community_admin") {
  return getDb()
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, role)));
}

describe("property staff grants (community admin, /e/:estate/staff)", () => {
  it("a community admin grants by email and by verified phone, then revokes; each is audited and the role takes effect", async () => {
    const estate = await makeEstate();
    const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }]);
    const byEmail = await makeUser();
    const byPhone = await makeUser();
    await getDb()
      .update(schema.users)
      .set({ phone: "13912345678", phoneVerifiedAt: new Date() })
      .where(eq(schema.users.id, byPhone.id));
    const url = `/e/${estate.slug}/staff`;
    const params = { estate: estate.slug };

    const granted = await call(staffAction, {
      url,
      params,
      user: admin,
      form: { intent: "grant", contact: ` ${byEmail.email.toUpperCase()} ` },
    });
    expect(statusOf(granted)).toBe(302);
    expect(await rolesInEstate(byEmail.id, estate)).toEqual(["property_staff"]);
    expect(
      statusOf(
        await call(staffAction, { url, params, user: admin, form: { intent: "grant", contact: "+86 139 1234 5678" } }),
      ),
    ).toBe(302);
    expect(await rolesInEstate(byPhone.id, estate)).toEqual(["property_staff"]);

    const [grantRow] = await auditRows(byEmail.id);
    expect(grantRow).toMatchObject({
      estateId: estate.id,
      actorUserId: admin.id,
      act: "role_grant",
      subjectType: "user",
      detail: { role: "property_staff" },
    });

    // The page lists them; a second grant of the same role is refused and writes nothing.
    const page = (await call(staffLoader, { url, params, user: admin })) as { staff: { userId: string }[] };
    expect(page.staff.map((s) => s.userId).sort()).toEqual([byEmail.id, byPhone.id].sort());
    expect(
      statusOf(
        await call(staffAction, { url, params, user: admin, form: { intent: "grant", contact: byEmail.email } }),
      ),
    ).toBe(409);
    expect(await auditRows(byEmail.id)).toHaveLength(1);

    expect(
      statusOf(await call(staffAction, { url, params, user: admin, form: { intent: "revoke", userId: byEmail.id } })),
    ).toBe(302);
    expect(await holds(byEmail.id, "property_staff")).toEqual([]);
    expect((await auditRows(byEmail.id)).map((r) => r.act)).toEqual(["role_grant", "role_revoke"]);
    // Revoked twice: nothing held, nothing written.
    expect(
      statusOf(await call(staffAction, { url, params, user: admin, form: { intent: "revoke", userId: byEmail.id } })),
    ).toBe(404);
    expect(await auditRows(byEmail.id)).toHaveLength(2);
  });

  it("refuses a grant to oneself, an unknown contact and an unverified phone, writing nothing", async () => {
    const estate = await makeEstate();
    const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }]);
    const unverified = await makeUser();
    await getDb().update(schema.users).set({ phone: "13800001111" }).where(eq(schema.users.id, unverified.id));
    const url = `/e/${estate.slug}/staff`;
    const params = { estate: estate.slug };
    expect(
      statusOf(await call(staffAction, { url, params, user: admin, form: { intent: "grant", contact: admin.email } })),
    ).toBe(403);
    expect(await holds(admin.id, "property_staff")).toEqual([]);
    expect(await auditRows(admin.id)).toEqual([]);
    expect(
      statusOf(
        await call(staffAction, { url, params, user: admin, form: { intent: "grant", contact: "nobody@test.local" } }),
      ),
    ).toBe(404);
    expect(
      statusOf(
        await call(staffAction, { url, params, user: admin, form: { intent: "grant", contact: "13800001111" } }),
      ),
    ).toBe(404);
    expect(await holds(unverified.id, "property_staff")).toEqual([]);
  });

  it("only the estate's own community admins (and platform admins) may grant: others get 403 or 404 and nothing changes", async () => {
    const estate = await makeEstate();
    const other = await makeEstate();
    const target = await makeUser();
    const url = `/e/${estate.slug}/staff`;
    const params = { estate: estate.slug };
    const form = { intent: "grant", contact: target.email };
    const committee = await makeUser([{ role: "committee", estateId: estate.id }]);
    const staff = await makeUser([{ role: "property_staff", estateId: estate.id }]);
    const foreignAdmin = await makeUser([{ role: "community_admin", communityId: other.communityId }]);
    expect(statusOf(await call(staffAction, { url, params, user: committee, form }))).toBe(403);
    expect(statusOf(await call(staffAction, { url, params, user: staff, form }))).toBe(403);
    expect(statusOf(await call(staffAction, { url, params, user: foreignAdmin, form }))).toBe(404);
    expect(statusOf(await call(staffLoader, { url, params, user: foreignAdmin }))).toBe(404);
    expect(await holds(target.id, "property_staff")).toEqual([]);

    // The command re-checks inside its transaction: an admin whose role is gone is refused.
    const formerAdmin = await makeUser();
    expect(await grantPropertyStaff({ estate, actorId: formerAdmin.id, contact: target.email })).toEqual({
      ok: false,
      error: "grants.errors.forbidden",
    });
    const platform = await makeUser([{ role: "platform_admin" }]);
    expect(statusOf(await call(staffAction, { url, params, user: platform, form }))).toBe(302);
    expect(await rolesInEstate(target.id, estate)).toEqual(["property_staff"]);
    expect(await rolesInEstate(target.id, other)).toEqual([]);
  });
});

describe("community admin grants (platform admin, /admin/communities)", () => {
  it("a platform admin grants and revokes; each estate of the community logs it; the last admin is not revoked", async () => {
    const estate = await makeEstate();
    const sibling = await makeEstate({ communityId: estate.communityId });
    const platform = await makeUser([{ role: "platform_admin" }]);
    const first = await makeUser();
    const second = await makeUser();
    const url = "/admin/communities";
    const grant = (u: { email: string }) =>
      call(adminAction, {
        url,
        user: platform,
        form: { intent: "grant", communityId: estate.communityId, contact: u.email },
      });
    const revoke = (u: { id: string }) =>
      call(adminAction, {
        url,
        user: platform,
        form: { intent: "revoke", communityId: estate.communityId, userId: u.id },
      });

    expect(statusOf(await grant(first))).toBe(302);
    // Community admin of every estate of the community, through the one scoping rule.
    expect(await rolesInEstate(first.id, estate)).toEqual(["community_admin"]);
    expect(await rolesInEstate(first.id, sibling)).toEqual(["community_admin"]);
    const rows = await auditRows(first.id);
    expect(rows.map((r) => r.estateId).sort()).toEqual([estate.id, sibling.id].sort());
    expect(rows[0]).toMatchObject({
      actorUserId: platform.id,
      act: "role_grant",
      detail: { role: "community_admin", communityId: estate.communityId },
    });

    // The only admin stays.
    expect(statusOf(await revoke(first))).toBe(409);
    expect(await holds(first.id, "community_admin")).toHaveLength(1);
    expect(await auditRows(first.id)).toHaveLength(2);

    expect(statusOf(await grant(second))).toBe(302);
    expect(statusOf(await revoke(first))).toBe(302);
    expect(await rolesInEstate(first.id, estate)).toEqual([]);
    expect((await auditRows(first.id)).filter((r) => r.act === "role_revoke")).toHaveLength(2);

    const page = (await call(adminLoader, { url, user: platform })) as {
      communities: { id: string; admins: { userId: string }[] }[];
    };
    expect(page.communities.find((c) => c.id === estate.communityId)?.admins.map((a) => a.userId)).toEqual([second.id]);
  });

  it("refuses a grant to oneself; everyone but a platform admin gets 404 and changes nothing", async () => {
    const estate = await makeEstate();
    const platform = await makeUser([{ role: "platform_admin" }]);
    const communityAdmin = await makeUser([{ role: "community_admin", communityId: estate.communityId }]);
    const target = await makeUser();
    const url = "/admin/communities";
    expect(
      statusOf(
        await call(adminAction, {
          url,
          user: platform,
          form: { intent: "grant", communityId: estate.communityId, contact: platform.email },
        }),
      ),
    ).toBe(403);
    expect(await holds(platform.id, "community_admin")).toEqual([]);
    for (const user of [communityAdmin, await makeUser([{ role: "committee", estateId: estate.id }])]) {
      expect(statusOf(await call(adminLoader, { url, user }))).toBe(404);
      expect(
        statusOf(
          await call(adminAction, {
            url,
            user,
            form: { intent: "grant", communityId: estate.communityId, contact: target.email },
          }),
        ),
      ).toBe(404);
    }
    expect(
      statusOf(
        await call(adminAction, {
          url,
          form: { intent: "grant", communityId: estate.communityId, contact: target.email },
        }),
      ),
    ).toBe(302);
    expect(await holds(target.id, "community_admin")).toEqual([]);
    // The commands re-check inside their transactions.
    expect(
      await grantCommunityAdmin({ communityId: estate.communityId, actorId: communityAdmin.id, contact: target.email }),
    ).toEqual({ ok: false, error: "grants.errors.forbidden" });
    expect(
      await revokeCommunityAdmin({
        communityId: estate.communityId,
        actorId: communityAdmin.id,
        userId: communityAdmin.id,
      }),
    ).toEqual({ ok: false, error: "grants.errors.forbidden" });
  });
});

describe("commands re-check the permission inside their transaction", () => {
  it("refuses a role-gated write from a caller whose role is gone, with 403 and nothing written", async () => {
    const estate = await makeEstate();
    const owner = await makeUser([{ role: "owner", estateId: estate.id }]);
    const before = await estateProcedure(estate.id);
    const refused = await saveProcedure(estate.id, owner.id, {
      ...before,
      ballotsChangeable: !before.ballotsChangeable,
    }).catch((r: unknown) => r);
    expect(statusOf(refused)).toBe(403);
    expect(await estateProcedure(estate.id)).toEqual(before);
    const company = await setServingCompany({ estateId: estate.id, name: "某物业", userId: owner.id }).catch(
      (r: unknown) => r,
    );
    expect(statusOf(company)).toBe(403);
    expect(await servingCompany(getDb(), estate.id)).toBeNull();
    expect(await getDb().select().from(auditEvents).where(eq(auditEvents.estateId, estate.id))).toEqual([]);
  });
});
