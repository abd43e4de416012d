import { bindOpenid, userForOpenid, type BindResult } from "~/wechat/bindings.server";
import { startSession } from "./session.server";

/** The session cookie for the account an openid is bound to, or null when it is bound to none. */
export async function logInWithOpenid(
  appId: string,
  openid: string,
): Promise<{ userId: string; setCookie: string } | null> {
  const userId = await userForOpenid(appId, openid);
  if (!userId) return null;
  return { userId, setCookie: await startSession(userId) };
}

/** Binds an openid WeChat vouched for to an account whose owner just proved themselves, and logs them in. */
export async function bindAndLogIn(
  appId: string,
  openid: string,
  userId: string,
): Promise<(BindResult & { ok: false }) | { ok: true; setCookie: string }> {
  const bound = await bindOpenid(appId, openid, userId);
  if (!bound.ok) return bound;
  return { ok: true, setCookie: await startSession(userId) };
}
