import { describe, expect, it } from "vitest";
import { hashToken, passwordResetToken, unsubscribeToken, verifyUnsubscribeToken } from "./tokens.server";

const userId = "0b7d1c52-8a57-4b8e-9a43-3f1d2a0e9c11";
const secret = "a-secret-of-sufficient-length";

describe("unsubscribe tokens", () => {
  it("name the user and the category, signed", () => {
    const token = unsubscribeToken(userId, "votes", secret);
    expect(verifyUnsubscribeToken(token, secret)).toEqual({ userId, category: "votes" });
    expect(token).toMatch(/^[0-9a-f-]{36}\.votes\.[A-Za-z0-9_-]{43}$/);
  });

  it("refuse another secret, another category, another user, a cut signature, and security mail", () => {
    const token = unsubscribeToken(userId, "votes", secret);
    expect(verifyUnsubscribeToken(token, "another-secret-entirely")).toBeNull();
    expect(verifyUnsubscribeToken(token.replace(".votes.", ".bills."), secret)).toBeNull();
    expect(verifyUnsubscribeToken(token.replace(userId, "0b7d1c52-8a57-4b8e-9a43-3f1d2a0e9c12"), secret)).toBeNull();
    expect(verifyUnsubscribeToken(token.slice(0, -1), secret)).toBeNull();
    expect(verifyUnsubscribeToken(`${token}.x`, secret)).toBeNull();
    expect(verifyUnsubscribeToken(unsubscribeToken(userId, "security", secret), secret)).toBeNull();
    expect(verifyUnsubscribeToken("", secret)).toBeNull();
  });
});

describe("password reset tokens", () => {
  it("are derived from the reset id with the secret, and stored only as a hash", () => {
    const a = passwordResetToken("id-1", secret);
    expect(a).toBe(passwordResetToken("id-1", secret));
    expect(a).not.toBe(passwordResetToken("id-2", secret));
    expect(a).not.toBe(passwordResetToken("id-1", "another-secret-entirely"));
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).not.toContain(a);
  });
});
