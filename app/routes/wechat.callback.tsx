import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { logInWithOpenid } from "~/auth/wechat-login.server";
import { bindOpenid } from "~/wechat/bindings.server";
import {
  bindPath,
  completeAuthorisation,
  endFlowCookie,
  pendingBindingCookie,
  skipAfterFailure,
  skipCookie,
  wechatAppId,
} from "~/wechat/login-flow.server";
import { redirectWithToast } from "~/ui/toast.server";

/**
 * WeChat sends the visitor back here after web authorisation (snsapi_base). A bound openid logs
 * in and returns to the page it came from; an unbound one goes to the bind page; a failure
 * returns to the page without login and stops further tries for a while (no loop).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const outcome = await completeAuthorisation(request);
  const headers = new Headers({ "Cache-Control": "no-store" });
  headers.append("Set-Cookie", await endFlowCookie());
  const appId = wechatAppId();
  if (!outcome.ok || !appId) {
    headers.append("Set-Cookie", skipCookie(skipAfterFailure));
    return redirect(outcome.returnTo, { headers });
  }
  if (outcome.intent === "bind" && context.user) {
    const bound = await bindOpenid(appId, outcome.openid, context.user.id);
    return bound.ok
      ? redirectWithToast("/account", { key: "wechat.account.boundNow" }, { headers })
      : redirectWithToast("/account", { key: `wechat.errors.${bound.error}`, type: "error" }, { headers });
  }
  if (context.user) return redirect(outcome.returnTo, { headers });
  const login = await logInWithOpenid(appId, outcome.openid);
  if (login) {
    headers.append("Set-Cookie", login.setCookie);
    return redirect(outcome.returnTo, { headers });
  }
  headers.append("Set-Cookie", await pendingBindingCookie(outcome.openid, outcome.returnTo));
  headers.append("Set-Cookie", skipCookie(skipAfterFailure));
  return redirect(bindPath, { headers });
}
