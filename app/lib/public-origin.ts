/**
 * The deployment's public origin, the one rule for every link that is printed, mailed or
 * texted (claim letters' QR codes, invitation links, mail, checkout returns): `APP_URL`.
 *
 * - A production deployment (NODE_ENV=production on PostgreSQL) prints only a public origin:
 *   with APP_URL unset or pointing at this machine (localhost, 127.0.0.0/8, ::1, 0.0.0.0) the
 *   answer is a refusal, which a page turns into a clear message to staff (never a paper
 *   letter with a link nobody can open).
 * - Development, tests and the embedded demo (no DATABASE_URL) fall back to the request's
 *   origin (else APP_URL, else localhost), marked `development` so the page can say so.
 * - `ALLOW_LOCAL_APP_URL=1` makes a production build behave like development here: for test
 *   deployments (the browser tests run the build on 127.0.0.1), never a real one.
 *
 * Pure (the environment is passed in): `public-origin.server.ts` reads it.
 */

export type PublicOriginConfig = {
  NODE_ENV: "development" | "production" | "test";
  DATABASE_URL?: string;
  APP_URL?: string;
  PORT: number;
  ALLOW_LOCAL_APP_URL?: "0" | "1";
};

export type PublicOrigin =
  { ok: true; origin: string; development: boolean } | { ok: false; reason: "unset" | "local" };

/** Is this host name this machine (or any address of it)? */
export function isLocalHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "");
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "::1" ||
    host === "::" ||
    host === "0.0.0.0" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ||
    /^::ffff:127\./.test(host) ||
    /^::ffff:7f/.test(host)
  );
}

/** An origin as configured, without a trailing slash. */
function trimmed(url: string): string {
  return url.replace(/\/+$/, "");
}

/** Does this deployment print only public links (production on PostgreSQL, not a test deployment)? */
export function printsPublicLinksOnly(config: PublicOriginConfig): boolean {
  return config.NODE_ENV === "production" && !!config.DATABASE_URL && config.ALLOW_LOCAL_APP_URL !== "1";
}

/** The origin printed links use, or why there is none (see the module's comment). */
export function resolvePublicOrigin(config: PublicOriginConfig, requestOrigin?: string): PublicOrigin {
  const appUrl = config.APP_URL ? trimmed(config.APP_URL) : undefined;
  const local = appUrl ? isLocalHost(new URL(appUrl).hostname) : true;
  if (appUrl && !local) return { ok: true, origin: appUrl, development: false };
  if (printsPublicLinksOnly(config)) return { ok: false, reason: appUrl ? "local" : "unset" };
  const origin = requestOrigin ? trimmed(requestOrigin) : (appUrl ?? `http://localhost:${config.PORT}`);
  return { ok: true, origin, development: true };
}

/**
 * For links that go out whatever happens (mail the worker sends, a checkout's return address):
 * the public origin when there is one, else the best guess (the request's, APP_URL, localhost).
 */
export function bestOrigin(config: PublicOriginConfig, requestOrigin?: string): string {
  const resolved = resolvePublicOrigin(config, requestOrigin);
  if (resolved.ok) return resolved.origin;
  return requestOrigin ? trimmed(requestOrigin) : trimmed(config.APP_URL ?? `http://localhost:${config.PORT}`);
}
