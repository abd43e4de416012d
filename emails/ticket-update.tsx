import { Text } from "@react-email/components";
import { tickets } from "../app/tickets/tickets.messages";
import { fmt, sampleContext, type MailContext, type MailLocale } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

export type TicketStep = keyof (typeof tickets)["zh-CN"]["mail"]["steps"];
export type TicketCategoryKey = keyof (typeof tickets)["zh-CN"]["categories"];

/** A step in a ticket's life, told to the filer, the property staff or the committee. */
export interface TicketUpdateProps {
  seq: number;
  category: TicketCategoryKey;
  step: TicketStep;
  /** The start of the description (the filer's own words), shortened. */
  summary: string;
  /** A comment or note that came with the step, as plain text; empty when none. */
  note: string;
  /** The ticket's page, e.g. /e/yixin/tickets/<id>. */
  path: string;
}

function m(locale: MailLocale) {
  return tickets[locale];
}

/** Plain text, at most `max` characters. */
export function excerpt(text: string, max = 200) {
  const chars = [...text.trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

function values(p: TicketUpdateProps, locale: MailLocale) {
  const c = m(locale);
  return {
    number: fmt(c.number, { seq: p.seq }),
    category: c.categories[p.category],
    step: c.mail.steps[p.step],
    summary: excerpt(p.summary, 40),
  };
}

export const ticketUpdate = defineTemplate<TicketUpdateProps>({
  category: "tickets",
  subject: (p, ctx) => fmt(m(ctx.locale).mail.subject, { estate: ctx.estateName ?? "", ...values(p, ctx.locale) }),
  path: (p) => p.path,
  Component: TicketUpdate,
});

export default function TicketUpdate(props: TicketUpdateProps & { ctx: MailContext }) {
  const { ctx, note, path } = props;
  const c = m(ctx.locale).mail;
  const v = values(props, ctx.locale);
  return (
    <Layout ctx={ctx} preheader={fmt(c.preheader, v)} cta={{ label: c.cta, path }}>
      <Text style={paragraph}>{fmt(c.body, v)}</Text>
      {note ? (
        <Text style={{ ...paragraph, borderLeft: "3px solid #d9d4c7", paddingLeft: 12, whiteSpace: "pre-line" }}>
          {c.note} {excerpt(note)}
        </Text>
      ) : null}
    </Layout>
  );
}

TicketUpdate.PreviewProps = {
  seq: 12,
  category: "repair",
  step: "resolved",
  summary: "3幢电梯异响",
  note: "维修师傅已于今天下午更换导靴，请您试乘后确认。",
  path: "/e/yixin/tickets/sample",
  ctx: sampleContext("tickets"),
} satisfies TicketUpdateProps & { ctx: MailContext };
