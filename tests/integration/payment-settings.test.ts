import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, schema } from "#db/client";
import { alipayClient, alipayProvider } from "~/payments/alipay.server";
import { setProviderFor } from "~/payments/factory.server";
import { openPaymentSecret } from "~/payments/settings.server";
import { wechatPayProvider } from "~/payments/wechatpay.server";
import { action, loader } from "~/routes/e.$estate.payments.settings";
import { makeBilledEstate } from "../fees-fixtures";
import { call, expectStatus, makeUser, refusalOf } from "../fixtures";
import { startAlipay, type AlipayStandin } from "../standins/alipay";
import { startWechatPayStandin, type WechatPayStandin } from "../standins/wechatpay";

// The estate's payment settings page: who may use it, what it stores (the token sealed, never
// shown again), Stripe only with the cross-border confirmation, and an audit row for each change.

vi.hoisted(() => {
  process.env.PAYMENT_SECRETS_KEY ??= Buffer.alloc(32, 9).toString("base64");
});

type World = Awaited<ReturnType<typeof makeBilledEstate>>;
let world: World;
let other: World;
let admin: Awaited<ReturnType<typeof makeUser>>;
let platform: Awaited<ReturnType<typeof makeUser>>;
let otherAdmin: Awaited<ReturnType<typeof makeUser>>;
let wechat: WechatPayStandin;
let alipay: AlipayStandin;

beforeAll(async () => {
  wechat = await startWechatPayStandin();
  alipay = await startAlipay();
  // This server "has keys" for WeChat Pay and Alipay (real providers against the stand-ins), none for Stripe.
  setProviderFor("wechatpay", wechatPayProvider({ ...wechat.config, notifyOrigin: "http://127.0.0.1:1" }));
  setProviderFor(
    "alipay",
    alipayProvider({
      client: alipayClient({
        appId: alipay.appId,
        privateKey: alipay.appPrivateKey,
        alipayPublicKey: alipay.alipayPublicKey,
        gateway: alipay.gateway,
      }),
      merchantOf: async () => null,
    }),
  );
  setProviderFor("stripe", null);
  world = await makeBilledEstate({ name: "甲小区" });
  other = await makeBilledEstate({ name: "乙小区" });
  admin = await makeUser([{ role: "community_admin", communityId: world.estate.communityId }], "周社区");
  otherAdmin = await makeUser([{ role: "community_admin", communityId: other.estate.communityId }], "钱社区");
  platform = await makeUser([{ role: "platform_admin" }], "平台");
});
afterAll(async () => {
  setProviderFor("wechatpay", undefined);
  setProviderFor("alipay", undefined);
  setProviderFor("stripe", undefined);
  await wechat.close();
  await alipay.close();
});

const opts = () => ({ url: `/e/${world.estate.slug}/payments/settings`, params: { estate: world.estate.slug } });
const rowOf = async (provider: string) =>
  (
    await getDb()
      .select()
      .from(schema.estatePaymentMethods)
      .where(
        and(
          eq(schema.estatePaymentMethods.estateId, world.estate.id),
          eq(schema.estatePaymentMethods.provider, provider),
        ),
      )
  )[0];
const audits = () =>
  getDb()
    .select()
    .from(schema.auditEvents)
    .where(
      and(eq(schema.auditEvents.estateId, world.estate.id), eq(schema.auditEvents.act, "payment_settings_change")),
    );

