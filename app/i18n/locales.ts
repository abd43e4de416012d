/*
 * The site's languages. Apart from the catalogues (resources.ts) so that the browser's code can
 * name a language without bundling every message: the browser fetches only the reader's
 * catalogue (/i18n/:locale, app/i18n/catalogue.server.ts).
 */
export const supportedLocales = ["zh-CN", "en"] as const;
export type Locale = (typeof supportedLocales)[number];
export const defaultLocale: Locale = "zh-CN";

export function isLocale(value: unknown): value is Locale {
  return supportedLocales.includes(value as Locale);
}

/** Where the browser fetches a language's catalogue; `version` makes the address cacheable for ever. */
export function catalogueUrl(locale: Locale, version?: string) {
  return version ? `/i18n/${locale}?v=${version}` : `/i18n/${locale}`;
}
