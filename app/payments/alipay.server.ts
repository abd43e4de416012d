import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { AlipaySdk, type AlipaySdkCommonResult } from "alipay-sdk";
import { and, eq } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { fenToYuan, tryYuanToFen } from "./alipay-amount";
import {
  checkoutMetadata,
  WebhookSignatureError,
  type CallbackAnswer,
  type CallbackDelivery,
  type CheckoutRequest,
  type MerchantSettings,
  type PaymentEvent,
  type PaymentProvider,
  type ProviderSession,
  type RefundRequest,
  type RefundResult,
} from "./provider.server";

/*
 * Alipay through the official SDK (alipay-sdk v4, OpenAPI "2.0" gateway, RSA2), as a
 * third-party application (ISV): the platform has ONE application (app id + key pair, Alipay's
 * public key) and each estate's merchant authorises it, which gives an app_auth_token per
 * merchant; every call on the merchant's behalf carries that token. This file knows nothing of
 * checkouts or bills: it builds the signed pay URLs, queries and refunds trades, and reads
 * Alipay's asynchronous notifications into plain facts (amounts in integer fen).
 */

export interface AlipayPlatformConfig {
  /** The platform's third-party application id (支付宝开放平台 → 第三方应用). */
  appId: string;
  /** The application's RSA2 private key: PEM (PKCS#1 or PKCS#8) or the bare base64 Alipay's key tool prints. */
  privateKey: string;
  /** Alipay's public key for this application (PEM or bare base64). */
  alipayPublicKey: string;
  /** Alipay's gateway; tests point it at the local stand-in. */
  gateway?: string;
  timeoutMs?: number;
}

/** One estate's merchant as the platform knows it. */
export interface AlipayMerchant {
  /** The token the merchant's authorisation gave (商家授权 → app_auth_token). */
  appAuthToken: string;
  /** The merchant's own app id (auth_app_id in notifications), when known: then it must match. */
  authAppId?: string | null;
  /** The merchant's Alipay user id (seller_id, 2088…), when known: then it must match. */
  sellerId?: string | null;
}

export const alipayProductionGateway = "https://openapi.alipay.com/gateway.do";

export type AlipayChannel = "page" | "wap";

export interface AlipayPayRequest {
  channel: AlipayChannel;
  /** Our order number: letters, digits and underscores, at most 64 characters. */
  outTradeNo: string;
  amountFen: number;
  subject: string;
  /** After this the trade can no longer be paid (Alipay closes it). */
  expiresAt: Date;
  notifyUrl: string;
  returnUrl: string;
  /** wap only: where "back" on the cashier goes (usually the bills page). */
  quitUrl?: string;
  merchant: AlipayMerchant;
}

export type AlipayTradeStatus = "WAIT_BUYER_PAY" | "TRADE_CLOSED" | "TRADE_SUCCESS" | "TRADE_FINISHED";

/** A trade as alipay.trade.query reports it; null from query when Alipay has no such trade (yet). */
export interface AlipayTrade {
  outTradeNo: string;
  tradeNo: string | null;
  status: AlipayTradeStatus | "UNKNOWN";
  totalFen: number | null;
}

export interface AlipayRefundResult {
  /** The trade's refunded total after this request, in fen. */
  refundedTotalFen: number;
  /** "N": Alipay moved no money this time (a repeated out_request_no). */
  fundChange: boolean;
  tradeNo: string | null;
}

/** What a verified asynchronous notification says. */
export interface AlipayNotification {
  notifyId: string;
  notifyTime: string | null;
  outTradeNo: string;
  tradeNo: string | null;
  status: AlipayTradeStatus | "UNKNOWN";
  /** total_amount in fen; null when missing or not an exact amount. */
  totalFen: number | null;
  /** refund_fee in fen (the trade's refunded total) when the notification reports a refund. */
  refundedTotalFen: number | null;
  /** out_biz_no: the refund request's number, on a refund notification. */
  outBizNo: string | null;
  appId: string;
  authAppId: string | null;
  sellerId: string | null;
  /** What the notification means for a checkout. */
  kind: "paid" | "awaiting" | "released" | "refunded" | "ignored";
}

