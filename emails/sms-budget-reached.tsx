import { Text } from "@react-email/components";
import { fmt, messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

/** To the estate's staff, once a month: the monthly SMS budget is used up, notice SMS stopped. */
export interface SmsBudgetReachedProps {
  /** Messages a month. */
  budget: number;
  /** The Beijing month, "2026-12". */
  month: string;
  /** The estate's settings page. */
  path: string;
}

export const smsBudgetReached = defineTemplate<SmsBudgetReachedProps>({
  category: "bills",
  subject: (p, ctx) =>
    fmt(messages(ctx.locale).mail.smsBudget.subject, { estate: ctx.estateName ?? "", month: p.month }),
  path: (p) => p.path,
  Component: SmsBudgetReached,
});

export default function SmsBudgetReached({ ctx, budget, month, path }: SmsBudgetReachedProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.smsBudget;
  return (
    <Layout ctx={ctx} preheader={fmt(m.preheader, { budget: String(budget) })} cta={{ label: m.cta, path }}>
      <Text style={paragraph}>{fmt(m.body, { budget: String(budget), month })}</Text>
      <Text style={paragraph}>{m.still}</Text>
    </Layout>
  );
}

SmsBudgetReached.PreviewProps = {
  budget: 1000,
  month: "2026-12",
  path: "/e/yixin/settings",
  ctx: sampleContext("bills"),
} satisfies SmsBudgetReachedProps & { ctx: MailContext };
