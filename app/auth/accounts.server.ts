import { normalisePhone } from "~/lib/phone";
import { and, eq, isNotNull, isNull, ne } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import { enqueue } from "~/notify/outbox.server";
import { checkCode, mainlandMobile } from "./sms-codes.server";
import { hashPassword, verifyDecoy, verifyPassword } from "./password.server";
import { endOtherSessions } from "./session.server";
import {
  loginAccountKey,
  loginState,
  releaseAttempt,
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

  // An account without a password (signed up by phone) logs in only by code: the decoy keeps the time alike.
  const valid = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : await verifyDecoy(password);
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

/** The account whose verified phone this is (deleted accounts never count). */
async function accountByVerifiedPhone(phone: string) {
  const [user] = await getDb()
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.phone, phone), isNotNull(users.phoneVerifiedAt), isNull(users.deletedAt)));
  return user ?? null;
}

export type LogInByCodeResult = LogInResult | { ok: false; error: "noAccount" };

/**
 * Logs in with a verified phone and a login code. Counted under the same limit as passwords
 * (loginLimit, per account whatever was typed, and per address). A right code for a number
 * with no account answers noAccount: only whoever holds the phone can get that far, so it
 * tells nobody else anything.
 */
export async function logInByCode(
  phoneInput: string,
  code: string,
  ip: string,
  now = new Date(),
): Promise<LogInByCodeResult> {
  const phone = mainlandMobile(phoneInput) ?? normalisePhone(phoneInput) ?? "";
  const user = phone ? await accountByVerifiedPhone(phone) : null;
  const accountKey = user ? loginAccountKey(user.id) : `phone:${phone}`;
  const taken = await takeLoginAttempt(accountKey, ip, now);
  if (!taken.ok) {
    return taken.scope === "pair"
      ? { ok: false, error: "locked", until: taken.until, justLocked: false }
      : { ok: false, error: "wait", until: taken.until };
  }
  const valid = await checkCode({ phone, purpose: "login", code, now });
  if (valid && user) {
    await settleAttempt(taken.id);
    return { ok: true, userId: user.id };
  }
  if (valid) {
    await releaseAttempt(taken.id);
    return { ok: false, error: "noAccount" };
  }
  const after = await loginState(accountKey, ip, now);
  if (after.blocked && after.scope === "pair")
    return { ok: false, error: "locked", until: after.until, justLocked: true };
  return { ok: false, error: "invalid" };
}

export type SignUpByPhoneResult =
  | { ok: true; userId: string; existing: boolean; emailAdded: boolean }
  | { ok: false; error: "invalidCode" | "tooMany" };

/**
 * Signs up with a mainland mobile number and a sign-up code; password and email optional.
 * The code proves the number is the caller's, so:
 * - a number that is already an account's verified phone logs into that account (its name,
 *   password and email stay as they were): sending the code answered the same as for a new
 *   number, and only the phone's holder learns the difference;
 * - an email already taken by another account is left out (the new account has none) and its
 *   owner gets the "someone tried to sign up" mail, as with email sign-up.
 */
export async function signUpByPhone(
  input: {
    phone: string;
    code: string;
    displayName: string;
    password?: string | null;
    email?: string | null;
    locale: string;
  },
  ip: string,
  now = new Date(),
): Promise<SignUpByPhoneResult> {
  const phone = mainlandMobile(input.phone);
  if (!phone) return { ok: false, error: "invalidCode" };
  const taken = await takeAttempt(signupLimit, `phone:${phone}`, ip, now);
  if (!taken.ok) return { ok: false, error: "tooMany" };
  if (!(await checkCode({ phone, purpose: "signup", code: input.code, now })))
    return { ok: false, error: "invalidCode" };
  const existing = await accountByVerifiedPhone(phone);
  if (existing) return { ok: true, userId: existing.id, existing: true, emailAdded: false };

  const email = input.email ? normaliseEmail(input.email) : null;
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const db = getDb();
  return db.transaction(async (tx) => {
    const emailFree =
      email !== null && !(await tx.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1)).length;
    const [user] = await tx
      .insert(users)
      .values({
        email: emailFree ? email : null,
        passwordHash,
        displayName: input.displayName.trim(),
        phone,
        phoneVerifiedAt: now,
        locale: input.locale,
        createdAt: now,
      })
      .returning({ id: users.id });
    // Whoever typed this number unverified elsewhere loses nothing they could use; it is cleared so it cannot mislead.
    await tx
      .update(users)
      .set({ phone: null })
      .where(and(eq(users.phone, phone), isNull(users.phoneVerifiedAt), ne(users.id, user.id)));
    if (emailFree)
      await enqueue(tx, [{ template: "welcome", userId: user.id, props: {}, idempotencyKey: `welcome:${user.id}` }]);
    else if (email) {
      const [owner] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.email, email), isNull(users.deletedAt)));
      if (owner)
        await enqueue(tx, [
          { template: "signup-attempt", userId: owner.id, props: {}, idempotencyKey: `signup-attempt:${taken.id}` },
        ]);
    }
    return { ok: true as const, userId: user.id, existing: false, emailAdded: emailFree };
  });
}

