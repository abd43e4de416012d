import { and, count, eq, sql } from "drizzle-orm";
import iconv from "iconv-lite";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { confirmImport, previewImport } from "~/roster/roster.server";
import { loader as rosterHome } from "~/routes/e.$estate.roster._index";
import { action as previewAction, loader as previewLoader } from "~/routes/e.$estate.roster.import.$id";
import { action as importAction, loader as importLoader } from "~/routes/e.$estate.roster.import._index";
import { loader as lettersLoader } from "~/routes/e.$estate.roster.letters";
import { action as unitAction, loader as unitLoader } from "~/routes/e.$estate.roster.units.$unitId";
import { loader as unitsLoader } from "~/routes/e.$estate.roster.units._index";
import { call, expectStatus, makeEstate, makeUnits, makeUser, statusOf } from "../fixtures";

const header = "楼栋,房号,楼层,类型,专有面积,业主姓名,业主电话,开发商未售,产权证号";
const csv = (...lines: string[]) => [header, ...lines].join("\n") + "\n";
const bytes = (text: string) => new TextEncoder().encode(text);

function upload(content: string | Uint8Array, name = "roster.csv") {
  const form = new FormData();
  const data = typeof content === "string" ? bytes(content) : content;
  form.append("file", new File([new Uint8Array(data)], name, { type: "text/csv" }));
  return form;
}

async function estateWithAdmin() {
  const estate = await makeEstate({ name: "测试花园" });
  const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }], "周社区");
  return { estate, admin, params: { estate: estate.slug }, base: `/e/${estate.slug}/roster` };
}

async function tally(estateId: string) {
  const db = getDb();
  const [[u], [o], [l], [b], [i]] = await Promise.all([
    db.select({ n: count() }).from(schema.units).where(eq(schema.units.estateId, estateId)),
    db.select({ n: count() }).from(schema.owners).where(eq(schema.owners.estateId, estateId)),
    db.select({ n: count() }).from(schema.ownerships).where(eq(schema.ownerships.estateId, estateId)),
    db.select({ n: count() }).from(schema.buildings).where(eq(schema.buildings.estateId, estateId)),
    db.select({ n: count() }).from(schema.rosterImports).where(eq(schema.rosterImports.estateId, estateId)),
  ]);
  return { units: u.n, owners: o.n, ownerships: l.n, buildings: b.n, imports: i.n };
}

async function unitsOf(estateId: string) {
  const rows = await getDb()
    .select({
      id: schema.units.id,
      building: schema.buildings.name,
      number: schema.units.number,
      floor: schema.units.floor,
      kind: schema.units.kind,
      area: schema.units.areaCentiSqm,
      unsold: schema.units.developerUnsold,
      code: schema.units.claimCode,
    })
    .from(schema.units)
    .innerJoin(schema.buildings, eq(schema.buildings.id, schema.units.buildingId))
    .where(eq(schema.units.estateId, estateId));
  return new Map(rows.map((r) => [`${r.building}/${r.number}`, r]));
}

