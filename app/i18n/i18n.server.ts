import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { defaultLocale, resources, supportedLocales, type Locale } from "./resources";

export const localeCookie = createCookie("lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 60 * 60 * 24 * 365,
});

export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLocales],
    fallbackLanguage: defaultLocale,
    cookie: localeCookie,
    order: ["cookie", "header"],
  },
  i18next: { resources, interpolation: { escapeValue: false } },
});

export async function getLocale(request: Request): Promise<Locale> {
  return (await i18nServer.getLocale(request)) as Locale;
}

/** A translator for server-made text (mail subjects, CSV headers, flash messages). */
export function getT(locale: Locale) {
  return i18nServer.getFixedT(locale);
}
