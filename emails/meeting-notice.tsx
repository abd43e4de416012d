import { Text } from "@react-email/components";
import { fmt, formatTime, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

export interface MeetingNoticeProps {
  meetingTitle: string;
  /** ISO time of the meeting. */
  scheduledAt: string;
  /** The place, or the online link. */
  place: string;
  agendaCount: number;
  /** Less than 7 days' notice. */
  shortNotice: boolean;
  path: string;
}

export const meetingNotice = defineTemplate<MeetingNoticeProps>({
  category: "minutes",
  subject: (p, ctx) =>
    fmt(messages(ctx.locale).mail.meetingNotice.subject, { estate: ctx.estateName ?? "", title: p.meetingTitle }),
  path: (p) => p.path,
  Component: MeetingNotice,
});

export default function MeetingNotice({
  ctx,
  meetingTitle,
  scheduledAt,
  place,
  agendaCount,
  shortNotice,
  path,
}: MeetingNoticeProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.meetingNotice;
  const when = formatTime(scheduledAt, ctx.locale);
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, { when })} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{fmt(m.body, { title: meetingTitle, when, count: agendaCount })}</Text>
      <Text style={{ ...paragraph, fontWeight: 600 }}>{fmt(m.where, { place })}</Text>
      {shortNotice ? <Text style={paragraph}>{m.short}</Text> : null}
    </Layout>
  );
}

MeetingNotice.PreviewProps = {
  meetingTitle: "第三次业委会会议",
  scheduledAt: "2026-12-05T11:00:00Z",
  place: "https://meeting.example.org/yixin",
  agendaCount: 3,
  shortNotice: true,
  path: "/e/yixin/committee/meetings/sample",
  ctx: sampleContext("minutes"),
} satisfies MeetingNoticeProps & { ctx: MailContext };
