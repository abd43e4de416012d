import { billDue } from "../../emails/bill-due";
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
import { welcome } from "../../emails/welcome";
import type { EmailTemplate } from "../../emails/_lib/define";
import { passwordResetToken } from "./tokens.server";

interface Entry<Stored, Props, Scope extends "estate" | "account"> {
  template: EmailTemplate<Props>;
  /** "estate": about one estate, whose id the notice must carry; "account": about the user. */
  scope: Scope;
  /** Whether the event also shows in the site's notice list. */
  inApp: boolean;
  /** From what the outbox stores to what the template renders (done by the worker). */
  prepare(stored: Stored, secret: string): Props;
}

function estateMail<P>(template: EmailTemplate<P>): Entry<P, P, "estate"> {
  return { template, scope: "estate", inApp: true, prepare: (stored) => stored };
}

/**
 * Every kind of mail, by the name stored in the outbox. A feature queues one with
 * `enqueue(tx, [{ template: "vote-opened", props: {…}, … }])`, type-checked against this map.
 */
export const templates = {
  "vote-opened": estateMail(voteOpened),
  "minutes-published": estateMail(minutesPublished),
  "meeting-notice": estateMail(meetingNotice),
  "meeting-required": estateMail(meetingRequired),
  "bill-due": estateMail(billDue),
  "bill-overdue": estateMail(billOverdue),
  "payment-receipt": estateMail(paymentReceipt),
  "ticket-answered": estateMail(ticketAnswered),
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
