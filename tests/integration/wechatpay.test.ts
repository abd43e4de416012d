import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { reconcileCheckouts, startCheckout } from "~/fees/checkout.server";
import { configuredProviders, runFeeJobs } from "~/fees/jobs.server";
import { setProviderFor } from "~/payments/factory.server";
import { callbackResponse, receiveCallback } from "~/fees/webhook.server";
import { outTradeNo, wechatPayProvider, type WechatPayProvider } from "~/payments/wechatpay.server";
import { billById, billsOf, makeBilledEstate } from "../fees-fixtures";
import { expectConsoleError } from "../fixtures";
import { startWechatPayStandin, type WechatPayStandin } from "../standins/wechatpay";

/*
 * WeChat Pay APIv3 through the real provider code against the local stand-in: orders signed
 * WECHATPAY2-SHA256-RSA2048 and checked by the stand-in, answers and callbacks signed with a
 * platform key made in the test, callback resources encrypted under the APIv3 key. Callbacks
 * reach the app through callbackResponse, the route's handler, on a local HTTP server.
 */

let standin: WechatPayStandin;
let provider: WechatPayProvider;
let app: Server;

beforeAll(async () => {
  standin = await startWechatPayStandin();
  app = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).map(([k, v]) => [k, String(v)] as [string, string]),
      body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
    });
    const slug = decodeURIComponent(/^\/webhooks\/wechatpay\/([^/?]+)/.exec(req.url ?? "")?.[1] ?? "");
    const response = await callbackResponse(request, provider, slug);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  provider = wechatPayProvider({
    ...standin.config,
    notifyOrigin: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
  });
});
afterAll(async () => {
  await standin.close();
  await new Promise((resolve) => app.close(resolve));
});

type World = Awaited<ReturnType<typeof makeBilledEstate>>;

async function estateWithWechatPay(subMchid = "1900000111") {
  const world = await makeBilledEstate();
  await getDb()
    .insert(schema.estatePaymentMethods)
    .values({ estateId: world.estate.id, provider: "wechatpay", wechatSubMchid: subMchid });
  return world;
}

async function pay(world: World, billIds: string[], channel: "native" | "jsapi" | "h5" = "native", extra = {}) {
  const result = await startCheckout({
    estate: world.estate,
    user: world.owner,
    billIds,
    origin: "http://localhost:3000",
    locale: "zh-CN",
    provider,
    channel,
    ...extra,
  });
  if (!result.ok) throw new Error(`startCheckout: ${result.error}`);
  const [checkout] = await getDb().select().from(schema.checkouts).where(eq(schema.checkouts.id, result.checkoutId));
  return { ...result, checkout, out: outTradeNo(result.checkoutId) };
}

const events = (objectId: string) =>
  getDb().select().from(schema.paymentEvents).where(eq(schema.paymentEvents.objectId, objectId));

