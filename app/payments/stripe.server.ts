import type Stripe from "stripe";
import {
  checkoutMetadata,
  constructEvent,
  currency,
  deliveryHeader,
  jsonAnswer,
  paymentMethodTypes,
  type CheckoutRequest,
  type PaymentEvent,
  type PaymentProvider,
  type ProviderSession,
} from "./provider.server";

/** Stripe's event (from either Stripe or the sandbox) as a neutral event. */
export function fromStripeEvent(event: Stripe.Event): PaymentEvent {
  const base = { id: event.id, type: event.type };
  switch (event.type) {
    case "checkout.session.completed": {
      const session = fromStripeSession(event.data.object);
      return { ...base, kind: session.paymentStatus === "paid" ? "paid" : "awaiting", session };
    }
    case "checkout.session.async_payment_succeeded":
      return { ...base, kind: "paid", session: fromStripeSession(event.data.object) };
    case "checkout.session.expired":
      return { ...base, kind: "released", released: "expired", session: fromStripeSession(event.data.object) };
    case "checkout.session.async_payment_failed":
      return { ...base, kind: "released", released: "failed", session: fromStripeSession(event.data.object) };
    case "charge.refunded": {
      const charge = event.data.object;
      const intent =
        typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null);
      return {
        ...base,
        kind: "refunded",
        refund: { paymentRef: intent, refundRef: charge.id, totalRefundedFen: charge.amount_refunded },
      };
    }
    default:
      return { ...base, kind: "ignored" };
  }
}

/** Stripe's session object in the provider-neutral shape. */
export function fromStripeSession(session: Stripe.Checkout.Session): ProviderSession {
  const intent = session.payment_intent;
  const status = session.status === "complete" ? "complete" : session.status === "expired" ? "expired" : "open";
  return {
    id: session.id,
    url: session.url,
    action: status === "open" && session.url ? { kind: "redirect", url: session.url } : null,
    // Stripe's enums are open (OtherString); anything unknown counts as not finished and not paid.
    status,
    paymentStatus:
      session.payment_status === "paid"
        ? "paid"
        : session.payment_status === "no_payment_required"
          ? "no_payment_required"
          : "unpaid",
    amountTotal: session.amount_total,
    currency: session.currency,
    metadata: session.metadata ?? {},
    paymentIntentId: typeof intent === "string" ? intent : (intent?.id ?? null),
    clientReferenceId: session.client_reference_id,
    expiresAt: session.expires_at,
  };
}

/**
 * Stripe Checkout in CNY with card, Alipay and WeChat Pay (web client). The SDK is pinned to
 * API version 2026-10-28.endive (stripe-node 23), which replaced `payment_method_types` on
 * session creation with `allowed_payment_method_types`; the three methods must also be
 * enabled in the Stripe dashboard of a merchant registered outside the mainland.
 */
export function stripeProvider(options: { stripe: Stripe; webhookSecret: string }): PaymentProvider {
  const { stripe, webhookSecret } = options;
  return {
    name: "stripe",
    async createCheckout(request: CheckoutRequest) {
      const metadata = checkoutMetadata(request.checkoutId, request.estateId, request.billIds);
      const session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          currency,
          allowed_payment_method_types: [...paymentMethodTypes],
          payment_method_options: { wechat_pay: { client: "web" } },
          line_items: request.lineItems.map((item) => ({
            quantity: 1,
            price_data: { currency, unit_amount: item.amountFen, product_data: { name: item.name } },
          })),
          metadata,
          // The payment intent carries the same ids, so a refund can be traced back in the dashboard.
          payment_intent_data: { metadata },
          client_reference_id: request.payerId,
          customer_email: request.customerEmail,
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
          expires_at: Math.floor(request.expiresAt.getTime() / 1000),
          locale: request.locale === "en" ? "en" : "zh",
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return fromStripeSession(session);
    },
    async retrieveSession(id: string) {
      return fromStripeSession(await stripe.checkout.sessions.retrieve(id));
    },
    async verifyCallback(delivery): Promise<PaymentEvent> {
      return fromStripeEvent(
        constructEvent(delivery.rawBody, deliveryHeader(delivery, "stripe-signature"), webhookSecret),
      );
    },
    answer: jsonAnswer,
  };
}