export type ChangePhoneResult =
  | { ok: true }
  | { ok: false; error: "invalidPhone" | "newCode" | "oldCode" | "password" | "taken" | "same" }
  | { ok: false; error: "locked" | "wait"; until: Date };

/**
 * Adds or changes an account's phone: a change-of-number code sent to the new number, and
 * either the account's password or a change-of-number code sent to its current verified
 * number. Afterwards the number is verified, every other session of the account ends (the
 * current one, `keepSessionId`, stays) and the change is audited. Password guesses count
 * under the login limit.
 */
export async function changePhone(
  input: {
    userId: string;
    newPhone: string;
    newCode: string;
    password?: string | null;
    oldCode?: string | null;
    keepSessionId?: string | null;
    ip: string;
  },
  now = new Date(),
): Promise<ChangePhoneResult> {
  const db = getDb();
  const newPhone = mainlandMobile(input.newPhone);
  if (!newPhone) return { ok: false, error: "invalidPhone" };
  const [user] = await db
    .select({
      id: users.id,
      passwordHash: users.passwordHash,
      phone: users.phone,
      phoneVerifiedAt: users.phoneVerifiedAt,
    })
    .from(users)
    .where(and(eq(users.id, input.userId), isNull(users.deletedAt)));
  if (!user) return { ok: false, error: "password" };
  const oldPhone = user.phoneVerifiedAt ? user.phone : null;
  if (oldPhone === newPhone) return { ok: false, error: "same" };

  // The second factor first: the password (counted like a login) or a code to the current number.
  if (input.password) {
    const taken = await takeLoginAttempt(loginAccountKey(user.id), input.ip, now);
    if (!taken.ok) return { ok: false, error: taken.scope === "pair" ? "locked" : "wait", until: taken.until };
    const valid = user.passwordHash
      ? await verifyPassword(input.password, user.passwordHash)
      : await verifyDecoy(input.password);
    if (!valid) return { ok: false, error: "password" };
    await settleAttempt(taken.id);
  } else if (oldPhone && input.oldCode) {
    if (!(await checkCode({ phone: oldPhone, purpose: "change_number", code: input.oldCode, now })))
      return { ok: false, error: "oldCode" };
  } else {
    return { ok: false, error: oldPhone ? "oldCode" : "password" };
  }

  if (!(await checkCode({ phone: newPhone, purpose: "change_number", code: input.newCode, now })))
    return { ok: false, error: "newCode" };
  // Whoever holds the new number learns it is someone's account; nobody else can get this far.
  if (await accountByVerifiedPhone(newPhone)) return { ok: false, error: "taken" };

  try {
    await db.transaction(async (tx) => {
      await tx.update(users).set({ phone: newPhone, phoneVerifiedAt: now }).where(eq(users.id, user.id));
      await tx
        .update(users)
        .set({ phone: null })
        .where(and(eq(users.phone, newPhone), isNull(users.phoneVerifiedAt), ne(users.id, user.id)));
      await recordAudit(tx, {
        estateId: null,
        actorUserId: user.id,
        act: "phone_change",
        subjectType: "user",
        subjectId: user.id,
        detail: { added: oldPhone === null },
        at: now,
      });
    });
  } catch (e) {
    // Another account verified the same number a moment ago (the unique index on verified phones).
    if ((e as { code?: string }).code === "23505") return { ok: false, error: "taken" };
    throw e;
  }
  await endOtherSessions(user.id, input.keepSessionId ?? undefined);
  return { ok: true };
}
