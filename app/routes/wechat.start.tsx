import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { wechatConfig } from "~/wechat/config.server";
import { isWechatBrowser, startAuthorisation } from "~/wechat/login-flow.server";

/** Binds the WeChat this page is open in to the logged-in account (from the account page, inside WeChat). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  if (!wechatConfig() || !isWechatBrowser(request)) throw new Response("Not Found", { status: 404 });
  const returnTo = safeRedirect(new URL(request.url).searchParams.get("returnTo"), "/account");
  return startAuthorisation(request, returnTo, "bind");
}
