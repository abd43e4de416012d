import { Text } from "@react-email/components";
import { fmt, formatTime, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

/**
 * To an owner whose own online ballot was replaced by another ballot of the same voter: a
 * co-owner's (co-owners are one voter), or a paper ballot confirmed by the committee (DESIGN.md:
 * "When co-owners cast different ballots, the one replaced is told").
 */
export interface BallotReplacedProps {
  voteTitle: string;
  /** How the replacing ballot came in. */
  channel: "online" | "paper";
  /** ISO time of the replacing ballot. */
  castAt: string;
  path: string;
}

export const ballotReplaced = defineTemplate<BallotReplacedProps>({
  category: "votes",
  subject: (p, ctx) =>
    fmt(messages(ctx.locale).mail.ballotReplaced.subject, { estate: ctx.estateName ?? "", title: p.voteTitle }),
  path: (p) => p.path,
  Component: BallotReplaced,
});

export default function BallotReplaced({
  ctx,
  voteTitle,
  channel,
  castAt,
  path,
}: BallotReplacedProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.ballotReplaced;
  const when = formatTime(castAt, ctx.locale);
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, { title: voteTitle })} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>
        {fmt(channel === "paper" ? m.bodyPaper : m.body, { title: voteTitle, castAt: when })}
      </Text>
      <Text style={paragraph}>{m.why}</Text>
    </Layout>
  );
}

BallotReplaced.PreviewProps = {
  voteTitle: "续聘苏州宜居物业服务有限公司",
  channel: "online",
  castAt: "2026-12-18T10:00:00Z",
  path: "/e/yixin/proposals/sample",
  ctx: sampleContext("votes"),
} satisfies BallotReplacedProps & { ctx: MailContext };