export class AlipayError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly subCode?: string,
  ) {
    super(message);
  }
}

/** A notification whose signature, application or merchant does not check out. */
export class AlipayNotifyError extends Error {
  readonly kind = "webhook-signature";
}

/** Alipay's answer to a notification it should not send again; anything else makes it retry. */
export const alipayNotifyAck = "success";
export const alipayNotifyNack = "failure";

function keyFromText(text: string, kind: "private" | "public"): KeyObject {
  const trimmed = text.trim().replace(/\\n/g, "\n");
  if (trimmed.includes("-----BEGIN")) return kind === "private" ? createPrivateKey(trimmed) : createPublicKey(trimmed);
  const der = Buffer.from(trimmed.replace(/\s+/g, ""), "base64");
  const types = kind === "private" ? (["pkcs8", "pkcs1"] as const) : (["spki", "pkcs1"] as const);
  for (const type of types) {
    try {
      return kind === "private"
        ? createPrivateKey({ key: der, format: "der", type: type as "pkcs8" | "pkcs1" })
        : createPublicKey({ key: der, format: "der", type: type as "spki" | "pkcs1" });
    } catch {
      // the next encoding
    }
  }
  throw new Error(`ALIPAY: not an RSA ${kind} key`);
}

/** Any key text Alipay's tools produce → the PEM the SDK expects (PKCS#1 private, SPKI public). */
export function normaliseKeys(config: Pick<AlipayPlatformConfig, "privateKey" | "alipayPublicKey">) {
  const privateKey = keyFromText(config.privateKey, "private");
  const publicKey = keyFromText(config.alipayPublicKey, "public");
  if (privateKey.asymmetricKeyType !== "rsa" || publicKey.asymmetricKeyType !== "rsa")
    throw new Error("ALIPAY: RSA2 keys are RSA keys");
  return {
    privateKey: privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
    alipayPublicKey: publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
}

/** Alipay's time format, Beijing time (UTC+8, no daylight saving): "2026-12-02 17:30:00". */
export function alipayTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}

const outTradeNoPattern = /^[A-Za-z0-9_]{1,64}$/;

