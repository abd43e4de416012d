import Stripe from "stripe";
import { createHmac } from "node:crypto";

/**
 * The one interface every payment provider sits behind: Stripe Checkout, the sandbox (the
 * embedded demo), WeChat Pay APIv3 (服务商 mode) and Alipay (third-party application). It speaks
 * no provider's shapes: a checkout request says how the owner will pay (the channel) and for
 * which merchant (the estate's settings); the session says what the page must do (send the
 * owner to a URL, show a QR code, or call WeChat's JSAPI); a callback becomes a neutral event
 * that app/fees/webhook.server.ts applies to the ledger, whoever sent it.
 */
export type ProviderName = "stripe" | "sandbox" | "wechatpay" | "alipay";
export const providerNames = ["stripe", "sandbox", "wechatpay", "alipay"] as const satisfies readonly ProviderName[];

/**
 * How the owner pays. stripe/sandbox: "hosted" (a checkout page elsewhere); wechatpay: "jsapi"
 * (inside WeChat, needs the payer's openid), "native" (a QR code on a desktop screen), "h5" (a
 * phone browser, needs the payer's IP); alipay: "page" (desktop), "wap" (phone).
 */
export type PayChannel = "hosted" | "jsapi" | "native" | "h5" | "page" | "wap";
export const payChannels = ["hosted", "jsapi", "native", "h5", "page", "wap"] as const satisfies readonly PayChannel[];

/** The channels each provider offers. */
export const providerChannels: Record<ProviderName, readonly PayChannel[]> = {
  stripe: ["hosted"],
  sandbox: ["hosted"],
  wechatpay: ["jsapi", "native", "h5"],
  alipay: ["page", "wap"],
};

/**
 * The estate's merchant at a provider, as the estate's payment settings hold it (secrets
 * already decrypted by the caller): WeChat Pay's sub-merchant id, Alipay's app_auth_token.
 */
export interface MerchantSettings {
  /** WeChat Pay 服务商 mode: the estate's (or its property company's) 子商户号. */
  subMchid?: string;
  /** WeChat Pay: the sub-merchant's own AppID, when the estate has one (sub_appid). */
  subAppid?: string;
  /** Alipay third-party application: the merchant's authorisation token (a secret). */
  appAuthToken?: string;
  /** Alipay: the merchant's PID (seller_id), when known. */
  sellerId?: string;
}

export interface CheckoutRequest {
  /** Our checkout's id: it goes in the metadata and is the idempotency key. */
  checkoutId: string;
  estateId: string;
  /** The estate's slug: callback URLs name the estate (/webhooks/wechatpay/:estate). */
  estateSlug?: string;
  billIds: string[];
  lineItems: { name: string; amountFen: number }[];
  amountFen: number;
  /** One line for the owner's payment app ("宜欣花园 物业费 2 笔"); providers fall back to the first line item. */
  description?: string;
  /** The payer's user id (Stripe's client_reference_id). */
  payerId: string;
  customerEmail?: string;
  successUrl: string;
  cancelUrl: string;
  /** This site's public origin, for the provider's callback (notify) URL. */
  origin?: string;
  expiresAt: Date;
  locale: "zh-CN" | "en";
  idempotencyKey: string;
  /** How the owner pays; "hosted" when not given. */
  channel?: PayChannel;
  /** WeChat JSAPI: the payer's openid under the platform's official account. */
  openid?: string;
  /** WeChat H5: the payer's IP address (scene_info.payer_client_ip). */
  clientIp?: string;
  /** The estate's merchant at this provider. */
  merchant?: MerchantSettings;
}

/** WeChat's JSAPI parameters for WeixinJSBridge.invoke("getBrandWCPayRequest", …). */
export interface JsapiParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: "RSA";
  paySign: string;
}

/** What the owner's page must do to pay a session. */
export type PayAction =
  { kind: "redirect"; url: string } | { kind: "qr"; codeUrl: string } | { kind: "jsapi"; params: JsapiParams };

