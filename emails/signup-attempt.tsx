import { Text } from "@react-email/components";
import { messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type SignupAttemptProps = {};

/** Someone tried to sign up with an address that already has an account: tell its owner (the page says the same either way). */
export const signupAttempt = defineTemplate<SignupAttemptProps>({
  category: "security",
  subject: (_p, ctx) => messages(ctx.locale).mail.signupAttempt.subject,
  path: () => "/forgot-password",
  Component: SignupAttempt,
});

export default function SignupAttempt({ ctx }: SignupAttemptProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.signupAttempt;
  return (
    <Layout ctx={ctx} preheader={m.preheader} cta={{ label: m.cta, path: "/forgot-password" }}>
      <Text style={paragraph}>{m.body}</Text>
      <Text style={paragraph}>{m.ignore}</Text>
    </Layout>
  );
}

SignupAttempt.PreviewProps = {
  ctx: sampleContext("security"),
} satisfies SignupAttemptProps & { ctx: MailContext };
