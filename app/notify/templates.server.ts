import { billDue } from "../../emails/bill-due";
import { boardNotice } from "../../emails/board-notice";
import { billOverdue } from "../../emails/bill-overdue";
import { inquiryAnswered } from "../../emails/inquiry-answered";
import { inquiryAsked } from "../../emails/inquiry-asked";
import { meetingNotice } from "../../emails/meeting-notice";
import { meetingRequired } from "../../emails/meeting-required";
import { minutesPublished } from "../../emails/minutes-published";
import { passwordReset } from "../../emails/password-reset";
import { paymentReceipt } from "../../emails/payment-receipt";
import { signupAttempt } from "../../emails/signup-attempt";
import { ticketAnswered } from "../../emails/ticket-answered";
import { ticketUpdate } from "../../emails/ticket-update";
import { voteOpened } from "../../emails/vote-opened";
import { voteClosing } from "../../emails/vote-closing";
import { voteResult } from "../../emails/vote-result";
import { smsBudgetReached } from "../../emails/sms-budget-reached";
import { welcome } from "../../emails/welcome";
import type { EmailTemplate } from "../../emails/_lib/define";
import { beijingDate, hourMs } from "~/lib/time";
import { formatFen } from "~/lib/money";
import { smsParam, type SmsParams, type SmsTemplateName } from "~/sms/templates";
import { passwordResetToken } from "./tokens.server";

/** What an SMS (or WeChat) message is made from besides the stored props. */
export interface ChannelContext {
  /** The estate's name, for SMS cut to its short form by smsParam("estate"). */
  estateName: string;
  /** The public origin (APP_URL), without a trailing slash. */
  appUrl: string;
}

/** A notice as an SMS: which registered template, and its parameters from the stored props. */
export interface SmsMapping<Stored> {
  template: SmsTemplateName;
  params(stored: Stored, ctx: ChannelContext): Record<string, string>;
}

function sms<K extends SmsTemplateName, Stored>(
  template: K,
  params: (stored: Stored, ctx: ChannelContext) => SmsParams<K>,
): SmsMapping<Stored> {
  return { template, params: params as (stored: Stored, ctx: ChannelContext) => Record<string, string> };
}

