// The adapter's own helpers: the handler below is @remix-run/express's plus the 503 rule and the body guard's body.
import { createRemixHeaders, sendRemixResponse } from "@remix-run/express/dist/server.js";
import { createReadableStreamFromReadable, createRequestHandler, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, {
  type Request as ExpressRequest,
  type RequestHandler,
  type Response as ExpressResponse,
} from "express";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type { BlockList } from "node:net";
import { isDatabaseUnavailable } from "#db/client";
import { clientIp, isTrustedProxy, trustedProxies } from "~/lib/client-ip.server";
import { authenticate } from "~/auth/session.server";
import { wechatAutoLogin } from "~/wechat/login-flow.server";
import { common } from "~/i18n/common.messages";
import { getLocale } from "~/i18n/i18n.server";
import { bodyGuard } from "./body-guard";
import { cacheRouteMatching } from "./route-match-cache";

/** Security headers; a per-response nonce lets Remix's inline scripts run under a strict CSP. */
export const securityHeaders =
  (production: boolean): RequestHandler =>
  (_req, res, next) => {
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
export const originCheck =
  (publicOrigin?: string): RequestHandler =>
  (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    // The body guard has refused raw dot segments already; match on the normalised path all the same.
    const path = new URL(req.path, "http://localhost").pathname;
    if (originExempt.some((p) => p.test(path))) return next();
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
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Retry-After": String(retryAfterSeconds),
      "Cache-Control": "no-store",
    },
  });
}

/**
 * The adapter's createRemixRequest, with the body the guard let through (server/body-guard.ts):
 * a small form read whole, or an upload counted as it streams. A refused body aborts the request,
 * so the route's half-read form is not reported as an error.
 */
function createRemixRequest(req: ExpressRequest, res: ExpressResponse) {
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = [forwardedPort, hostPort].map((p) => Number.parseInt(p ?? "", 10)).find((p) => Number.isSafeInteger(p));
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = {
    method: req.method,
    headers: createRemixHeaders(req.headers),
    signal: controller.signal,
  };
  if (req.method !== "GET" && req.method !== "HEAD") {
    const body = res.locals.body as Buffer | Readable | undefined;
    init.body =
      body instanceof Readable
        ? createReadableStreamFromReadable(body)
        : body
          ? new Uint8Array(body)
          : createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  res.on("finish", () => {
    if (res.locals.bodyRefused) controller?.abort();
    controller = null;
  });
  res.on("close", () => controller?.abort());
  return new Request(url.href, init);
}

/**
 * Remix behind Express (what @remix-run/express's handler does), with one rule added: a request
 * that failed because the database could not be reached answers 503 with Retry-After, whatever
 * the route (page, data request, resource route, or the session lookup before any of them), so
 * clients and load balancers know to come back; once the database is back, postgres.js
 * reconnects and the next request is served as usual.
 */
function remixHandler(options: {
  getBuild: () => Promise<ServerBuild>;
  production: boolean;
  proxies: BlockList | null;
}): RequestHandler {
  // Given a function, Remix calls it on every request and derives everything from the build again
  // (its route tree, its static handler, a fresh tree that no match can be remembered for). In
  // production the build never changes: hand Remix the build itself, once, and remember matches.
  let handle: ReturnType<typeof createRequestHandler>;
  if (options.production) {
    cacheRouteMatching();
    const ready = options.getBuild().then((build) => createRequestHandler(build, "production"));
    handle = async (request, loadContext) => (await ready)(request, loadContext);
  } else {
    handle = createRequestHandler(options.getBuild, "development");
  }
  return async (req, res, next) => {
    try {
      const request = createRemixRequest(req, res);
      let response: Response;
      try {
        const ip = clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], options.proxies);
        const { context, setCookie } = await authenticate(req.get("cookie"), ip);
        if (setCookie) res.append("Set-Cookie", setCookie);
        const loadContext = { ...context, cspNonce: res.locals.cspNonce as string };
        // Inside WeChat, a page opened without a session goes through silent web authorisation first.
        response = (await wechatAutoLogin(request, context.user !== null)) ?? (await handle(request, loadContext));
        // The route is done with the body: drop what it left unread (server/body-guard.ts).
        (res.locals.drain as (() => void) | undefined)?.();
        if (response.status >= 500 && loadContext.databaseUnavailable) {
          await response.body?.cancel();
          response = await unavailableResponse(request);
        }
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        console.error(`[db] unavailable: ${req.method} ${req.path}: ${(error as Error).message}`);
        response = await unavailableResponse(request);
      }
      // The body guard answered already (413): the route only saw a cut-off body.
      if (res.headersSent || res.locals.bodyRefused) {
        await response.body?.cancel();
        return;
      }
      await sendRemixResponse(res, response);
    } catch (error) {
      if (res.locals.bodyRefused) return;
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
  // Gzip where it pays: not tiny answers (redirects, 304s, short errors), and at level 4, which
  // costs about half the CPU of the default 6 for a page a few per cent larger.
  app.use(compression({ threshold: 2048, level: 4 }));
  app.use(securityHeaders(options.production));
  app.use(bodyGuard());
  options.beforeRemix?.(app);
  app.use(originCheck(options.publicOrigin));
  app.all("*", remixHandler({ ...options, proxies }));
  return app;
}
