import { and, eq, gt, isNotNull, isNull } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { getDb, schema } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import { env } from "~/env.server";
import { enqueue } from "~/notify/outbox.server";
import { hashToken, passwordResetToken } from "~/notify/tokens.server";
import { normaliseEmail, setPassword } from "./accounts.server";
import { takeAttempt, type Limit } from "./rate-limit.server";
import { endOtherSessions } from "./session.server";
import { checkCode, mainlandMobile } from "./sms-codes.server";

const { users, passwordResets } = schema;

/** Every request counts, found or not: 5 per email and 30 per address in an hour. */
export const resetLimit: Limit = { kind: "password-reset", perAccount: 5, perIp: 30, windowMs: 60 * 60_000 };
export const resetLifetimeMs = 30 * 60_000;
/** Requests for known and unknown emails both take at least this long, so timing tells nothing. */
const minimumRequestMs = 300;

export type ResetRequestResult = { ok: true } | { ok: false; error: "tooMany" };

/**
 * Asks for a reset link by email. The answer is the same whether or not the email is
 * registered; for a registered one, a single-use link valid for 30 minutes is mailed
 * (the token is not stored, only its hash).
 */
export async function requestPasswordReset(email: string, ip: string, now = new Date()): Promise<ResetRequestResult> {
  const started = performance.now();
  try {
    const db = getDb();
    const accountKey = normaliseEmail(email);
    // Every request counts; taken before anything is sent, so requests sent all at once cannot outrun the count.
    if (!(await takeAttempt(resetLimit, accountKey, ip, now)).ok) return { ok: false, error: "tooMany" };
    const [user] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.email, accountKey), isNull(users.deletedAt)));
    if (user) {
      const resetId = randomUUID();
      const token = passwordResetToken(resetId, env().SESSION_SECRET);
      await db.transaction(async (tx) => {
        await tx.insert(passwordResets).values({
          id: resetId,
          userId: user.id,
          tokenHash: hashToken(token),
          expiresAt: new Date(now.getTime() + resetLifetimeMs),
          createdAt: now,
        });
        await enqueue(tx, [
          {
            template: "password-reset",
            userId: user.id,
            props: { resetId },
            idempotencyKey: `password-reset:${resetId}`,
          },
        ]);
      });
    }
    return { ok: true };
  } finally {
    const elapsed = performance.now() - started;
    if (elapsed < minimumRequestMs) await sleep(minimumRequestMs - elapsed + Math.random() * 50);
  }
}

const tokenShape = /^[A-Za-z0-9_-]{43}$/;

/** Whether a reset link still works (unused, unexpired). */
export async function resetLinkValid(token: string, now = new Date()): Promise<boolean> {
  if (!tokenShape.test(token)) return false;
  const [row] = await getDb()
    .select({ id: passwordResets.id })
    .from(passwordResets)
    .where(
      and(
        eq(passwordResets.tokenHash, hashToken(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    );
  return !!row;
}

/**
 * Uses a reset link: sets the new password, ends every session of the user and voids their
 * other reset links. The link is spent atomically, so two submissions cannot both succeed.
 */
export async function resetPassword(
  token: string,
  password: string,
  now = new Date(),
): Promise<{ ok: true; userId: string } | { ok: false }> {
  if (!tokenShape.test(token)) return { ok: false };
  const db = getDb();
  const [spent] = await db
    .update(passwordResets)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResets.tokenHash, hashToken(token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    )
    .returning({ userId: passwordResets.userId });
  if (!spent) return { ok: false };
  await setPassword(spent.userId, password);
  await db.transaction(async (tx) => {
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, spent.userId), isNull(passwordResets.usedAt)));
    // An account belongs to no one estate: the row has none, so no estate's audit page lists it.
    await recordAudit(tx, {
      estateId: null,
      actorUserId: spent.userId,
      act: "password_reset",
      subjectType: "user",
      subjectId: spent.userId,
      at: now,
    });
  });
  await endOtherSessions(spent.userId);
  return { ok: true, userId: spent.userId };
}

/**
 * Resets the password with a reset code sent to the account's verified phone (requestCode with
 * purpose "reset" sends it, answering alike for any number). Ends every session, as a reset
 * link does. A right code for a number with no account changes nothing.
 */
export async function resetPasswordByCode(
  phoneInput: string,
  code: string,
  password: string,
  now = new Date(),
): Promise<{ ok: true; userId: string } | { ok: false }> {
  const phone = mainlandMobile(phoneInput);
  if (!phone) return { ok: false };
  if (!(await checkCode({ phone, purpose: "reset", code, now }))) return { ok: false };
  const [user] = await getDb()
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.phone, phone), isNotNull(users.phoneVerifiedAt), isNull(users.deletedAt)));
  if (!user) return { ok: false };
  await setPassword(user.id, password);
  await getDb().transaction(async (tx) => {
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
    await recordAudit(tx, {
      estateId: null,
      actorUserId: user.id,
      act: "password_reset",
      subjectType: "user",
      subjectId: user.id,
      detail: { by: "sms" },
      at: now,
    });
  });
  await endOtherSessions(user.id);
  return { ok: true, userId: user.id };
}
