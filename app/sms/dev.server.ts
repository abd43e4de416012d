import { desc } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { maskPhone } from "~/ui/mask";
import { isSmsTemplateName, smsTemplates } from "./templates";

/**
 * The latest SMS for /dev/sms: the number masked, the text as the carrier would send it with
 * the stored parameters (a code's digits were stored only when held under `npm run dev`).
 */
export async function recentSms(limit = 100) {
  const rows = await getDb()
    .select()
    .from(schema.smsMessages)
    .orderBy(desc(schema.smsMessages.createdAt), desc(schema.smsMessages.id))
    .limit(limit);
  return rows.map((row) => {
    const params = (row.params ?? {}) as Record<string, string>;
    const text = isSmsTemplateName(row.template)
      ? (smsTemplates[row.template].text as (p: Record<string, string>) => string)(params)
      : row.template;
    return {
      id: row.id,
      phone: maskPhone(row.phone),
      template: row.template,
      text,
      status: row.status,
      budgeted: row.budgeted,
      provider: row.provider,
      error: row.error,
      createdAt: row.createdAt.toISOString(),
    };
  });
}
