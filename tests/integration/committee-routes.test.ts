import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { action as committeeAction, loader as committeeLoader } from "../../app/routes/e.$estate.committee._index";
import { loader as photoLoader } from "../../app/routes/e.$estate.committee.photo.$memberId";
import { loader as proofLoader } from "../../app/routes/e.$estate.committee.roles.$id.proof";
import { action as rolesAction, loader as rolesLoader } from "../../app/routes/e.$estate.committee.roles";
import { action as setupAction } from "../../app/routes/e.$estate.committee.setup";
import {
  action as requisitionsAction,
  loader as requisitionsLoader,
} from "../../app/routes/e.$estate.committee.requisitions";
import { call, makeEstate, makeUser, refusalOf, statusOf, tempUploadDir } from "../fixtures";
import { committeeEstate, ownerWithAccount, rolesOf } from "./committee-helpers";
import { pngWithText } from "../ticket-photos";

tempUploadDir();

// A real PNG: uploads must parse as the image they claim to be.
const png = pngWithText(false);
const refusal = refusalOf;

describe("setting up a committee through the page", () => {
  it("previews the apportionment, refuses an unsettled tie, registers, and seats members", async () => {
    const estate = await makeEstate();
    const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }]);
    const a = await ownerWithAccount(estate.id, "东1幢", "101", "东甲");
    await ownerWithAccount(estate.id, "东1幢", "102", "东乙");
    const w = await ownerWithAccount(estate.id, "西1幢", "101", "西甲");
    await ownerWithAccount(estate.id, "西1幢", "102", "西乙");
    const url = `/e/${estate.slug}/committee/setup`;
    const params = { estate: estate.slug };
    const plan = {
      title: "第一届",
      size: "5",
      xSeats: "0",
      termStartsAt: "2026-12-01",
      termEndsAt: "2031-11-30",
      zones: "东区: 东1幢\n西区: 西1幢",
    };
    // The page is for community admins only.
    expect(statusOf(await call(setupAction, { url, params, user: a, form: { intent: "preview", ...plan } }))).toBe(403);
    const preview = (await call(setupAction, { url, params, user: admin, form: { intent: "preview", ...plan } })) as {
      data: { rows: unknown[]; ties: unknown[] };
    };
    // 5 seats, two zones of 2 households: one each, then 3 → 1 each and one tied seat.
    expect(preview.data.rows).toEqual([
      { name: "东区", households: 2, seats: 2, tied: true },
      { name: "西区", households: 2, seats: 2, tied: true },
    ]);
    expect(preview.data.ties).toEqual([{ zones: "东区、西区", seats: 1 }]);
    const tie = await call(setupAction, { url, params, user: admin, form: { intent: "register", ...plan } });
    expect(statusOf(tie)).toBe(400);
    expect(refusal(tie)).toMatchObject({
      error: "committee.errors.tieUnresolved",
      params: { zones: "东区、西区", seats: 1 },
    });
    expect(
      refusal(
        await call(setupAction, {
          url,
          params,
          user: admin,
          form: { intent: "register", ...plan, zones: "东区 东1幢" },
        }),
      ),
    ).toMatchObject({ error: "committee.errors.zoneLine", params: { line: 1 } });
    expect(
      refusal(
        await call(setupAction, {
          url,
          params,
          user: admin,
          form: {
            intent: "register",
            ...plan,
            zones: "东区: 东1幢 = 3\n西区: 西1幢 = 2",
            tieNote: "抽签",
            termEndsAt: "2031-12-02",
          },
        }),
      ),
    ).toMatchObject({
      error: "committee.errors.term",
    });
    expect(
      refusal(
        await call(setupAction, {
          url,
          params,
          user: admin,
          form: { intent: "register", ...plan, zones: "东区: 东1幢 = 3\n西区: 西1幢 = 2" },
        }),
      ),
    ).toMatchObject({ error: "committee.errors.tieNoteMissing" });
    const ok = await call(setupAction, {
      url,
      params,
      user: admin,
      form: { intent: "register", ...plan, zones: "东区: 东1幢 = 3\n西区: 西1幢 = 2", tieNote: "业主大会筹备组抽签" },
    });
    expect(statusOf(ok)).toBe(302);
    const [committee] = await getDb().select().from(schema.committees).where(eq(schema.committees.estateId, estate.id));
    const zones = await getDb()
      .select()
      .from(schema.committeeZones)
      .where(eq(schema.committeeZones.committeeId, committee.id));
    const east = zones.find((z) => z.name === "东区")!;
    const seat = (user: { email: string }, zoneId: string, office = "member") =>
      call(setupAction, {
        url,
        params,
        user: admin,
        form: { intent: "seat", committeeId: committee.id, email: user.email, seat: "N", zoneId, office },
      });
    expect(statusOf(await seat(a, east.id, "chair"))).toBe(302);
    expect(refusal(await seat(w, east.id))).toMatchObject({
      error: "committee.errors.notInZone",
      params: { zone: "东区" },
    });
    expect(await rolesOf(a.id, estate.id)).toEqual(["committee", "owner"]);
    // The public page shows the zones with their households, seats and how the tie was settled.
    const page = (await call(committeeLoader, { url: `/e/${estate.slug}/committee`, params, user: w })) as {
      page: { zones: { name: string; seats: number; tieResolution: string | null }[] };
    };
    expect(page.page.zones).toMatchObject([
      { name: "东区", seats: 3, tieResolution: "业主大会筹备组抽签" },
      { name: "西区", seats: 2, tieResolution: "业主大会筹备组抽签" },
    ]);
  });
});