export interface ProviderSession {
  /** The provider's id of this payment (Stripe's cs_…, WeChat's / Alipay's out_trade_no). */
  id: string;
  /** A page to send the owner to (the redirect action's URL), else null. */
  url: string | null;
  /** What the page must do while the session is open; null once it is finished. */
  action?: PayAction | null;
  status: "open" | "complete" | "expired";
  paymentStatus: "paid" | "unpaid" | "no_payment_required";
  /** In fen. */
  amountTotal: number | null;
  /** Lower case ("cny"). */
  currency: string | null;
  metadata: Record<string, string>;
  /** The provider's id of the money received (Stripe's pi_…, WeChat's transaction_id, Alipay's trade_no). */
  paymentIntentId: string | null;
  clientReferenceId: string | null;
  /** Unix seconds. */
  expiresAt: number;
}

/** A callback (webhook) delivery as it arrived: header names in any case, the body untouched. */
export interface CallbackDelivery {
  headers: Headers | Record<string, string | null | undefined>;
  rawBody: string;
  /** The estate named in the callback URL (/webhooks/wechatpay/:estate), when it names one. */
  estateSlug?: string;
}

/** A header of a delivery, whatever the case of its name; null when absent. */
export function deliveryHeader(delivery: Pick<CallbackDelivery, "headers">, name: string): string | null {
  const headers = delivery.headers;
  if (headers instanceof Headers) return headers.get(name);
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value ?? null;
  return null;
}

/**
 * A verified callback in the ledger's terms, whoever sent it.
 * - paid: the session's money is in (session required);
 * - awaiting: the owner finished but an asynchronous payment is still settling (session);
 * - released: the session expired or its payment failed, the bills are free again (session, released);
 * - refunded: money went back (refund);
 * - ignored: nothing for the ledger.
 */
export interface PaymentEvent {
  /** The provider's event id, unique per provider; a retry keeps it, so a second delivery is a duplicate. */
  id: string;
  /** The provider's own name of the event, for the log ("checkout.session.completed", "TRANSACTION.SUCCESS"). */
  type: string;
  kind: "paid" | "awaiting" | "released" | "refunded" | "ignored";
  session?: ProviderSession;
  released?: "expired" | "failed";
  refund?: RefundFacts;
}

/**
 * A refund as the provider reports it: either the payment's running refunded total (Stripe's
 * charge.amount_refunded, Alipay's refund_fee) or this one refund's amount with its id
 * (WeChat's refund notification), from which the ledger works out the total.
 */
export interface RefundFacts {
  /** The provider's id of the money received (ProviderSession.paymentIntentId). */
  paymentRef: string | null;
  /** The provider's id of the refund (Stripe's charge id, WeChat's refund_id, …). */
  refundRef: string | null;
  totalRefundedFen?: number;
  amountFen?: number;
}

/** How the webhook went, for the answer to the provider. */
export interface WebhookResult {
  status: 200 | 400;
  /** What happened, for the provider's delivery log: "paid", "released", "duplicate", … */
  outcome: string;
}

/** The HTTP answer a provider expects (WeChat: 204, or 4xx/5xx with JSON; Alipay: the text "success"). */
export interface CallbackAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** A refund we ask the provider for (staff-initiated). */
export interface RefundRequest {
  /** Our refund's id (≤ 64 characters): the idempotency key of the refund at the provider. */
  refundId: string;
  /** The session (out_trade_no) and the provider's payment id. */
  sessionId: string;
  paymentRef: string | null;
  /** The payment's full amount and this refund's amount, in fen. */
  totalFen: number;
  amountFen: number;
  reason?: string;
  merchant?: MerchantSettings;
  estateSlug?: string;
  origin?: string;
}

