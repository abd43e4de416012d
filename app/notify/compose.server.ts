import { render, toPlainText } from "@react-email/render";
import { createElement, type ComponentType } from "react";
import type { NotifyCategory } from "#db/schema/notify";
import { asMailLocale, type MailContext, type MailLocale } from "../../emails/_lib/context";
import { isTemplateName, templates } from "./templates.server";
import { unsubscribeToken } from "./tokens.server";

export interface MailSettings {
  /** Public origin for links, without a trailing slash. */
  appUrl: string;
  /** SESSION_SECRET: signs unsubscribe links and derives reset tokens. */
  secret: string;
  /** The From header. */
  from: string;
}

/** An outbox row with what is needed to write it: the recipient and the estate. */
export interface MailRow {
  id: string;
  template: string;
  props: unknown;
  category: NotifyCategory;
  userId: string;
  email: string;
  displayName: string;
  locale: string;
  estateName: string | null;
}

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  messageId: string;
  locale: MailLocale;
}

/** Only a path on this site may be a link target. */
function sitePath(path: string): string {
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\"))
    throw new Error(`not a site path: ${path}`);
  return path;
}

export function unsubscribeUrl(
  settings: Pick<MailSettings, "appUrl" | "secret">,
  userId: string,
  category: NotifyCategory,
): string | null {
  if (category === "security") return null;
  return `${settings.appUrl}/unsubscribe/${unsubscribeToken(userId, category, settings.secret)}`;
}

// One event usually goes to many people with the same props (a vote opening: every owner).
// The body is rendered once per event and language with placeholders for what differs per
// person (the name, the unsubscribe token), which are then filled in; security mail, whose
// props hold a one-time link, is never cached.
const namePlaceholder = "__YST_RECIPIENT_NAME__";
const tokenPlaceholder = "__YST_UNSUBSCRIBE_TOKEN__";
const bodyCache = new Map<string, { html: string; text: string }>();
const bodyCacheSize = 200;

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#x27;");
}

async function renderBody(
  template: string,
  Component: ComponentType<Record<string, unknown>>,
  props: unknown,
  ctx: MailContext,
  cacheable: boolean,
) {
  const key = JSON.stringify([
    template,
    props,
    ctx.locale,
    ctx.appUrl,
    ctx.estateName,
    ctx.category,
    ctx.unsubscribeUrl !== null,
  ]);
  let body = cacheable ? bodyCache.get(key) : undefined;
  if (!body) {
    const generic = {
      ...ctx,
      recipientName: namePlaceholder,
      unsubscribeUrl: ctx.unsubscribeUrl ? `${ctx.appUrl}/unsubscribe/${tokenPlaceholder}` : null,
    };
    const html = await render(createElement(Component, { ...(props as Record<string, unknown>), ctx: generic }));
    // What render(…, { plainText: true }) does, without rendering twice.
    body = { html, text: toPlainText(html) };
    if (cacheable) {
      if (bodyCache.size >= bodyCacheSize) bodyCache.delete(bodyCache.keys().next().value!);
      bodyCache.set(key, body);
    }
  }
  const token = ctx.unsubscribeUrl ? ctx.unsubscribeUrl.slice(ctx.unsubscribeUrl.lastIndexOf("/") + 1) : "";
  const fill = (text: string, name: string) =>
    text.split(tokenPlaceholder).join(token).split(namePlaceholder).join(name);
  return { html: fill(body.html, escapeHtml(ctx.recipientName)), text: fill(body.text, ctx.recipientName) };
}

/** Renders one outbox row in the recipient's language: subject, HTML and plain text, headers. */
export async function composeMail(row: MailRow, settings: MailSettings): Promise<OutgoingMail> {
  if (!isTemplateName(row.template)) throw new Error(`unknown template: ${row.template}`);
  const entry = templates[row.template];
  const locale = asMailLocale(row.locale);
  const ctx: MailContext = {
    locale,
    appUrl: settings.appUrl,
    recipientName: row.displayName,
    estateName: row.estateName,
    category: row.category,
    unsubscribeUrl: unsubscribeUrl(settings, row.userId, row.category),
  };
  // The stored props were type-checked against this template when they were queued.
  const props = entry.prepare(row.props as never, settings.secret);
  sitePath(entry.template.path(props as never));
  const Component = entry.template.Component as unknown as ComponentType<Record<string, unknown>>;
  const { html, text } = await renderBody(row.template, Component, props, ctx, row.category !== "security");
  const headers: Record<string, string> = { "Auto-Submitted": "auto-generated" };
  if (ctx.unsubscribeUrl) {
    // RFC 2369 and RFC 8058: mail providers show an unsubscribe button that POSTs to the link.
    headers["List-Unsubscribe"] = `<${ctx.unsubscribeUrl.replace("/unsubscribe/", "/unsubscribe/one-click/")}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  return {
    from: settings.from,
    to: row.email,
    subject: entry.template.subject(props as never, ctx),
    html,
    text,
    headers,
    // One id per outbox row: a copy sent twice after a crash carries the same Message-ID.
    messageId: `<${row.id}@${new URL(settings.appUrl).hostname}>`,
    locale,
  };
}

/** The in-app notice for an outbox-style row, in the reader's language. */
export function noticeSummary(
  row: { template: string; props: unknown; category: NotifyCategory; estateName: string | null },
  locale: MailLocale,
  settings: Pick<MailSettings, "appUrl" | "secret">,
) {
  if (!isTemplateName(row.template)) return null;
  const entry = templates[row.template];
  const props = entry.prepare(row.props as never, settings.secret);
  const ctx: MailContext = {
    locale,
    appUrl: settings.appUrl,
    recipientName: "",
    estateName: row.estateName,
    category: row.category,
    unsubscribeUrl: null,
  };
  return { title: entry.template.subject(props as never, ctx), path: sitePath(entry.template.path(props as never)) };
}
