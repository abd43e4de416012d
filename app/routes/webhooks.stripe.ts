import type { ActionFunctionArgs } from "@remix-run/node";
import { callbackResponse } from "~/fees/webhook.server";
import { getPaymentProvider } from "~/payments/factory.server";

/**
 * The payment provider's webhook (Stripe, or the sandbox). The origin check exempts
 * /webhooks/ (server/app.ts): the signature over the raw body, read here untouched, is the
 * check. 400: unsigned, forged or stale; 503 (database unreachable) or 500 (another failure):
 * rolled back, to be delivered again.
 */
export async function action({ request }: ActionFunctionArgs) {
  return callbackResponse(request, getPaymentProvider());
}

export function loader() {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}