function tradeStatus(value: unknown): AlipayTradeStatus | "UNKNOWN" {
  return value === "WAIT_BUYER_PAY" ||
    value === "TRADE_CLOSED" ||
    value === "TRADE_SUCCESS" ||
    value === "TRADE_FINISHED"
    ? value
    : "UNKNOWN";
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** What a trade status (and a reported refund) means for a checkout. */
export function notificationKind(
  status: AlipayTradeStatus | "UNKNOWN",
  refundedTotalFen: number | null,
): AlipayNotification["kind"] {
  // A refund leaves a partly refunded trade TRADE_SUCCESS and closes a fully refunded one
  // (TRADE_CLOSED): either way the notification reports refund_fee.
  if (refundedTotalFen !== null && refundedTotalFen > 0) return "refunded";
  if (status === "TRADE_SUCCESS" || status === "TRADE_FINISHED") return "paid";
  if (status === "TRADE_CLOSED") return "released";
  if (status === "WAIT_BUYER_PAY") return "awaiting";
  return "ignored";
}

export function alipayClient(config: AlipayPlatformConfig) {
  const keys = normaliseKeys(config);
  const sdk = new AlipaySdk({
    appId: config.appId,
    privateKey: keys.privateKey,
    alipayPublicKey: keys.alipayPublicKey,
    keyType: "PKCS1",
    signType: "RSA2",
    gateway: config.gateway ?? alipayProductionGateway,
    timeout: config.timeoutMs ?? 10_000,
    camelcase: false,
  });

  async function call(method: string, bizContent: Record<string, unknown>, merchant: AlipayMerchant) {
    if (!merchant.appAuthToken) throw new AlipayError("no app_auth_token for this merchant");
    // validateSign: the SDK checks Alipay's RSA2 signature over the response before we read it.
    const result: AlipaySdkCommonResult = await sdk.exec(
      method,
      { bizContent, appAuthToken: merchant.appAuthToken },
      { validateSign: true },
    );
    return result;
  }

  return {
    appId: config.appId,

    /**
     * The signed URL of Alipay's cashier (alipay.trade.page.pay on a desktop,
     * alipay.trade.wap.pay on a phone): the browser is sent there. Nothing is called yet;
     * Alipay creates the trade when the buyer arrives.
     */
    payUrl(request: AlipayPayRequest): string {
      if (!outTradeNoPattern.test(request.outTradeNo)) throw new RangeError("out_trade_no: [A-Za-z0-9_]{1,64}");
      if (request.amountFen < 1) throw new RangeError("an Alipay trade is at least 0.01 yuan");
      const wap = request.channel === "wap";
      return sdk.pageExecute(wap ? "alipay.trade.wap.pay" : "alipay.trade.page.pay", "GET", {
        bizContent: {
          out_trade_no: request.outTradeNo,
          total_amount: fenToYuan(request.amountFen),
          // Alipay allows 256 characters and refuses a few symbols; ours are bill names.
          subject: request.subject.replace(/[/=&]/g, " ").slice(0, 128),
          product_code: wap ? "QUICK_WAP_WAY" : "FAST_INSTANT_TRADE_PAY",
          time_expire: alipayTime(request.expiresAt),
          ...(wap && request.quitUrl ? { quit_url: request.quitUrl } : {}),
        },
        notifyUrl: request.notifyUrl,
        returnUrl: request.returnUrl,
        appAuthToken: request.merchant.appAuthToken,
      });
    },

    /** alipay.trade.query: the trade as Alipay has it, or null when Alipay knows no such trade. */
    async query(outTradeNo: string, merchant: AlipayMerchant): Promise<AlipayTrade | null> {
      const result = await call("alipay.trade.query", { out_trade_no: outTradeNo }, merchant);
      if (result.code !== "10000") {
        if (result.sub_code === "ACQ.TRADE_NOT_EXIST") return null;
        throw new AlipayError(
          `alipay.trade.query: ${result.code} ${result.sub_code ?? result.msg}`,
          result.code,
          result.sub_code,
        );
      }
      if (result.out_trade_no !== outTradeNo) throw new AlipayError("alipay.trade.query answered for another trade");
      return {
        outTradeNo,
        tradeNo: text(result.trade_no),
        status: tradeStatus(result.trade_status),
        totalFen: tryYuanToFen(result.total_amount),
      };
    },

    /** alipay.trade.close: an unpaid trade can no longer be paid (a trade Alipay never saw is fine too). */
    async close(outTradeNo: string, merchant: AlipayMerchant): Promise<void> {
      const result = await call("alipay.trade.close", { out_trade_no: outTradeNo }, merchant);
      if (result.code !== "10000" && result.sub_code !== "ACQ.TRADE_NOT_EXIST")
        throw new AlipayError(
          `alipay.trade.close: ${result.code} ${result.sub_code ?? result.msg}`,
          result.code,
          result.sub_code,
        );
    },

    /**
     * alipay.trade.refund: refunds part or all of a paid trade. out_request_no makes it
     * idempotent: the same number again refunds nothing more (Alipay answers fund_change N).
     */
    async refund(
      input: { outTradeNo: string; amountFen: number; outRequestNo: string; reason?: string },
      merchant: AlipayMerchant,
    ): Promise<AlipayRefundResult> {
      const result = await call(
        "alipay.trade.refund",
        {
          out_trade_no: input.outTradeNo,
          refund_amount: fenToYuan(input.amountFen),
          out_request_no: input.outRequestNo,
          ...(input.reason ? { refund_reason: input.reason.slice(0, 128) } : {}),
        },
        merchant,
      );
      if (result.code !== "10000")
        throw new AlipayError(
          `alipay.trade.refund: ${result.code} ${result.sub_code ?? result.msg}`,
          result.code,
          result.sub_code,
        );
      const refunded = tryYuanToFen(result.refund_fee);
      if (refunded === null) throw new AlipayError("alipay.trade.refund: no exact refund_fee in the answer");
      return { refundedTotalFen: refunded, fundChange: result.fund_change === "Y", tradeNo: text(result.trade_no) };
    },

    /**
     * An asynchronous notification (the POSTed form, decoded once): RSA2 signature by Alipay's
     * key over the sorted fields (checkNotifySignV2: values as received, not decoded again),
     * addressed to our application, and — when we know them — from the estate's merchant.
     * Throws AlipayNotifyError otherwise. Whether the trade and amount are ours is the caller's
     * question (it knows the checkout).
     */
    verifyNotification(form: Record<string, string>, merchant?: AlipayMerchant | null): AlipayNotification {
      if (!form.sign || !sdk.checkNotifySignV2(form)) throw new AlipayNotifyError("bad Alipay notification signature");
      if (form.sign_type && form.sign_type !== "RSA2") throw new AlipayNotifyError("not RSA2");
      if (form.app_id !== config.appId) throw new AlipayNotifyError("notification for another application");
      if (merchant?.authAppId && form.auth_app_id && form.auth_app_id !== merchant.authAppId)
        throw new AlipayNotifyError("notification from another merchant");
      if (merchant?.sellerId && form.seller_id && form.seller_id !== merchant.sellerId)
        throw new AlipayNotifyError("notification for another seller");
      const outTradeNo = text(form.out_trade_no);
      const notifyId = text(form.notify_id);
      if (!outTradeNo || !notifyId) throw new AlipayNotifyError("notification without out_trade_no or notify_id");
      const status = tradeStatus(form.trade_status);
      const refundedTotalFen = form.refund_fee ? tryYuanToFen(form.refund_fee) : null;
      return {
        notifyId,
        notifyTime: text(form.notify_time),
        outTradeNo,
        tradeNo: text(form.trade_no),
        status,
        totalFen: tryYuanToFen(form.total_amount),
        refundedTotalFen,
        outBizNo: text(form.out_biz_no),
        appId: form.app_id,
        authAppId: text(form.auth_app_id),
        sellerId: text(form.seller_id),
        kind: notificationKind(status, refundedTotalFen),
      };
    },
  };
}

export type AlipayClient = ReturnType<typeof alipayClient>;

/** Our checkout id (a UUID) as an out_trade_no: Alipay takes letters, digits and underscores only. */
export function outTradeNoOf(checkoutId: string): string {
  return checkoutId.replace(/-/g, "");
}

/** The checkout id back from an out_trade_no made by outTradeNoOf (null for anything else). */
export function checkoutIdOf(outTradeNo: string): string | null {
  const m = /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/.exec(outTradeNo);
  return m ? `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}` : null;
}

/*
 * The PaymentProvider: Alipay's trades as checkout sessions (out_trade_no = our checkout id
 * without dashes), its notifications as neutral events, its answers as Alipay expects them.
 */

export interface AlipayProviderOptions {
  client: AlipayClient;
  /**
   * The estate's merchant settings by the slug the callback URL names (/webhooks/alipay/:estate),
   * secrets decrypted; used to check that a notification comes from that estate's merchant.
   */
  merchantOf?: (estateSlug: string) => Promise<MerchantSettings | null>;
}

function toMerchant(settings: MerchantSettings | null | undefined): AlipayMerchant {
  if (!settings?.appAuthToken) throw new AlipayError("this estate has not authorised the platform on Alipay");
  return { appAuthToken: settings.appAuthToken, sellerId: settings.sellerId ?? null };
}

function sessionOf(
  outTradeNo: string,
  facts: {
    status: ProviderSession["status"];
    paid: boolean;
    totalFen: number | null;
    tradeNo: string | null;
    url?: string | null;
    expiresAt?: number;
    metadata?: Record<string, string>;
    payerId?: string | null;
  },
): ProviderSession {
  const checkoutId = checkoutIdOf(outTradeNo);
  const url = facts.status === "open" ? (facts.url ?? null) : null;
  return {
    id: outTradeNo,
    url,
    action: url ? { kind: "redirect", url } : null,
    status: facts.status,
    paymentStatus: facts.paid ? "paid" : "unpaid",
    amountTotal: facts.totalFen,
    currency: "cny",
    metadata: facts.metadata ?? (checkoutId ? { checkout_id: checkoutId } : {}),
    paymentIntentId: facts.tradeNo,
    clientReferenceId: facts.payerId ?? null,
    expiresAt: facts.expiresAt ?? 0,
  };
}

/** A form body as Alipay POSTs it (application/x-www-form-urlencoded, UTF-8), decoded once. */
function formOf(rawBody: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawBody)) {
    // A field twice is not something Alipay sends: refuse rather than pick one.
    if (key in form) throw new WebhookSignatureError(`field ${key} twice`);
    form[key] = value;
  }
  return form;
}

