import { Text } from "@react-email/components";
import { fmt, formatTime, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

export interface VoteOpenedProps {
  proposalTitle: string;
  /** ISO time the voting window closes. */
  closesAt: string;
  /** The vote's page, e.g. /e/yixin/votes/<id>. */
  path: string;
}

export const voteOpened = defineTemplate<VoteOpenedProps>({
  category: "votes",
  subject: (p, ctx) =>
    fmt(messages(ctx.locale).mail.voteOpened.subject, { estate: ctx.estateName ?? "", title: p.proposalTitle }),
  path: (p) => p.path,
  Component: VoteOpened,
});

export default function VoteOpened({ ctx, proposalTitle, closesAt, path }: VoteOpenedProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.voteOpened;
  const when = formatTime(closesAt, ctx.locale);
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, { closesAt: when })} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{fmt(m.body, { title: proposalTitle })}</Text>
      <Text style={{ ...paragraph, fontWeight: 600 }}>{fmt(m.closes, { closesAt: when })}</Text>
      <Text style={paragraph}>{m.rule}</Text>
    </Layout>
  );
}

VoteOpened.PreviewProps = {
  proposalTitle: "续聘苏州宜居物业服务有限公司",
  closesAt: "2026-12-20T10:00:00Z",
  path: "/e/yixin/votes/sample",
  ctx: sampleContext("votes"),
} satisfies VoteOpenedProps & { ctx: MailContext };
