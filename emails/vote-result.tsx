import { Text } from "@react-email/components";
import { fmt, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

/** A vote's result is published (公示). */
export interface VoteResultProps {
  proposalTitle: string;
  /** Whether the matter passed. */
  passed: boolean;
  path: string;
}

export const voteResult = defineTemplate<VoteResultProps>({
  category: "votes",
  subject: (p, ctx) =>
    fmt(messages(ctx.locale).mail.voteResult.subject, { estate: ctx.estateName ?? "", title: p.proposalTitle }),
  path: (p) => p.path,
  Component: VoteResult,
});

export default function VoteResult({ ctx, proposalTitle, passed, path }: VoteResultProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.voteResult;
  return (
    <Layout ctx={ctx} preheader={passed ? m.passed : m.failed} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{fmt(m.body, { title: proposalTitle })}</Text>
      <Text style={{ ...paragraph, fontWeight: 600 }}>{passed ? m.passed : m.failed}</Text>
    </Layout>
  );
}

VoteResult.PreviewProps = {
  proposalTitle: "续聘苏州宜居物业服务有限公司",
  passed: true,
  path: "/e/yixin/proposals/sample",
  ctx: sampleContext("votes"),
} satisfies VoteResultProps & { ctx: MailContext };
