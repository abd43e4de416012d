import { and, eq, isNull } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { hashPassword, verifyDecoy, verifyPassword } from "./password.server";
import { limitState, loginLimit, settleAttempt, takeAttempt } from "./rate-limit.server";

const { users } = schema;

export function normaliseEmail(email: string) {
  return email.trim().toLowerCase();
}

/** Digits only, without a +86 prefix: how phones are stored and matched. */
export function normalisePhone(phone: string) {
  const digits = phone.replace(/[^0-9]/g, "");
  return digits.length === 13 && digits.startsWith("86") ? digits.slice(2) : digits;
}

export async function signUp(input: { email: string; password: string; displayName: string; phone?: string; locale: string }) {
  const db = getDb();
  const email = normaliseEmail(input.email);
  const phone = input.phone ? normalisePhone(input.phone) : null;
  const passwordHash = await hashPassword(input.password);
  // The unique constraints decide races; a conflict returns nothing rather than throwing.
  const [user] = await db
    .insert(users)
    .values({ email, passwordHash, displayName: input.displayName.trim(), phone, locale: input.locale })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (user) return { ok: true as const, userId: user.id };
  const [byEmail] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return { ok: false as const, error: byEmail ? ("emailTaken" as const) : ("phoneTaken" as const) };
}

export type LogInResult =
  | { ok: true; userId: string }
  | { ok: false; error: "invalid" }
  | { ok: false; error: "locked"; until: Date; justLocked: boolean };

/** Email or a phone number on file, and a password, limited per account and per address. */
export async function logIn(identifier: string, password: string, ip: string, now = new Date()): Promise<LogInResult> {
  const db = getDb();
  const isEmail = identifier.includes("@");
  const accountKey = isEmail ? normaliseEmail(identifier) : normalisePhone(identifier);
  // Taken before the (slow) password check, so guesses sent all at once cannot outrun the count.
  const taken = await takeAttempt(loginLimit, accountKey, ip, now);
  if (!taken.ok) return { ok: false, error: "locked", until: taken.until, justLocked: false };

  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    // A deleted account keeps its row (anonymised) but never logs in again.
    .where(and(isEmail ? eq(users.email, accountKey) : eq(users.phone, accountKey), isNull(users.deletedAt)));
  const valid = user ? await verifyPassword(password, user.passwordHash) : await verifyDecoy(password);
  if (valid && user) {
    await settleAttempt(taken.id);
    return { ok: true, userId: user.id };
  }

  const after = await limitState(loginLimit, accountKey, ip, now);
  if (after.locked) return { ok: false, error: "locked", until: after.until, justLocked: true };
  return { ok: false, error: "invalid" };
}

export async function setPassword(userId: string, password: string) {
  await getDb()
    .update(users)
    .set({ passwordHash: await hashPassword(password) })
    .where(eq(users.id, userId));
}
