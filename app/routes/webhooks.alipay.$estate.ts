import type { ActionFunctionArgs } from "@remix-run/node";
import { callbackResponse } from "~/fees/webhook.server";
import { getProvider } from "~/payments/factory.server";

/**
 * Alipay's asynchronous notifications for one estate (the notify_url of its trades:
 * /webhooks/alipay/<estate slug>). The origin check exempts /webhooks/: Alipay's RSA2
 * signature over the form, read here untouched, is the check. The answer is the text
 * "success" (applied, or a duplicate) or "failure" (refused, or failed: Alipay delivers again).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  return callbackResponse(request, getProvider("alipay"), params.estate);
}

export function loader() {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}
