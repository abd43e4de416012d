import { formatFen } from "~/lib/money";
import { toBeijingDateTime } from "~/lib/time";

/**
 * Notices as WeChat template messages. A 服务号's template message (模板消息) needs no fresh
 * consent per message, which suits notices an owner did not just ask for (a bill, a vote that
 * opened); a subscription message (订阅通知) needs the owner to tap "allow" each time or per kind,
 * which elderly owners will not do ahead of a notice they do not know is coming.
 *
 * Each kind names its template by an environment variable (the template id from the 公众号 admin,
 * e.g. WECHAT_TEMPLATE_VOTE_OPENED) and maps the props the outbox stores to the template's keys.
 * The keys follow the public template library's current kinds: `thing` (text, at most 20
 * characters), `time`, `amount`, `character_string` (at most 32); pick templates with these keys
 * in this order (README, WeChat official account).
 */

type Props = Record<string, unknown>;

/** Text for a `thing` value: WeChat refuses more than 20 characters. */
export function thing(value: unknown, max = 20): string {
  const text = String(value ?? "")
    .replace(/\s+/g, " ")
    .trim();
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** Text for a `character_string` value: letters, digits and symbols, at most 32. */
export function characterString(value: unknown): string {
  return [...String(value ?? "")].slice(0, 32).join("");
}

/** An instant as "2026-12-20 18:00" in Beijing time. */
export function time(value: unknown): string {
  const at = new Date(String(value));
  return Number.isNaN(at.getTime()) ? "" : toBeijingDateTime(at).replace("T", " ");
}

export function amount(fen: unknown): string {
  return typeof fen === "number" && Number.isSafeInteger(fen) ? `${formatFen(fen)}元` : "";
}

interface WechatNoticeKind {
  /** The environment variable holding the template id. */
  env: string;
  data(props: Props): Record<string, string>;
}

const kind = (name: string, data: WechatNoticeKind["data"]): WechatNoticeKind => ({
  env: `WECHAT_TEMPLATE_${name.toUpperCase().replace(/-/g, "_")}`,
  data,
});

/** By the outbox's template name (app/notify/templates.server.ts). Security mail never goes by WeChat. */
export const wechatNoticeKinds: Record<string, WechatNoticeKind> = {
  "vote-opened": kind("vote-opened", (p) => ({ thing1: thing(p.proposalTitle), time2: time(p.closesAt) })),
  "board-notice": kind("board-notice", (p) => ({ thing1: thing(p.title), time2: time(p.postedAt) })),
  "minutes-published": kind("minutes-published", (p) => ({
    thing1: thing(p.meetingTitle),
    time2: time(p.meetingDate),
  })),
  "meeting-notice": kind("meeting-notice", (p) => ({
    thing1: thing(p.meetingTitle),
    time2: time(p.scheduledAt),
    thing3: thing(p.place),
  })),
  "bill-due": kind("bill-due", (p) => ({
    thing1: thing(p.unitLabel),
    character_string2: characterString(p.period),
    amount3: amount(p.amountFen),
    time4: time(p.dueDate),
  })),
  "bill-overdue": kind("bill-overdue", (p) => ({
    character_string1: characterString(p.oldestPeriod),
    character_string2: characterString(p.count),
    amount3: amount(p.amountFen),
  })),
  "payment-receipt": kind("payment-receipt", (p) => ({
    amount1: amount(p.amountFen),
    time2: time(p.paidAt),
    character_string3: characterString(p.receiptNo),
  })),
  "ticket-answered": kind("ticket-answered", (p) => ({ thing1: thing(p.ticketTitle), thing2: thing(p.reply) })),
  "ticket-update": kind("ticket-update", (p) => ({
    character_string1: characterString(`#${String(p.seq)}`),
    thing2: thing(p.summary),
  })),
  "inquiry-answered": kind("inquiry-answered", (p) => ({ thing1: thing(p.question), thing2: thing(p.answer) })),
};

/** The template id for a notice kind from the environment, or null (that kind does not go by WeChat). */
export function wechatTemplateId(template: string, source: Record<string, string | undefined> = process.env) {
  const k = Object.hasOwn(wechatNoticeKinds, template) ? wechatNoticeKinds[template] : undefined;
  const id = k ? source[k.env] : undefined;
  return id && id.trim() ? id.trim() : null;
}
