import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { catalogueOf } from "./i18n/catalogue.server";
import { getLocale } from "./i18n/i18n.server";
import { catalogueUrl } from "./i18n/locales";
import { unreadCount } from "./notify/notices.server";
import { readToast } from "./ui/toast.server";
import { useNonce } from "./ui/nonce";
import stylesUrl from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = await getLocale(request);
  const { toast, setCookie } = await readToast(request);
  const user = context.user ? { id: context.user.id, displayName: context.user.displayName } : null;
  const unreadNotices = context.user ? await unreadCount(context.user.id) : 0;
  const catalogue = catalogueUrl(locale, catalogueOf(locale).version);
  return data(
    { locale, catalogue, user, toast, unreadNotices },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
}

export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

export function Layout({ children }: { children: ReactNode }) {
  const root = useRootData();
  const { t, i18n } = useTranslation();
  const nonce = useNonce();
  const location = useLocation();
  const locale = root?.locale ?? "zh-CN";
  const catalogue = root?.catalogue ?? catalogueUrl(locale);
  useEffect(() => {
    if (i18n.language === locale) return;
    // Another language's messages are fetched before switching to it (the browser holds only the reader's).
    const load = i18n.hasResourceBundle(locale, "translation")
      ? Promise.resolve()
      : fetch(catalogue)
          .then((r) => r.json())
          .then((translation) => void i18n.addResourceBundle(locale, "translation", translation));
    void load.then(() => i18n.changeLanguage(locale));
  }, [i18n, locale, catalogue]);
  const user = root?.user;
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="i18n-catalogue" content={catalogue} />
        <link rel="preload" href={catalogue} as="fetch" crossOrigin="anonymous" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("common.nav.skipToContent")}
        </a>
        <header className="site-header">
          <Link to="/" className="brand">
            {t("common.appName")}
          </Link>
          <nav aria-label={t("common.nav.menu")} className="site-nav">
            <Form method="post" action="/lang" className="inline" reloadDocument>
              <input type="hidden" name="locale" value={locale === "zh-CN" ? "en" : "zh-CN"} />
              <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
              <button type="submit" className="link-button" lang={locale === "zh-CN" ? "en" : "zh-CN"}>
                {t("common.nav.language")}
              </button>
            </Form>
            {user ? (
              <Link
                to="/notices"
                aria-label={
                  root?.unreadNotices ? t("notify.bell.unread", { count: root.unreadNotices }) : t("notify.bell.label")
                }
              >
                {/* A drawn bell, not the emoji: phones and desktops without a colour-emoji font showed an empty box. */}
                <svg
                  className="bell-icon"
                  viewBox="0 0 24 24"
                  width="22"
                  height="22"
                  aria-hidden="true"
                  focusable="false"
                >
                  <path
                    d="M12 2a1.5 1.5 0 0 0-1.5 1.5v.6A6.5 6.5 0 0 0 5.5 10.5v4.2L4 17v1h16v-1l-1.5-2.3v-4.2a6.5 6.5 0 0 0-5-6.4v-.6A1.5 1.5 0 0 0 12 2zm-2.2 17a2.2 2.2 0 0 0 4.4 0z"
                    fill="currentColor"
                  />
                </svg>
                {root?.unreadNotices ? (
                  <span className="bell-count">{root.unreadNotices > 99 ? "99+" : root.unreadNotices}</span>
                ) : null}
              </Link>
            ) : null}
            {user ? <Link to="/account">{t("account.nav")}</Link> : null}
            {user ? (
              <Form method="post" action="/logout" className="inline">
                <button type="submit" className="link-button">
                  {t("common.nav.logout")}
                </button>
              </Form>
            ) : (
              <Link to="/login">{t("common.nav.login")}</Link>
            )}
          </nav>
        </header>
        {root?.toast ? (
          <p role="status" className={`toast toast-${root.toast.type ?? "success"}`}>
            {t(root.toast.key as "common.empty", root.toast.params ?? {})}
          </p>
        ) : null}
        <main id="main">{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export const meta: MetaFunction = () => [{ title: "议事堂 Yishitang" }];

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && (error.status === 404 || error.status === 403)) {
    const which = error.status === 404 ? "notFound" : "forbidden";
    return (
      <section className="card">
        <h1>{t(`common.errors.${which}Title`)}</h1>
        <p>{t(`common.errors.${which}`)}</p>
        <Link to="/">{t("common.nav.home")}</Link>
      </section>
    );
  }
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <section className="card">
      <h1>{t("common.errors.unexpectedTitle")}</h1>
      <p>{status === 503 ? t("common.errors.unavailable") : t("common.errors.unexpected")}</p>
      <Link to="/">{t("common.nav.home")}</Link>
    </section>
  );
}
