import type { LoaderFunctionArgs } from "@remix-run/node";
import { catalogueOf } from "~/i18n/catalogue.server";
import { isLocale } from "~/i18n/locales";

/** The reader's catalogue for the browser (app/entry.client.tsx); only that language's messages. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  if (!isLocale(params.locale)) throw new Response("Not Found", { status: 404 });
  const { json, version } = catalogueOf(params.locale);
  const asked = new URL(request.url).searchParams.get("v");
  return new Response(json, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      // The versioned address never changes its content; an unversioned or stale one is checked each time.
      "Cache-Control": asked === version ? "public, max-age=31536000, immutable" : "no-cache",
    },
  });
}
