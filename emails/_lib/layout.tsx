import { Body, Button, Container, Head, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { absoluteUrl, fmt, messages, type MailContext } from "./context";

const colors = { accent: "#a4161a", text: "#1d2329", muted: "#5b6670", line: "#d9d4c7", bg: "#f6f4ef" };
const font = 'system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

/** The frame of every mail: preheader, who it is for, the body, one button back to the site, why it came. */
export function Layout({
  ctx,
  preheader,
  cta,
  children,
}: {
  ctx: MailContext;
  preheader: string;
  cta: { label: string; path: string };
  children: ReactNode;
}) {
  const m = messages(ctx.locale);
  const href = absoluteUrl(ctx, cta.path);
  return (
    <Html lang={ctx.locale}>
      <Head />
      <Preview>{preheader}</Preview>
      <Body style={{ backgroundColor: colors.bg, color: colors.text, fontFamily: font, margin: 0, padding: "24px 0" }}>
        <Container
          style={{
            backgroundColor: "#ffffff",
            border: `1px solid ${colors.line}`,
            borderRadius: 10,
            maxWidth: 560,
            padding: "24px",
          }}
        >
          <Text style={{ color: colors.accent, fontSize: 20, fontWeight: 700, margin: "0 0 4px" }}>
            {ctx.locale === "zh-CN" ? "议事堂" : "Yishitang"}
          </Text>
          {ctx.estateName ? (
            <Text style={{ color: colors.muted, fontSize: 14, margin: "0 0 16px" }}>
              {fmt(m.mail.estate, { estate: ctx.estateName })}
            </Text>
          ) : null}
          <Text style={{ fontSize: 16 }}>{fmt(m.mail.greeting, { name: ctx.recipientName })}</Text>
          {children}
          <Section style={{ margin: "24px 0" }}>
            <Button
              href={href}
              style={{
                backgroundColor: colors.accent,
                borderRadius: 8,
                color: "#ffffff",
                fontSize: 16,
                fontWeight: 600,
                padding: "12px 20px",
              }}
            >
              {cta.label}
            </Button>
          </Section>
          <Text style={{ color: colors.muted, fontSize: 13 }}>
            {m.mail.linkHint}
            <br />
            <Link href={href} style={{ color: colors.accent, wordBreak: "break-all" }}>
              {href}
            </Link>
          </Text>
          <Hr style={{ borderColor: colors.line, margin: "24px 0 12px" }} />
          <Text style={{ color: colors.muted, fontSize: 12, margin: "0 0 4px" }}>{m.mail.footer}</Text>
          {ctx.unsubscribeUrl ? (
            <Text style={{ color: colors.muted, fontSize: 12, margin: 0 }}>
              {fmt(m.mail.whyCategory, { category: m.categories[ctx.category] })}{" "}
              <Link href={ctx.unsubscribeUrl} style={{ color: colors.muted }}>
                {m.mail.unsubscribe}
              </Link>
              {" · "}
              <Link href={absoluteUrl(ctx, "/settings/notifications")} style={{ color: colors.muted }}>
                {m.mail.preferences}
              </Link>
            </Text>
          ) : (
            <Text style={{ color: colors.muted, fontSize: 12, margin: 0 }}>{m.mail.securityNote}</Text>
          )}
        </Container>
      </Body>
    </Html>
  );
}

export const paragraph = { fontSize: 16, lineHeight: "26px" } as const;