async function ownersOfUnit(unitId: string) {
  const rows = await getDb()
    .select({
      id: schema.owners.id,
      name: schema.owners.name,
      phone: schema.owners.phone,
      userId: schema.owners.userId,
    })
    .from(schema.ownerships)
    .innerJoin(schema.owners, eq(schema.owners.id, schema.ownerships.ownerId))
    .where(eq(schema.ownerships.unitId, unitId));
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/** Upload through the route, then confirm through the route, as the admin would. */
async function importThroughRoutes(ctx: Awaited<ReturnType<typeof estateWithAdmin>>, content: string | Uint8Array) {
  const uploaded = (await call(importAction, {
    url: `${ctx.base}/import`,
    params: ctx.params,
    user: ctx.admin,
    form: upload(content),
  })) as Response;
  expect(uploaded.status).toBe(302);
  const location = uploaded.headers.get("Location")!;
  const importId = location.split("/").pop()!;
  expect(location).toBe(`${ctx.base}/import/${importId}`);
  const preview = (await call(previewLoader, {
    url: location,
    params: { ...ctx.params, id: importId },
    user: ctx.admin,
  })) as {
    record: { status: string; summary: Record<string, number> & { samples: { ownersAfter: string[] }[] } };
  };
  const confirmed = (await call(previewAction, {
    url: location,
    params: { ...ctx.params, id: importId },
    user: ctx.admin,
    form: { intent: "confirm" },
  })) as Response;
  expect(confirmed.status).toBe(302);
  expect(confirmed.headers.get("Location")).toBe(`${ctx.base}/units`);
  return { importId, preview: preview.record };
}

describe("roster import", () => {
  it("imports a valid file after a preview, with claim codes, owners and an audit record", async () => {
    const ctx = await estateWithAdmin();
    const file = csv(
      "1幢,101,1,住宅,89.50,张三,13900000001,否,",
      "1幢,102,1,住宅,120,李四;王五,13900000002;13900000003,,",
      "1幢,103,1,商业,95.05,,,是,",
      "2幢,201,2,住宅,88,张三,13900000001,,", // the same person as 1幢 101 (name + phone)
      "地下,B1-01,-1,车位,12.5,赵六,,,SZ01",
    );
    const uploaded = (await call(importAction, {
      url: `${ctx.base}/import`,
      params: ctx.params,
      user: ctx.admin,
      form: upload(file),
    })) as Response;
    expect(uploaded.status).toBe(302);
    // The preview writes nothing but the import record.
    expect(await tally(ctx.estate.id)).toEqual({ units: 0, owners: 0, ownerships: 0, buildings: 0, imports: 1 });
    const importId = uploaded.headers.get("Location")!.split("/").pop()!;
    const preview = (await call(previewLoader, {
      url: "/",
      params: { ...ctx.params, id: importId },
      user: ctx.admin,
    })) as {
      record: { status: string; summary: Record<string, unknown> & { samples: { ownersAfter: string[] }[] } };
    };
    expect(preview.record.status).toBe("preview");
    expect(preview.record.summary).toMatchObject({
      rows: 5,
      buildingsNew: 3,
      unitsNew: 5,
      unitsUpdated: 0,
      unitsNotInFile: 0,
      ownersNew: 4,
      encoding: "utf-8",
    });
    // Names leave the server masked.
    expect(preview.record.summary.samples[1].ownersAfter).toEqual(["李*", "王*"]);
    expect(JSON.stringify(preview)).not.toContain("13900000001");

    const confirmed = (await call(previewAction, {
      url: "/",
      params: { ...ctx.params, id: importId },
      user: ctx.admin,
      form: { intent: "confirm" },
    })) as Response;
    expect(confirmed.status).toBe(302);
    expect(await tally(ctx.estate.id)).toEqual({ units: 5, owners: 4, ownerships: 5, buildings: 3, imports: 1 });
    const units = await unitsOf(ctx.estate.id);
    expect(units.get("1幢/101")).toMatchObject({ floor: 1, kind: "residential", area: 8950, unsold: false });
    expect(units.get("1幢/103")).toMatchObject({ kind: "commercial", area: 9505, unsold: true });
    expect(units.get("地下/B1-01")).toMatchObject({ floor: -1, kind: "parking", area: 1250 });
    for (const u of units.values()) expect(u.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
    const zhang = await ownersOfUnit(units.get("1幢/101")!.id);
    expect(await ownersOfUnit(units.get("2幢/201")!.id)).toEqual(zhang);
    expect((await ownersOfUnit(units.get("1幢/102")!.id)).map((o) => o.name)).toEqual(
      ["李四", "王五"].sort((a, b) => a.localeCompare(b)),
    );
    expect(await ownersOfUnit(units.get("1幢/103")!.id)).toEqual([]);

    const audit = await getDb()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.estateId, ctx.estate.id), eq(schema.auditEvents.act, "roster_import")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: ctx.admin.id,
      subjectId: importId,
      detail: expect.objectContaining({ unitsNew: 5 }),
    });
    const [record] = await getDb().select().from(schema.rosterImports).where(eq(schema.rosterImports.id, importId));
    expect(record.status).toBe("applied");
    // Stored as a JSON array, not as a string holding JSON.
    const typed = await getDb().execute(sql`select jsonb_typeof(rows) as t from roster_import where id = ${importId}`);
    expect((Array.isArray(typed) ? typed : (typed as unknown as { rows: { t: string }[] }).rows)[0]).toEqual({
      t: "array",
    });
    expect(record.appliedAt).toBeInstanceOf(Date);

    // A second confirmation is refused and changes nothing.
    const again = await call(previewAction, {
      url: "/",
      params: { ...ctx.params, id: importId },
      user: ctx.admin,
      form: { intent: "confirm" },
    });
    expect(statusOf(again)).toBe(409);
    expect(await tally(ctx.estate.id)).toMatchObject({ units: 5, owners: 4, ownerships: 5 });
  });

  it("writes nothing when any row is bad, and reports every bad row with its line", async () => {
    const ctx = await estateWithAdmin();
    await makeUnits(ctx.estate.id, [{ building: "1幢", number: "101", owners: [{ name: "老业主" }] }]);
    const before = await tally(ctx.estate.id);
    const result = await call(importAction, {
      url: `${ctx.base}/import`,
      params: ctx.params,
      user: ctx.admin,
      form: upload(
        csv(
          "1幢,101,1,住宅,90,新业主,,,",
          "1幢,102,1,住宅,12.345,张三,,,",
          "1幢,103,1,住宅,90,,,,",
          "1幢,102,1,住宅,90,李四,,,",
        ),
      ),
    });
    expect(statusOf(result)).toBe(422);
    const body = (result as { data: { issues: unknown[]; issueCount: number } }).data;
    expect(body.issueCount).toBe(3);
    expect(body.issues).toEqual([
      { line: 3, code: "areaTooPrecise", params: { value: "12.345" } },
      { line: 4, code: "ownerRequired" },
      { line: 5, code: "duplicateUnit", params: { building: "1幢", unit: "102", firstLine: 3 } },
    ]);
    expect(await tally(ctx.estate.id)).toEqual(before);
    const [unit] = (await unitsOf(ctx.estate.id)).values();
    expect((await ownersOfUnit(unit.id)).map((o) => o.name)).toEqual(["老业主"]);

    // A missing file and a missing column are refused too.
    expect(
      statusOf(
        await call(importAction, {
          url: `${ctx.base}/import`,
          params: ctx.params,
          user: ctx.admin,
          form: new FormData(),
        }),
      ),
    ).toBe(400);
    const noArea = await call(importAction, {
      url: `${ctx.base}/import`,
      params: ctx.params,
      user: ctx.admin,
      form: upload("楼栋,房号,楼层,类型,业主姓名\n1幢,101,1,住宅,张三\n"),
    });
    expect((noArea as { data: { issues: unknown[] } }).data.issues).toEqual([
      { line: 1, code: "missingHeader", params: { column: "area" } },
    ]);
    expect(await tally(ctx.estate.id)).toEqual(before);
  });

  it("re-imports without duplicating units, updates what changed and keeps claimed owners linked", async () => {
    const ctx = await estateWithAdmin();
    const file = csv(
      "1幢,101,1,住宅,90,张三,13900000001,,",
      "1幢,102,1,住宅,100,李四,,,",
      "1幢,103,1,住宅,110,王五,,,SZ5",
    );
    await importThroughRoutes(ctx, file);
    const first = await unitsOf(ctx.estate.id);
    // Two owners claim their units.
    const zhangUser = await makeUser([{ role: "owner", estateId: ctx.estate.id }], "张三");
    const liUser = await makeUser([{ role: "owner", estateId: ctx.estate.id }], "李四");
    const [zhang] = await ownersOfUnit(first.get("1幢/101")!.id);
    const [li] = await ownersOfUnit(first.get("1幢/102")!.id);
    await getDb()
      .update(schema.owners)
      .set({ userId: zhangUser.id, claimedAt: new Date() })
      .where(eq(schema.owners.id, zhang.id));
    await getDb()
      .update(schema.owners)
      .set({ userId: liUser.id, claimedAt: new Date() })
      .where(eq(schema.owners.id, li.id));
    const before = await tally(ctx.estate.id);

    // The same file again: nothing changes, not even the claim codes.
    const same = await importThroughRoutes(ctx, file);
    expect(same.preview.summary).toMatchObject({
      unitsNew: 0,
      unitsUpdated: 0,
      unitsUnchanged: 3,
      ownersNew: 0,
      ownersUpdated: 0,
      ownershipChanged: 0,
      claimedOwnersKept: 2,
    });
    expect(await tally(ctx.estate.id)).toEqual({ ...before, imports: before.imports + 1 });
    expect(await unitsOf(ctx.estate.id)).toEqual(first);

    // Changes: an area corrected, 李四's phone now known, 王五 sold 103 to 赵六, a new unit.
    const changed = csv(
      "1幢,101,1,住宅,90.5,张三,13900000001,,",
      "1幢,102,1,住宅,100,李四,13900000002,,",
      "1幢,103,1,住宅,110,赵六,,,",
      "1幢,104,1,住宅,120,钱七,,,",
    );
    const { preview } = await importThroughRoutes(ctx, changed);
    expect(preview.summary).toMatchObject({
      unitsNew: 1,
      unitsUpdated: 2,
      unitsUnchanged: 1,
      ownersNew: 2,
      ownersUpdated: 1,
      ownershipChanged: 1,
    });
    const after = await unitsOf(ctx.estate.id);
    expect(after.size).toBe(4);
    for (const key of ["1幢/101", "1幢/102", "1幢/103"]) {
      expect(after.get(key)!.id).toBe(first.get(key)!.id);
      expect(after.get(key)!.code).toBe(first.get(key)!.code);
    }
    expect(after.get("1幢/101")!.area).toBe(9050);
    expect(await ownersOfUnit(after.get("1幢/101")!.id)).toEqual([
      expect.objectContaining({ id: zhang.id, userId: zhangUser.id }),
    ]);
    expect(await ownersOfUnit(after.get("1幢/102")!.id)).toEqual([
      { id: li.id, name: "李四", phone: "13900000002", userId: liUser.id },
    ]);
    expect((await ownersOfUnit(after.get("1幢/103")!.id)).map((o) => o.name)).toEqual(["赵六"]);
    // The former owner stays on record (records are never deleted), owning nothing now.
    const [wang] = await getDb()
      .select()
      .from(schema.owners)
      .where(and(eq(schema.owners.estateId, ctx.estate.id), eq(schema.owners.name, "王五")));
    expect(wang).toBeDefined();
  });

  it("imports a GBK file as Chinese Excel saves it", async () => {
    const ctx = await estateWithAdmin();
    const gbk = iconv.encode(
      csv("5幢,501,5,住宅,99.99,孙悟空;猪八戒,13900000011、13900000012,否,").replace(/\n/g, "\r\n"),
      "gbk",
    );
    const { preview } = await importThroughRoutes(ctx, gbk);
    expect(preview.summary).toMatchObject({ encoding: "gbk", unitsNew: 1, ownersNew: 2 });
    const units = await unitsOf(ctx.estate.id);
    expect(units.get("5幢/501")).toMatchObject({ floor: 5, area: 9999 });
    expect((await ownersOfUnit(units.get("5幢/501")!.id)).map((o) => o.name).sort()).toEqual(
      ["孙悟空", "猪八戒"].sort(),
    );
  });

  it("gives 404 for another estate's import, and refuses to confirm it", async () => {
    const a = await estateWithAdmin();
    const b = await makeEstate({ communityId: a.estate.communityId }); // the same admin manages both
    const preview = await previewImport({
      estateId: b.id,
      userId: a.admin.id,
      fileName: "b.csv",
      bytes: bytes(csv("1幢,101,1,住宅,90,张三,,,")),
    });
    if (!preview.ok) throw new Error("expected a valid file");
    const params = { ...a.params, id: preview.importId };
    await expectStatus(previewLoader, { url: "/", params, user: a.admin }, 404);
    await expectStatus(previewAction, { url: "/", params, user: a.admin, form: { intent: "confirm" } }, 404);
    await expectStatus(previewAction, { url: "/", params, user: a.admin, form: { intent: "discard" } }, 404);
    await expectStatus(previewLoader, { url: "/", params: { ...a.params, id: "not-a-uuid" }, user: a.admin }, 404);
    expect(await confirmImport({ estateId: a.estate.id, importId: preview.importId, userId: a.admin.id })).toEqual({
      ok: false,
      error: "notFound",
    });
    expect((await tally(b.id)).units).toBe(0);
    // In its own estate it applies.
    expect(await confirmImport({ estateId: b.id, importId: preview.importId, userId: a.admin.id })).toMatchObject({
      ok: true,
    });
    expect((await tally(b.id)).units).toBe(1);
  });

  it("draws a new claim code when a fresh one collides with an existing code", async () => {
    const ctx = await estateWithAdmin();
    const [existing] = await makeUnits(ctx.estate.id, [{ building: "1幢", number: "101", owners: [{ name: "张三" }] }]);
    await getDb().update(schema.units).set({ claimCode: "2222222222" }).where(eq(schema.units.id, existing.unitId));
    const preview = await previewImport({
      estateId: ctx.estate.id,
      userId: ctx.admin.id,
      fileName: "x.csv",
      bytes: bytes(csv("1幢,102,1,住宅,90,李四,,,")),
    });
    if (!preview.ok) throw new Error("expected a valid file");
    // The first draw is all zero bytes, i.e. "2222222222"; later draws are random.
    let calls = 0;
    const random = (n: number) => (calls++ === 0 ? new Uint8Array(n) : randomBytes(n));
    expect(
      await confirmImport({ estateId: ctx.estate.id, importId: preview.importId, userId: ctx.admin.id }, random),
    ).toMatchObject({ ok: true });
    expect(calls).toBeGreaterThan(1);
    const units = await unitsOf(ctx.estate.id);
    expect(units.get("1幢/101")!.code).toBe("2222222222");
    expect(units.get("1幢/102")!.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
    expect(units.get("1幢/102")!.code).not.toBe("2222222222");
    expect((await ownersOfUnit(units.get("1幢/102")!.id)).map((o) => o.name)).toEqual(["李四"]);
  });

  it("discards a preview without writing anything", async () => {
    const ctx = await estateWithAdmin();
    const preview = await previewImport({
      estateId: ctx.estate.id,
      userId: ctx.admin.id,
      fileName: "x.csv",
      bytes: bytes(csv("1幢,101,1,住宅,90,张三,,,")),
    });
    if (!preview.ok) throw new Error("expected a valid file");
    const result = (await call(previewAction, {
      url: "/",
      params: { ...ctx.params, id: preview.importId },
      user: ctx.admin,
      form: { intent: "discard" },
    })) as Response;
    expect(result.status).toBe(302);
    expect(await confirmImport({ estateId: ctx.estate.id, importId: preview.importId, userId: ctx.admin.id })).toEqual({
      ok: false,
      error: "notPending",
    });
    expect((await tally(ctx.estate.id)).units).toBe(0);
  });
});

