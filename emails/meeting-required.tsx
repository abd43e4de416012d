import { Text } from "@react-email/components";
import { fmt, formatDate, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";
import { shownDeadline } from "../app/lib/calendar";

export interface MeetingRequiredProps {
  /** What the members require the meeting for. */
  subject: string;
  signers: number;
  members: number;
  /** ISO time by which the meeting must be held (7 days after a third of the members signed). */
  dueAt: string;
  path: string;
}

/** To the chair: a third of the members have required a meeting, which must be held within 7 days. */
export const meetingRequired = defineTemplate<MeetingRequiredProps>({
  category: "minutes",
  subject: (p, ctx) =>
    fmt(messages(ctx.locale).mail.meetingRequired.subject, { estate: ctx.estateName ?? "", title: p.subject }),
  path: (p) => p.path,
  Component: MeetingRequired,
});

export default function MeetingRequired({
  ctx,
  subject,
  signers,
  members,
  dueAt,
  path,
}: MeetingRequiredProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.meetingRequired;
  const due = formatDate(shownDeadline(dueAt).toISOString(), ctx.locale);
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, { due })} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{fmt(m.body, { title: subject, signers, members })}</Text>
      <Text style={{ ...paragraph, fontWeight: 600 }}>{fmt(m.due, { due })}</Text>
    </Layout>
  );
}

MeetingRequired.PreviewProps = {
  subject: "3幢电梯异响",
  signers: 3,
  members: 9,
  dueAt: "2026-12-05T11:00:00Z",
  path: "/e/yixin/committee/requisitions",
  ctx: sampleContext("minutes"),
} satisfies MeetingRequiredProps & { ctx: MailContext };
