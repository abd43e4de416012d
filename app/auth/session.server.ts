import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import type { Session, User } from "lucia";
import { getLucia } from "./lucia.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    user: User | null;
    session: Session | null;
    /** The client's address, for rate limits. */
    ip: string;
    /** The CSP nonce for this response's inline scripts. */
    cspNonce?: string;
    /** Set by entry.server's handleError when a loader or action could not reach the database: the server answers 503. */
    databaseUnavailable?: boolean;
  }
}

/**
 * Reads the session cookie once per request (in the server's getLoadContext) and returns
 * the context with the Set-Cookie to send when lucia renewed or dropped the session.
 */
export async function authenticate(
  cookieHeader: string | null | undefined,
  ip: string,
): Promise<{ context: AppLoadContext; setCookie?: string }> {
  const lucia = getLucia();
  const sessionId = lucia.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { context: { user: null, session: null, ip } };
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session) {
    return { context: { user: null, session: null, ip }, setCookie: lucia.createBlankSessionCookie().serialize() };
  }
  const setCookie = session.fresh ? lucia.createSessionCookie(session.id).serialize() : undefined;
  return { context: { user, session, ip }, setCookie };
}

export function requireUser(request: Request, context: AppLoadContext): User {
  if (context.user) return context.user;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

export async function startSession(userId: string): Promise<string> {
  const lucia = getLucia();
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize();
}

export async function endSession(context: AppLoadContext): Promise<string> {
  const lucia = getLucia();
  if (context.session) await lucia.invalidateSession(context.session.id);
  return lucia.createBlankSessionCookie().serialize();
}

/** Ends every session of a user but one (after a password reset, all of them). */
export async function endOtherSessions(userId: string, keepSessionId?: string) {
  const lucia = getLucia();
  const sessions = await lucia.getUserSessions(userId);
  await Promise.all(sessions.filter((s) => s.id !== keepSessionId).map((s) => lucia.invalidateSession(s.id)));
}