export function alipayProvider(options: AlipayProviderOptions): PaymentProvider {
  const { client } = options;
  return {
    name: "alipay",

    async createCheckout(request: CheckoutRequest): Promise<ProviderSession> {
      const channel = request.channel ?? "page";
      if (channel !== "page" && channel !== "wap") throw new AlipayError(`Alipay has no ${channel} channel`);
      if (!request.origin || !request.estateSlug)
        throw new AlipayError("an Alipay checkout needs the site's origin and the estate's slug (notify_url)");
      const outTradeNo = outTradeNoOf(request.checkoutId);
      const origin = request.origin.replace(/\/+$/, "");
      const url = client.payUrl({
        channel,
        outTradeNo,
        amountFen: request.amountFen,
        subject: request.description ?? request.lineItems[0]?.name ?? outTradeNo,
        expiresAt: request.expiresAt,
        notifyUrl: `${origin}/webhooks/alipay/${encodeURIComponent(request.estateSlug)}`,
        returnUrl: request.successUrl,
        quitUrl: request.cancelUrl,
        merchant: toMerchant(request.merchant),
      });
      return sessionOf(outTradeNo, {
        status: "open",
        paid: false,
        totalFen: request.amountFen,
        tradeNo: null,
        url,
        expiresAt: Math.floor(request.expiresAt.getTime() / 1000),
        metadata: checkoutMetadata(request.checkoutId, request.estateId, request.billIds),
        payerId: request.payerId,
      });
    },

    async retrieveSession(id: string, merchant?: MerchantSettings): Promise<ProviderSession> {
      const trade = await client.query(id, toMerchant(merchant));
      // No trade: the owner never reached the cashier. The pay URL carried time_expire, so
      // Alipay will not take it later; and if money ever came, settlement takes it still.
      if (!trade) return sessionOf(id, { status: "expired", paid: false, totalFen: null, tradeNo: null });
      const paid = trade.status === "TRADE_SUCCESS" || trade.status === "TRADE_FINISHED";
      return sessionOf(id, {
        status: paid ? "complete" : trade.status === "TRADE_CLOSED" ? "expired" : "open",
        paid,
        totalFen: trade.totalFen,
        tradeNo: trade.tradeNo,
      });
    },

    async closeSession(id: string, merchant?: MerchantSettings): Promise<void> {
      await client.close(id, toMerchant(merchant));
    },

    async refund(request: RefundRequest): Promise<RefundResult> {
      const outRequestNo = request.refundId.replace(/[^A-Za-z0-9_]/g, "").slice(0, 64);
      const result = await client.refund(
        { outTradeNo: request.sessionId, amountFen: request.amountFen, outRequestNo, reason: request.reason },
        toMerchant(request.merchant),
      );
      return { refundRef: outRequestNo, status: result.refundedTotalFen > 0 ? "succeeded" : "pending" };
    },

    async verifyCallback(delivery: CallbackDelivery): Promise<PaymentEvent> {
      const form = formOf(delivery.rawBody);
      const settings = delivery.estateSlug && options.merchantOf ? await options.merchantOf(delivery.estateSlug) : null;
      let facts: AlipayNotification;
      try {
        facts = client.verifyNotification(form, settings ? { appAuthToken: "", sellerId: settings.sellerId } : null);
      } catch (error) {
        if (error instanceof AlipayNotifyError) throw new WebhookSignatureError(error.message);
        throw error;
      }
      const type = `trade_status_sync.${facts.kind === "refunded" ? "refund" : facts.status}`;
      // The notify_id names the event; scoped to the estate the URL names, so a genuine
      // notification replayed to another estate's URL (and ignored there) cannot use up its id.
      const base = { id: `alipay_${facts.notifyId}${delivery.estateSlug ? `@${delivery.estateSlug}` : ""}`, type };
      const paid = facts.status === "TRADE_SUCCESS" || facts.status === "TRADE_FINISHED";
      switch (facts.kind) {
        case "paid":
        case "awaiting":
          return {
            ...base,
            kind: facts.kind,
            session: sessionOf(facts.outTradeNo, {
              status: paid ? "complete" : "open",
              paid,
              totalFen: facts.totalFen,
              tradeNo: facts.tradeNo,
            }),
          };
        case "released":
          return {
            ...base,
            kind: "released",
            released: "expired",
            session: sessionOf(facts.outTradeNo, {
              status: "expired",
              paid: false,
              totalFen: facts.totalFen,
              tradeNo: facts.tradeNo,
            }),
          };
        case "refunded":
          return {
            ...base,
            kind: "refunded",
            refund: {
              paymentRef: facts.tradeNo,
              refundRef: facts.outBizNo ?? facts.notifyId,
              totalRefundedFen: facts.refundedTotalFen!,
            },
          };
        default:
          return { ...base, kind: "ignored" };
      }
    },

    /** Alipay reads the body: exactly "success" stops its retries; anything else, it delivers again. */
    answer(result): CallbackAnswer {
      return {
        status: result.status,
        contentType: "text/plain; charset=utf-8",
        body: result.status === 200 ? alipayNotifyAck : alipayNotifyNack,
      };
    },
  };
}

