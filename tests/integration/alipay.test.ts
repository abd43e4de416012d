import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, schema } from "#db/client";
import { reconcileCheckouts, startCheckout } from "~/fees/checkout.server";
import { callbackResponse } from "~/fees/webhook.server";
import { setProviderFor } from "~/payments/factory.server";
import { action as alipayWebhook, loader as alipayWebhookLoader } from "~/routes/webhooks.alipay.$estate";
import { alipayClient, alipayProvider, outTradeNoOf } from "~/payments/alipay.server";
import type { MerchantSettings, PaymentProvider } from "~/payments/provider.server";
import { sealPaymentSecret } from "~/payments/settings.server";
import { billById, billsOf, makeBilledEstate } from "../fees-fixtures";
import { rsa2Sign, signContent, startAlipay, type AlipayStandin } from "../standins/alipay";

// Alipay end to end below the browser: our checkout → the real alipay-sdk → the local gateway
// (signatures checked both ways) → its signed notification POSTed to our callback handler → the
// same settlement code Stripe's events go through.

// The estate's app_auth_token is kept sealed in estate_payment_method (before env() is first read).
vi.hoisted(() => {
  process.env.PAYMENT_SECRETS_KEY ??= Buffer.alloc(32, 7).toString("base64");
});

let standin: AlipayStandin;
let provider: PaymentProvider;
let site: Server;
let origin: string;
const merchants = new Map<string, MerchantSettings>();

beforeAll(async () => {
  standin = await startAlipay();
  provider = alipayProvider({
    client: alipayClient({
      appId: standin.appId,
      privateKey: standin.appPrivateKey,
      alipayPublicKey: standin.alipayPublicKey,
      gateway: standin.gateway,
    }),
    merchantOf: async (slug) => merchants.get(slug) ?? null,
  });
  // Our site's callback route, as the app serves it: POST /webhooks/alipay/:estate.
  site = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://localhost");
    const slug = /^\/webhooks\/alipay\/([^/]+)$/.exec(url.pathname)?.[1];
    if (!slug) {
      res.writeHead(404).end();
      return;
    }
    const request = new Request(url, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks),
    });
    const response = await callbackResponse(request, provider, decodeURIComponent(slug));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  });
  await new Promise<void>((r) => site.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await standin?.close();
  await new Promise((r) => site?.close(r));
});

type World = Awaited<ReturnType<typeof makeBilledEstate>>;

async function world(): Promise<World & { merchant: MerchantSettings }> {
  const w = await makeBilledEstate();
  const authorised = standin.authorise();
  const merchant = { appAuthToken: authorised.appAuthToken, sellerId: authorised.sellerId };
  merchants.set(w.estate.slug, merchant);
  // As the estate's payment settings hold it: the token sealed, the seller id plain.
  await getDb()
    .insert(schema.estatePaymentMethods)
    .values({
      estateId: w.estate.id,
      provider: "alipay",
      alipayAppAuthTokenEnc: sealPaymentSecret(authorised.appAuthToken),
      alipaySellerId: authorised.sellerId,
    });
  return { ...w, merchant };
}

async function checkout(w: World & { merchant: MerchantSettings }, billIds: string[], channel: "page" | "wap" = "wap") {
  const result = await startCheckout({
    estate: w.estate,
    user: w.owner,
    billIds,
    origin,
    locale: "zh-CN",
    provider,
    channel,
    merchant: w.merchant,
  });
  if (!result.ok) throw new Error(`startCheckout: ${result.error}`);
  // The owner's browser opens Alipay's cashier: Alipay creates the trade.
  const page = await fetch(result.url);
  expect(page.status).toBe(200);
  return { ...result, outTradeNo: outTradeNoOf(result.checkoutId) };
}

async function paymentsOf(checkoutId: string) {
  return getDb().select().from(schema.payments).where(eq(schema.payments.checkoutId, checkoutId));
}

async function eventsOf(provider = "alipay") {
  return getDb().select().from(schema.paymentEvents).where(eq(schema.paymentEvents.provider, provider));
}