describe("WeChat Pay APIv3 (服务商 mode) against the local stand-in", () => {
  it("makes a signed Native order for the estate's sub_mchid, shows its code_url, and settles on the signed callback", async () => {
    const world = await estateWithWechatPay();
    const [oct101] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const [oct102] = await billsOf(world.units.u102.unitId, ["2026-10"]);
    const started = await pay(world, [oct101.id, oct102.id]);
    expect(started.action).toMatchObject({
      kind: "qr",
      codeUrl: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=/),
    });
    expect(started.url).toBe(`http://localhost:3000/e/${world.estate.slug}/bills?checkout=${started.checkoutId}`);
    expect(started.checkout).toMatchObject({ provider: "wechatpay", channel: "native", sessionId: started.out });

    const order = standin.orders.get(started.out)!;
    expect(standin.requests.at(-1)).toMatchObject({ path: "/v3/pay/partner/transactions/native", signatureOk: true });
    expect(order).toMatchObject({
      sp_mchid: standin.config.mchid,
      sp_appid: standin.config.appid,
      sub_mchid: "1900000111",
      amount: { total: oct101.amountFen + oct102.amountFen, currency: "CNY" },
      attach: world.estate.id,
      notify_url: expect.stringMatching(new RegExp(`/webhooks/wechatpay/${world.estate.slug}$`)),
      time_expire: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/),
    });
    expect(started.out).toMatch(/^[0-9a-f]{32}$/);

    const paid = await standin.pay(started.out);
    expect(paid.status).toBe(204);
    expect((await billById(oct101.id)).status).toBe("paid");
    expect((await billById(oct102.id)).status).toBe("paid");
    const [payment] = await getDb()
      .select()
      .from(schema.payments)
      .where(eq(schema.payments.checkoutId, started.checkoutId));
    expect(payment).toMatchObject({
      provider: "wechatpay",
      applied: true,
      amountFen: oct101.amountFen + oct102.amountFen,
      providerPaymentIntent: order.transaction_id,
    });
    expect(payment.receiptNo).toMatch(/-2026-\d{6}$|-20\d\d-\d{6}$/);

    // The same callback again (WeChat Pay retries until it gets 2xx): a duplicate, nothing changes.
    expect(await standin.replay(paid.notification.id)).toBe(204);
    const logged = await events(started.out);
    expect(logged.map((e) => e.outcome)).toEqual(["paid"]);
    expect(logged[0]).toMatchObject({ provider: "wechatpay", type: "TRANSACTION.SUCCESS" });
  });

  it("JSAPI: an order for the payer's openid, and paySign over appId, timeStamp, nonceStr, package with the merchant key", async () => {
    const world = await estateWithWechatPay();
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const started = await pay(world, [bill.id], "jsapi", { openid: "oOwner0penid" });
    expect(standin.orders.get(started.out)!.payer).toEqual({ sp_openid: "oOwner0penid" });
    if (started.action.kind !== "jsapi") throw new Error("not jsapi");
    const p = started.action.params;
    expect(p).toMatchObject({
      appId: standin.config.appid,
      signType: "RSA",
      package: expect.stringMatching(/^prepay_id=wx/),
    });
    const { createPublicKey, verify } = await import("node:crypto");
    const merchantPublic = createPublicKey(standin.config.privateKey);
    expect(
      verify(
        "RSA-SHA256",
        Buffer.from(`${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`),
        merchantPublic,
        Buffer.from(p.paySign, "base64"),
      ),
    ).toBe(true);
    // Without an openid there is no JSAPI order: the bills are released at once.
    const logged = expectConsoleError(/could not create a checkout session/);
    const [nov] = await billsOf(world.units.u101.unitId, ["2026-11"]);
    const refused = await startCheckout({
      estate: world.estate,
      user: world.owner,
      billIds: [nov.id],
      origin: "http://localhost:3000",
      locale: "zh-CN",
      provider,
      channel: "jsapi",
    });
    expect(refused).toEqual({ ok: false, error: "provider" });
    expect(logged.done()).toHaveLength(1);
    expect((await billById(nov.id)).status).toBe("unpaid");
  });

  it("H5: the payer's IP in scene_info, and the h5_url with our page as redirect_url", async () => {
    const world = await estateWithWechatPay();
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const started = await pay(world, [bill.id], "h5", { clientIp: "203.0.113.7" });
    expect(standin.orders.get(started.out)!.scene_info).toEqual({
      payer_client_ip: "203.0.113.7",
      h5_info: { type: "Wap" },
    });
    expect(started.url).toMatch(/^https:\/\/wx\.tenpay\.com\/.+&redirect_url=http%3A%2F%2Flocalhost%3A3000%2Fe%2F/);
  });

  it("refuses forged callbacks: another signing key, another APIv3 key, tampered ciphertext, an old timestamp, an unknown serial", async () => {
    const world = await estateWithWechatPay();
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const started = await pay(world, [bill.id]);
    const order = standin.orders.get(started.out)!;
    order.trade_state = "SUCCESS";
    order.transaction_id = "4200000000202612020000000001";
    const resource = standin.transaction(started.out);
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = [
      standin.callback("TRANSACTION.SUCCESS", resource, { signWith: other.privateKey }),
      standin.callback("TRANSACTION.SUCCESS", resource, { apiV3Key: randomBytes(16).toString("hex") }),
      standin.callback("TRANSACTION.SUCCESS", resource, { tamperCiphertext: true }),
      standin.callback("TRANSACTION.SUCCESS", resource, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      standin.callback("TRANSACTION.SUCCESS", resource, { serial: "PUB_KEY_ID_0000000000000000000000000000" }),
    ];
    for (const f of forged) {
      expect(await receiveCallback({ ...f, estateSlug: world.estate.slug }, { provider })).toEqual({
        status: 400,
        outcome: "bad signature",
      });
    }
    // The body changed after signing.
    const good = standin.callback("TRANSACTION.SUCCESS", resource);
    const changed = { ...good, rawBody: good.rawBody.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" ') };
    expect((await receiveCallback(changed, { provider })).status).toBe(400);
    // Through the route: 4xx with WeChat's {code: "FAIL"} body.
    const response = await fetch(order.notify_url, {
      method: "POST",
      headers: forged[0].headers,
      body: forged[0].rawBody,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "FAIL" });
    expect((await billById(bill.id)).status).toBe("pending");
    expect(await events(started.out)).toEqual([]);
    // The genuine one, then, is applied.
    expect(await receiveCallback({ ...good, estateSlug: world.estate.slug }, { provider })).toEqual({
      status: 200,
      outcome: "paid",
    });
  });

  it("a callback under another estate's URL is ignored; a payment of another amount is recorded but not applied", async () => {
    const world = await estateWithWechatPay();
    const elsewhere = await estateWithWechatPay("1900000222");
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const started = await pay(world, [bill.id]);
    standin.orders.get(started.out)!.trade_state = "SUCCESS";
    standin.orders.get(started.out)!.transaction_id = "4200000000202612020000000002";
    const misrouted = standin.callback("TRANSACTION.SUCCESS", standin.transaction(started.out));
    expect(await receiveCallback({ ...misrouted, estateSlug: elsewhere.estate.slug }, { provider })).toEqual({
      status: 200,
      outcome: "ignored",
    });
    expect((await billById(bill.id)).status).toBe("pending");

    const [nov] = await billsOf(world.units.u101.unitId, ["2026-11"]);
    const other = await pay(world, [nov.id]);
    const paid = await standin.pay(other.out, { total: nov.amountFen - 1 });
    expect(paid.status).toBe(204);
    const [payment] = await getDb()
      .select()
      .from(schema.payments)
      .where(eq(schema.payments.checkoutId, other.checkoutId));
    expect(payment).toMatchObject({ applied: false, amountFen: nov.amountFen - 1 });
    expect((await billById(nov.id)).status).toBe("unpaid");
    const [logged] = await events(other.out);
    expect(logged.outcome).toBe("unapplied");
  });

  it("refunds: through the API and reported by REFUND.SUCCESS, partial then full; a refund reported before the payment waits for it", async () => {
    const world = await estateWithWechatPay();
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const started = await pay(world, [bill.id]);
    await standin.pay(started.out);
    const [payment] = await getDb()
      .select()
      .from(schema.payments)
      .where(eq(schema.payments.checkoutId, started.checkoutId));

    // Staff refund part of it through the API; WeChat Pay answers, then calls back.
    const refunded = await provider.refund!({
      refundId: crypto.randomUUID(),
      sessionId: started.out,
      paymentRef: payment.providerPaymentIntent,
      totalFen: payment.amountFen,
      amountFen: 1_000,
      reason: "多收退还",
      merchant: { subMchid: "1900000111" },
      estateSlug: world.estate.slug,
      origin: "http://unused",
    });
    expect(refunded.status).toBe("succeeded");
    await expect.poll(async () => (await billById(bill.id)).status).toBe("paid");
    await expect
      .poll(
        async () =>
          (await getDb().select().from(schema.payments).where(eq(schema.payments.id, payment.id)))[0].refundedFen,
      )
      .toBe(1_000);
    // The rest, made at the merchant platform.
    const rest = await standin.refund(started.out, payment.amountFen - 1_000);
    expect(rest.status).toBe(204);
    const [after] = await getDb().select().from(schema.payments).where(eq(schema.payments.id, payment.id));
    expect(after.refundedFen).toBe(payment.amountFen);
    expect((await billById(bill.id)).status).toBe("unpaid");
    // The same refund delivered again changes nothing.
    expect(await standin.replay(rest.notification.id)).toBe(204);
    const rows = await getDb().select().from(schema.refunds).where(eq(schema.refunds.paymentId, payment.id));
    expect(rows.map((r) => r.amountFen).sort((a, b) => a - b)).toEqual(
      [1_000, payment.amountFen - 1_000].sort((a, b) => a - b),
    );

    // Out of order: the refund arrives before the payment's callback.
    const [nov] = await billsOf(world.units.u101.unitId, ["2026-11"]);
    const second = await pay(world, [nov.id]);
    const paidLater = await standin.pay(second.out, { deliver: false });
    const early = await standin.refund(second.out, 500);
    expect(early.status).toBe(204);
    const [deferred] = await getDb()
      .select()
      .from(schema.paymentEvents)
      .where(and(eq(schema.paymentEvents.provider, "wechatpay"), eq(schema.paymentEvents.outcome, "deferred")));
    expect(deferred).toBeTruthy();
    expect(await standin.replay(paidLater.notification.id)).toBe(204);
    const [secondPayment] = await getDb()
      .select()
      .from(schema.payments)
      .where(eq(schema.payments.checkoutId, second.checkoutId));
    expect(secondPayment.refundedFen).toBe(500);
  });

  it("reconciliation asks the order query: a lost callback is settled, an expired unpaid order is closed and released; paid after expiry still counts", async () => {
    const world = await estateWithWechatPay();
    const [oct] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const [nov] = await billsOf(world.units.u101.unitId, ["2026-11"]);
    const [oct102] = await billsOf(world.units.u102.unitId, ["2026-10"]);
    const lost = await pay(world, [oct.id]);
    const unpaid = await pay(world, [nov.id]);
    const late = await pay(world, [oct102.id]);
    await standin.pay(lost.out, { deliver: false });
    const later = new Date(Date.now() + 2 * 60 * 60_000);
    const result = await reconcileCheckouts({ provider, now: later, estateId: world.estate.id });
    expect(result).toMatchObject({ checked: 3, paid: 1, released: 2, errors: 0 });
    expect((await billById(oct.id)).status).toBe("paid");
    expect((await billById(nov.id)).status).toBe("unpaid");
    expect(standin.orders.get(unpaid.out)!.trade_state).toBe("CLOSED");
    // The payer had paid just before the close reached WeChat: the callback after expiry still pays the bill.
    standin.orders.get(late.out)!.trade_state = "NOTPAY";
    const paidLate = await standin.pay(late.out);
    expect(paidLate.status).toBe(204);
    expect((await billById(oct102.id)).status).toBe("paid");
    // The query requests were signed and checked.
    expect(
      standin.requests
        .filter((r) => r.path.startsWith("/v3/pay/partner/transactions/out-trade-no/"))
        .every((r) => r.signatureOk),
    ).toBe(true);
  });

  it("refuses answers not signed by the platform, and the stand-in refuses requests signed with another key", async () => {
    const world = await estateWithWechatPay();
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const logged = expectConsoleError(/could not create a checkout session/);
    const wrongPlatform = wechatPayProvider({
      ...provider.config,
      platformPublicKey: generateKeyPairSync("rsa", { modulusLength: 2048 })
        .publicKey.export({ type: "spki", format: "pem" })
        .toString(),
    });
    expect(await pay(world, [bill.id], "native", { provider: wrongPlatform }).catch((e: Error) => e.message)).toMatch(
      /provider/,
    );
    expect((await billById(bill.id)).status).toBe("unpaid");
    const wrongKey = wechatPayProvider({
      ...provider.config,
      privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 })
        .privateKey.export({ type: "pkcs8", format: "pem" })
        .toString(),
    });
    expect(await pay(world, [bill.id], "native", { provider: wrongKey }).catch((e: Error) => e.message)).toMatch(
      /provider/,
    );
    expect(standin.requests.at(-1)!.signatureOk).toBe(false);
    expect(logged.done().map((args) => String(args[1]))).toEqual([
      expect.stringMatching(/not signed by the platform/),
      expect.stringMatching(/401 signature does not verify/),
    ]);
  });
});

describe("the fee jobs reconcile every configured provider", () => {
  it("runFeeJobs asks WeChat Pay too, not only the default provider", async () => {
    setProviderFor("wechatpay", provider);
    try {
      expect(configuredProviders().map((p) => p.name)).toContain("wechatpay");
      const world = await estateWithWechatPay();
      const [oct] = await billsOf(world.units.u101.unitId, ["2026-10"]);
      const lost = await pay(world, [oct.id]);
      await standin.pay(lost.out, { deliver: false });
      expect((await billById(oct.id)).status).not.toBe("paid");
      const { reconcile } = await runFeeJobs(new Date(Date.now() + 2 * 60 * 60_000));
      expect(reconcile.paid).toBeGreaterThanOrEqual(1);
      expect((await billById(oct.id)).status).toBe("paid");
    } finally {
      setProviderFor("wechatpay", undefined);
    }
  });
});
