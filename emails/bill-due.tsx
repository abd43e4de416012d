import { Text } from "@react-email/components";
import { fmt, formatDate, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";
import { formatFen } from "../app/lib/money";

export interface BillDueProps {
  /** The billing period as shown, e.g. "2026-12" or "2026年第四季度". */
  period: string;
  /** Integer fen. */
  amountFen: number;
  /** ISO date the bill is due. */
  dueDate: string;
  /** The owner's billed units, e.g. "1幢 101" or "1幢 101 · 1幢 102". */
  unitLabel: string;
  path: string;
}

export const billDue = defineTemplate<BillDueProps>({
  category: "bills",
  subject: (p, ctx) =>
    fmt(messages(ctx.locale).mail.billDue.subject, {
      estate: ctx.estateName ?? "",
      period: p.period,
      amount: formatFen(p.amountFen),
    }),
  path: (p) => p.path,
  Component: BillDue,
});

export default function BillDue({
  ctx,
  period,
  amountFen,
  dueDate,
  unitLabel,
  path,
}: BillDueProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.billDue;
  const values = { period, amount: formatFen(amountFen), dueDate: formatDate(dueDate, ctx.locale) };
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, values)} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{fmt(m.body, values)}</Text>
      <Text style={paragraph}>{fmt(m.unit, { unit: unitLabel })}</Text>
    </Layout>
  );
}

BillDue.PreviewProps = {
  period: "2026-12",
  amountFen: 28_350,
  dueDate: "2026-12-31T00:00:00Z",
  unitLabel: "1幢 101",
  path: "/e/yixin/bills",
  ctx: sampleContext("bills"),
} satisfies BillDueProps & { ctx: MailContext };
