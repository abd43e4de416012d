import Stripe from "stripe";
import { createHmac } from "node:crypto";

/**
 * The one interface every payment provider sits behind (DESIGN.md: Stripe Checkout first; a
 * mainland estate would plug in WeChat Pay or Alipay merchant APIs the same way). Sessions and
 * events are in Stripe's shapes: the sandbox speaks them too, so the webhook handler has one
 * code path whatever the provider.
 */
export interface PaymentProvider {
  readonly name: "stripe" | "sandbox";
  /** Makes a hosted checkout session for some bills; the same idempotency key returns the same session. */
  createCheckout(request: CheckoutRequest): Promise<ProviderSession>;
  /** Asks the provider how a session stands (the reconciliation job's question). */
  retrieveSession(id: string): Promise<ProviderSession>;
  /** Checks the signature and age of a webhook delivery; throws WebhookSignatureError when it fails. */
  verifyWebhook(rawBody: string, signature: string | null): Stripe.Event;
}

export interface CheckoutRequest {
  /** Our checkout's id: it goes in the metadata and is the idempotency key. */
  checkoutId: string;
  estateId: string;
  billIds: string[];
  lineItems: { name: string; amountFen: number }[];
  amountFen: number;
  /** The payer's user id (Stripe's client_reference_id). */
  payerId: string;
  customerEmail?: string;
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
  locale: "zh-CN" | "en";
  idempotencyKey: string;
}

export interface ProviderSession {
  id: string;
  url: string | null;
  status: "open" | "complete" | "expired";
  paymentStatus: "paid" | "unpaid" | "no_payment_required";
  amountTotal: number | null;
  currency: string | null;
  metadata: Record<string, string>;
  paymentIntentId: string | null;
  clientReferenceId: string | null;
  expiresAt: number;
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