describe("public roles", () => {
  it("an owner declares a role with proof; the community admin sees the proof and verifies; other owners see neither", async () => {
    const c = await committeeEstate();
    const url = `/e/${c.estate.slug}/committee/roles`;
    const params = { estate: c.estate.slug };
    const form = new FormData();
    form.set("intent", "declare");
    form.set("role", "cppcc");
    form.set("title", "苏州市政协委员");
    form.set("proofNote", "委员证 2024-118");
    form.set("proof", new File([png], "证件.png", { type: "image/png" }));
    expect(statusOf(await call(rolesAction, { url, params, user: c.owner, form }))).toBe(302);
    const again = new FormData();
    for (const [k, v] of form.entries()) again.set(k, v);
    expect(refusal(await call(rolesAction, { url, params, user: c.owner, form: again }))).toMatchObject({
      error: "committee.errors.declarationOpen",
    });
    const adminView = (await call(rolesLoader, { url, params, user: c.admin })) as {
      declarations: { id: string; status: string; hasProofFile: boolean; proofNote: string }[];
    };
    const mine = adminView.declarations.find((d) => d.proofNote === "委员证 2024-118")!;
    expect(mine).toMatchObject({ status: "pending", hasProofFile: true });
    const proofUrl = `/e/${c.estate.slug}/committee/roles/${mine.id}/proof`;
    const proof = (await call(proofLoader, {
      url: proofUrl,
      params: { ...params, id: mine.id },
      user: c.admin,
    })) as Response;
    expect(proof.status).toBe(200);
    expect(proof.headers.get("Content-Type")).toBe("image/png");
    expect(new Uint8Array(await proof.arrayBuffer())).toEqual(png);
    // Another owner: neither the declaration nor its proof.
    const other = await ownerWithAccount(c.estate.id, "3幢", "108", "孙丽");
    expect(statusOf(await call(proofLoader, { url: proofUrl, params: { ...params, id: mine.id }, user: other }))).toBe(
      404,
    );
    const otherView = (await call(rolesLoader, { url, params, user: other })) as { declarations: unknown[] };
    expect(otherView.declarations).toEqual([]);
    // Owners cannot verify; the admin can, and a rejection needs a reason.
    expect(
      statusOf(await call(rolesAction, { url, params, user: other, form: { intent: "verify", id: mine.id } })),
    ).toBe(403);
    expect(
      statusOf(await call(rolesAction, { url, params, user: c.admin, form: { intent: "verify", id: mine.id } })),
    ).toBe(302);
    const [row] = await getDb().select().from(schema.roleDeclarations).where(eq(schema.roleDeclarations.id, mine.id));
    expect(row.status).toBe("verified");
    // An admin of another community sees nothing of this estate.
    const foreign = await makeUser([{ role: "community_admin", communityId: (await makeEstate()).communityId }]);
    expect(statusOf(await call(rolesLoader, { url, params, user: foreign }))).toBe(404);
  });
});

