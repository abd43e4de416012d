import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { decideDeclaration, declareRole, recordObserverRole } from "~/committee/composition.server";
import { action as rolesAction } from "~/routes/e.$estate.committee.roles";
import { call, dbError, makeEstate, makeUser, statusOf } from "../fixtures";

// Issue 12, four eyes: nobody verifies the public role (X seat) they declared themselves.

describe("four eyes on role proofs", () => {
  it("role proof self-verification: a community admin who declared a role cannot verify (or reject) it; command 403, CHECK role_declaration_not_own", async () => {
    const estate = await makeEstate();
    const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }], "周社区");
    await getDb().insert(schema.memberships).values({ userId: admin.id, estateId: estate.id, role: "owner" });
    const other = await makeUser([{ role: "community_admin", communityId: estate.communityId }], "吴社区");
    const declared = await declareRole({
      estateId: estate.id,
      userId: admin.id,
      role: "npc",
      title: "区人大代表",
      proofNote: "代表证 123",
    });
    if (!declared.ok) throw new Error(declared.error);

    expect(
      await decideDeclaration({ estateId: estate.id, adminId: admin.id, declarationId: declared.id, verify: true }),
    ).toEqual({ ok: false, error: "committee.errors.ownDeclaration" });
    const page = { url: `/e/${estate.slug}/committee/roles`, params: { estate: estate.slug } };
    const viaRoute = await call(rolesAction, { ...page, user: admin, form: { intent: "verify", id: declared.id } });
    expect(statusOf(viaRoute)).toBe(403);
    const error = await dbError(
      getDb()
        .update(schema.roleDeclarations)
        .set({ status: "verified", decidedBy: admin.id, decidedAt: new Date() })
        .where(eq(schema.roleDeclarations.id, declared.id)),
    );
    expect(error).toEqual({ code: "23514", constraint: "role_declaration_not_own" });
    const [still] = await getDb()
      .select()
      .from(schema.roleDeclarations)
      .where(eq(schema.roleDeclarations.id, declared.id));
    expect(still.status).toBe("pending");

    expect(
      await decideDeclaration({ estateId: estate.id, adminId: other.id, declarationId: declared.id, verify: true }),
    ).toEqual({ ok: true });
  });

  it("role proof self-verification: an admin cannot record themself as a verified observer deputy", async () => {
    const estate = await makeEstate();
    const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }], "周社区");
    expect(
      await recordObserverRole({
        estateId: estate.id,
        adminId: admin.id,
        email: admin.email,
        role: "cppcc",
        title: "区政协委员",
        proofNote: "委员证",
      }),
    ).toEqual({
      ok: false,
      error: "committee.errors.ownDeclaration",
    });
    expect(
      await getDb().select().from(schema.roleDeclarations).where(eq(schema.roleDeclarations.userId, admin.id)),
    ).toEqual([]);
  });
});