/** Posts a form to our callback, as Alipay would. */
async function post(slug: string, fields: Record<string, string>) {
  const res = await fetch(`${origin}/webhooks/alipay/${slug}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: await res.text() };
}

/** Signed by "Alipay" (the stand-in's key), as a genuine notification is. */
function signed(fields: Record<string, string>, key = standin.alipayPrivateKey) {
  const { sign: _, ...rest } = fields;
  return { ...rest, sign: rsa2Sign(signContent(rest, ["sign", "sign_type"]), key) };
}

describe("paying bills with Alipay (third-party application)", () => {
  it("wap pay: redirect to Alipay's cashier, pay, the notification settles the bills once, with a receipt", async () => {
    const w = await world();
    const [oct101] = await billsOf(w.units.u101.unitId, ["2026-10"]);
    const [oct102] = await billsOf(w.units.u102.unitId, ["2026-10"]);
    const started = await checkout(w, [oct101.id, oct102.id]);
    expect(started.action).toMatchObject({ kind: "redirect" });
    const url = new URL(started.url);
    expect(url.origin + url.pathname).toBe(standin.gateway);
    expect(url.searchParams.get("method")).toBe("alipay.trade.wap.pay");
    expect(url.searchParams.get("app_auth_token")).toBe(w.merchant.appAuthToken);
    expect(url.searchParams.get("notify_url")).toBe(`${origin}/webhooks/alipay/${w.estate.slug}`);
    expect(JSON.parse(url.searchParams.get("biz_content")!)).toMatchObject({
      out_trade_no: started.outTradeNo,
      total_amount: "350.33",
      product_code: "QUICK_WAP_WAY",
    });
    expect((await billById(oct101.id)).status).toBe("pending");

    const { notification, trade } = await standin.pay(started.outTradeNo);
    expect(notification).toMatchObject({ status: 200, response: "success" });
    const [payment] = await paymentsOf(started.checkoutId);
    expect(payment).toMatchObject({
      provider: "alipay",
      amountFen: 35_033,
      applied: true,
      providerPaymentIntent: trade.tradeNo,
      payerUserId: w.owner.id,
    });
    for (const id of [oct101.id, oct102.id])
      expect(await billById(id)).toMatchObject({ status: "paid", paymentId: payment.id });
    const receipts = await getDb()
      .select()
      .from(schema.outbox)
      .where(and(eq(schema.outbox.userId, w.owner.id), eq(schema.outbox.template, "payment-receipt")));
    expect(receipts).toHaveLength(1);
    expect(receipts[0].props).toMatchObject({ amountFen: 35_033, receiptNo: payment.receiptNo });
    const [event] = (await eventsOf()).filter((e) => e.objectId === started.outTradeNo);
    expect(event).toMatchObject({
      eventId: `alipay_${notification!.fields.notify_id}@${w.estate.slug}`,
      outcome: "paid",
    });

    // Alipay's retry (same notify_id, same signature): answered success, nothing changes.
    const again = await standin.replay(started.outTradeNo);
    expect(again).toMatchObject({ status: 200, response: "success" });
    expect(await paymentsOf(started.checkoutId)).toHaveLength(1);
    // TRADE_FINISHED later (a new notification): already settled.
    const finished = await post(
      w.estate.slug,
      signed({
        ...notification!.fields,
        notify_id: `${notification!.fields.notify_id}f`,
        trade_status: "TRADE_FINISHED",
      }),
    );
    expect(finished).toEqual({ status: 200, body: "success" });
    expect(await paymentsOf(started.checkoutId)).toHaveLength(1);
  });

  it("the route /webhooks/alipay/:estate answers Alipay in its terms; GET is 405; Alipay off refuses", async () => {
    const w = await world();
    const [bill] = await billsOf(w.units.u102.unitId, ["2026-11"]);
    const started = await checkout(w, [bill.id]);
    await standin.pay(started.outTradeNo, { notify: false });
    const fields = standin.notificationFields(standin.trades.get(started.outTradeNo)!);
    const request = (body: string) =>
      new Request(`http://localhost/webhooks/alipay/${w.estate.slug}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body,
      });
    const params = { estate: w.estate.slug };
    try {
      setProviderFor("alipay", null);
      const off = await alipayWebhook({
        request: request(new URLSearchParams(fields).toString()),
        params,
        context: {} as never,
      });
      expect(off.status).toBe(400);
      setProviderFor("alipay", provider);
      const forged = await alipayWebhook({
        request: request(new URLSearchParams({ ...fields, total_amount: "0.01" }).toString()),
        params,
        context: {} as never,
      });
      expect([forged.status, await forged.text()]).toEqual([400, "failure"]);
      const res = await alipayWebhook({
        request: request(new URLSearchParams(fields).toString()),
        params,
        context: {} as never,
      });
      expect([res.status, await res.text()]).toEqual([200, "success"]);
      expect((await billById(bill.id)).status).toBe("paid");
      expect(alipayWebhookLoader().status).toBe(405);
    } finally {
      setProviderFor("alipay", undefined);
    }
  });

  it("page pay on a desktop is FAST_INSTANT_TRADE_PAY", async () => {
    const w = await world();
    const [bill] = await billsOf(w.units.u103.unitId, ["2026-10"]);
    const started = await startCheckout({
      estate: w.estate,
      user: w.otherOwner,
      billIds: [bill.id],
      origin,
      locale: "zh-CN",
      provider,
      channel: "page",
      merchant: w.merchant,
    });
    if (!started.ok) throw new Error(started.error);
    const url = new URL(started.url);
    expect(url.searchParams.get("method")).toBe("alipay.trade.page.pay");
    expect(JSON.parse(url.searchParams.get("biz_content")!).product_code).toBe("FAST_INSTANT_TRADE_PAY");
  });

  it("refuses forged notifications: bad sign, another key, tampered amount, another application", async () => {
    const w = await world();
    const [bill] = await billsOf(w.units.u101.unitId, ["2026-10"]);
    const started = await checkout(w, [bill.id]);
    await standin.pay(started.outTradeNo, { notify: false });
    const trade = standin.trades.get(started.outTradeNo)!;
    const genuine = standin.notificationFields(trade);
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });

    const forgeries = [
      { ...genuine, sign: (genuine.sign[0] === "A" ? "B" : "A") + genuine.sign.slice(1) },
      signed(genuine, other.privateKey),
      { ...genuine, total_amount: "0.01" },
      { ...genuine, sign: "" },
      signed({ ...genuine, app_id: "2021000000000009" }),
      signed({ ...genuine, seller_id: "2088000000000009" }),
    ];
    for (const forged of forgeries) expect(await post(w.estate.slug, forged)).toEqual({ status: 400, body: "failure" });
    expect(await paymentsOf(started.checkoutId)).toHaveLength(0);
    expect((await billById(bill.id)).status).toBe("pending");
    expect(
      (await eventsOf()).filter((e) => e.eventId.startsWith(`alipay_${genuine.notify_id}@`) && e.outcome !== "ignored"),
    ).toHaveLength(0);

    // Another estate's callback URL: its merchant's seller_id does not match → refused; with
    // no merchant check, the checkout is not that estate's → ignored.
    const elsewhere = await world();
    expect(await post(elsewhere.estate.slug, genuine)).toEqual({ status: 400, body: "failure" });
    merchants.set(elsewhere.estate.slug, { appAuthToken: elsewhere.merchant.appAuthToken });
    expect(await post(elsewhere.estate.slug, genuine)).toEqual({ status: 200, body: "success" });
    expect(await paymentsOf(started.checkoutId)).toHaveLength(0);

    // The genuine one, at the right address, pays.
    expect(await post(w.estate.slug, { ...genuine, notify_id: `${genuine.notify_id}x` })).toEqual({
      status: 400,
      body: "failure",
    });
    expect(await post(w.estate.slug, genuine)).toEqual({ status: 200, body: "success" });
    expect(await paymentsOf(started.checkoutId)).toMatchObject([{ applied: true, amountFen: bill.amountFen }]);
  });

  it("an amount other than the checkout's is recorded as received but not applied", async () => {
    const w = await world();
    const [bill] = await billsOf(w.units.u101.unitId, ["2026-10"]);
    const started = await checkout(w, [bill.id]);
    await standin.pay(started.outTradeNo, { notify: false });
    const fields = standin.notificationFields(standin.trades.get(started.outTradeNo)!, { total_amount: "0.01" });
    expect(await post(w.estate.slug, fields)).toEqual({ status: 200, body: "success" });
    const [payment] = await paymentsOf(started.checkoutId);
    expect(payment).toMatchObject({ applied: false, amountFen: 1 });
    expect((await billById(bill.id)).status).toBe("unpaid");
    const audit = await getDb()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.subjectId, payment.id), eq(schema.auditEvents.act, "payment_unapplied")));
    expect(audit).toHaveLength(1);
  });

  it("a trade that times out unpaid releases the bills", async () => {
    const w = await world();
    const [bill] = await billsOf(w.units.u101.unitId, ["2026-10"]);
    const started = await checkout(w, [bill.id]);
    const { notification } = await standin.expire(started.outTradeNo);
    expect(notification).toMatchObject({ status: 200, response: "success" });
    expect((await billById(bill.id)).status).toBe("unpaid");
    const [row] = await getDb().select().from(schema.checkouts).where(eq(schema.checkouts.id, started.checkoutId));
    expect(row.status).toBe("expired");
  });

  it("refunds through the SDK, partly then fully: the notifications bring the refunded total; full reopens the bills", async () => {
    const w = await world();
    const [bill] = await billsOf(w.units.u102.unitId, ["2026-10"]);
    const started = await checkout(w, [bill.id]);
    await standin.pay(started.outTradeNo);
    const [payment] = await paymentsOf(started.checkoutId);
    expect(payment.amountFen).toBe(18_500);
    expect(provider.refund).toBeDefined();

    const first = await provider.refund!({
      refundId: "11111111-aaaa-4bbb-8ccc-000000000001",
      sessionId: started.outTradeNo,
      paymentRef: payment.providerPaymentIntent,
      totalFen: 18_500,
      amountFen: 5_000,
      merchant: w.merchant,
    });
    expect(first.status).toBe("succeeded");
    await expect.poll(async () => (await paymentsOf(started.checkoutId))[0].refundedFen).toBe(5_000);
    expect((await billById(bill.id)).status).toBe("paid");

    // The same refund asked again moves no money.
    await provider.refund!({
      refundId: "11111111-aaaa-4bbb-8ccc-000000000001",
      sessionId: started.outTradeNo,
      paymentRef: payment.providerPaymentIntent,
      totalFen: 18_500,
      amountFen: 5_000,
      merchant: w.merchant,
    });
    expect(standin.trades.get(started.outTradeNo)!.refundedFen).toBe(5_000);

    await provider.refund!({
      refundId: "11111111-aaaa-4bbb-8ccc-000000000002",
      sessionId: started.outTradeNo,
      paymentRef: payment.providerPaymentIntent,
      totalFen: 18_500,
      amountFen: 13_500,
      merchant: w.merchant,
    });
    await expect.poll(async () => (await paymentsOf(started.checkoutId))[0].refundedFen).toBe(18_500);
    expect((await billById(bill.id)).status).toBe("unpaid");
    const refunds = await getDb().select().from(schema.refunds).where(eq(schema.refunds.paymentId, payment.id));
    expect(refunds.map((r) => r.amountFen).sort((a, b) => a - b)).toEqual([5_000, 13_500]);
    // A replayed refund notification changes nothing.
    await standin.replay(started.outTradeNo, 1);
    expect((await paymentsOf(started.checkoutId))[0].refundedFen).toBe(18_500);
  });

  it("out of order: a refund reported before the payment is applied when the payment arrives", async () => {
    const w = await world();
    const [bill] = await billsOf(w.units.u101.unitId, ["2026-11"]);
    const started = await checkout(w, [bill.id]);
    await standin.pay(started.outTradeNo, { notify: false });
    const paidFields = standin.notificationFields(standin.trades.get(started.outTradeNo)!);
    const { notification: refundNote } = await standin.refund(started.outTradeNo, 1_000);
    expect(refundNote).toMatchObject({ status: 200, response: "success" });
    expect(await paymentsOf(started.checkoutId)).toHaveLength(0);
    const deferred = (await eventsOf()).find(
      (e) => e.eventId === `alipay_${refundNote.fields.notify_id}@${w.estate.slug}`,
    );
    expect(deferred?.outcome).toBe("deferred");

    expect(await post(w.estate.slug, paidFields)).toEqual({ status: 200, body: "success" });
    const [payment] = await paymentsOf(started.checkoutId);
    expect(payment).toMatchObject({ applied: true, refundedFen: 1_000 });
  });

  it("reconciliation asks alipay.trade.query: a lost notification is settled, a trade never opened is released", async () => {
    const w = await world();
    const [paidBill] = await billsOf(w.units.u101.unitId, ["2026-10"]);
    const [lostBill] = await billsOf(w.units.u102.unitId, ["2026-10"]);
    const paid = await checkout(w, [paidBill.id]);
    await standin.pay(paid.outTradeNo, { notify: false });
    const never = await startCheckout({
      estate: w.estate,
      user: w.owner,
      billIds: [lostBill.id],
      origin,
      locale: "zh-CN",
      provider,
      channel: "wap",
      merchant: w.merchant,
    });
    if (!never.ok) throw new Error(never.error);
    const result = await reconcileCheckouts({
      provider,
      now: new Date(Date.now() + 61 * 60_000),
      estateId: w.estate.id,
    });
    expect(result).toMatchObject({ paid: 1, released: 1, errors: 0 });
    expect((await billById(paidBill.id)).status).toBe("paid");
    expect((await billById(lostBill.id)).status).toBe("unpaid");
    const queries = standin.requests.filter((r) => r.method === "alipay.trade.query");
    expect(queries.at(-1)).toMatchObject({ appAuthToken: w.merchant.appAuthToken, signatureValid: true });
    expect(
      await getDb()
        .select()
        .from(schema.payments)
        .where(and(eq(schema.payments.estateId, w.estate.id), ne(schema.payments.provider, "alipay"))),
    ).toHaveLength(0);
  });
});