describe("member photos", () => {
  it("a member uploads their own photo (not someone else's); every member of the estate sees it", async () => {
    const c = await committeeEstate();
    const url = `/e/${c.estate.slug}/committee`;
    const params = { estate: c.estate.slug };
    const upload = (user: typeof c.owner, memberId: string, bytes: Uint8Array<ArrayBuffer>) => {
      const form = new FormData();
      form.set("memberId", memberId);
      form.set("photo", new File([bytes], "me.png", { type: "image/png" }));
      return call(committeeAction, { url, params, user, form });
    };
    expect(statusOf(await upload(c.members[1], c.memberIds[0], png))).toBe(403);
    expect(
      refusal(
        await upload(c.members[0], c.memberIds[0], new Uint8Array(new TextEncoder().encode("<svg onload=alert(1)>"))),
      ),
    ).toMatchObject({ error: "committee.errors.photoType" });
    expect(statusOf(await upload(c.members[0], c.memberIds[0], png))).toBe(302);
    const photo = (await call(photoLoader, {
      url: "/",
      params: { ...params, memberId: c.memberIds[0] },
      user: c.owner,
    })) as Response;
    expect(photo.status).toBe(200);
    expect(photo.headers.get("Content-Type")).toBe("image/png");
    expect(photo.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const stranger = await ownerWithAccount((await makeEstate()).id, "1幢", "101", "外人");
    expect(
      statusOf(await call(photoLoader, { url: "/", params: { ...params, memberId: c.memberIds[0] }, user: stranger })),
    ).toBe(404);
    expect(
      statusOf(await call(photoLoader, { url: "/", params: { ...params, memberId: c.memberIds[1] }, user: c.owner })),
    ).toBe(404);
  });
});

describe("requiring a meeting through the page", () => {
  it("members sign; owners cannot; the list shows the count against a third", async () => {
    const c = await committeeEstate();
    const url = `/e/${c.estate.slug}/committee/requisitions`;
    const params = { estate: c.estate.slug };
    expect(
      statusOf(
        await call(requisitionsAction, { url, params, user: c.owner, form: { intent: "require", subject: "x" } }),
      ),
    ).toBe(403);
    expect(
      statusOf(
        await call(requisitionsAction, {
          url,
          params,
          user: c.members[3],
          form: { intent: "require", subject: "讨论地下车库渗水" },
        }),
      ),
    ).toBe(302);
    const list = (await call(requisitionsLoader, { url, params, user: c.members[4] })) as {
      needed: number;
      requisitions: { id: string; signers: string[]; dueAt: string | null }[];
    };
    expect(list.needed).toBe(3);
    const id = list.requisitions[0].id;
    for (const i of [4, 5])
      expect(
        statusOf(
          await call(requisitionsAction, {
            url,
            params,
            user: c.members[i],
            form: { intent: "sign", requisitionId: id },
          }),
        ),
      ).toBe(302);
    const after = (await call(requisitionsLoader, { url, params, user: c.members[0] })) as {
      requisitions: { signers: string[]; dueAt: string | null }[];
    };
    expect(after.requisitions[0].signers).toHaveLength(3);
    expect(after.requisitions[0].dueAt).not.toBeNull();
  });
});