describe("the estate's payment settings", () => {
  it("only the estate's community admin and platform admins may read or change them", async () => {
    await expectStatus(loader, opts(), 302);
    await expectStatus(loader, { ...opts(), user: world.owner }, 403);
    await expectStatus(loader, { ...opts(), user: world.committee }, 403);
    await expectStatus(loader, { ...opts(), user: world.staff }, 403);
    await expectStatus(loader, { ...opts(), user: otherAdmin }, 404);
    await expectStatus(loader, { ...opts(), user: admin }, 200);
    await expectStatus(loader, { ...opts(), user: platform }, 200);
    const form = { intent: "wechatpay", enabled: "on", wechatSubMchid: "1900000111" };
    for (const user of [world.owner, world.committee, world.staff])
      await expectStatus(action, { ...opts(), user, form }, 403);
    await expectStatus(action, { ...opts(), user: otherAdmin, form }, 404);
    expect(await rowOf("wechatpay")).toBeUndefined();
    expect(await audits()).toHaveLength(0);
  });

  it("WeChat Pay: saves the sub_mchid and writes an audit row", async () => {
    await expectStatus(action, { ...opts(), user: admin, form: { intent: "wechatpay", enabled: "on" } }, 400);
    await expectStatus(
      action,
      { ...opts(), user: admin, form: { intent: "wechatpay", enabled: "on", wechatSubMchid: "abc" } },
      400,
    );
    expect(await rowOf("wechatpay")).toBeUndefined();
    await expectStatus(
      action,
      { ...opts(), user: admin, form: { intent: "wechatpay", enabled: "on", wechatSubMchid: "1900000111" } },
      302,
    );
    expect(await rowOf("wechatpay")).toMatchObject({
      enabled: true,
      wechatSubMchid: "1900000111",
      updatedBy: admin.id,
    });
    const [entry] = await audits();
    expect(entry).toMatchObject({ actorUserId: admin.id, detail: { method: "wechatpay", enabled: true } });
  });

  it("Alipay: the token is sealed, never in the loader's data, and kept when the field is left empty", async () => {
    const token = alipay.merchant.appAuthToken;
    await expectStatus(
      action,
      {
        ...opts(),
        user: admin,
        form: { intent: "alipay", enabled: "on", alipayAppAuthToken: token, alipaySellerId: alipay.merchant.sellerId },
      },
      302,
    );
    const row = await rowOf("alipay");
    expect(row.enabled).toBe(true);
    expect(row.alipayAppAuthTokenEnc).not.toContain(token);
    expect(openPaymentSecret(row.alipayAppAuthTokenEnc!)).toBe(token);
    const data = await call(loader, { ...opts(), user: admin });
    const text = JSON.stringify(data);
    expect(text).not.toContain(token);
    expect(text).not.toContain(row.alipayAppAuthTokenEnc!);
    expect((data as { methods: { provider: string; alipayTokenSet: boolean }[] }).methods).toContainEqual(
      expect.objectContaining({ provider: "alipay", alipayTokenSet: true, alipaySellerId: alipay.merchant.sellerId }),
    );
    // Saved again without a token: the sealed one stays.
    await expectStatus(
      action,
      { ...opts(), user: admin, form: { intent: "alipay", enabled: "on", alipaySellerId: alipay.merchant.sellerId } },
      302,
    );
    expect((await rowOf("alipay")).alipayAppAuthTokenEnc).toBe(row.alipayAppAuthTokenEnc);
    // The audit rows never carry the token.
    expect(JSON.stringify(await audits())).not.toContain(token);
  });

  it("a provider this server has no keys for cannot be switched on", async () => {
    const refused = await expectStatus(
      action,
      { ...opts(), user: admin, form: { intent: "stripe", enabled: "on", crossBorderConfirmed: "on" } },
      409,
    );
    expect(refusalOf(refused).error).toBe("fees.paymentSettings.errors.notConfigured");
    expect(await rowOf("stripe")).toBeUndefined();
  });

  it("Stripe needs the cross-border confirmation: refused without it and nothing changes; with it, who and when are kept", async () => {
    setProviderFor("stripe", wechatPayProvider({ ...wechat.config, notifyOrigin: "http://127.0.0.1:1" }));
    try {
      const before = (await audits()).length;
      const refused = await expectStatus(
        action,
        { ...opts(), user: admin, form: { intent: "stripe", enabled: "on" } },
        400,
      );
      expect(refusalOf(refused).error).toBe("fees.paymentSettings.errors.crossBorderUnconfirmed");
      expect(await rowOf("stripe")).toBeUndefined();
      expect(await audits()).toHaveLength(before);
      await expectStatus(
        action,
        { ...opts(), user: platform, form: { intent: "stripe", enabled: "on", crossBorderConfirmed: "on" } },
        302,
      );
      const row = await rowOf("stripe");
      expect(row).toMatchObject({ enabled: true, crossBorderConfirmedBy: platform.id });
      expect(row.crossBorderConfirmedAt).toBeInstanceOf(Date);
      const last = (await audits()).at(-1)!;
      expect(last).toMatchObject({
        actorUserId: platform.id,
        detail: { method: "stripe", crossBorderConfirmed: true },
      });
      // Switched off, the confirmation is withdrawn; switching on again asks for it again.
      await expectStatus(action, { ...opts(), user: admin, form: { intent: "stripe" } }, 302);
      expect(await rowOf("stripe")).toMatchObject({ enabled: false, crossBorderConfirmedAt: null });
      await expectStatus(action, { ...opts(), user: admin, form: { intent: "stripe", enabled: "on" } }, 400);
    } finally {
      setProviderFor("stripe", null);
    }
  });
});
