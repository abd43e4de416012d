import { and, eq, gt } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { getDb, schema, type Db } from "#db/client";
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
import { fromStripeEvent } from "./stripe.server";

const { sandboxSessions } = schema;

type SandboxRow = typeof sandboxSessions.$inferSelect;

/** Stripe-like ids: a prefix and 24 random base-62-ish characters. */
export function sandboxId(prefix: string): string {
  return `${prefix}_${randomBytes(18).toString("base64url").replace(/[-_]/g, "x")}`;
}

export function sandboxUrl(row: Pick<SandboxRow, "id" | "successUrl">): string {
  return new URL(`/pay/sandbox/${row.id}`, row.successUrl).toString();
}

/** A sandbox session whose expiry has passed counts as expired, as Stripe would have expired it. */
function effectiveStatus(row: SandboxRow, now: Date): "open" | "complete" | "expired" {
  if (row.status === "open" && row.expiresAt.getTime() <= now.getTime()) return "expired";
  return row.status as "open" | "complete" | "expired";
}

function toSession(row: SandboxRow, now = new Date()): ProviderSession {
  const status = effectiveStatus(row, now);
  const url = status === "open" ? sandboxUrl(row) : null;
  return {
    id: row.id,
    url,
    action: url ? { kind: "redirect", url } : null,
    status,
    paymentStatus: row.paymentStatus as ProviderSession["paymentStatus"],
    amountTotal: row.amountTotal,
    currency: row.currency,
    metadata: row.metadata,
    paymentIntentId: row.paymentIntent,
    clientReferenceId: row.clientReferenceId,
    expiresAt: Math.floor(row.expiresAt.getTime() / 1000),
  };
}

/** The session as Stripe's JSON renders it in an event (the fields the handler and a reader use). */
export function stripeSessionJson(row: SandboxRow, now = new Date()): Stripe.Checkout.Session {
  const status = effectiveStatus(row, now);
  return {
    id: row.id,
    object: "checkout.session",
    amount_subtotal: row.amountTotal,
    amount_total: row.amountTotal,
    cancel_url: row.cancelUrl,
    client_reference_id: row.clientReferenceId,
    created: Math.floor(row.createdAt.getTime() / 1000),
    currency: row.currency,
    customer_email: row.customerEmail,
    expires_at: Math.floor(row.expiresAt.getTime() / 1000),
    livemode: false,
    locale: null,
    metadata: row.metadata,
    mode: "payment",
    payment_intent: row.paymentIntent,
    payment_method_options: { wechat_pay: { app_id: null, client: "web" } },
    payment_method_types: row.paymentMethodTypes,
    payment_status: row.paymentStatus,
    status,
    success_url: row.successUrl,
    url: status === "open" ? sandboxUrl(row) : null,
  } as unknown as Stripe.Checkout.Session;
}

/**
 * The embedded default provider when no STRIPE_SECRET_KEY is set: sessions live in the
 * sandbox_session table, the checkout page is /pay/sandbox/<id> inside the app, and events are
 * signed with Stripe's own helper and a sandbox secret, then verified like Stripe's.
 */
export type SandboxProvider = PaymentProvider & { name: "sandbox"; webhookSecret: string };

export function asSandbox(provider: PaymentProvider): SandboxProvider | null {
  return provider.name === "sandbox" && "webhookSecret" in provider ? (provider as SandboxProvider) : null;
}

export function sandboxProvider(options: { webhookSecret: string; db?: () => Db }): SandboxProvider {
  const db = options.db ?? getDb;
  return {
    name: "sandbox" as const,
    webhookSecret: options.webhookSecret,
    async createCheckout(request: CheckoutRequest) {
      const metadata = checkoutMetadata(request.checkoutId, request.estateId, request.billIds);
      const [inserted] = await db()
        .insert(sandboxSessions)
        .values({
          id: sandboxId("cs_sandbox"),
          estateId: request.estateId,
          idempotencyKey: request.idempotencyKey,
          clientReferenceId: request.payerId,
          customerEmail: request.customerEmail ?? null,
          amountTotal: request.amountFen,
          currency,
          lineItems: request.lineItems.map((i) => ({ name: i.name, amount: i.amountFen })),
          metadata,
          paymentMethodTypes: [...paymentMethodTypes],
          successUrl: request.successUrl,
          cancelUrl: request.cancelUrl,
          expiresAt: request.expiresAt,
        })
        // Like Stripe's idempotency keys: the same key gives back the session made the first time.
        .onConflictDoNothing({ target: sandboxSessions.idempotencyKey })
        .returning();
      const row =
        inserted ??
        (
          await db().select().from(sandboxSessions).where(eq(sandboxSessions.idempotencyKey, request.idempotencyKey))
        )[0];
      return toSession(row);
    },
    async retrieveSession(id: string) {
      const [row] = await db().select().from(sandboxSessions).where(eq(sandboxSessions.id, id));
      if (!row) throw new Error(`No such checkout.session: ${id}`);
      return toSession(row);
    },
    async verifyCallback(delivery): Promise<PaymentEvent> {
      return fromStripeEvent(
        constructEvent(delivery.rawBody, deliveryHeader(delivery, "stripe-signature"), options.webhookSecret),
      );
    },
    answer: jsonAnswer,
  };
}

export async function sandboxSession(id: string): Promise<SandboxRow | null> {
  const [row] = await getDb().select().from(sandboxSessions).where(eq(sandboxSessions.id, id));
  return row ?? null;
}

export type SandboxOutcome = "pay" | "cancel";

/**
 * The event Stripe would send for a finished sandbox session, as the raw JSON body and its
 * Stripe-Signature header. Its id is fixed per session and outcome, as a provider's retry keeps
 * its event id: delivering it again is a duplicate the webhook handler ignores.
 */
export function sandboxEvent(
  row: SandboxRow,
  outcome: SandboxOutcome,
  webhookSecret: string,
  now = new Date(),
): { rawBody: string; signature: string } {
  const event = {
    id: `evt_${row.id.replace(/^cs_/, "")}_${outcome === "pay" ? "completed" : "expired"}`,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(now.getTime() / 1000),
    data: { object: stripeSessionJson(row, now) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: outcome === "pay" ? "checkout.session.completed" : "checkout.session.expired",
  };
  const rawBody = JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: rawBody,
    secret: webhookSecret,
    timestamp: Math.floor(now.getTime() / 1000),
  });
  return { rawBody, signature };
}

/**
 * The customer finishes on the sandbox page: paying completes the session, cancelling expires
 * it (what Stripe does when an open session is expired). Returns the event Stripe would send;
 * null when the session is not open. Paying a session that is already paid returns its event
 * again: if the database went away between completing the session and recording the payment,
 * the customer's retry delivers what a provider's webhook retry would have.
 */
export async function finishSandboxSession(
  id: string,
  outcome: SandboxOutcome,
  webhookSecret: string,
  now = new Date(),
): Promise<{ rawBody: string; signature: string; row: SandboxRow } | null> {
  const [updated] = await getDb()
    .update(sandboxSessions)
    .set(
      outcome === "pay"
        ? { status: "complete", paymentStatus: "paid", paymentIntent: sandboxId("pi_sandbox") }
        : { status: "expired" },
    )
    .where(and(eq(sandboxSessions.id, id), eq(sandboxSessions.status, "open"), gt(sandboxSessions.expiresAt, now)))
    .returning();
  const row = updated ?? (outcome === "pay" ? await sandboxSession(id) : null);
  if (!row || (!updated && !(row.status === "complete" && row.paymentStatus === "paid"))) return null;
  return { ...sandboxEvent(row, outcome, webhookSecret, now), row };
}
