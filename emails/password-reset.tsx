import { Text } from "@react-email/components";
import { messages, sampleContext, type MailContext } from "./_lib/context";
import { defineTemplate } from "./_lib/define";
import { Layout, paragraph } from "./_lib/layout";

export interface PasswordResetProps {
  /** /reset-password/<token>: made by the worker from the reset's id, never stored. */
  resetPath: string;
}

export const passwordReset = defineTemplate<PasswordResetProps>({
  category: "security",
  subject: (_p, ctx) => messages(ctx.locale).mail.passwordReset.subject,
  path: (p) => p.resetPath,
  Component: PasswordReset,
});

export default function PasswordReset({ ctx, resetPath }: PasswordResetProps & { ctx: MailContext }) {
  const m = messages(ctx.locale).mail.passwordReset;
  return (
    <Layout ctx={ctx} preheader={m.preheader} cta={{ label: m.cta, path: resetPath }}>
      <Text style={paragraph}>{m.body}</Text>
      <Text style={paragraph}>{m.ignore}</Text>
    </Layout>
  );
}

PasswordReset.PreviewProps = {
  resetPath: "/reset-password/sample-token",
  ctx: sampleContext("security"),
} satisfies PasswordResetProps & { ctx: MailContext };
