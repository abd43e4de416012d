import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type RequestHandler } from "express";
import { randomBytes } from "node:crypto";
import { authenticate } from "~/auth/session.server";

/** Security headers; a per-response nonce lets Remix's inline scripts run under a strict CSP. */
export const securityHeaders = (production: boolean): RequestHandler => (_req, res, next) => {
  const nonce = randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (production) {
    res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    res.setHeader(
      "Content-Security-Policy",
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "form-action 'self' https://checkout.stripe.com",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
      ].join("; "),
    );
  }
  next();
};

/**
 * Paths that other servers post to (no browser, no Origin): webhooks verify their own
 * signatures; /unsubscribe/one-click/<signed token> takes mail providers' one-click POSTs
 * (RFC 8058), which a webmail may send with its own Origin. The token authorises it.
 */
const originExempt = [/^\/webhooks\//, /^\/unsubscribe\/one-click\/[^/]+$/];

/**
 * Refuses cross-site form posts: a non-GET request must come from this origin. Browsers send
 * Origin on POST; where it is missing, Sec-Fetch-Site says the same.
 */
export const originCheck = (publicOrigin?: string): RequestHandler => (req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  if (originExempt.some((p) => p.test(req.path))) return next();
  const origin = req.get("origin");
  const own = publicOrigin ?? `${req.protocol}://${req.get("host")}`;
  const crossSite = origin ? origin !== own : req.get("sec-fetch-site") === "cross-site";
  if (crossSite) {
    res.status(403).type("text/plain; charset=utf-8").send("请求来源不受信任 / Cross-site request refused");
    return;
  }
  next();
};

export function createApp(options: {
  getBuild: () => Promise<ServerBuild>;
  production: boolean;
  publicOrigin?: string;
  beforeRemix?: (app: express.Express) => void;
}) {
  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);
  app.use(compression());
  app.use(securityHeaders(options.production));
  options.beforeRemix?.(app);
  app.use(originCheck(options.publicOrigin));
  app.all(
    "*",
    createRequestHandler({
      build: options.getBuild,
      mode: options.production ? "production" : "development",
      getLoadContext: async (req, res) => {
        const { context, setCookie } = await authenticate(req.get("cookie"), req.ip ?? req.socket.remoteAddress ?? "unknown");
        if (setCookie) res.append("Set-Cookie", setCookie);
        return { ...context, cspNonce: res.locals.cspNonce as string };
      },
    }),
  );
  return app;
}
