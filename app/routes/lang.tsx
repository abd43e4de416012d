import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { safeRedirect } from "~/lib/safe-redirect";
import { localeCookie } from "~/i18n/i18n.server";
import { defaultLocale, isLocale } from "~/i18n/locales";
import { z } from "zod";
import { parseForm } from "~/lib/forms/action.server";

export async function loader() {
  return redirect("/");
}

/** Any locale and any target are taken: an unknown locale is the default one, an unsafe target the home page. */
const LangSchema = z.object({ locale: z.string().optional(), redirectTo: z.string().optional() });

export async function action({ request }: ActionFunctionArgs) {
  const read = await parseForm(request, LangSchema, { form: "lang" });
  // A body that cannot be read (a NUL byte, not a form) changes nothing and goes home, like an unsafe target.
  if (!read.ok) return redirect("/");
  const { locale, redirectTo } = read.value;
  return redirect(safeRedirect(redirectTo), {
    headers: { "Set-Cookie": await localeCookie.serialize(isLocale(locale) ? locale : defaultLocale) },
  });
}
