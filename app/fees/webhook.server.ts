import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { getDb, schema, type Queryable } from "#db/client";
import { getPaymentProvider } from "~/payments/factory.server";
import { billIdsFromMetadata, isWebhookSignatureError, type PaymentProvider } from "~/payments/provider.server";
import { fromStripeSession } from "~/payments/stripe.server";
import { lockCheckout, recordRefund, settleAwaiting, settlePaid, settleReleased } from "./ledger.server";

const { checkoutBills, paymentEvents } = schema;

export interface WebhookResult {
  status: 200 | 400;
  /** What happened, for the provider's delivery log: "paid", "released", "duplicate", … */
  outcome: string;
}

interface Handled {
  outcome: string;
  objectId?: string | null;
  relatedRef?: string | null;
  detail?: unknown;
}

const handledTypes = new Set([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.expired",
  "checkout.session.async_payment_failed",
  "charge.refunded",
]);

async function handle(tx: Queryable, provider: string, event: Stripe.Event, now: Date): Promise<Handled> {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.expired":
    case "checkout.session.async_payment_failed": {
      const session = fromStripeSession(event.data.object);
      const checkout = await lockCheckout(tx, provider, session);
      if (!checkout) return { outcome: "ignored", objectId: session.id, detail: { reason: "unknown session" } };
      if (session.metadata.estate_id && session.metadata.estate_id !== checkout.estateId) {
        return { outcome: "ignored", objectId: session.id, detail: { reason: "estate mismatch" } };
      }
      if (event.type === "checkout.session.expired" || event.type === "checkout.session.async_payment_failed") {
        const outcome = await settleReleased(
          tx,
          checkout,
          event.type === "checkout.session.expired" ? "expired" : "failed",
          now,
        );
        return { outcome, objectId: session.id };
      }
      if (event.type === "checkout.session.completed" && session.paymentStatus !== "paid") {
        return { outcome: await settleAwaiting(tx, checkout), objectId: session.id };
      }
      // The bills in the metadata should be the ones we hold; ours are authoritative, a difference is noted.
      const held = await tx
        .select({ billId: checkoutBills.billId })
        .from(checkoutBills)
        .where(eq(checkoutBills.checkoutId, checkout.id));
      const fromMetadata = billIdsFromMetadata(session.metadata).sort();
      const metadataMatches =
        fromMetadata.join() ===
        held
          .map((h) => h.billId)
          .sort()
          .join();
      const result = await settlePaid(tx, checkout, session, now);
      return {
        outcome: result.outcome,
        objectId: session.id,
        detail: { paymentId: result.paymentId, metadataMatches },
      };
    }
    case "charge.refunded": {
      const charge = event.data.object;
      const intent =
        typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null);
      const result = await recordRefund(tx, {
        provider,
        paymentIntentId: intent,
        chargeId: charge.id,
        totalRefundedFen: charge.amount_refunded,
        eventId: event.id,
        now,
      });
      return {
        outcome: result.outcome,
        objectId: charge.id,
        relatedRef: result.relatedRef ?? null,
        detail: result.detail ?? null,
      };
    }
    default:
      return { outcome: "ignored", objectId: null };
  }
}

/**
 * The webhook, whatever the provider: verify the signature on the raw body (unsigned, forged
 * or stale → 400), then in ONE transaction record the event id (the primary key of
 * payment_event: a second delivery of the same event finds it and changes nothing) and apply
 * the event. A failure rolls everything back, the event included, and is thrown: the route
 * answers 500 and the provider delivers again later.
 */
export async function receiveWebhook(
  rawBody: string,
  signature: string | null,
  options: { provider?: PaymentProvider; now?: Date } = {},
): Promise<WebhookResult> {
  const provider = options.provider ?? getPaymentProvider();
  // Online payment off: no secret is valid, so no event is either.
  if (!provider) return { status: 400, outcome: "bad signature" };
  let event: Stripe.Event;
  try {
    event = provider.verifyWebhook(rawBody, signature);
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
    const handled = handledTypes.has(event.type) ? await handle(tx, provider.name, event, now) : { outcome: "ignored" };
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
