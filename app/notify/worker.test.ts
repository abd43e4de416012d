import { describe, expect, it } from "vitest";
import { backoffDelay, isPermanent, smtpOptions } from "./worker.server";

describe("backoff", () => {
  it("doubles from the base up to the ceiling, with jitter in the upper half", () => {
    const base = 30_000;
    const max = 3_600_000;
    expect(backoffDelay(1, base, max, () => 0)).toBe(15_000);
    expect(backoffDelay(1, base, max, () => 1)).toBe(30_000);
    expect(backoffDelay(2, base, max, () => 1)).toBe(60_000);
    expect(backoffDelay(5, base, max, () => 0.5)).toBe(Math.round(480_000 * 0.75));
    expect(backoffDelay(30, base, max, () => 1)).toBe(max);
    expect(backoffDelay(30, base, max, () => 0)).toBe(max / 2);
    for (let attempt = 1; attempt < 12; attempt++) {
      const d = backoffDelay(attempt, base, max);
      expect(d).toBeGreaterThanOrEqual(Math.min(max, base * 2 ** (attempt - 1)) / 2);
      expect(d).toBeLessThanOrEqual(Math.min(max, base * 2 ** (attempt - 1)));
    }
  });
});

describe("SMTP errors", () => {
  it("treat 5xx replies as permanent and everything else as worth retrying", () => {
    expect(isPermanent({ responseCode: 550 })).toBe(true);
    expect(isPermanent({ responseCode: 421 })).toBe(false);
    expect(isPermanent({ code: "ECONNREFUSED" })).toBe(false);
    expect(isPermanent(new Error("x"))).toBe(false);
    expect(isPermanent(undefined)).toBe(false);
  });
});

describe("SMTP_URL", () => {
  it("becomes pooled nodemailer options with credentials decoded", () => {
    expect(smtpOptions("smtp://mailer%40x.org:p%3Ass@smtp.x.org:2525")).toMatchObject({
      pool: true,
      host: "smtp.x.org",
      port: 2525,
      secure: false,
      auth: { user: "mailer@x.org", pass: "p:ss" },
    });
    expect(smtpOptions("smtps://smtp.x.org")).toMatchObject({ port: 465, secure: true, auth: undefined });
    expect(smtpOptions("smtp://localhost")).toMatchObject({ port: 587 });
    expect(() => smtpOptions("http://x")).toThrow();
  });
});
