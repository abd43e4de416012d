import { and, count, desc, eq, inArray, isNull } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import type { MailLocale } from "../../emails/_lib/context";
import { noticeSummary } from "./compose.server";
import { mailSettingsFromEnv } from "./worker.server";

const { notifications, estates } = schema;

export async function unreadCount(userId: string): Promise<number> {
  const [row] = await getDb()
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** A user's latest notices, titled in the reader's language, newest first. */
export async function listNotices(userId: string, locale: MailLocale, limit = 50) {
  const rows = await getDb()
    .select({
      id: notifications.id,
      template: notifications.template,
      props: notifications.props,
      category: notifications.category,
      estateName: estates.name,
      readAt: notifications.readAt,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .leftJoin(estates, eq(estates.id, notifications.estateId))
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
  const settings = mailSettingsFromEnv();
  return rows.flatMap((row) => {
    const summary = noticeSummary(row, locale, settings);
    if (!summary) return [];
    return [
      {
        id: row.id,
        category: row.category,
        estateName: row.estateName,
        read: row.readAt !== null,
        createdAt: row.createdAt.toISOString(),
        ...summary,
      },
    ];
  });
}

/** Marks some of a user's notices read (only their own), or all of them. */
export async function markRead(userId: string, ids: string[] | "all"): Promise<number> {
  const where = ids === "all" ? undefined : inArray(notifications.id, ids);
  if (ids !== "all" && ids.length === 0) return 0;
  const updated = await getDb()
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), where))
    .returning({ id: notifications.id });
  return updated.length;
}
