import { Text } from "@react-email/components";
import { fmt, formatTime, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";
import { formatFen } from "../app/lib/money";

export interface PaymentReceiptProps {
  /** Integer fen. */
  amountFen: number;
  /** ISO time the payment was recorded. */
  paidAt: string;
  receiptNo: string;
  path: string;
  /** Paid through the sandbox provider: the mail says no money was charged. */
  sandbox?: boolean;
}

export const paymentReceipt = defineTemplate<PaymentReceiptProps>({
  category: "bills",
  subject: (p, ctx) =>
    `${p.sandbox ? messages(ctx.locale).mail.paymentReceipt.sandboxTag : ""}${fmt(messages(ctx.locale).mail.paymentReceipt.subject, { estate: ctx.estateName ?? "", amount: formatFen(p.amountFen) })}`,
  path: (p) => p.path,
  Component: PaymentReceipt,
});

export default function PaymentReceipt({
  ctx,
  amountFen,
  paidAt,
  receiptNo,
  path,
  sandbox,
}: PaymentReceiptProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.paymentReceipt;
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, { receiptNo })} cta={{ label: m.cta, path }}>
      {sandbox ? (
        <Text style={paragraph}>
          <strong>{m.sandbox}</strong>
        </Text>
      ) : null}
      <Text style={paragraph}>
        {fmt(m.body, { amount: formatFen(amountFen), paidAt: formatTime(paidAt, ctx.locale) })}
      </Text>
      <Text style={paragraph}>{fmt(m.receiptNo, { receiptNo })}</Text>
    </Layout>
  );
}

PaymentReceipt.PreviewProps = {
  amountFen: 85_050,
  paidAt: "2026-11-26T06:30:00Z",
  receiptNo: "YX-2026-000123",
  path: "/e/yixin/payments/sample",
  ctx: sampleContext("bills"),
} satisfies PaymentReceiptProps & { ctx: MailContext };
