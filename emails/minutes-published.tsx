import { Text } from "@react-email/components";
import { fmt, formatDate, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

export interface MinutesPublishedProps {
  meetingTitle: string;
  /** ISO time of the meeting. */
  meetingDate: string;
  path: string;
}

export const minutesPublished = defineTemplate<MinutesPublishedProps>({
  category: "minutes",
  subject: (p, ctx) =>
    fmt(messages(ctx.locale).mail.minutesPublished.subject, { estate: ctx.estateName ?? "", title: p.meetingTitle }),
  path: (p) => p.path,
  Component: MinutesPublished,
});

export default function MinutesPublished({
  ctx,
  meetingTitle,
  meetingDate,
  path,
}: MinutesPublishedProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.minutesPublished;
  const date = formatDate(meetingDate, ctx.locale);
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, { date })} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{fmt(m.body, { title: meetingTitle, date })}</Text>
    </Layout>
  );
}

MinutesPublished.PreviewProps = {
  meetingTitle: "第三次业委会会议",
  meetingDate: "2026-11-20T11:00:00Z",
  path: "/e/yixin/meetings/sample",
  ctx: sampleContext("minutes"),
} satisfies MinutesPublishedProps & { ctx: MailContext };
