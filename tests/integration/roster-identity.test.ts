import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { personKeyOf } from "~/roster/person-key.server";
import { action as previewAction, loader as previewLoader } from "~/routes/e.$estate.roster.import.$id";
import { action as importAction } from "~/routes/e.$estate.roster.import._index";
import { loader as unitLoader } from "~/routes/e.$estate.roster.units.$unitId";
import { draftProposal, openComment, openVoting } from "~/voting/proposals.server";
import { noticeBefore } from "./voting-helpers";
import { call, makeEstate, makeUser, statusOf } from "../fixtures";

/**
 * The roster's person key (issue 15, "Identity"): an ID number is kept only as an HMAC, shown
 * as its last 4 characters, with the legal basis recorded; one person across units is one voter.
 */

const header = "楼栋,房号,楼层,类型,专有面积,业主姓名,业主电话,开发商未售,产权证号,身份证号";
const csv = (...lines: string[]) => [header, ...lines].join("\n") + "\n";
// Valid GB 11643 numbers (check characters computed).
const idWang = "11010519491231002X";
const idLi = "440524188001010014";
const day = 86_400_000;

function upload(content: string, idBasis?: string) {
  const form = new FormData();
  form.append("file", new File([new TextEncoder().encode(content)], "roster.csv", { type: "text/csv" }));
  if (idBasis) form.append("idBasis", idBasis);
  return form;
}

async function estateWithAdmin() {
  const estate = await makeEstate({ name: "身份花园" });
  const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }], "周社区");
  return { estate, admin, params: { estate: estate.slug }, base: `/e/${estate.slug}/roster` };
}

async function importFile(ctx: Awaited<ReturnType<typeof estateWithAdmin>>, content: string, idBasis?: string) {
  const uploaded = (await call(importAction, {
    url: `${ctx.base}/import`,
    params: ctx.params,
    user: ctx.admin,
    form: upload(content, idBasis),
  })) as Response;
  expect(uploaded.status).toBe(302);
  const importId = uploaded.headers.get("Location")!.split("/").pop()!;
  const preview = (await call(previewLoader, {
    url: "/",
    params: { ...ctx.params, id: importId },
    user: ctx.admin,
  })) as { record: { idBasis: string | null; summary: Record<string, unknown> } };
  const confirmed = (await call(previewAction, {
    url: "/",
    params: { ...ctx.params, id: importId },
    user: ctx.admin,
    form: { intent: "confirm" },
  })) as Response;
  expect(confirmed.status).toBe(302);
  return { importId, preview: preview.record };
}

async function ownersOf(estateId: string) {
  return getDb()
    .select({
      id: schema.owners.id,
      name: schema.owners.name,
      key: schema.owners.identityKey,
      tail: schema.owners.idTail,
    })
    .from(schema.owners)
    .where(eq(schema.owners.estateId, estateId));
}

