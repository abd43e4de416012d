import { Text } from "@react-email/components";
import { messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type WelcomeProps = {};

/** After signing up with a new address: the account is ready, log in. */
export const welcome = defineTemplate<WelcomeProps>({
  category: "security",
  subject: (_p, ctx) => messages(ctx.locale).mail.welcome.subject,
  path: () => "/login",
  Component: Welcome,
});

export default function Welcome({ ctx }: WelcomeProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.welcome;
  return (
    <Layout ctx={ctx} preheader={m.preheader} cta={{ label: m.cta, path: "/login" }}>
      <Text style={paragraph}>{m.body}</Text>
      <Text style={paragraph}>{m.ignore}</Text>
    </Layout>
  );
}

Welcome.PreviewProps = {
  ctx: sampleContext("security"),
} satisfies WelcomeProps & { ctx: MailContext };
