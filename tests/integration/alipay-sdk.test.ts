import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AlipayNotifyError,
  alipayClient,
  alipayConfigFromEnv,
  checkoutIdOf,
  outTradeNoOf,
  type AlipayClient,
  type AlipayMerchant,
} from "~/payments/alipay.server";
import { rsa2Sign, signContent, startAlipay, type AlipayStandin } from "../standins/alipay";

// The Alipay client through the real alipay-sdk against the local gateway: signed requests,
// signed answers, signed notifications. No database: settlement is tested in alipay.test.ts.

let standin: AlipayStandin;
let client: AlipayClient;
let merchant: AlipayMerchant;
let receiver: Server;
let notifyUrl: string;
const received: Record<string, string>[] = [];

beforeAll(async () => {
  standin = await startAlipay();
  client = alipayClient({
    appId: standin.appId,
    privateKey: standin.appPrivateKey,
    alipayPublicKey: standin.alipayPublicKey,
    gateway: standin.gateway,
  });
  merchant = { appAuthToken: standin.merchant.appAuthToken, authAppId: standin.merchant.authAppId };
  receiver = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
    received.push(form);
    try {
      client.verifyNotification(form, merchant);
      res.end("success");
    } catch {
      res.end("failure");
    }
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  notifyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/alipay/yixin`;
});

afterAll(async () => {
  await standin?.close();
  await new Promise((r) => receiver?.close(r));
});

function pay(outTradeNo: string, amountFen: number, channel: "page" | "wap" = "wap", m = merchant) {
  return client.payUrl({
    channel,
    outTradeNo,
    amountFen,
    subject: "宜欣花园 物业费 2026-11",
    expiresAt: new Date(Date.now() + 30 * 60_000),
    notifyUrl,
    returnUrl: "https://yishitang.example/e/yixin/bills?paid=1",
    quitUrl: "https://yishitang.example/e/yixin/bills",
    merchant: m,
  });
}

describe("Alipay client against the local gateway", () => {
  it("signs a wap pay URL the gateway accepts, with amount, product code and the merchant's token", async () => {
    const url = pay("t1abc", 123_450);
    const params = new URL(url).searchParams;
    expect(params.get("method")).toBe("alipay.trade.wap.pay");
    expect(params.get("app_auth_token")).toBe(merchant.appAuthToken);
    expect(params.get("notify_url")).toBe(notifyUrl);
    const biz = JSON.parse(params.get("biz_content")!);
    expect(biz).toMatchObject({ out_trade_no: "t1abc", total_amount: "1234.50", product_code: "QUICK_WAP_WAY" });
    expect(biz.time_expire).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("1234.50");
    expect(standin.requests.at(-1)).toMatchObject({ method: "alipay.trade.wap.pay", signatureValid: true });
  });

  it("page pay is FAST_INSTANT_TRADE_PAY on alipay.trade.page.pay", async () => {
    const url = pay("t2page", 1, "page");
    const params = new URL(url).searchParams;
    expect(params.get("method")).toBe("alipay.trade.page.pay");
    expect(JSON.parse(params.get("biz_content")!)).toMatchObject({
      total_amount: "0.01",
      product_code: "FAST_INSTANT_TRADE_PAY",
    });
    expect((await fetch(url)).status).toBe(200);
  });

  it("the gateway refuses a request signed with another key, or altered after signing", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forger = alipayClient({
      appId: standin.appId,
      privateKey: other.privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
      alipayPublicKey: standin.alipayPublicKey,
      gateway: standin.gateway,
    });
    const forged = await fetch(forger.payUrl({ ...payRequest("t3forged"), merchant }));
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("isv.invalid-signature");
    await expect(forger.query("t1abc", merchant)).rejects.toThrow(/isv.invalid-signature/);

    const url = new URL(pay("t3tampered", 100));
    const biz = JSON.parse(url.searchParams.get("biz_content")!);
    url.searchParams.set("biz_content", JSON.stringify({ ...biz, total_amount: "0.01" }));
    const tampered = await fetch(url);
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain("isv.invalid-signature");
  });

  it("a merchant who has not authorised the platform is refused", async () => {
    await expect(client.query("t1abc", { appAuthToken: "202612BBnot-a-token" })).rejects.toThrow(
      /aop.invalid-app-auth-token/,
    );
  });

  it("pays, notifies with a signature the client verifies, and the query agrees", async () => {
    expect(await client.query("t4paid", merchant)).toBeNull();
    await fetch(pay("t4paid", 28_350));
    expect(await client.query("t4paid", merchant)).toMatchObject({ status: "WAIT_BUYER_PAY", totalFen: 28_350 });
    const { notification } = await standin.pay("t4paid");
    expect(notification).toMatchObject({ status: 200, response: "success" });
    const facts = client.verifyNotification(received.at(-1)!, merchant);
    expect(facts).toMatchObject({ kind: "paid", outTradeNo: "t4paid", totalFen: 28_350, status: "TRADE_SUCCESS" });
    expect(facts.tradeNo).toMatch(/^\d{20,}$/);
    expect(await client.query("t4paid", merchant)).toMatchObject({
      status: "TRADE_SUCCESS",
      totalFen: 28_350,
      tradeNo: facts.tradeNo,
    });
  });

  it("refuses notifications with a bad sign, another key, a tampered amount, another app or merchant", async () => {
    await fetch(pay("t5forge", 500));
    await standin.pay("t5forge");
    const genuine = received.at(-1)!;
    expect(client.verifyNotification(genuine, merchant).kind).toBe("paid");

    expect(() => client.verifyNotification({ ...genuine, total_amount: "0.01" }, merchant)).toThrow(AlipayNotifyError);
    expect(() =>
      client.verifyNotification(
        { ...genuine, sign: (genuine.sign[0] === "A" ? "B" : "A") + genuine.sign.slice(1) },
        merchant,
      ),
    ).toThrow(AlipayNotifyError);
    const { sign: _, ...unsigned } = genuine;
    expect(() => client.verifyNotification(unsigned, merchant)).toThrow(AlipayNotifyError);

    const other = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const otherKey = { ...genuine };
    otherKey.sign = rsa2Sign(signContent(otherKey, ["sign", "sign_type"]), other.privateKey);
    expect(() => client.verifyNotification(otherKey, merchant)).toThrow(AlipayNotifyError);

    // Signed by Alipay, but for another application or another merchant.
    const resign = (fields: Record<string, string>) => ({
      ...fields,
      sign: rsa2Sign(signContent(fields, ["sign", "sign_type"]), standin.alipayPrivateKey),
    });
    expect(client.verifyNotification(resign({ ...genuine }), merchant).kind).toBe("paid");
    expect(() => client.verifyNotification(resign({ ...genuine, app_id: "2021000000000001" }), merchant)).toThrow(
      /another application/,
    );
    expect(() => client.verifyNotification(resign({ ...genuine, auth_app_id: "2021000000000002" }), merchant)).toThrow(
      /another merchant/,
    );
  });

  it("refunds partly then fully; a repeated out_request_no moves no money; too much is refused", async () => {
    await fetch(pay("t6refund", 10_000));
    await standin.pay("t6refund");
    expect(
      await client.refund({ outTradeNo: "t6refund", amountFen: 2_550, outRequestNo: "r1" }, merchant),
    ).toMatchObject({ refundedTotalFen: 2_550, fundChange: true });
    expect(
      await client.refund({ outTradeNo: "t6refund", amountFen: 2_550, outRequestNo: "r1" }, merchant),
    ).toMatchObject({ refundedTotalFen: 2_550, fundChange: false });
    await expect(
      client.refund({ outTradeNo: "t6refund", amountFen: 7_451, outRequestNo: "r2" }, merchant),
    ).rejects.toThrow(/ACQ.REFUND_AMT_NOT_EQUAL_TOTAL/);
    expect(
      await client.refund({ outTradeNo: "t6refund", amountFen: 7_450, outRequestNo: "r3" }, merchant),
    ).toMatchObject({ refundedTotalFen: 10_000, fundChange: true });
    expect(await client.query("t6refund", merchant)).toMatchObject({ status: "TRADE_CLOSED" });
    await expect.poll(() => standin.notificationsOf("t6refund").length).toBe(3);
    const [, partial, full] = standin.notificationsOf("t6refund");
    expect(client.verifyNotification(partial.fields, merchant)).toMatchObject({
      kind: "refunded",
      refundedTotalFen: 2_550,
      status: "TRADE_SUCCESS",
      outBizNo: "r1",
    });
    expect(client.verifyNotification(full.fields, merchant)).toMatchObject({
      kind: "refunded",
      refundedTotalFen: 10_000,
      status: "TRADE_CLOSED",
    });
  });

  it("an unpaid trade that times out closes: released", async () => {
    await fetch(pay("t7expire", 700));
    const { notification } = await standin.expire("t7expire");
    expect(client.verifyNotification(notification.fields, merchant)).toMatchObject({ kind: "released" });
    expect(await client.query("t7expire", merchant)).toMatchObject({ status: "TRADE_CLOSED" });
  });

  it("accepts the key formats Alipay's tools print (bare base64 PKCS#8 and SPKI)", async () => {
    const der = createPrivateKey(standin.appPrivateKey).export({ format: "der", type: "pkcs8" }).toString("base64");
    const bareAlipay = standin.alipayPublicKey.replace(/-----[^-]+-----|\s/g, "");
    const bare = alipayClient({
      appId: standin.appId,
      privateKey: der,
      alipayPublicKey: bareAlipay,
      gateway: standin.gateway,
    });
    expect((await fetch(bare.payUrl({ ...payRequest("t8keys"), merchant }))).status).toBe(200);
    expect(await bare.query("t8keys", merchant)).toMatchObject({ status: "WAIT_BUYER_PAY" });
    expect(() => alipayClient({ appId: "x", privateKey: "not a key", alipayPublicKey: bareAlipay })).toThrow(/RSA/);
  });

  it("reads the platform's application from the environment; production talks only to Alipay's gateway", () => {
    const keys = { ALIPAY_APP_PRIVATE_KEY: standin.appPrivateKey, ALIPAY_PUBLIC_KEY: standin.alipayPublicKey };
    expect(alipayConfigFromEnv({})).toBeNull();
    expect(() => alipayConfigFromEnv({ ALIPAY_APP_ID: standin.appId })).toThrow(/together/);
    expect(alipayConfigFromEnv({ NODE_ENV: "production", ALIPAY_APP_ID: "2021", ...keys })).toMatchObject({
      gateway: "https://openapi.alipay.com/gateway.do",
    });
    for (const gateway of [standin.gateway, "https://openapi-sandbox.dl.alipaydev.com/gateway.do"]) {
      expect(() =>
        alipayConfigFromEnv({ NODE_ENV: "production", ALIPAY_APP_ID: "2021", ALIPAY_GATEWAY: gateway, ...keys }),
      ).toThrow(/PAYMENTS_SANDBOX=1/);
      expect(
        alipayConfigFromEnv({
          NODE_ENV: "production",
          PAYMENTS_SANDBOX: "1",
          ALIPAY_APP_ID: "2021",
          ALIPAY_GATEWAY: gateway,
          ...keys,
        })?.gateway,
      ).toBe(gateway);
    }
    expect(() => alipayConfigFromEnv({ ALIPAY_APP_ID: "2021", ...keys, ALIPAY_PUBLIC_KEY: "garbage" })).toThrow(/RSA/);
  });

  it("maps checkout ids to out_trade_no and back", () => {
    const id = "0b6c7e9e-4b1a-4c8e-9f7a-2d7d8a1b2c3d";
    expect(outTradeNoOf(id)).toBe("0b6c7e9e4b1a4c8e9f7a2d7d8a1b2c3d");
    expect(checkoutIdOf(outTradeNoOf(id))).toBe(id);
    expect(checkoutIdOf("t4paid")).toBeNull();
  });
});

function payRequest(outTradeNo: string) {
  return {
    channel: "wap" as const,
    outTradeNo,
    amountFen: 100,
    subject: "物业费",
    expiresAt: new Date(Date.now() + 60_000),
    notifyUrl,
    returnUrl: "https://yishitang.example/return",
  };
}