describe("units list, unit page and claim letters", () => {
  it("lists units with masked owners and never a phone, filtered and paginated", async () => {
    const ctx = await estateWithAdmin();
    await makeUnits(ctx.estate.id, [
      { building: "2幢", number: "101", area: 8950, owners: [{ name: "张三丰", phone: "13912345678" }] },
      { building: "10幢", number: "101", owners: [{ name: "李四" }] },
      { building: "2幢", number: "102", developerUnsold: true },
      ...Array.from({ length: 55 }, (_, i) => ({
        building: "3幢",
        number: String(1000 + i),
        owners: [{ name: `业主${i}` }],
      })),
    ]);
    const all = (await call(unitsLoader, { url: `${ctx.base}/units`, params: ctx.params, user: ctx.admin })) as {
      total: number;
      pages: number;
      units: { building: string; number: string; owners: string[]; claimed: boolean; developerUnsold: boolean }[];
    };
    expect(all.total).toBe(58);
    expect(all.pages).toBe(2);
    expect(all.units.length).toBe(50);
    // Natural order: 2幢 before 3幢 before 10幢.
    expect(all.units.slice(0, 3).map((u) => `${u.building}/${u.number}`)).toEqual(["2幢/101", "2幢/102", "3幢/1000"]);
    expect(all.units[0]).toMatchObject({ owners: ["张**"], claimed: false });
    expect(JSON.stringify(all)).not.toMatch(/13912345678|张三丰/);
    const page2 = (await call(unitsLoader, {
      url: `${ctx.base}/units?page=2`,
      params: ctx.params,
      user: ctx.admin,
    })) as typeof all;
    expect(page2.units.at(-1)).toMatchObject({ building: "10幢", number: "101", owners: ["李*"] });
    const filtered = (await call(unitsLoader, {
      url: `${ctx.base}/units?building=${encodeURIComponent("2幢")}&q=10`,
      params: ctx.params,
      user: ctx.admin,
    })) as typeof all;
    expect(filtered.units.map((u) => u.number)).toEqual(["101", "102"]);
    const wildcard = (await call(unitsLoader, {
      url: `${ctx.base}/units?q=%25`,
      params: ctx.params,
      user: ctx.admin,
    })) as typeof all;
    expect(wildcard.total).toBe(0);
  });

  it("prints letters with masked names and the code, and reissuing a code replaces it", async () => {
    const ctx = await estateWithAdmin();
    const [unit] = await makeUnits(ctx.estate.id, [
      { building: "1幢", number: "101", owners: [{ name: "王秀英", phone: "13900000101" }, { name: "李雷" }] },
      { building: "1幢", number: "102", developerUnsold: true },
      { building: "2幢", number: "201", owners: [{ name: "韩梅梅" }] },
    ]);
    const letters = (await call(lettersLoader, {
      url: `${ctx.base}/letters?building=${encodeURIComponent("1幢")}`,
      params: ctx.params,
      user: ctx.admin,
    })) as {
      claimUrl: string;
      letters: { number: string; owners: string[]; code: string }[];
    };
    expect(letters.claimUrl).toMatch(/\/claim$/);
    expect(letters.letters).toMatchObject([
      {
        id: unit.unitId,
        building: "1幢",
        number: "101",
        owners: ["李*", "王**"],
        code: unit.claimCode.replace(/(.{5})/, "$1-"),
      },
    ]);
    expect(JSON.stringify(letters)).not.toMatch(/13900000101|王秀英/);
    const one = (await call(lettersLoader, {
      url: `${ctx.base}/letters?unit=${unit.unitId}`,
      params: ctx.params,
      user: ctx.admin,
    })) as typeof letters;
    expect(one.letters.map((l) => l.number)).toEqual(["101"]);

    const detail = (await call(unitLoader, {
      url: "/",
      params: { ...ctx.params, unitId: unit.unitId },
      user: ctx.admin,
    })) as {
      unit: { claimCode: string; owners: { name: string; phoneTail: string | null }[] };
    };
    expect(detail.unit.claimCode).toBe(unit.claimCode.replace(/(.{5})/, "$1-"));
    // The admin who reissues a code checks the person against the roster: names in full, the
    // roster phone's last 4 digits, never the whole phone; the look is audited.
    expect(detail.unit.owners.map((o) => [o.name, o.phoneTail])).toEqual([
      ["李雷", null],
      ["王秀英", "0101"],
    ]);
    expect(JSON.stringify(detail)).not.toContain("13900000101");
    const looks = await getDb()
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.act, "personal_data_viewed"));
    expect(looks.map((l) => [l.actorUserId, l.subjectType, l.subjectId])).toEqual([
      [ctx.admin.id, "unit", unit.unitId],
    ]);
    const reissued = (await call(unitAction, {
      url: "/",
      params: { ...ctx.params, unitId: unit.unitId },
      user: ctx.admin,
      form: { intent: "reissue" },
    })) as Response;
    expect(reissued.status).toBe(302);
    const [row] = await getDb()
      .select({ code: schema.units.claimCode })
      .from(schema.units)
      .where(eq(schema.units.id, unit.unitId));
    expect(row.code).not.toBe(unit.claimCode);
    expect(row.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}$/);
    const [audit] = await getDb()
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.act, "claim_code_reissue"));
    expect(audit).toMatchObject({
      estateId: ctx.estate.id,
      actorUserId: ctx.admin.id,
      subjectType: "unit",
      subjectId: unit.unitId,
    });
    expect(JSON.stringify(audit.detail)).not.toContain(row.code);

    // A committee member sees the unit but not its code, and may not reissue it.
    const committee = await makeUser([{ role: "committee", estateId: ctx.estate.id }]);
    const seen = (await call(unitLoader, {
      url: "/",
      params: { ...ctx.params, unitId: unit.unitId },
      user: committee,
    })) as {
      unit: { claimCode: string | null; owners: { name: string; phoneTail: string | null }[] };
    };
    expect(seen.unit.claimCode).toBeNull();
    expect(seen.unit.owners.map((o) => [o.name, o.phoneTail])).toEqual([
      ["李*", null],
      ["王**", null],
    ]);
    expect(
      await getDb().select().from(schema.auditEvents).where(eq(schema.auditEvents.act, "personal_data_viewed")),
    ).toHaveLength(1);
    await expectStatus(
      unitAction,
      { url: "/", params: { ...ctx.params, unitId: unit.unitId }, user: committee, form: { intent: "reissue" } },
      403,
    );
    expect(await call(unitsLoader, { url: `${ctx.base}/units`, params: ctx.params, user: committee })).toMatchObject({
      canPrint: false,
    });
    expect(await call(unitsLoader, { url: `${ctx.base}/units`, params: ctx.params, user: ctx.admin })).toMatchObject({
      canPrint: true,
    });
  });

  it("gives 404 for another estate's unit", async () => {
    const a = await estateWithAdmin();
    const b = await makeEstate({ communityId: a.estate.communityId });
    const [unit] = await makeUnits(b.id, [{ building: "1幢", number: "101", owners: [{ name: "张三" }] }]);
    await expectStatus(unitLoader, { url: "/", params: { ...a.params, unitId: unit.unitId }, user: a.admin }, 404);
    await expectStatus(
      unitAction,
      { url: "/", params: { ...a.params, unitId: unit.unitId }, user: a.admin, form: { intent: "reissue" } },
      404,
    );
    const letters = (await call(lettersLoader, {
      url: `${a.base}/letters?unit=${unit.unitId}`,
      params: a.params,
      user: a.admin,
    })) as { letters: unknown[] };
    expect(letters.letters).toEqual([]);
    const [row] = await getDb()
      .select({ code: schema.units.claimCode })
      .from(schema.units)
      .where(eq(schema.units.id, unit.unitId));
    expect(row.code).toBe(unit.claimCode);
  });
});

