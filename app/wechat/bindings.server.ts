import { and, eq, isNull } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { recordAudit } from "~/audit/audit.server";

const { wechatBindings, users } = schema;

/** The live account an openid is bound to, or null. */
export async function userForOpenid(appId: string, openid: string, db: Queryable = getDb()): Promise<string | null> {
  const [row] = await db
    .select({ userId: wechatBindings.userId })
    .from(wechatBindings)
    .innerJoin(users, eq(users.id, wechatBindings.userId))
    .where(and(eq(wechatBindings.appId, appId), eq(wechatBindings.openid, openid), isNull(users.deletedAt)))
    .limit(1);
  return row?.userId ?? null;
}

/** A user's binding to the official account, if any. */
export async function bindingOf(userId: string, appId: string, db: Queryable = getDb()) {
  const [row] = await db
    .select({ openid: wechatBindings.openid, boundAt: wechatBindings.boundAt })
    .from(wechatBindings)
    .where(and(eq(wechatBindings.appId, appId), eq(wechatBindings.userId, userId)))
    .limit(1);
  return row ?? null;
}

/** A binding made or removed, in the account's audit trail (the openid itself is not kept there). */
function auditBinding(tx: Queryable, userId: string, act: "wechat_bind" | "wechat_unbind", appId: string) {
  return recordAudit(tx, {
    estateId: null,
    actorUserId: userId,
    act,
    subjectType: "user",
    subjectId: userId,
    detail: { appId },
  });
}

export type BindResult = { ok: true } | { ok: false; error: "openidTaken" | "userHasOther" };

/**
 * Binds an openid to an account. Binding the same pair again is fine; an openid bound to another
 * account, or an account bound to another openid, is refused (unbind first). The unique
 * constraints decide under concurrency.
 */
export async function bindOpenid(
  appId: string,
  openid: string,
  userId: string,
  db: Queryable = getDb(),
): Promise<BindResult> {
  const inserted = await db.transaction(async (tx) => {
    const rows = await tx
      .insert(wechatBindings)
      .values({ appId, openid, userId })
      .onConflictDoNothing()
      .returning({ id: wechatBindings.id });
    if (rows.length > 0) await auditBinding(tx, userId, "wechat_bind", appId);
    return rows;
  });
  if (inserted.length > 0) return { ok: true };
  const [existing] = await db
    .select({ userId: wechatBindings.userId, openid: wechatBindings.openid })
    .from(wechatBindings)
    .where(and(eq(wechatBindings.appId, appId), eq(wechatBindings.openid, openid)))
    .limit(1);
  if (existing?.userId === userId) return { ok: true };
  return { ok: false, error: existing ? "openidTaken" : "userHasOther" };
}

/** Removes the user's binding(s); returns how many there were. */
export async function unbindUser(userId: string, db: Queryable = getDb()): Promise<number> {
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(wechatBindings)
      .where(eq(wechatBindings.userId, userId))
      .returning({ id: wechatBindings.id, appId: wechatBindings.appId });
    for (const row of removed) await auditBinding(tx, userId, "wechat_unbind", row.appId);
    return removed.length;
  });
}

/** The openid to message a user at, or null when the user has no binding (or the account is gone). */
export async function openidOf(userId: string, appId: string, db: Queryable = getDb()): Promise<string | null> {
  return (await bindingOf(userId, appId, db))?.openid ?? null;
}
