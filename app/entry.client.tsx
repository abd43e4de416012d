import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { catalogueUrl, defaultLocale, isLocale } from "./i18n/locales";

// Only the reader's catalogue comes to the browser: the page names its versioned address
// (root.tsx), and the page is hydrated once it is here.
const lang = isLocale(document.documentElement.lang) ? document.documentElement.lang : defaultLocale;
const url = document.querySelector<HTMLMetaElement>('meta[name="i18n-catalogue"]')?.content || catalogueUrl(lang);
void fetch(url)
  .then((r) => r.json())
  .then((translation) =>
    i18next.use(initReactI18next).init({
      lng: lang,
      fallbackLng: false,
      resources: { [lang]: { translation } },
      interpolation: { escapeValue: false },
    }),
  )
  .then(() =>
    startTransition(() => {
      hydrateRoot(
        document,
        <I18nextProvider i18n={i18next}>
          <StrictMode>
            <RemixBrowser />
          </StrictMode>
        </I18nextProvider>,
      );
    }),
  );
