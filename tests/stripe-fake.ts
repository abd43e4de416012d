import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

/**
 * A local stand-in for api.stripe.com, enough for Checkout: POST /v1/checkout/sessions and
 * GET /v1/checkout/sessions/:id, answering with JSON shaped like Stripe's (API 2026-10-28).
 * The real Stripe SDK talks to it (`new Stripe(key, { host, port, protocol: "http" })`), and
 * webhook payloads are signed with Stripe's own generateTestHeaderString.
 */

export const fakeWebhookSecret = "whsec_test_fake_0123456789abcdef";

type Json = Record<string, unknown>;

/** Stripe's form encoding (a[b][0][c]=v) back into an object. */
export function parseStripeForm(body: string): Json {
  const out: Json = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, "").split("[");
    let node: Json = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Json;
    });
  }
  return out;
}

const id = (prefix: string) => `${prefix}_${randomBytes(18).toString("base64url").replace(/[-_]/g, "a")}`;
const values = (o: unknown): unknown[] => (o && typeof o === "object" ? Object.values(o) : []);

export interface RecordedRequest {
  method: string;
  path: string;
  params: Json;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  stripeVersion: string | undefined;
}

export interface FakeStripe {
  url: string;
  port: number;
  client: Stripe;
  requests: RecordedRequest[];
  sessions: Map<string, Json>;
  /** The next POST /v1/checkout/sessions answers 500 (Stripe is down). */
  failNextCreate(): void;
  /** The customer paid: the session completes (payment_status "paid", or "unpaid" for an async method). */
  complete(sessionId: string, options?: { paymentStatus?: "paid" | "unpaid"; amountTotal?: number }): Json;
  /** The session expired (Stripe's own timer, or expired through the API). */
  expire(sessionId: string): Json;
  /** A signed event: the raw body and the Stripe-Signature header, as Stripe would POST them. */
  event(
    type: string,
    object: Json,
    options?: { secret?: string; timestamp?: number; id?: string },
  ): { rawBody: string; signature: string; id: string };
  /** The charge object of a completed session's payment, with a running refunded total. */
  charge(sessionId: string, amountRefunded: number): Json;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const sessions = new Map<string, Json>();
  const byIdempotencyKey = new Map<string, Json>();
  const requests: RecordedRequest[] = [];
  let failCreate = false;

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://localhost");
    const params = req.method === "GET" ? Object.fromEntries(url.searchParams) : parseStripeForm(body);
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    requests.push({
      method: req.method ?? "",
      path: url.pathname,
      params,
      idempotencyKey: header("idempotency-key"),
      authorization: header("authorization"),
      stripeVersion: header("stripe-version"),
    });
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json", "Request-Id": id("req") });
      res.end(JSON.stringify(json));
    };
    if (!header("authorization")?.startsWith("Bearer sk_test_")) {
      return send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
    }
    if (req.method === "POST" && url.pathname === "/v1/checkout/sessions") {
      if (failCreate) {
        failCreate = false;
        return send(500, { error: { type: "api_error", message: "An unknown error occurred" } });
      }
      const key = header("idempotency-key");
      if (key && byIdempotencyKey.has(key)) return send(200, byIdempotencyKey.get(key));
      const lineItems = values(params.line_items) as {
        quantity: string;
        price_data: { currency: string; unit_amount: string; product_data: { name: string } };
      }[];
      const amount = lineItems.reduce((sum, li) => sum + Number(li.price_data.unit_amount) * Number(li.quantity), 0);
      const sessionId = id("cs_test");
      const session: Json = {
        id: sessionId,
        object: "checkout.session",
        adaptive_pricing: { enabled: false },
        after_expiration: null,
        allow_promotion_codes: null,
        allowed_payment_method_types: values(params.allowed_payment_method_types),
        amount_subtotal: amount,
        amount_total: amount,
        automatic_tax: { enabled: false, liability: null, provider: null, status: null },
        billing_address_collection: null,
        cancel_url: params.cancel_url ?? null,
        client_reference_id: params.client_reference_id ?? null,
        client_secret: null,
        collected_information: null,
        consent: null,
        consent_collection: null,
        created: Math.floor(Date.now() / 1000),
        currency: params.currency ?? null,
        currency_conversion: null,
        custom_fields: [],
        custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
        customer: null,
        customer_creation: "if_required",
        customer_details: null,
        customer_email: params.customer_email ?? null,
        discounts: [],
        expires_at: Number(params.expires_at ?? Math.floor(Date.now() / 1000) + 86400),
        invoice: null,
        invoice_creation: null,
        livemode: false,
        locale: params.locale ?? null,
        metadata: params.metadata ?? {},
        mode: params.mode ?? "payment",
        payment_intent: null,
        payment_link: null,
        payment_method_collection: "if_required",
        payment_method_configuration_details: null,
        payment_method_options: {
          wechat_pay: {
            app_id: null,
            client:
              (params.payment_method_options as { wechat_pay?: { client?: string } } | undefined)?.wechat_pay?.client ??
              null,
          },
        },
        payment_method_types: values(params.allowed_payment_method_types),
        payment_status: "unpaid",
        phone_number_collection: { enabled: false },
        recovered_from: null,
        saved_payment_method_options: null,
        setup_intent: null,
        shipping_address_collection: null,
        shipping_cost: null,
        shipping_options: [],
        status: "open",
        submit_type: null,
        subscription: null,
        success_url: params.success_url ?? null,
        total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
        ui_mode: "hosted",
        url: `https://checkout.stripe.com/c/pay/${sessionId}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
        wallet_options: null,
      };
      sessions.set(sessionId, session);
      if (key) byIdempotencyKey.set(key, session);
      return send(200, session);
    }
    const match = /^\/v1\/checkout\/sessions\/([A-Za-z0-9_]+)$/.exec(url.pathname);
    if (req.method === "GET" && match) {
      const session = sessions.get(match[1]);
      if (!session) {
        return send(404, {
          error: {
            type: "invalid_request_error",
            code: "resource_missing",
            param: "session",
            message: `No such checkout.session: '${match[1]}'`,
          },
        });
      }
      return send(200, session);
    }
    send(404, {
      error: { type: "invalid_request_error", message: `Unrecognized request URL (${req.method}: ${url.pathname}).` },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const client = new Stripe("sk_test_fake_key", { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 });

  const get = (sessionId: string) => {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`fake stripe: no session ${sessionId}`);
    return session;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    client,
    requests,
    sessions,
    failNextCreate: () => {
      failCreate = true;
    },
    complete(sessionId, options = {}) {
      const session = get(sessionId);
      session.status = "complete";
      session.payment_status = options.paymentStatus ?? "paid";
      session.payment_intent = (session.payment_intent as string | null) ?? id("pi");
      session.url = null;
      session.customer_details = {
        email: session.customer_email,
        name: null,
        phone: null,
        tax_exempt: "none",
        tax_ids: [],
      };
      if (options.amountTotal !== undefined) session.amount_total = options.amountTotal;
      return structuredClone(session);
    },
    expire(sessionId) {
      const session = get(sessionId);
      session.status = "expired";
      session.url = null;
      return structuredClone(session);
    },
    event(type, object, options = {}) {
      const eventId = options.id ?? id("evt");
      const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
      const rawBody = JSON.stringify(
        {
          id: eventId,
          object: "event",
          api_version: Stripe.API_VERSION,
          created: timestamp,
          data: { object },
          livemode: false,
          pending_webhooks: 1,
          request: { id: null, idempotency_key: null },
          type,
        },
        null,
        2,
      );
      const signature = Stripe.webhooks.generateTestHeaderString({
        payload: rawBody,
        secret: options.secret ?? fakeWebhookSecret,
        timestamp,
      });
      return { rawBody, signature, id: eventId };
    },
    charge(sessionId, amountRefunded) {
      const session = get(sessionId);
      const amount = session.amount_total as number;
      return {
        id: `ch_for_${String(session.payment_intent).slice(3)}`,
        object: "charge",
        amount,
        amount_captured: amount,
        amount_refunded: amountRefunded,
        captured: true,
        created: Math.floor(Date.now() / 1000),
        currency: "cny",
        livemode: false,
        metadata: {},
        paid: true,
        payment_intent: session.payment_intent,
        payment_method_details: { type: "alipay", alipay: { buyer_id: null, fingerprint: null, transaction_id: null } },
        refunded: amountRefunded === amount,
        status: "succeeded",
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