describe("roster person key", () => {
  it("asks for the legal basis when the file has ID numbers, and writes nothing without it", async () => {
    const ctx = await estateWithAdmin();
    const result = await call(importAction, {
      url: `${ctx.base}/import`,
      params: ctx.params,
      user: ctx.admin,
      form: upload(csv(`1幢,101,1,住宅,90,王芳,13900000001,否,SZ-1,${idWang}`)),
    });
    expect(statusOf(result)).toBe(422);
    expect((result as { data: { issues: unknown[] } }).data.issues).toEqual([{ line: null, code: "idBasisRequired" }]);
    expect(
      await getDb().select().from(schema.rosterImports).where(eq(schema.rosterImports.estateId, ctx.estate.id)),
    ).toEqual([]);
    // A basis that is not one of the choices is refused too.
    const bogus = await call(importAction, {
      url: `${ctx.base}/import`,
      params: ctx.params,
      user: ctx.admin,
      form: upload(csv(`1幢,101,1,住宅,90,王芳,13900000001,否,SZ-1,${idWang}`), "because"),
    });
    expect(statusOf(bogus)).toBe(400);
  });

  it("keeps only the HMAC and the last 4 characters, records the basis with the import and in the audit log", async () => {
    const ctx = await estateWithAdmin();
    const { importId, preview } = await importFile(
      ctx,
      csv(`1幢,101,1,住宅,90,王芳,13900000001,否,SZ-1,${idWang}`),
      "consent",
    );
    expect(preview.idBasis).toBe("consent");
    expect(preview.summary.idNumbers).toBe(1);
    const [stored] = await getDb().select().from(schema.rosterImports).where(eq(schema.rosterImports.id, importId));
    expect(stored.idBasis).toBe("consent");
    const everything = JSON.stringify({ stored, owners: await ownersOf(ctx.estate.id) });
    expect(everything).not.toContain(idWang.slice(0, 14));
    expect(await ownersOf(ctx.estate.id)).toEqual([
      expect.objectContaining({ name: "王芳", key: `id:${personKeyOf(idWang)}`, tail: "002X" }),
    ]);
    // The key is keyed: not a plain hash anyone could recompute from the number.
    const { createHash } = await import("node:crypto");
    expect(personKeyOf(idWang)).not.toBe(createHash("sha256").update(idWang).digest("base64url"));
    const [audit] = await getDb()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.subjectId, importId), eq(schema.auditEvents.act, "roster_import")));
    expect(audit.detail).toMatchObject({ idBasis: "consent", idNumbers: 1 });
    // The unit page shows the admin the last 4 characters, never more.
    const [unit] = await getDb().select().from(schema.units).where(eq(schema.units.estateId, ctx.estate.id));
    const page = (await call(unitLoader, {
      url: "/",
      params: { ...ctx.params, unitId: unit.id },
      user: ctx.admin,
    })) as { unit: { owners: { idTail: string | null }[] } };
    expect(JSON.stringify(page)).not.toContain(idWang.slice(0, 14));
    expect(page.unit.owners[0].idTail).toBe("002X");
  });

  it("one person with two flats under two certificate numbers and one ID key is one voter, areas summed", async () => {
    const ctx = await estateWithAdmin();
    await importFile(
      ctx,
      csv(
        `1幢,101,1,住宅,89.37,王芳,,否,SZ-1,${idWang}`,
        `2幢,201,2,住宅,60.01,王芳,,否,SZ-2,${idWang}`,
        // A co-owned flat with one shared certificate number, given once.
        `3幢,301,3,住宅,100,李雷;韩梅,,否,SZ-3,${idLi}`,
      ),
      "legalDuty",
    );
    const owners = await ownersOf(ctx.estate.id);
    expect(owners.map((o) => o.name).sort()).toEqual(["李雷", "王芳", "韩梅"]);
    const coOwners = await getDb()
      .select({ ref: schema.owners.registerRef })
      .from(schema.owners)
      .where(and(eq(schema.owners.estateId, ctx.estate.id), eq(schema.owners.registerRef, "SZ-3")));
    expect(coOwners).toHaveLength(2);

    // A vote's snapshot: 王芳 once with 149.38 m², the co-owners once with 100 m².
    const c1 = await makeUser([{ role: "committee", estateId: ctx.estate.id }], "陈委员");
    const now = Date.now();
    const draft = await draftProposal({
      estateId: ctx.estate.id,
      userId: c1.id,
      title: "续聘物业",
      body: "理由",
      type: "property_company",
      commentEndsAt: new Date(now - 2 * day),
      votingStartsAt: new Date(now - 2 * day),
      votingEndsAt: new Date(now + 7 * day),
      now: new Date(now - 3 * day),
    });
    if (!draft.ok) throw new Error(draft.error);
    await openComment({ estateId: ctx.estate.id, proposalId: draft.id, userId: c1.id, now: new Date(now - 3 * day) });
    await noticeBefore(ctx.estate.id, { kind: "proposal", id: draft.id }, c1.id, new Date(now - day));
    expect(
      await openVoting({ estateId: ctx.estate.id, proposalId: draft.id, userId: c1.id, now: new Date(now - day) }),
    ).toEqual({ ok: true, voters: 2 });
    const voters = await getDb()
      .select({
        area: schema.voteVoters.areaCentiSqm,
        units: schema.voteVoters.unitIds,
        headcount: schema.voteVoters.headcount,
      })
      .from(schema.voteVoters)
      .where(eq(schema.voteVoters.proposalId, draft.id));
    expect(voters.map((v) => [v.area, v.units.length, v.headcount]).sort()).toEqual([
      [10000, 1, 1],
      [14938, 2, 1],
    ]);
  });

  it("reports the same name and phone under different ID numbers, names masked", async () => {
    const ctx = await estateWithAdmin();
    const { preview } = await importFile(
      ctx,
      csv(`1幢,101,1,住宅,90,王芳,13900000001,否,,${idWang}`, `1幢,102,1,住宅,90,王芳,13900000001,否,,${idLi}`),
      "consent",
    );
    expect(preview.summary.identityWarnings).toEqual([
      { name: "王*", lines: [2, 3], onRoster: false, tails: ["002X", "0014"] },
    ]);
    // Imported as listed: two people.
    expect(await ownersOf(ctx.estate.id)).toHaveLength(2);
  });
});