describe("roster authorisation", () => {
  type Fn = Parameters<typeof expectStatus>[0];
  const managers = ["committee", "community_admin", "platform_admin"] as const;
  const admins = ["community_admin", "platform_admin"] as const;

  it("every route: anonymous → login, other estate → 404, wrong role → 403, allowed role → 200", async () => {
    const estate = await makeEstate();
    const other = await makeEstate();
    const [unit] = await makeUnits(estate.id, [{ building: "1幢", number: "101", owners: [{ name: "张三" }] }]);
    const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }]);
    const preview = await previewImport({
      estateId: estate.id,
      userId: admin.id,
      fileName: "x.csv",
      bytes: bytes(csv("1幢,101,1,住宅,90,张三,,,")),
    });
    if (!preview.ok) throw new Error("expected a valid file");
    const users = {
      outsider: await makeUser([{ role: "owner", estateId: other.id }]),
      otherAdmin: await makeUser([{ role: "community_admin", communityId: other.communityId }]),
      owner: await makeUser([{ role: "owner", estateId: estate.id }]),
      resident: await makeUser([{ role: "resident", estateId: estate.id }]),
      property_staff: await makeUser([{ role: "property_staff", estateId: estate.id }]),
      committee: await makeUser([{ role: "committee", estateId: estate.id }]),
      community_admin: admin,
      platform_admin: await makeUser([{ role: "platform_admin" }]),
    };
    const base = `/e/${estate.slug}/roster`;
    const params = { estate: estate.slug };
    // GET routes (and POSTs that do not change data when refused) with the roles allowed.
    const routes: {
      name: string;
      fn: Fn;
      url: string;
      params: Record<string, string>;
      allowed: readonly string[];
      form?: () => FormData | Record<string, string>;
    }[] = [
      { name: "roster home", fn: rosterHome, url: base, params, allowed: managers },
      { name: "units", fn: unitsLoader, url: `${base}/units`, params, allowed: managers },
      {
        name: "unit",
        fn: unitLoader,
        url: `${base}/units/${unit.unitId}`,
        params: { ...params, unitId: unit.unitId },
        allowed: managers,
      },
      { name: "letters", fn: lettersLoader, url: `${base}/letters?building=1%E5%B9%A2`, params, allowed: admins },
      { name: "import page", fn: importLoader, url: `${base}/import`, params, allowed: admins },
      {
        name: "preview",
        fn: previewLoader,
        url: `${base}/import/${preview.importId}`,
        params: { ...params, id: preview.importId },
        allowed: admins,
      },
      {
        name: "upload",
        fn: importAction,
        url: `${base}/import`,
        params,
        allowed: [],
        form: () => upload(csv("1幢,101,1,住宅,90,张三,,,")),
      },
      {
        name: "confirm",
        fn: previewAction,
        url: `${base}/import/${preview.importId}`,
        params: { ...params, id: preview.importId },
        allowed: [],
        form: () => ({ intent: "confirm" }),
      },
      {
        name: "reissue",
        fn: unitAction,
        url: `${base}/units/${unit.unitId}`,
        params: { ...params, unitId: unit.unitId },
        allowed: [],
        form: () => ({ intent: "reissue" }),
      },
    ];
    for (const route of routes) {
      const options = (user: (typeof users)[keyof typeof users] | null) => ({
        url: route.url,
        params: route.params,
        user,
        form: route.form?.(),
      });
      const anonymous = (await call(route.fn, options(null))) as Response;
      expect(anonymous.status, route.name).toBe(302);
      expect(anonymous.headers.get("Location"), route.name).toMatch(/^\/login\?redirectTo=/);
      await expectStatus(route.fn, options(users.outsider), 404);
      await expectStatus(route.fn, options(users.otherAdmin), 404);
      const refused = route.form
        ? ["owner", "resident", "property_staff", "committee"]
        : ["owner", "resident", "property_staff", "committee"].filter((r) => !route.allowed.includes(r));
      for (const role of refused) await expectStatus(route.fn, options(users[role as keyof typeof users]), 403);
      for (const role of route.allowed) await expectStatus(route.fn, options(users[role as keyof typeof users]), 200);
    }
    // Nothing was changed by the refused posts.
    const [row] = await getDb()
      .select({ code: schema.units.claimCode })
      .from(schema.units)
      .where(eq(schema.units.id, unit.unitId));
    expect(row.code).toBe(unit.claimCode);
    const [record] = await getDb()
      .select({ status: schema.rosterImports.status })
      .from(schema.rosterImports)
      .where(eq(schema.rosterImports.id, preview.importId));
    expect(record.status).toBe("preview");
    // The allowed posts: upload (302 to its preview), reissue (302), confirm (302).
    for (const route of routes.filter((r) => r.form)) {
      const result = (await call(route.fn, {
        url: route.url,
        params: route.params,
        user: users.platform_admin,
        form: route.form!(),
      })) as Response;
      expect(result.status, route.name).toBe(302);
    }
  });
});
