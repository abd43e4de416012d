import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/auth/session.server";
import { isWechatBrowser, skipAfterLogout, skipCookie } from "~/wechat/login-flow.server";

export async function loader() {
  // Logging out changes data, so only POST does it.
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const headers = new Headers({ "Set-Cookie": await endSession(context) });
  // Inside WeChat the next page would log the visitor straight back in: not for a while after logging out.
  if (isWechatBrowser(request)) headers.append("Set-Cookie", skipCookie(skipAfterLogout));
  return redirect("/", { headers });
}
