import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { createInstance, type i18n as I18n } from "i18next";
import { isbot } from "isbot";
import { PassThrough } from "node:stream";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { isDatabaseUnavailable } from "#db/client";
import { getLocale } from "./i18n/i18n.server";
import { defaultLocale, resources, type Locale } from "./i18n/resources";
import { NonceProvider } from "./ui/nonce";

export const streamTimeout = 5_000;

/**
 * Remix hands every loader, action and render error here before it answers 500 (and before it
 * hides the error's details in production). One that means the database is unreachable marks the
 * request, and the Express handler (server/app.ts) answers 503 instead; others are logged.
 */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (isDatabaseUnavailable(error)) {
    context.databaseUnavailable = true;
    console.error(`[db] unavailable: ${request.method} ${new URL(request.url).pathname}: ${(error as Error).message}`);
    return;
  }
  if (!request.signal.aborted) console.error(error);
};

/**
 * One i18next instance per language, made on first use and shared by every render after it: an
 * instance is only read while rendering (its language never changes), so building one per request
 * from both catalogues was work thrown away each time.
 */
const instances = new Map<Locale, Promise<I18n>>();
function i18nFor(locale: Locale): Promise<I18n> {
  let instance = instances.get(locale);
  if (!instance) {
    const i18n = createInstance();
    instance = i18n
      .use(initReactI18next)
      .init({ lng: locale, fallbackLng: defaultLocale, resources, interpolation: { escapeValue: false } })
      .then(() => i18n);
    instances.set(locale, instance);
  }
  return instance;
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const locale = await getLocale(request);
  const i18n = await i18nFor(locale);
  const nonce = loadContext.cspNonce;
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;

  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError: reject,
        onError(error: unknown) {
          // The reader went away (a client that hung up, or a body the guard refused while the
          // page rendered): nothing failed on our side.
          if (error instanceof Error && error.message.startsWith("The destination stream closed early")) return;
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}
