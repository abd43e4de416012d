import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb, getHandle, schema } from "#db/client";
import { maskEmail } from "~/ui/mask";
import { asMailLocale } from "../../emails/_lib/context";
import { mailStatuses, type MailStatus } from "./categories";
import { composeMail, noticeSummary } from "./compose.server";
import { mailSettingsFromEnv } from "./worker.server";

const { outbox, users, estates } = schema;

export async function mailStatusCounts(): Promise<Record<MailStatus, number>> {
  const rows = await getDb()
    .select({ status: outbox.status, n: count() })
    .from(outbox)
    .where(eq(outbox.channel, "mail"))
    .groupBy(outbox.status);
  const counts = Object.fromEntries(mailStatuses.map((s) => [s, 0])) as Record<MailStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** Failed and held mail, newest first. */
export async function problemMail(limit = 200) {
  const rows = await getDb()
    .select({
      id: outbox.id,
      status: outbox.status,
      template: outbox.template,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      email: sql<string>`coalesce(${users.email}, '')`,
    })
    .from(outbox)
    .innerJoin(users, eq(users.id, outbox.userId))
    .where(and(eq(outbox.channel, "mail"), inArray(outbox.status, ["failed", "held"])))
    .orderBy(desc(outbox.createdAt))
    .limit(limit);
  return rows.map(({ email, ...row }) => ({ ...row, to: maskEmail(email), createdAt: row.createdAt.toISOString() }));
}

/** Queues failed (or held) mail again with a fresh count of attempts. */
export async function retryMail(ids: string[] | "all-failed"): Promise<number> {
  const where =
    ids === "all-failed"
      ? and(eq(outbox.channel, "mail"), eq(outbox.status, "failed"))
      : and(
          eq(outbox.channel, "mail"),
          inArray(outbox.status, ["failed", "held"]),
          inArray(outbox.id, ids.length ? ids : ["00000000-0000-0000-0000-000000000000"]),
        );
  const rows = await getDb()
    .update(outbox)
    .set({ status: "queued", attempts: 0, nextAttemptAt: sql`now()`, lockedUntil: null, claimedBy: null })
    .where(where)
    .returning({ id: outbox.id });
  return rows.length;
}

/** /dev/mail exists in development and on the embedded database only. */
export function devMailEnabled(): boolean {
  return process.env.NODE_ENV !== "production" || getHandle().kind === "pglite";
}

/**
 * Security mail (password-reset links and codes) is shown whole in development only (`npm run
 * dev`). Anywhere else, the embedded demo's production build included, it is listed but its
 * body is withheld: a platform admin reading a user's reset link could take over the account.
 */
export function showsSecurityMail(): boolean {
  return process.env.NODE_ENV === "development";
}

export async function recentMail(limit = 100) {
  const rows = await getDb()
    .select({
      id: outbox.id,
      status: outbox.status,
      template: outbox.template,
      props: outbox.props,
      category: outbox.category,
      createdAt: outbox.createdAt,
      email: sql<string>`coalesce(${users.email}, '')`,
      locale: users.locale,
      estateName: estates.name,
    })
    .from(outbox)
    .innerJoin(users, eq(users.id, outbox.userId))
    .leftJoin(estates, eq(estates.id, outbox.estateId))
    .where(eq(outbox.channel, "mail"))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit);
  const settings = mailSettingsFromEnv();
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    redacted: row.category === "security" && !showsSecurityMail(),
    to: row.email,
    subject: noticeSummary(row, asMailLocale(row.locale), settings)?.title ?? row.template,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** One mail as the worker would send it. */
export async function mailById(id: string, settings = mailSettingsFromEnv()) {
  const [row] = await getDb()
    .select({
      id: outbox.id,
      status: outbox.status,
      template: outbox.template,
      props: outbox.props,
      category: outbox.category,
      lastError: outbox.lastError,
      userId: users.id,
      email: sql<string>`coalesce(${users.email}, '')`,
      displayName: users.displayName,
      locale: users.locale,
      estateName: estates.name,
    })
    .from(outbox)
    .innerJoin(users, eq(users.id, outbox.userId))
    .leftJoin(estates, eq(estates.id, outbox.estateId))
    .where(and(eq(outbox.id, id), eq(outbox.channel, "mail")));
  if (!row) return null;
  const mail = await composeMail(row, settings);
  if (row.category === "security" && !showsSecurityMail()) {
    // Subject and addressing only: the body carries the reset link or code.
    return {
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      messageId: mail.messageId,
      headers: {},
      html: null,
      text: null,
      redacted: true as const,
      status: row.status,
      lastError: row.lastError,
    };
  }
  return { ...mail, redacted: false as const, status: row.status, lastError: row.lastError };
}