/** The link an SMS carries: the site's host and /n (the reader's notices), short enough for one message. */
export function smsLink(ctx: ChannelContext): string {
  return `${ctx.appUrl.replace(/^https?:\/\//, "")}/n`;
}
const smsEstate = (ctx: ChannelContext) => smsParam("estate", ctx.estateName);
// Amounts, times and links are never cut (a wrong amount or a broken link is worse than a second SMS).
const smsAmount = (fen: number) => formatFen(fen).replace(/,/g, "");
/** "12月31日 23:59", Beijing time (UTC+8 all year). */
export function smsTime(iso: string): string {
  const b = new Date(new Date(iso).getTime() + 8 * hourMs);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${b.getUTCMonth() + 1}月${b.getUTCDate()}日 ${pad(b.getUTCHours())}:${pad(b.getUTCMinutes())}`;
}
const smsDate = (date: string) => {
  const [, m, d] = /^\d{4}-(\d{2})-(\d{2})/.exec(date.length > 10 ? beijingDate(new Date(date)) : date) ?? [];
  return m ? `${Number(m)}月${Number(d)}日` : date;
};

interface Entry<Stored, Props, Scope extends "estate" | "account"> {
  template: EmailTemplate<Props>;
  /** "estate": about one estate, whose id the notice must carry; "account": about the user. */
  scope: Scope;
  /** Whether the event also shows in the site's notice list. */
  inApp: boolean;
  /** From what the outbox stores to what the template renders (done by the worker). */
  prepare(stored: Stored, secret: string): Props;
  /** Also by SMS (to a verified phone, per the person's preference); absent: no SMS for this kind. */
  sms?: SmsMapping<Stored>;
  /** Also by WeChat (helper "wechat" fills this in: the template message and its data). */
  wechat?: unknown;
}

function estateMail<P>(template: EmailTemplate<P>, smsMapping?: SmsMapping<P>): Entry<P, P, "estate"> {
  return { template, scope: "estate", inApp: true, prepare: (stored) => stored, sms: smsMapping };
}

/**
 * Every kind of mail, by the name stored in the outbox. A feature queues one with
 * `enqueue(tx, [{ template: "vote-opened", props: {…}, … }])`, type-checked against this map.
 */
export const templates = {
  "vote-opened": estateMail(
    voteOpened,
    sms("vote-opened", (p, ctx) => ({ estate: smsEstate(ctx), time: smsTime(p.closesAt), link: smsLink(ctx) })),
  ),
  "vote-closing": estateMail(
    voteClosing,
    sms("vote-closing", (p, ctx) => ({ estate: smsEstate(ctx), time: smsTime(p.closesAt), link: smsLink(ctx) })),
  ),
  "vote-result": estateMail(
    voteResult,
    sms("vote-result", (_p, ctx) => ({ estate: smsEstate(ctx), link: smsLink(ctx) })),
  ),
  "board-notice": estateMail(
    boardNotice,
    sms("board-notice", (_p, ctx) => ({ estate: smsEstate(ctx), link: smsLink(ctx) })),
  ),
  "sms-budget-reached": estateMail(smsBudgetReached),
  "minutes-published": estateMail(minutesPublished),
  "meeting-notice": estateMail(
    meetingNotice,
    sms("meeting-notice", (p, ctx) => ({ estate: smsEstate(ctx), time: smsTime(p.scheduledAt), link: smsLink(ctx) })),
  ),
  "meeting-required": estateMail(meetingRequired),
  "bill-due": estateMail(
    billDue,
    sms("bill-due", (p, ctx) => ({
      estate: smsEstate(ctx),
      amount: smsAmount(p.amountFen),
      date: smsDate(p.dueDate),
      link: smsLink(ctx),
    })),
  ),
  "bill-overdue": estateMail(
    billOverdue,
    sms("bill-overdue", (p, ctx) => ({
      estate: smsEstate(ctx),
      count: smsParam("count", String(p.count)),
      amount: smsAmount(p.amountFen),
      link: smsLink(ctx),
    })),
  ),
  "payment-receipt": estateMail(
    paymentReceipt,
    sms("payment-receipt", (p, ctx) => ({
      estate: smsEstate(ctx),
      amount: smsAmount(p.amountFen),
      link: smsLink(ctx),
    })),
  ),
  "ticket-answered": estateMail(
    ticketAnswered,
    sms("ticket-answered", (_p, ctx) => ({ estate: smsEstate(ctx), link: smsLink(ctx) })),
  ),
  "ticket-update": estateMail(ticketUpdate),
  "inquiry-answered": estateMail(inquiryAnswered),
  "inquiry-asked": estateMail(inquiryAsked),
  "password-reset": {
    template: passwordReset,
    scope: "account",
    inApp: false,
    prepare: (stored: { resetId: string }, secret: string) => ({
      resetPath: `/reset-password/${passwordResetToken(stored.resetId, secret)}`,
    }),
  } satisfies Entry<{ resetId: string }, { resetPath: string }, "account">,
  welcome: {
    template: welcome,
    scope: "account",
    inApp: false,
    prepare: (stored: Record<string, never>) => stored,
  } satisfies Entry<Record<string, never>, Record<string, never>, "account">,
  "signup-attempt": {
    template: signupAttempt,
    scope: "account",
    inApp: false,
    prepare: (stored: Record<string, never>) => stored,
  } satisfies Entry<Record<string, never>, Record<string, never>, "account">,
};

export type Templates = typeof templates;
export type TemplateName = keyof Templates;
/** What a feature passes (and the outbox stores) for a template. */
export type StoredProps<K extends TemplateName> = Parameters<Templates[K]["prepare"]>[0];

export function isTemplateName(name: string): name is TemplateName {
  return Object.hasOwn(templates, name);
}