export interface RefundResult {
  /** The provider's refund id. */
  refundRef: string;
  status: "succeeded" | "pending" | "failed";
}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Makes a checkout session for some bills; the same idempotency key returns the same session. */
  createCheckout(request: CheckoutRequest): Promise<ProviderSession>;
  /** Asks the provider how a session stands (the reconciliation job's question). */
  retrieveSession(id: string, merchant?: MerchantSettings): Promise<ProviderSession>;
  /** Asks the provider to close an unpaid session, so it can no longer be paid (optional). */
  closeSession?(id: string, merchant?: MerchantSettings): Promise<void>;
  /** Asks the provider to refund (optional: Stripe's refunds are made in its dashboard and reported by webhook). */
  refund?(request: RefundRequest): Promise<RefundResult>;
  /**
   * Checks a callback's signature and age and reads it into a neutral event; throws
   * WebhookSignatureError when the check fails (forged, tampered, stale, unreadable).
   */
  verifyCallback(delivery: CallbackDelivery): Promise<PaymentEvent>;
  /** The HTTP answer the provider expects for how the webhook went. */
  answer(result: WebhookResult | { status: 500 | 503; outcome: string }): CallbackAnswer;
}

/** The JSON answer Stripe (and the sandbox) get: {received, outcome}. */
export function jsonAnswer(result: { status: number; outcome: string }): CallbackAnswer {
  return {
    status: result.status,
    contentType: "application/json",
    body: JSON.stringify(
      result.status === 200 || result.status === 400
        ? { received: result.status === 200, outcome: result.outcome }
        : { received: false },
    ),
  };
}

/**
 * A delivery whose signature or age fails the check. Recognise it with isWebhookSignatureError,
 * not instanceof: the provider is shared on globalThis, and the server bundle and the Remix
 * build each have their own copy of this class.
 */
export class WebhookSignatureError extends Error {
  readonly kind = "webhook-signature";
}

export function isWebhookSignatureError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { kind?: unknown }).kind === "webhook-signature";
}

export { paymentMethodTypes } from "./methods";
export const currency = "cny";
/** A provider session stays open this long (Stripe's minimum is 30 minutes); bills are held meanwhile. */
export const sessionLifetimeMs = 30 * 60_000;
/** The most bills one checkout may pay (they travel in the session's metadata). */
export const maxBillsPerCheckout = 36;

/**
 * Bill ids in Stripe metadata: values hold at most 500 characters, so the ids are split over
 * bill_ids, bill_ids_2, bill_ids_3 (12 ids of 36 characters each per key).
 */
export function checkoutMetadata(
  checkoutId: string,
  estateId: string,
  billIds: readonly string[],
): Record<string, string> {
  if (billIds.length === 0 || billIds.length > maxBillsPerCheckout)
    throw new RangeError(`a checkout pays 1 to ${maxBillsPerCheckout} bills`);
  const metadata: Record<string, string> = {
    checkout_id: checkoutId,
    estate_id: estateId,
    bill_count: String(billIds.length),
  };
  for (let i = 0; i * 12 < billIds.length; i++)
    metadata[i === 0 ? "bill_ids" : `bill_ids_${i + 1}`] = billIds.slice(i * 12, i * 12 + 12).join(",");
  return metadata;
}

export function billIdsFromMetadata(metadata: Record<string, string> | null | undefined): string[] {
  if (!metadata) return [];
  const keys = Object.keys(metadata)
    .filter((k) => k === "bill_ids" || /^bill_ids_\d+$/.test(k))
    .sort((a, b) => (a === "bill_ids" ? 1 : Number(a.slice(9))) - (b === "bill_ids" ? 1 : Number(b.slice(9))));
  return keys.flatMap((k) => metadata[k].split(",").filter(Boolean));
}

/** Verifies a delivery with Stripe's own code (HMAC-SHA256 over "timestamp.body", 5 minutes tolerance). */
export function constructEvent(rawBody: string, signature: string | null, secret: string): Stripe.Event {
  if (!signature) throw new WebhookSignatureError("missing Stripe-Signature header");
  try {
    return Stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch (error) {
    throw new WebhookSignatureError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The sandbox's webhook secret, derived from SESSION_SECRET (a real one: env() refuses a
 * published value in production and the embedded demo generates its own), so nobody outside
 * can sign sandbox events, and two instances on one database verify each other's.
 */
export function sandboxWebhookSecret(sessionSecret: string): string {
  return `whsec_sandbox_${createHmac("sha256", sessionSecret).update("yishitang sandbox webhook").digest("hex").slice(0, 32)}`;
}
