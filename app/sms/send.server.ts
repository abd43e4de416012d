import { getDb, schema, type Queryable } from "#db/client";
import { env } from "~/env.server";
import { getSmsProvider } from "./factory.server";
import { smsTemplates, type SmsParams, type SmsTemplateName } from "./templates";

export type SendSmsResult = { ok: true; id: string; status: "sent" | "held" } | { ok: false; id: string };

/**
 * Sends one SMS now and records it (sent, held or failed) in sms_message. Codes go through here
 * directly; notices reach it through the outbox worker.
 */
export async function sendSms<K extends SmsTemplateName>(
  message: { phone: string; template: K; params: SmsParams<K>; userId?: string | null; estateId?: string | null },
  db: Queryable = getDb(),
): Promise<SendSmsResult> {
  const template = smsTemplates[message.template];
  const provider = getSmsProvider();
  const params = message.params as Record<string, string>;
  let providerId: string | null = null;
  let error: string | null = null;
  try {
    ({ providerId } = await provider.send({ phone: message.phone, template: message.template, params }));
  } catch (e) {
    error = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
  }
  const status = error ? "failed" : provider.name === "held" ? "held" : "sent";
  // A code is kept only as an HMAC (auth); its text stays only where /dev/sms may show it.
  const showSecrets = status === "held" && env().NODE_ENV === "development";
  const stored = { ...params };
  if (!showSecrets) for (const name of ("secret" in template && template.secret) || []) stored[name] = "••••••";
  const [row] = await db
    .insert(schema.smsMessages)
    .values({
      phone: message.phone,
      template: message.template,
      params: stored,
      userId: message.userId ?? null,
      estateId: message.estateId ?? null,
      budgeted: !("unbudgeted" in template && template.unbudgeted),
      provider: provider.name,
      providerId,
      status,
      error,
    })
    .returning({ id: schema.smsMessages.id });
  return status === "failed" ? { ok: false, id: row.id } : { ok: true, id: row.id, status };
}
