import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/*
 * Secrets kept in the database (an estate's Alipay app_auth_token): AES-256-GCM under a key from
 * the environment (PAYMENT_SECRETS_KEY), so a copy of the database alone does not give them away.
 * A sealed value is "v1.<iv>.<ciphertext>.<tag>" (base64url); the purpose is bound in as associated
 * data, so a value sealed for one column cannot be moved to another.
 */

const version = "v1";

/** The key from its text form: 32 bytes as base64 (44 characters) or as 64 hex digits. */
export function secretKey(text: string | undefined): Buffer {
  if (!text) throw new Error("PAYMENT_SECRETS_KEY is not set (32 random bytes: `openssl rand -base64 32`)");
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) throw new Error("PAYMENT_SECRETS_KEY must be 32 bytes (base64 or 64 hex digits)");
  return key;
}

export function seal(key: Buffer, plain: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(purpose, "utf8"));
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [version, iv, data, cipher.getAuthTag()]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** Opens a sealed value; throws when the key, the purpose or any byte differs. */
export function open(key: Buffer, sealed: string, purpose: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== version) throw new Error("not a sealed secret");
  const [iv, data, tag] = parts.slice(1).map((p) => Buffer.from(p, "base64url"));
  if (iv.length !== 12 || tag.length !== 16) throw new Error("not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(Buffer.from(purpose, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
  } catch {
    throw new Error("the sealed secret does not open with this key");
  }
}
