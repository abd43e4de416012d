import { normalisePhone } from "~/lib/phone";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { enqueue } from "~/notify/outbox.server";
import { hashPassword, verifyDecoy, verifyPassword } from "./password.server";
import {
  loginAccountKey,
  loginState,
  settleAttempt,
  takeAttempt,
  takeLoginAttempt,
  type Limit,
} from "./rate-limit.server";

const { users } = schema;

export function normaliseEmail(email: string) {
  return email.trim().toLowerCase();
}

/** Every sign-up counts: 5 per email and 20 per address in an hour. */
export const signupLimit: Limit = { kind: "signup", perAccount: 5, perIp: 20, windowMs: 60 * 60_000 };

export type SignUpResult = { ok: true } | { ok: false; error: "tooMany" };

/**
 * Signs up, answering the same whether or not the email already has an account, so the form
 * cannot be used to learn who is registered. A new address gets its account and a welcome
 * mail; a registered one gets nothing new, and its owner a mail saying someone tried. Either
 * way the caller shows "check your mail, then log in". The phone given is stored unverified:
 * it is shown to its owner and used for nothing else (no login, no proxy), and it is not
 * unique, so typing someone else's number neither fails nor takes it from them.
 */
export async function signUp(
  input: { email: string; password: string; displayName: string; phone?: string; locale: string },
  ip: string,
  now = new Date(),
): Promise<SignUpResult> {
  const db = getDb();
  const email = normaliseEmail(input.email);
  const phone = input.phone ? normalisePhone(input.phone) : null;
  // Counted before the slow hash, so sign-ups sent all at once cannot outrun the count.
  const taken = await takeAttempt(signupLimit, email, ip, now);
  if (!taken.ok) return { ok: false, error: "tooMany" };
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    // The unique email decides races; a conflict returns nothing rather than throwing.
    const [user] = await tx
      .insert(users)
      .values({
        email,
        passwordHash,
        displayName: input.displayName.trim(),
        phone,
        locale: input.locale,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (user) {
      await enqueue(tx, [{ template: "welcome", userId: user.id, props: {}, idempotencyKey: `welcome:${user.id}` }]);
      return;
    }
    const [owner] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.email, email), isNull(users.deletedAt)));
    if (owner)
      await enqueue(tx, [
        { template: "signup-attempt", userId: owner.id, props: {}, idempotencyKey: `signup-attempt:${taken.id}` },
      ]);
  });
  return { ok: true };
}

export type LogInResult =
  | { ok: true; userId: string }
  | { ok: false; error: "invalid" }
  | { ok: false; error: "locked"; until: Date; justLocked: boolean }
  | { ok: false; error: "wait"; until: Date };

/**
 * Email or a verified phone number, and a password. Attempts count against the account,
 * whichever identifier was typed (an identifier that names no account counts against itself,
 * so both answer alike); see loginLimit for what locks and what only slows down.
 */
export async function logIn(identifier: string, password: string, ip: string, now = new Date()): Promise<LogInResult> {
  const db = getDb();
  const isEmail = identifier.includes("@");
  const typed = isEmail ? normaliseEmail(identifier) : (normalisePhone(identifier) ?? "");
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    // A deleted account keeps its row (anonymised) but never logs in again; an unverified phone names nobody.
    .where(
      and(
        isEmail ? eq(users.email, typed) : and(eq(users.phone, typed), isNotNull(users.phoneVerifiedAt)),
        isNull(users.deletedAt),
      ),
    );
  const accountKey = user ? loginAccountKey(user.id) : `${isEmail ? "email" : "phone"}:${typed}`;
  // Taken before the (slow) password check, so guesses sent all at once cannot outrun the count.
  const taken = await takeLoginAttempt(accountKey, ip, now);
  if (!taken.ok) {
    return taken.scope === "pair"
      ? { ok: false, error: "locked", until: taken.until, justLocked: false }
      : { ok: false, error: "wait", until: taken.until };
  }

  const valid = user ? await verifyPassword(password, user.passwordHash) : await verifyDecoy(password);
  if (valid && user) {
    await settleAttempt(taken.id);
    return { ok: true, userId: user.id };
  }

  const after = await loginState(accountKey, ip, now);
  if (after.blocked && after.scope === "pair")
    return { ok: false, error: "locked", until: after.until, justLocked: true };
  return { ok: false, error: "invalid" };
}

export async function setPassword(userId: string, password: string) {
  await getDb()
    .update(users)
    .set({ passwordHash: await hashPassword(password) })
    .where(eq(users.id, userId));
}
