import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { startSession } from "~/auth/session.server";
import { setPublicOriginConfig } from "~/lib/public-origin.server";
import { qrSvg } from "~/lib/qr.server";
import { loader as claimLoader } from "~/routes/claim";
import { loader as lettersLoader } from "~/routes/e.$estate.roster.letters";
import { action as settingsAction, loader as settingsLoader } from "~/routes/e.$estate.settings";
import { call, expectStatus, makeEstate, makeUnits, makeUser, statusOf } from "../fixtures";
import { startTestApp } from "../remix-app";

/** A production deployment on PostgreSQL with a public APP_URL (what app/lib/public-origin.ts reads). */
const deployed = {
  NODE_ENV: "production",
  DATABASE_URL: "postgres://db.internal/yst",
  APP_URL: "https://yst.example.cn",
} as const;

let app: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  app = await startTestApp();
}, 60_000);
afterAll(() => app.close());
afterEach(() => setPublicOriginConfig(undefined));

async function lettersEstate() {
  const estate = await makeEstate({ name: "扫码花园" });
  const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }], "周社区");
  const units = await makeUnits(estate.id, [
    { building: "1幢", number: "101", owners: [{ name: "王秀英" }] },
    { building: "1幢", number: "102", owners: [{ name: "李雷" }] },
    { building: "1幢", number: "103", developerUnsold: true },
  ]);
  const path = `/e/${estate.slug}/roster/letters?building=${encodeURIComponent("1幢")}`;
  return { estate, admin, units, path, params: { estate: estate.slug } };
}

const dashed = (code: string) => code.replace(/(.{5})/, "$1-");

async function page(path: string, userId: string) {
  const cookie = (await startSession(userId)).split(";")[0];
  const res = await fetch(`${app.origin}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
  return { status: res.status, html: await res.text() };
}

describe("claim letters carry a QR code of /claim?code=… at the public origin", () => {
  it("each letter's QR code is the claim page with its unit's code, at APP_URL, never the request's host", async () => {
    const s = await lettersEstate();
    setPublicOriginConfig(deployed);
    const data = (await call(lettersLoader, { url: s.path, params: s.params, user: s.admin })) as {
      claimUrl: string;
      development: string | null;
      letters: { number: string; code: string; qrUrl: string; qr: string }[];
    };
    expect(statusOf(data)).toBe(200);
    expect(data.claimUrl).toBe("https://yst.example.cn/claim");
    expect(data.development).toBeNull();
    expect(data.letters.map((l) => [l.number, l.qrUrl])).toEqual([
      ["101", `https://yst.example.cn/claim?code=${dashed(s.units[0].claimCode)}`],
      ["102", `https://yst.example.cn/claim?code=${dashed(s.units[1].claimCode)}`],
    ]);
    // The SVG is the QR code of exactly that URL (app/lib/qr.server.test.ts reads its modules back).
    for (const letter of data.letters) expect(letter.qr).toBe(await qrSvg(letter.qrUrl));

    // The page as served: one inline SVG per letter, its URL in the markup for a reader.
    const { status, html } = await page(s.path, s.admin.id);
    expect(status).toBe(200);
    const urls = [...html.matchAll(/class="letter-qr" role="img" aria-label="[^"]*" data-url="([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(urls).toEqual(data.letters.map((l) => l.qrUrl));
    for (const letter of data.letters) expect(html).toContain(letter.qr.slice(0, 200));
    expect(html).not.toContain(app.origin);
    expect(html).not.toMatch(/http:\/\/(localhost|127\.0\.0\.1)[^"]*\/claim/);
  });

  it("production without a public APP_URL refuses to print (503, a message for staff), unset or local", async () => {
    const s = await lettersEstate();
    for (const [appUrl, reason] of [
      [undefined, "unset"],
      ["http://localhost:3000", "local"],
      ["http://127.0.0.1:8080", "local"],
    ] as const) {
      setPublicOriginConfig({ ...deployed, APP_URL: appUrl });
      const refused = await expectStatus(lettersLoader, { url: s.path, params: s.params, user: s.admin }, 503);
      expect((refused as { data: { refused: { reason: string }; letters?: unknown } }).data).toMatchObject({
        refused: { reason },
      });
      expect(JSON.stringify(refused)).not.toContain(s.units[0].claimCode);
      const { status, html } = await page(s.path, s.admin.id);
      expect(status).toBe(503);
      expect(html).toContain("暂时无法打印认领函");
      expect(html).not.toContain("<svg xmlns");
    }
  });

  it("development (and the embedded demo) use the request's origin and say it is a development address", async () => {
    const s = await lettersEstate();
    for (const config of [
      { NODE_ENV: "development" as const, APP_URL: undefined },
      { NODE_ENV: "production" as const, DATABASE_URL: undefined, APP_URL: undefined },
    ]) {
      setPublicOriginConfig(config);
      const { status, html } = await page(s.path, s.admin.id);
      expect(status).toBe(200);
      expect(html).toContain(`data-url="${app.origin}/claim?code=${dashed(s.units[0].claimCode)}"`);
      expect(html).toContain(`这是开发环境的网址（${app.origin}）`);
    }
  });

  it("only the estate's admins print letters: an owner, the committee, property staff and another estate's admin are refused", async () => {
    const s = await lettersEstate();
    setPublicOriginConfig(deployed);
    const other = await makeEstate();
    const outsiders = [
      await makeUser([{ role: "owner", estateId: s.estate.id }]),
      await makeUser([{ role: "committee", estateId: s.estate.id }]),
      await makeUser([{ role: "property_staff", estateId: s.estate.id }]),
      await makeUser([{ role: "community_admin", communityId: other.communityId }]),
    ];
    for (const user of outsiders) {
      const result = await call(lettersLoader, { url: s.path, params: s.params, user });
      expect([403, 404]).toContain(statusOf(result));
      expect(JSON.stringify(result)).not.toContain(s.units[0].claimCode);
    }
    const anonymous = await call(lettersLoader, { url: s.path, params: s.params });
    expect(statusOf(anonymous)).toBe(302);
  });

  it("the letter names the estate, the date and the contact the admin set in the estate's settings", async () => {
    const s = await lettersEstate();
    setPublicOriginConfig(deployed);
    const before = await page(s.path, s.admin.id);
    expect(before.html).toContain("认领函上还没有写联系人");
    expect(before.html).toContain("如有疑问，请联系社区或业委会。");
    expect(before.html).toContain("扫码花园 业主认领函");
    const today = new Intl.DateTimeFormat("zh-CN", { dateStyle: "long", timeZone: "Asia/Shanghai" }).format(new Date());
    expect(before.html).toContain(today);

    const contact = "物业服务中心 0512-6888 0000（3幢底商）";
    const committee = await makeUser([{ role: "committee", estateId: s.estate.id }]);
    const url = `/e/${s.estate.slug}/settings`;
    // The committee reads the settings, does not change them; too long is refused with 400.
    await expectStatus(
      settingsAction,
      { url, params: s.params, user: committee, form: { intent: "contact", contact } },
      403,
    );
    await expectStatus(
      settingsAction,
      { url, params: s.params, user: s.admin, form: { intent: "contact", contact: "长".repeat(121) } },
      400,
    );
    await expectStatus(
      settingsAction,
      { url, params: s.params, user: s.admin, form: { intent: "contact", contact } },
      302,
    );
    const settings = (await call(settingsLoader, { url, params: s.params, user: committee })) as {
      claimContact: string;
    };
    expect(settings.claimContact).toBe(contact);
    const [stored] = await getDb().select().from(schema.estates).where(eq(schema.estates.id, s.estate.id));
    // The rules of procedure are untouched beside it.
    expect(stored.settings).toMatchObject({ claimContact: contact, ballotsChangeable: true });
    const audit = await getDb()
      .select()
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.act, "claim_contact_change"));
    expect(audit.filter((a) => a.estateId === s.estate.id).map((a) => a.actorUserId)).toEqual([s.admin.id]);

    const after = await page(s.path, s.admin.id);
    // On both letters, in the sentence that says whom to ask.
    const asked = after.html.match(/class="letter-contact">[^<]*/g) ?? [];
    expect(asked).toHaveLength(2);
    for (const sentence of asked) expect(sentence).toContain(`如有疑问，请联系：${contact}`);
  });
});

