import { Text } from "@react-email/components";
import { fmt, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

export interface TicketAnsweredProps {
  ticketTitle: string;
  /** The reply or status note, as plain text (shortened for the mail). */
  reply: string;
  path: string;
}

/** Plain text, at most 200 characters. */
function excerpt(text: string, max = 200) {
  const chars = [...text.trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

export const ticketAnswered = defineTemplate<TicketAnsweredProps>({
  category: "tickets",
  subject: (p, ctx) =>
    fmt(messages(ctx.locale).mail.ticketAnswered.subject, { estate: ctx.estateName ?? "", title: p.ticketTitle }),
  path: (p) => p.path,
  Component: TicketAnswered,
});

export default function TicketAnswered({ ctx, ticketTitle, reply, path }: TicketAnsweredProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.ticketAnswered;
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, { reply: excerpt(reply, 90) })} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{fmt(m.body, { title: ticketTitle })}</Text>
      <Text style={{ ...paragraph, borderLeft: "3px solid #d9d4c7", paddingLeft: 12, whiteSpace: "pre-line" }}>
        {excerpt(reply)}
      </Text>
    </Layout>
  );
}

TicketAnswered.PreviewProps = {
  ticketTitle: "3幢电梯异响",
  reply: "维修师傅已于今天下午更换导靴，请您试乘后确认。",
  path: "/e/yixin/tickets/sample",
  ctx: sampleContext("tickets"),
} satisfies TicketAnsweredProps & { ctx: MailContext };
