import type { NotifyCategory } from "../../db/schema/notify";
import { beijingDateTimeFormat } from "../../app/lib/time";
import { notify } from "../../app/notify/notify.messages";

export type MailLocale = "zh-CN" | "en";

/** What every template gets besides its own props: who reads it, in which language, where links go. */
export interface MailContext {
  locale: MailLocale;
  /** The site's public origin, without a trailing slash (APP_URL, else http://localhost:PORT). */
  appUrl: string;
  /** The recipient's own name, as they gave it. */
  recipientName: string;
  /** The estate the mail is about; null for account mail. */
  estateName: string | null;
  category: NotifyCategory;
  /** A signed link that turns this category off without logging in; null for security mail. */
  unsubscribeUrl: string | null;
}

export function asMailLocale(value: string | null | undefined): MailLocale {
  return value === "en" ? "en" : "zh-CN";
}

/** The recipient's catalogue: the same messages as the site (app/notify/notify.messages.ts). */
export function messages(locale: MailLocale) {
  return notify[locale];
}

/** {{name}} placeholders, as i18next writes them. */
export function fmt(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
}

/** An absolute link into the site from a path on it. */
export function absoluteUrl(ctx: Pick<MailContext, "appUrl">, path: string): string {
  return new URL(path, `${ctx.appUrl}/`).toString();
}

/** A moment in Beijing time, in the reader's language, on a 24-hour clock. */
export function formatTime(iso: string, locale: MailLocale): string {
  return beijingDateTimeFormat(locale, { dateStyle: "long", timeStyle: "short" }).format(new Date(iso));
}

export function formatDate(iso: string, locale: MailLocale): string {
  return beijingDateTimeFormat(locale, { dateStyle: "long" }).format(new Date(iso));
}

/** Sample context for the preview server (`npm run email:dev`). */
export function sampleContext(category: NotifyCategory, locale: MailLocale = "zh-CN"): MailContext {
  return {
    locale,
    appUrl: "http://localhost:3000",
    recipientName: locale === "zh-CN" ? "李建国" : "Li Jianguo",
    estateName: category === "security" ? null : "宜欣花园",
    category,
    unsubscribeUrl: category === "security" ? null : "http://localhost:3000/unsubscribe/sample",
  };
}