describe("/claim?code= fills the code in", () => {
  it("fills in the code from a letter's QR code (normalised), and nothing else; an odd value is dropped", async () => {
    const user = await makeUser();
    const read = async (query: string) =>
      ((await call(claimLoader, { url: `/claim${query}`, user })) as { code: string }).code;
    expect(await read("?code=ABCDE-FGHJK")).toBe("ABCDE-FGHJK");
    expect(await read("?code=abcdefghjk")).toBe("ABCDE-FGHJK");
    expect(await read("?code=%3Cscript%3E")).toBe("");
    expect(await read("")).toBe("");
  });

  it("a visitor without a session is sent to log in and comes back to the filled-in claim page", async () => {
    const result = await call(claimLoader, { url: "/claim?code=ABCDE-FGHJK" });
    expect(result).toBeInstanceOf(Response);
    const location = (result as Response).headers.get("Location")!;
    expect(location).toBe(`/login?redirectTo=${encodeURIComponent("/claim?code=ABCDE-FGHJK")}`);
  });

  it("the page shows the code in the field and submits nothing by itself", async () => {
    const user = await makeUser();
    const { status, html } = await page("/claim?code=ABCDE-FGHJK", user.id);
    expect(status).toBe(200);
    expect(html).toMatch(
      /<input[^>]*name="code"[^>]*value="ABCDE-FGHJK"|<input[^>]*value="ABCDE-FGHJK"[^>]*name="code"/,
    );
    expect(html).toContain("认领码已按认领函上的二维码填好");
    const requests = await getDb().select().from(schema.claimRequests).where(eq(schema.claimRequests.userId, user.id));
    expect(requests).toEqual([]);
  });
});
