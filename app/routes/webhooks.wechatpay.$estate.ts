import type { ActionFunctionArgs } from "@remix-run/node";
import { callbackResponse } from "~/fees/webhook.server";
import { getProvider } from "~/payments/factory.server";

/**
 * WeChat Pay's callbacks (TRANSACTION.SUCCESS, REFUND.*) for one estate: the notify_url of its
 * orders. Verified with the platform public key and decrypted with the APIv3 key; answered 204,
 * or 4xx/5xx with {code: "FAIL"} so that WeChat Pay delivers again.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  return callbackResponse(request, getProvider("wechatpay"), params.estate);
}

export function loader() {
  return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}
