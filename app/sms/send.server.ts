import { eq, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { env } from "~/env.server";
import { getSmsProvider } from "./factory.server";
import { smsTemplates, type SmsParams, type SmsTemplateName } from "./templates";

export type SendSmsResult =
  | { ok: true; id: string; status: "sent" | "held" }
  /** stopped: over the estate's monthly SMS budget, not sent (recorded as failed, which the budget does not count). */
  | { ok: false; id: string; error: string; stopped?: "budget" };

export const budgetStopped = "over the estate's monthly SMS budget";

/** This Beijing calendar month's budgeted, not failed messages of the estate (what its budget counts). */
function budgetUsedSql(estateId: string) {
  return sql<number>`(
    select count(*) from sms_message m
    where m.estate_id = ${estateId} and m.budgeted and m.status <> 'failed'
      and m.created_at >= date_trunc('month', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai'
  )::int`;
}

/** How many of the estate's monthly SMS budget this Beijing month has used. */
export async function smsBudgetUsed(estateId: string, db: Queryable = getDb()): Promise<number> {
  const [row] = await db
    .select({ used: budgetUsedSql(estateId) })
    .from(schema.estates)
    .where(eq(schema.estates.id, estateId));
  return Number(row?.used ?? 0);
}

/**
 * Reserves one budgeted message of the estate's month: under a per-estate advisory lock (so
 * instances agree), counts this Beijing calendar month's budgeted messages not failed, and if
 * one is left records this one (as held until the carrier answers). null: the budget is used up.
 */
async function reserveBudgeted(
  db: Queryable,
  values: typeof schema.smsMessages.$inferInsert & { estateId: string },
): Promise<string | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sms-budget:${values.estateId}`}, 0))`);
    const [row] = await tx
      .select({
        budget: schema.estates.smsMonthlyBudget,
        used: budgetUsedSql(values.estateId),
      })
      .from(schema.estates)
      .where(eq(schema.estates.id, values.estateId));
    if (!row || Number(row.used) >= row.budget) return null;
    const [inserted] = await tx.insert(schema.smsMessages).values(values).returning({ id: schema.smsMessages.id });
    return inserted.id;
  });
}

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
  // A code is kept only as an HMAC (auth); its text stays only where /dev/sms may show it.
  const redacted = (status: "sent" | "held" | "failed") => {
    const showSecrets = status === "held" && env().NODE_ENV === "development";
    const stored = { ...params };
    if (!showSecrets) for (const name of ("secret" in template && template.secret) || []) stored[name] = "••••••";
    return stored;
  };
  const budgeted = !("unbudgeted" in template && template.unbudgeted);
  const record = {
    phone: message.phone,
    template: message.template,
    userId: message.userId ?? null,
    estateId: message.estateId ?? null,
    budgeted,
    provider: provider.name,
  };
  // A budgeted message of an estate is counted before it is sent (so two instances never both
  // take the last one); codes and fingerprints are recorded after.
  let reserved: string | null = null;
  if (budgeted && message.estateId) {
    reserved = await reserveBudgeted(db, {
      ...record,
      estateId: message.estateId,
      params: redacted("held"),
      status: "held",
    });
    if (!reserved) {
      const [row] = await db
        .insert(schema.smsMessages)
        .values({ ...record, params: redacted("failed"), status: "failed", error: budgetStopped })
        .returning({ id: schema.smsMessages.id });
      return { ok: false, id: row.id, error: budgetStopped, stopped: "budget" };
    }
  }
  let providerId: string | null = null;
  let error: string | null = null;
  try {
    ({ providerId } = await provider.send({ phone: message.phone, template: message.template, params }));
  } catch (e) {
    error = (e instanceof Error ? e.message : String(e)).slice(0, 1000) || "send failed";
  }
  const status = error ? "failed" : provider.name === "held" ? "held" : "sent";
  const outcome = { params: redacted(status), providerId, status, error } as const;
  let id: string;
  if (reserved) {
    await db.update(schema.smsMessages).set(outcome).where(eq(schema.smsMessages.id, reserved));
    id = reserved;
  } else {
    const [row] = await db
      .insert(schema.smsMessages)
      .values({ ...record, ...outcome })
      .returning({ id: schema.smsMessages.id });
    id = row.id;
  }
  return error ? { ok: false, id, error } : { ok: true, id, status: status as "sent" | "held" };
}
