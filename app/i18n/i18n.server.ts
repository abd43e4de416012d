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

const fixedT = (locale: Locale) => i18nServer.getFixedT(locale);
const translators = new Map<Locale, ReturnType<typeof fixedT>>();

/**
 * A translator for server-made text (mail subjects, CSV headers, flash messages). remix-i18next
 * builds a new i18next instance from both catalogues on each call: one per language is kept.
 */
export function getT(locale: Locale) {
  let t = translators.get(locale);
  if (!t) {
    t = fixedT(locale);
    translators.set(locale, t);
    t.catch(() => translators.delete(locale));
  }
  return t;
}
