import { Text } from "@react-email/components";
import { fees } from "../app/fees/fees.messages";
import { fmt, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";
import { formatFen } from "../app/lib/money";

/** The monthly reminder of overdue property fees (app/fees/reminders.server.ts), one per owner. */
export interface BillOverdueProps {
  /** How many of the owner's bills are past due. */
  count: number;
  /** Their total, integer fen. */
  amountFen: number;
  /** The oldest overdue period, e.g. "2026-09". */
  oldestPeriod: string;
  path: string;
}

export const billOverdue = defineTemplate<BillOverdueProps>({
  category: "bills",
  subject: (p, ctx) =>
    fmt(fees[ctx.locale].mail.overdue.subject, { estate: ctx.estateName ?? "", amount: formatFen(p.amountFen) }),
  path: (p) => p.path,
  Component: BillOverdue,
});

export default function BillOverdue({
  ctx,
  count,
  amountFen,
  oldestPeriod,
  path,
}: BillOverdueProps & { ctx: MailContext }) {
  const m = fees[ctx.locale].mail.overdue;
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, { count })} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{fmt(m.body, { count, amount: formatFen(amountFen), period: oldestPeriod })}</Text>
      <Text style={paragraph}>{m.ask}</Text>
    </Layout>
  );
}

BillOverdue.PreviewProps = {
  count: 3,
  amountFen: 49_599,
  oldestPeriod: "2026-09",
  path: "/e/yixin/bills",
  ctx: sampleContext("bills"),
} satisfies BillOverdueProps & { ctx: MailContext };
