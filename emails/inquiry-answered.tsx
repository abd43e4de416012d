import { Text } from "@react-email/components";
import { fmt, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

export interface InquiryAnsweredProps {
  /** The owner's question and the committee's answer, as plain text (shortened for the mail). */
  question: string;
  answer: string;
  path: string;
}

function excerpt(text: string, max = 200) {
  const chars = [...text.trim()];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : chars.join("");
}

/** Filed under "minutes": the committee's public records (minutes, ledgers, the answers on them). */
export const inquiryAnswered = defineTemplate<InquiryAnsweredProps>({
  category: "minutes",
  subject: (_p, ctx) => fmt(messages(ctx.locale).mail.inquiryAnswered.subject, { estate: ctx.estateName ?? "" }),
  path: (p) => p.path,
  Component: InquiryAnswered,
});

export default function InquiryAnswered({ ctx, question, answer, path }: InquiryAnsweredProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.inquiryAnswered;
  const quote = { ...paragraph, borderLeft: "3px solid #d9d4c7", paddingLeft: 12, whiteSpace: "pre-line" as const };
  return (
    <Layout ctx={ctx} preheader={excerpt(answer, 90)} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{m.question}</Text>
      <Text style={quote}>{excerpt(question)}</Text>
      <Text style={paragraph}>{m.answer}</Text>
      <Text style={quote}>{excerpt(answer)}</Text>
    </Layout>
  );
}

InquiryAnswered.PreviewProps = {
  question: "维修资金第3笔支出是哪部电梯？",
  answer: "3幢1单元电梯，见业主大会第5号决议。",
  path: "/e/yixin/ledgers#q-maintenance_fund",
  ctx: sampleContext("minutes"),
} satisfies InquiryAnsweredProps & { ctx: MailContext };
