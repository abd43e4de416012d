import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal, secretKey } from "./secret-box.server";

describe("secret box (AES-256-GCM)", () => {
  const key = randomBytes(32);

  it("opens what it sealed, and seals the same text differently each time", () => {
    const a = seal(key, "202612BB8f2c9d3e4a5b6c7d8e9f0a1b2c3d", "alipay_app_auth_token");
    const b = seal(key, "202612BB8f2c9d3e4a5b6c7d8e9f0a1b2c3d", "alipay_app_auth_token");
    expect(a).not.toBe(b);
    expect(a).not.toContain("202612BB");
    expect(open(key, a, "alipay_app_auth_token")).toBe("202612BB8f2c9d3e4a5b6c7d8e9f0a1b2c3d");
  });

  it("refuses another key, another purpose, and any changed byte", () => {
    const sealed = seal(key, "secret", "alipay_app_auth_token");
    expect(() => open(randomBytes(32), sealed, "alipay_app_auth_token")).toThrow();
    expect(() => open(key, sealed, "other")).toThrow();
    const parts = sealed.split(".");
    const data = Buffer.from(parts[2], "base64url");
    data[0] ^= 1;
    parts[2] = data.toString("base64url");
    expect(() => open(key, parts.join("."), "alipay_app_auth_token")).toThrow();
    expect(() => open(key, "v1.x.y", "alipay_app_auth_token")).toThrow();
  });

  it("reads the key as base64 or hex, 32 bytes only", () => {
    const raw = randomBytes(32);
    expect(secretKey(raw.toString("base64")).equals(raw)).toBe(true);
    expect(secretKey(raw.toString("hex")).equals(raw)).toBe(true);
    expect(() => secretKey(undefined)).toThrow(/PAYMENT_SECRETS_KEY/);
    expect(() => secretKey(randomBytes(16).toString("base64"))).toThrow(/32 bytes/);
  });
});
