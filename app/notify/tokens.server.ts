import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { notifyCategories, type NotifyCategory } from "#db/schema/notify";
import { isUuid } from "~/lib/ids";

function sign(secret: string, message: string): string {
  return createHmac("sha256", secret).update(message).digest("base64url");
}

/** A link token that turns one category off for one user: the pair, signed with SESSION_SECRET. */
export function unsubscribeToken(userId: string, category: NotifyCategory, secret: string): string {
  return `${userId}.${category}.${sign(secret, `unsubscribe:${userId}:${category}`)}`;
}

export function verifyUnsubscribeToken(
  token: string,
  secret: string,
): { userId: string; category: NotifyCategory } | null {
  const [userId, category, signature, ...rest] = token.split(".");
  if (rest.length || !userId || !category || !signature || !isUuid(userId)) return null;
  if (!(notifyCategories as readonly string[]).includes(category) || category === "security") return null;
  const expected = Buffer.from(sign(secret, `unsubscribe:${userId}:${category}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { userId, category: category as NotifyCategory };
}

/**
 * The secret in a password reset link, derived from the reset's id with SESSION_SECRET. The
 * outbox stores only the id and the reset table only the token's hash, so the database alone
 * never holds a working link.
 */
export function passwordResetToken(resetId: string, secret: string): string {
  return sign(secret, `password-reset:${resetId}`);
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
