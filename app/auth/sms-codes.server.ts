import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { createHmac, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import { getDb, schema } from "#db/client";
import type { SmsCodePurpose } from "#db/schema";
import { env } from "~/env.server";
import { normalisePhone } from "~/lib/phone";
import { sendSms } from "~/sms/send.server";
import { takeSmsSend } from "./rate-limit.server";

const { smsCodes } = schema;

export type { SmsCodePurpose };
export const smsCodePurposes = ["signup", "login", "reset", "change_number"] as const satisfies SmsCodePurpose[];

/** A code checks for 5 minutes: at 4:59.999 it still does, at 5:00 it no longer does. */
export const codeLifetimeMs = 5 * 60_000;
/** Checks against one code, right or wrong; the sixth is refused even when right. */
export const codeMaxTries = 5;

/** A mainland mobile number: 11 digits starting with 1 (after normalisePhone). */
export function mainlandMobile(input: string): string | null {
  const phone = normalisePhone(input);
  return phone && /^1[3-9]\d{9}$/.test(phone) ? phone : null;
}

/**
 * The key codes are kept under: derived from SESSION_SECRET with a label of its own, so it is
 * no other secret's key. A plain hash of six digits is reversed in a million tries; an HMAC
 * needs this key.
 */
function codeKey(): Buffer {
  return createHmac("sha256", env().SESSION_SECRET).update("sms-code").digest();
}

/** The stored form of a code: bound to its row, number and purpose, so it checks nothing else. */
export function codeHmac(id: string, phone: string, purpose: SmsCodePurpose, code: string): string {
  return createHmac("sha256", codeKey()).update(`${id}\n${phone}\n${purpose}\n${code}`).digest("base64url");
}

export type RequestCodeResult =
  | { ok: true }
  | { ok: false; error: "invalidPhone" }
  | { ok: false; error: "tooSoon" | "tooMany"; until: Date }
  | { ok: false; error: "sendFailed" };

/**
 * Sends a fresh 6-digit code to `phone` for `purpose`, closing any live one for the same
 * number and purpose. It never looks at whether the number belongs to an account: a
 * registered and an unregistered number get the same SMS and the same answer (what a code
 * then does is up to its purpose: see accounts.server.ts). Sends are limited per number (1 a
 * minute, 10 in 24 hours) and per client address (smsSendLimit), counted in the database.
 */
export async function requestCode(input: {
  phone: string;
  purpose: SmsCodePurpose;
  ip: string;
  now?: Date;
  userId?: string | null;
}): Promise<RequestCodeResult> {
  const now = input.now ?? new Date();
  const phone = mainlandMobile(input.phone);
  if (!phone) return { ok: false, error: "invalidPhone" };
  const taken = await takeSmsSend(phone, input.ip, now);
  if (!taken.ok) return { ok: false, error: taken.scope === "gap" ? "tooSoon" : "tooMany", until: taken.until };

  const code = randomInt(0, 1_000_000).toString().padStart(6, "0");
  const db = getDb();
  await db.transaction(async (tx) => {
    await tx
      .update(smsCodes)
      .set({ closedAt: now })
      .where(and(eq(smsCodes.phone, phone), eq(smsCodes.purpose, input.purpose), isNull(smsCodes.closedAt)));
    const id = randomUUID();
    await tx.insert(smsCodes).values({
      id,
      phone,
      purpose: input.purpose,
      codeHmac: codeHmac(id, phone, input.purpose, code),
      expiresAt: new Date(now.getTime() + codeLifetimeMs),
      createdAt: now,
    });
  });
  const sent = await sendSms({ phone, template: "code", params: { code }, userId: input.userId ?? null });
  return sent.ok ? { ok: true } : { ok: false, error: "sendFailed" };
}

/**
 * Checks a code for a number and purpose, and spends it when right. Each check counts one try
 * first (in the same statement that finds the live code), so no more than five checks ever
 * reach a code however many arrive at once; an expired, spent, replaced or exhausted code, a
 * code for another number or another purpose: all are simply false.
 */
export async function checkCode(input: {
  phone: string;
  purpose: SmsCodePurpose;
  code: string;
  now?: Date;
}): Promise<boolean> {
  const now = input.now ?? new Date();
  const phone = mainlandMobile(input.phone);
  const code = input.code.normalize("NFKC").trim();
  if (!phone || !/^\d{6}$/.test(code)) return false;
  const db = getDb();
  const [live] = await db
    .update(smsCodes)
    .set({ tries: sql`${smsCodes.tries} + 1` })
    .where(
      and(
        eq(smsCodes.phone, phone),
        eq(smsCodes.purpose, input.purpose),
        isNull(smsCodes.closedAt),
        gt(smsCodes.expiresAt, now),
        lt(smsCodes.tries, codeMaxTries),
      ),
    )
    .returning({ id: smsCodes.id, codeHmac: smsCodes.codeHmac });
  if (!live) return false;
  const given = Buffer.from(codeHmac(live.id, phone, input.purpose, code));
  const stored = Buffer.from(live.codeHmac);
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return false;
  // Spent atomically: of two right answers at once, one wins.
  const [spent] = await db
    .update(smsCodes)
    .set({ closedAt: now })
    .where(and(eq(smsCodes.id, live.id), isNull(smsCodes.closedAt)))
    .returning({ id: smsCodes.id });
  return !!spent;
}
