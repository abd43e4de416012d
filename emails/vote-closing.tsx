import { Text } from "@react-email/components";
import { fmt, formatTime, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

/** Two days before a vote closes, to an owner who has not voted. */
export interface VoteClosingProps {
  proposalTitle: string;
  /** ISO time the voting window closes. */
  closesAt: string;
  path: string;
}

export const voteClosing = defineTemplate<VoteClosingProps>({
  category: "votes",
  subject: (p, ctx) =>
    fmt(messages(ctx.locale).mail.voteClosing.subject, { estate: ctx.estateName ?? "", title: p.proposalTitle }),
  path: (p) => p.path,
  Component: VoteClosing,
});

export default function VoteClosing({ ctx, proposalTitle, closesAt, path }: VoteClosingProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.voteClosing;
  const when = formatTime(closesAt, ctx.locale);
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, { closesAt: when })} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{fmt(m.body, { title: proposalTitle, closesAt: when })}</Text>
    </Layout>
  );
}

VoteClosing.PreviewProps = {
  proposalTitle: "续聘苏州宜居物业服务有限公司",
  closesAt: "2026-12-20T10:00:00Z",
  path: "/e/yixin/proposals/sample",
  ctx: sampleContext("votes"),
} satisfies VoteClosingProps & { ctx: MailContext };
