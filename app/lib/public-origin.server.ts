import { env } from "~/env.server";
import { bestOrigin, resolvePublicOrigin, type PublicOrigin, type PublicOriginConfig } from "./public-origin";

export type { PublicOrigin };

// A test's configuration over the environment's, on globalThis like the payment provider (tests
// call the route modules in the same process).
const key = Symbol.for("yishitang.publicOrigin");
type Holder = { [key]?: Partial<PublicOriginConfig> };

/** Tests only: APP_URL, NODE_ENV… as a deployment would have them; undefined: the environment again. */
export function setPublicOriginConfig(config: Partial<PublicOriginConfig> | undefined) {
  (globalThis as Holder)[key] = config;
}

function config(): PublicOriginConfig {
  return { ...env(), ...(globalThis as Holder)[key] };
}

/** The origin printed links use (claim letters), from APP_URL; see app/lib/public-origin.ts. */
export function publicOrigin(request?: Request): PublicOrigin {
  return resolvePublicOrigin(config(), request ? new URL(request.url).origin : undefined);
}

/** The origin for links that always go out (mail, invitations, checkout returns); see `bestOrigin`. */
export function linkOrigin(request?: Request): string {
  return bestOrigin(config(), request ? new URL(request.url).origin : undefined);
}

/** The configured APP_URL's origin, for a message to staff ("" when unset). */
export function configuredOrigin(): string {
  const appUrl = config().APP_URL;
  return appUrl ? new URL(appUrl).origin : "";
}
