import { Text } from "@react-email/components";
import { fmt, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

export interface InquiryAskedProps {
  /** The owner's question, as plain text (shortened for the mail); the asker is not named. */
  question: string;
  path: string;
}

function excerpt(text: string, max = 200) {
  const chars = [...text.trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

/** To the committee's members: an owner asked in public and waits for the committee's answer. */
export const inquiryAsked = defineTemplate<InquiryAskedProps>({
  category: "minutes",
  subject: (_p, ctx) => fmt(messages(ctx.locale).mail.inquiryAsked.subject, { estate: ctx.estateName ?? "" }),
  path: (p) => p.path,
  Component: InquiryAsked,
});

export default function InquiryAsked({ ctx, question, path }: InquiryAskedProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.inquiryAsked;
  return (
    <Layout ctx={ctx} preheader={excerpt(question, 90)} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{m.body}</Text>
      <Text style={{ ...paragraph, borderLeft: "3px solid #d9d4c7", paddingLeft: 12, whiteSpace: "pre-line" }}>
        {excerpt(question)}
      </Text>
    </Layout>
  );
}

InquiryAsked.PreviewProps = {
  question: "维修资金第3笔支出是哪部电梯？",
  path: "/e/yixin/ledgers#q-maintenance_fund",
  ctx: sampleContext("minutes"),
} satisfies InquiryAskedProps & { ctx: MailContext };
