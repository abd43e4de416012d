import { Text } from "@react-email/components";
import { fmt, formatTime, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

export interface VoteNoticeProps {
  /** The proposal's or election's title. */
  title: string;
  /** ISO times of the voting window the notice states. */
  opensAt: string;
  closesAt: string;
  /** The notice on the estate's board, e.g. /e/yixin/board/<id>. */
  path: string;
}

export const voteNotice = defineTemplate<VoteNoticeProps>({
  category: "votes",
  subject: (p, ctx) =>
    fmt(messages(ctx.locale).mail.voteNotice.subject, { estate: ctx.estateName ?? "", title: p.title }),
  path: (p) => p.path,
  Component: VoteNotice,
});

export default function VoteNotice({ ctx, title, opensAt, closesAt, path }: VoteNoticeProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.voteNotice;
  const window = { opensAt: formatTime(opensAt, ctx.locale), closesAt: formatTime(closesAt, ctx.locale) };
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, window)} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{fmt(m.body, { title })}</Text>
      <Text style={{ ...paragraph, fontWeight: 600 }}>{fmt(m.window, window)}</Text>
      <Text style={paragraph}>{m.how}</Text>
    </Layout>
  );
}

VoteNotice.PreviewProps = {
  title: "续聘苏州宜居物业服务有限公司",
  opensAt: "2026-12-15T16:00:00Z",
  closesAt: "2026-12-30T10:00:00Z",
  path: "/e/yixin/board/sample",
  ctx: sampleContext("votes"),
} satisfies VoteNoticeProps & { ctx: MailContext };
