import type { ActionFunctionArgs } from "@remix-run/node";
import { isDatabaseUnavailable } from "#db/client";
import { receiveWebhook } from "~/fees/webhook.server";

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });

/**
 * The payment provider's webhook (Stripe, or the sandbox). The origin check exempts
 * /webhooks/ (server/app.ts): the signature over the raw body, read here untouched, is the
 * check. 400: unsigned, forged or stale; 503 (database unreachable) or 500 (another failure):
 * rolled back, to be delivered again.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return json({ error: "method not allowed" }, 405);
  const rawBody = await request.text();
  try {
    const result = await receiveWebhook(rawBody, request.headers.get("stripe-signature"));
    return json({ received: result.status === 200, outcome: result.outcome }, result.status);
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      console.error(
        `[payments] webhook not taken, the database is unreachable; the provider will deliver it again: ${(error as Error).message}`,
      );
      return new Response(JSON.stringify({ received: false }), {
        status: 503,
        headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "Retry-After": "5" },
      });
    }
    console.error("[payments] webhook failed and was rolled back; the provider will deliver it again", error);
    return json({ received: false }, 500);
  }
}

export function loader() {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}