/** The ALIPAY_* variables of the environment (env.server.ts). */
export interface AlipayEnv {
  NODE_ENV?: string;
  PAYMENTS_SANDBOX?: string;
  ALIPAY_APP_ID?: string;
  ALIPAY_APP_PRIVATE_KEY?: string;
  ALIPAY_PUBLIC_KEY?: string;
  ALIPAY_GATEWAY?: string;
}

/**
 * The platform's Alipay application from the environment; null when none is configured.
 * Half a configuration is an error, not "off". A production server talks only to Alipay's own
 * gateway: another one (Alipay's sandbox 沙箱, a local stand-in) needs PAYMENTS_SANDBOX=1, the
 * flag of a test deployment.
 */
export function alipayConfigFromEnv(config: AlipayEnv): AlipayPlatformConfig | null {
  const { ALIPAY_APP_ID: appId, ALIPAY_APP_PRIVATE_KEY: privateKey, ALIPAY_PUBLIC_KEY: alipayPublicKey } = config;
  if (!appId && !privateKey && !alipayPublicKey) return null;
  if (!appId || !privateKey || !alipayPublicKey)
    throw new Error("Alipay needs ALIPAY_APP_ID, ALIPAY_APP_PRIVATE_KEY and ALIPAY_PUBLIC_KEY together");
  const gateway = config.ALIPAY_GATEWAY ?? alipayProductionGateway;
  if (config.NODE_ENV === "production" && gateway !== alipayProductionGateway && config.PAYMENTS_SANDBOX !== "1")
    throw new Error(
      `ALIPAY_GATEWAY ${gateway} is not Alipay's production gateway; a production server uses it only with PAYMENTS_SANDBOX=1 (a test deployment)`,
    );
  // Checked now, so a bad key stops the server at start rather than at the first payment.
  normaliseKeys({ privateKey, alipayPublicKey });
  return { appId, privateKey, alipayPublicKey, gateway };
}

/**
 * The Alipay provider of this process from the environment (null: ALIPAY_* unset). A
 * notification's seller_id is checked against the estate's (estate_payment_method.alipay_seller_id)
 * when the estate has one.
 */
export function alipayProviderFromEnv(config: AlipayEnv): PaymentProvider | null {
  const platform = alipayConfigFromEnv(config);
  if (!platform) return null;
  return alipayProvider({
    client: alipayClient(platform),
    async merchantOf(estateSlug) {
      const [row] = await getDb()
        .select({ sellerId: schema.estatePaymentMethods.alipaySellerId })
        .from(schema.estatePaymentMethods)
        .innerJoin(schema.estates, eq(schema.estates.id, schema.estatePaymentMethods.estateId))
        .where(and(eq(schema.estates.slug, estateSlug), eq(schema.estatePaymentMethods.provider, "alipay")));
      return row?.sellerId ? { sellerId: row.sellerId } : null;
    },
  });
}
