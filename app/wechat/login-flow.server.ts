import { createCookie, redirect } from "@remix-run/node";
import { randomBytes } from "node:crypto";
import { env } from "~/env.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { WechatClient } from "./client.server";
import { wechatConfig } from "./config.server";

/** The path WeChat sends the visitor back to after web authorisation. */
export const callbackPath = "/wechat/callback";
export const bindPath = "/wechat/bind";

const secure = () => (env().APP_URL ?? "").startsWith("https:");

/**
 * One authorisation in flight: the nonce sent as `state`, where to return, and what for. Signed
 * with SESSION_SECRET and sent only to /wechat/, so the callback knows the state came from this
 * browser's own redirect (no login planted from another's link).
 */
function flowCookie() {
  return createCookie("yst_wx_flow", {
    path: "/wechat",
    sameSite: "lax",
    httpOnly: true,
    secure: secure(),
    maxAge: 600,
    secrets: [env().SESSION_SECRET],
  });
}

/** An openid WeChat vouched for that is bound to no account yet: what the bind page binds. 30 minutes. */
function pendingCookie() {
  return createCookie("yst_wx_pending", {
    path: "/wechat",
    sameSite: "lax",
    httpOnly: true,
    secure: secure(),
    maxAge: 1800,
    secrets: [env().SESSION_SECRET],
  });
}

/**
 * "Do not send me through WeChat login now": set when authorisation failed or gave an unbound
 * openid (30 minutes), and on logout (12 hours), so no page loops back to WeChat.
 */
const skipCookieName = "yst_wx_skip";
export function skipCookie(maxAgeSeconds: number) {
  return `${skipCookieName}=1; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure() ? "; Secure" : ""}`;
}
export const skipAfterFailure = 1800;
export const skipAfterLogout = 12 * 3600;

export type FlowIntent = "login" | "bind";
interface Flow {
  nonce: string;
  returnTo: string;
  intent: FlowIntent;
  /** Epoch ms after which the cookie is refused even if a browser kept it. */
  exp: number;
}

export function isWechatBrowser(request: Request): boolean {
  return /MicroMessenger/i.test(request.headers.get("User-Agent") ?? "");
}

function hasCookie(request: Request, name: string): boolean {
  return (request.headers.get("Cookie") ?? "").split(/;\s*/).some((c) => c.startsWith(`${name}=`));
}

/** Paths never sent through WeChat login: the flow itself, machines' endpoints, files. */
const neverRedirect = [
  /^\/wechat\//,
  /^\/healthz$/,
  /^\/webhooks\//,
  /^\/assets\//,
  /^\/i18n\//,
  /^\/unsubscribe\/one-click\//,
  /^\/logout$/,
  /^\/dev\//,
  /\.[A-Za-z0-9]+$/, // /foo.data (Remix data requests), files, .csv exports
];

/** Where WeChat should send the visitor back: the public origin (APP_URL; its host is the registered 网页授权域名). */
function callbackUrl(request: Request) {
  return new URL(callbackPath, env().APP_URL ?? new URL(request.url).origin).href;
}

/** Starts web authorisation: the redirect to WeChat, with the flow cookie. */
export async function startAuthorisation(request: Request, returnTo: string, intent: FlowIntent): Promise<Response> {
  const config = wechatConfig();
  if (!config) throw new Error("WeChat is not configured");
  const nonce = randomBytes(16).toString("hex");
  const flow: Flow = { nonce, returnTo: safeRedirect(returnTo), intent, exp: Date.now() + 600_000 };
  const location = new WechatClient(config).authorizeUrl(callbackUrl(request), nonce);
  return redirect(location, { headers: { "Set-Cookie": await flowCookie().serialize(flow) } });
}

/**
 * Inside WeChat, a visitor without a session who opens a page goes through silent authorisation
 * (snsapi_base) and comes back logged in if the openid is bound. Only GET document requests
 * (never data requests, files, webhooks, health checks), only when the official account is
 * configured, and not while the skip cookie says the last try failed or the visitor logged out.
 * Returns the redirect, or null to serve the request as usual.
 */
export async function wechatAutoLogin(request: Request, loggedIn: boolean): Promise<Response | null> {
  if (loggedIn || request.method !== "GET" || !isWechatBrowser(request)) return null;
  const url = new URL(request.url);
  if (neverRedirect.some((p) => p.test(url.pathname)) || url.searchParams.has("_data")) return null;
  const accept = request.headers.get("Accept") ?? "";
  const dest = request.headers.get("Sec-Fetch-Dest");
  if (!accept.includes("text/html") || (dest && dest !== "document")) return null;
  if (hasCookie(request, skipCookieName) || !wechatConfig()) return null;
  return startAuthorisation(request, url.pathname + url.search, "login");
}

export type CallbackOutcome =
  | { ok: true; openid: string; returnTo: string; intent: FlowIntent }
  | { ok: false; returnTo: string; reason: "state" | "code" | "exchange" | "unconfigured" };

/** Checks the callback's state against this browser's flow cookie and exchanges the code for the openid. */
export async function completeAuthorisation(request: Request, client?: WechatClient): Promise<CallbackOutcome> {
  const url = new URL(request.url);
  const flow = (await flowCookie().parse(request.headers.get("Cookie"))) as Flow | null;
  const returnTo = safeRedirect(flow?.returnTo);
  const config = wechatConfig();
  if (!config) return { ok: false, returnTo, reason: "unconfigured" };
  const state = url.searchParams.get("state");
  if (!flow || typeof flow.nonce !== "string" || state !== flow.nonce || !(flow.exp > Date.now()))
    return { ok: false, returnTo, reason: "state" };
  const code = url.searchParams.get("code");
  if (!code || code.length > 256) return { ok: false, returnTo, reason: "code" };
  try {
    const openid = await (client ?? new WechatClient(config)).openidForCode(code);
    return { ok: true, openid, returnTo, intent: flow.intent === "bind" ? "bind" : "login" };
  } catch (error) {
    console.warn(`[wechat] code exchange failed: ${(error as Error).message}`);
    return { ok: false, returnTo, reason: "exchange" };
  }
}

/** Set-Cookie headers that end the flow (the nonce is good once). */
export async function endFlowCookie(): Promise<string> {
  return flowCookie().serialize("", { maxAge: 0 });
}

export async function pendingBindingCookie(openid: string, returnTo: string): Promise<string> {
  return pendingCookie().serialize({ openid, returnTo, exp: Date.now() + 1800_000 });
}

export async function readPendingBinding(request: Request): Promise<{ openid: string; returnTo: string } | null> {
  const value = (await pendingCookie().parse(request.headers.get("Cookie"))) as {
    openid?: unknown;
    returnTo?: unknown;
    exp?: unknown;
  } | null;
  if (!value || typeof value.openid !== "string" || !value.openid) return null;
  if (typeof value.exp !== "number" || value.exp <= Date.now()) return null;
  return { openid: value.openid, returnTo: safeRedirect(value.returnTo) };
}

export async function clearPendingBindingCookie(): Promise<string> {
  return pendingCookie().serialize("", { maxAge: 0 });
}

/** The app id bindings are stored under (the configured official account). */
export function wechatAppId(): string | null {
  return wechatConfig()?.appId ?? null;
}
