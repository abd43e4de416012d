// The adapter's own request and response helpers: the handler below is @remix-run/express's plus the 503 rule.
import { createRemixRequest, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type RequestHandler } from "express";
import { randomBytes } from "node:crypto";
import type { BlockList } from "node:net";
import { isDatabaseUnavailable } from "#db/client";
import { clientIp, isTrustedProxy, trustedProxies } from "~/auth/client-ip.server";
import { authenticate } from "~/auth/session.server";
import { common } from "~/i18n/common.messages";
import { getLocale } from "~/i18n/i18n.server";

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

/** Seconds a client should wait before trying again while the database is away. */
export const retryAfterSeconds = 5;

/** A short page in the reader's language: the database is away, try again in a few seconds. */
export async function unavailableResponse(request: Request): Promise<Response> {
  const locale = await getLocale(request).catch(() => "zh-CN" as const);
  const m = common[locale].errors;
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(m.unavailableTitle)}</title></head><body><main><h1>${escape(m.unavailableTitle)}</h1><p>${escape(m.unavailable)}</p></main></body></html>`;
  return new Response(request.method === "HEAD" ? null : body, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Retry-After": String(retryAfterSeconds), "Cache-Control": "no-store" },
  });
}

/**
 * Remix behind Express (what @remix-run/express's handler does), with one rule added: a request
 * that failed because the database could not be reached answers 503 with Retry-After, whatever
 * the route (page, data request, resource route, or the session lookup before any of them), so
 * clients and load balancers know to come back; once the database is back, postgres.js
 * reconnects and the next request is served as usual.
 */
function remixHandler(options: { getBuild: () => Promise<ServerBuild>; production: boolean; proxies: BlockList | null }): RequestHandler {
  const handle = createRequestHandler(options.getBuild, options.production ? "production" : "development");
  return async (req, res, next) => {
    try {
      const request = createRemixRequest(req, res);
      let response: Response;
      try {
        const ip = clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], options.proxies);
        const { context, setCookie } = await authenticate(req.get("cookie"), ip);
        if (setCookie) res.append("Set-Cookie", setCookie);
        const loadContext = { ...context, cspNonce: res.locals.cspNonce as string };
        response = await handle(request, loadContext);
        if (response.status >= 500 && loadContext.databaseUnavailable) {
          await response.body?.cancel();
          response = await unavailableResponse(request);
        }
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        console.error(`[db] unavailable: ${req.method} ${req.path}: ${(error as Error).message}`);
        response = await unavailableResponse(request);
      }
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

export function createApp(options: {
  getBuild: () => Promise<ServerBuild>;
  production: boolean;
  publicOrigin?: string;
  beforeRemix?: (app: express.Express) => void;
}) {
  const app = express();
  app.disable("x-powered-by");
  // TRUST_PROXY (see .env.example): the one list that both the client address (clientIp) and
  // Express's view of the protocol and host (X-Forwarded-Proto, -Host) believe.
  const proxies = trustedProxies(process.env.TRUST_PROXY);
  app.set("trust proxy", (address: string) => (proxies ? isTrustedProxy(proxies, address) : false));
  app.use(compression());
  app.use(securityHeaders(options.production));
  options.beforeRemix?.(app);
  app.use(originCheck(options.publicOrigin));
  app.all("*", remixHandler({ ...options, proxies }));
  return app;
}
