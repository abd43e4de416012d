import { Text } from "@react-email/components";
import { fmt, formatTime, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

export interface BoardNoticeProps {
  title: string;
  /** ISO time the notice was posted. */
  postedAt: string;
  /** ISO end (exclusive) of its publicity period, if it has one. */
  publicityEndsAt: string | null;
  /** The notice's page, e.g. /e/yixin/board/<id>. */
  path: string;
}

/**
 * A notice posted on the estate's notice board. Its category is chosen per notice by its kind
 * (app/board/board.server.ts noticeCategory); "minutes" here is only the fallback.
 */
export const boardNotice = defineTemplate<BoardNoticeProps>({
  category: "minutes",
  subject: (p, ctx) =>
    fmt(messages(ctx.locale).mail.boardNotice.subject, { estate: ctx.estateName ?? "", title: p.title }),
  path: (p) => p.path,
  Component: BoardNotice,
});

export default function BoardNotice({
  ctx,
  title,
  postedAt,
  publicityEndsAt,
  path,
}: BoardNoticeProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.boardNotice;
  const estate = ctx.estateName ?? "";
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, { estate })} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{fmt(m.body, { estate, title, postedAt: formatTime(postedAt, ctx.locale) })}</Text>
      {publicityEndsAt ? (
        <Text style={paragraph}>{fmt(m.publicity, { endsAt: formatTime(publicityEndsAt, ctx.locale) })}</Text>
      ) : null}
    </Layout>
  );
}

BoardNotice.PreviewProps = {
  title: "关于第三次业委会会议决定的公告",
  postedAt: "2026-11-13T15:00:00Z",
  publicityEndsAt: "2026-11-16T16:00:00Z",
  path: "/e/yixin/board/sample",
  ctx: sampleContext("minutes"),
} satisfies BoardNoticeProps & { ctx: MailContext };
