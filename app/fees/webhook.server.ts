import { eq } from "drizzle-orm";
import { getDb, isDatabaseUnavailable, schema, type Queryable } from "#db/client";
import { getPaymentProvider } from "~/payments/factory.server";
import {
  billIdsFromMetadata,
  isWebhookSignatureError,
  jsonAnswer,
  type CallbackDelivery,
  type PaymentEvent,
  type PaymentProvider,
  type WebhookResult,
} from "~/payments/provider.server";
import { lockCheckout, recordRefund, settleAwaiting, settlePaid, settleReleased } from "./ledger.server";

const { checkoutBills, estates, paymentEvents } = schema;

export type { WebhookResult } from "~/payments/provider.server";

interface Handled {
  outcome: string;
  objectId?: string | null;
  relatedRef?: string | null;
  detail?: unknown;
}

/** Applies a verified, neutral event to the ledger, inside the caller's transaction. */
async function handle(
  tx: Queryable,
  provider: string,
  event: PaymentEvent,
  estateId: string | null,
  now: Date,
): Promise<Handled> {
  switch (event.kind) {
    case "paid":
    case "awaiting":
    case "released": {
      const session = event.session;
      if (!session) return { outcome: "ignored", objectId: null, detail: { reason: "no session" } };
      const checkout = await lockCheckout(tx, provider, session);
      if (!checkout) return { outcome: "ignored", objectId: session.id, detail: { reason: "unknown session" } };
      if (
        (session.metadata.estate_id && session.metadata.estate_id !== checkout.estateId) ||
        (estateId && estateId !== checkout.estateId)
      ) {
        return { outcome: "ignored", objectId: session.id, detail: { reason: "estate mismatch" } };
      }
      if (event.kind === "released") {
        const outcome = await settleReleased(tx, checkout, event.released ?? "expired", now);
        return { outcome, objectId: session.id };
      }
      if (event.kind === "awaiting") return { outcome: await settleAwaiting(tx, checkout), objectId: session.id };
      // The bills in the metadata (when the provider carries them) should be the ones we hold;
      // ours are authoritative, a difference is noted.
      const fromMetadata = billIdsFromMetadata(session.metadata).sort();
      let metadataMatches: boolean | undefined;
      if (fromMetadata.length > 0) {
        const held = await tx
          .select({ billId: checkoutBills.billId })
          .from(checkoutBills)
          .where(eq(checkoutBills.checkoutId, checkout.id));
        metadataMatches =
          fromMetadata.join() ===
          held
            .map((h) => h.billId)
            .sort()
            .join();
      }
      const result = await settlePaid(tx, checkout, session, now);
      return {
        outcome: result.outcome,
        objectId: session.id,
        detail: { paymentId: result.paymentId, ...(metadataMatches === undefined ? {} : { metadataMatches }) },
      };
    }
    case "refunded": {
      const refund = event.refund;
      if (!refund) return { outcome: "ignored", objectId: null };
      const result = await recordRefund(tx, {
        provider,
        paymentIntentId: refund.paymentRef,
        chargeId: refund.refundRef,
        totalRefundedFen: refund.totalRefundedFen,
        amountFen: refund.amountFen,
        eventId: event.id,
        now,
      });
      return {
        outcome: result.outcome,
        objectId: refund.refundRef,
        relatedRef: result.relatedRef ?? null,
        detail: result.detail ?? null,
      };
    }
    default:
      return { outcome: "ignored", objectId: null };
  }
}

/**
 * A callback, whatever the provider: verify the signature on the raw body (unsigned, forged,
 * tampered or stale → 400), then in ONE transaction record the event id (the primary key of
 * payment_event: a second delivery of the same event finds it and changes nothing) and apply
 * the neutral event. A failure rolls everything back, the event included, and is thrown: the
 * route answers 500 and the provider delivers again later.
 */
export async function receiveCallback(
  delivery: CallbackDelivery,
  options: { provider?: PaymentProvider | null; now?: Date } = {},
): Promise<WebhookResult> {
  const provider = options.provider === undefined ? getPaymentProvider() : options.provider;
  // Online payment off: no secret is valid, so no event is either.
  if (!provider) return { status: 400, outcome: "bad signature" };
  let event: PaymentEvent;
  try {
    event = await provider.verifyCallback(delivery);
  } catch (error) {
    if (isWebhookSignatureError(error)) return { status: 400, outcome: "bad signature" };
    throw error;
  }
  const now = options.now ?? new Date();
  const outcome = await getDb().transaction(async (tx) => {
    const [fresh] = await tx
      .insert(paymentEvents)
      .values({ eventId: event.id, provider: provider.name, type: event.type, outcome: "received", receivedAt: now })
      .onConflictDoNothing({ target: paymentEvents.eventId })
      .returning({ eventId: paymentEvents.eventId });
    if (!fresh) return "duplicate";
    // A callback URL that names an estate (/webhooks/wechatpay/:estate) only settles that estate's checkouts.
    let estateId: string | null = null;
    if (delivery.estateSlug) {
      const [estate] = await tx.select({ id: estates.id }).from(estates).where(eq(estates.slug, delivery.estateSlug));
      estateId = estate?.id ?? "00000000-0000-0000-0000-000000000000";
    }
    const handled = await handle(tx, provider.name, event, estateId, now);
    await tx
      .update(paymentEvents)
      .set({
        outcome: handled.outcome,
        objectId: handled.objectId ?? null,
        relatedRef: handled.relatedRef ?? null,
        detail: handled.detail ?? null,
      })
      .where(eq(paymentEvents.eventId, event.id));
    return handled.outcome;
  });
  return { status: 200, outcome };
}

/** A Stripe-shaped delivery (Stripe, or the sandbox): the raw body and its Stripe-Signature header. */
export async function receiveWebhook(
  rawBody: string,
  signature: string | null,
  options: { provider?: PaymentProvider | null; now?: Date } = {},
): Promise<WebhookResult> {
  return receiveCallback({ rawBody, headers: { "stripe-signature": signature } }, options);
}

/**
 * The HTTP side of a provider's callback route: reads the raw body untouched, receives it and
 * answers as the provider expects (provider.answer). 400: unsigned, forged or stale; 503
 * (database unreachable) or 500 (another failure): rolled back, to be delivered again.
 */
export async function callbackResponse(
  request: Request,
  provider: PaymentProvider | null,
  estateSlug?: string,
): Promise<Response> {
  const answer = provider ? provider.answer.bind(provider) : jsonAnswer;
  const respond = (result: Parameters<typeof jsonAnswer>[0], extra: Record<string, string> = {}) => {
    const a = answer(result as WebhookResult);
    return new Response(a.body === "" ? null : a.body, {
      status: a.status,
      headers: { "Content-Type": a.contentType, "Cache-Control": "no-store", ...extra },
    });
  };
  if (request.method !== "POST")
    return new Response(JSON.stringify({ error: "method not allowed" }), {
      status: 405,
      headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
    });
  const rawBody = await request.text();
  try {
    const result = await receiveCallback({ rawBody, headers: request.headers, estateSlug }, { provider });
    return respond(result);
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      console.error(
        `[payments] callback not taken, the database is unreachable; the provider will deliver it again: ${(error as Error).message}`,
      );
      return respond({ status: 503, outcome: "unavailable" }, { "Retry-After": "5" });
    }
    console.error("[payments] callback failed and was rolled back; the provider will deliver it again", error);
    return respond({ status: 500, outcome: "error" });
  }
}
