import { createHash } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { checkCode, codeLifetimeMs, requestCode } from "~/auth/sms-codes.server";
import { setSmsProvider } from "~/sms/factory.server";
import type { OutgoingSms, SmsProvider } from "~/sms/provider.server";

/** Every SMS the app sends during these tests, as the carrier would get it. */
export const inbox: OutgoingSms[] = [];
const capturing: SmsProvider = {
  name: "aliyun",
  async send(message) {
    inbox.push(message);
    return { providerId: `test-${inbox.length}` };
  },
};

let counter = 0;
/** A fresh mainland mobile number per test, so tests never share a number's limits. */
export function freshPhone(): string {
  counter += 1;
  return `139${String(process.pid % 10000).padStart(4, "0")}${String(counter).padStart(4, "0")}`;
}
let ipCounter = 0;
export const freshIp = () => `10.20.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

/** The last code sent to a number. */
export function lastCode(phone: string): string {
  const sent = inbox.filter((m) => m.phone === phone && m.template === "code").at(-1);
  if (!sent) throw new Error(`no code sent to ${phone}`);
  return sent.params.code;
}

beforeAll(() => setSmsProvider(capturing));
afterAll(() => setSmsProvider(undefined));

const t0 = new Date("2026-12-01T02:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("SMS codes", () => {
  it("sends a random 6-digit code, kept only as an HMAC (neither the digits nor their sha256)", async () => {
    const phone = freshPhone();
    expect(await requestCode({ phone, purpose: "login", ip: freshIp(), now: t0 })).toEqual({ ok: true });
    const code = lastCode(phone);
    expect(code).toMatch(/^\d{6}$/);
    const rows = await getDb().select().from(schema.smsCodes).where(eq(schema.smsCodes.phone, phone));
    expect(rows).toHaveLength(1);
    const stored = rows[0].codeHmac;
    expect(stored).not.toContain(code);
    for (const encoding of ["hex", "base64", "base64url"] as const)
      expect(stored).not.toBe(createHash("sha256").update(code).digest(encoding));
    // The SMS log keeps no digits either.
    const [logged] = await getDb().select().from(schema.smsMessages).where(eq(schema.smsMessages.phone, phone));
    expect(JSON.stringify(logged.params)).not.toContain(code);
  });

  it("is valid until just before 5 minutes and refused at 5:00", async () => {
    const phone = freshPhone();
    await requestCode({ phone, purpose: "login", ip: freshIp(), now: t0 });
    const code = lastCode(phone);
    expect(await checkCode({ phone, purpose: "login", code, now: at(codeLifetimeMs) })).toBe(false);
    expect(await checkCode({ phone, purpose: "login", code, now: at(codeLifetimeMs - 1) })).toBe(true);

    const other = freshPhone();
    await requestCode({ phone: other, purpose: "login", ip: freshIp(), now: t0 });
    expect(
      await checkCode({ phone: other, purpose: "login", code: lastCode(other), now: at(4 * 60_000 + 59_000) }),
    ).toBe(true);
  });

  it("allows five tries: the fifth may succeed, the sixth is refused even when right", async () => {
    const a = freshPhone();
    await requestCode({ phone: a, purpose: "login", ip: freshIp(), now: t0 });
    const codeA = lastCode(a);
    for (let i = 0; i < 4; i++)
      expect(await checkCode({ phone: a, purpose: "login", code: wrong(codeA), now: t0 })).toBe(false);
    expect(await checkCode({ phone: a, purpose: "login", code: codeA, now: t0 })).toBe(true);

    const b = freshPhone();
    await requestCode({ phone: b, purpose: "login", ip: freshIp(), now: t0 });
    const codeB = lastCode(b);
    for (let i = 0; i < 5; i++)
      expect(await checkCode({ phone: b, purpose: "login", code: wrong(codeB), now: t0 })).toBe(false);
    expect(await checkCode({ phone: b, purpose: "login", code: codeB, now: t0 })).toBe(false);
  });

  it("five guesses at once: no more than five checks reach the code", async () => {
    const phone = freshPhone();
    await requestCode({ phone, purpose: "login", ip: freshIp(), now: t0 });
    const code = lastCode(phone);
    await Promise.all(
      Array.from({ length: 8 }, () => checkCode({ phone, purpose: "login", code: wrong(code), now: t0 })),
    );
    expect(await checkCode({ phone, purpose: "login", code, now: t0 })).toBe(false);
    const [row] = await getDb().select().from(schema.smsCodes).where(eq(schema.smsCodes.phone, phone));
    expect(row.tries).toBe(5);
  });

  it("refuses a code used once already, for another number, or for another purpose", async () => {
    const phone = freshPhone();
    const other = freshPhone();
    await requestCode({ phone, purpose: "login", ip: freshIp(), now: t0 });
    await requestCode({ phone: other, purpose: "login", ip: freshIp(), now: t0 });
    await requestCode({ phone, purpose: "reset", ip: freshIp(), now: at(60_000) });
    const code = lastCode(phone); // the reset code
    expect(await checkCode({ phone: other, purpose: "login", code, now: at(61_000) })).toBe(false);
    expect(await checkCode({ phone, purpose: "signup", code, now: at(61_000) })).toBe(false);
    expect(await checkCode({ phone, purpose: "reset", code, now: at(61_000) })).toBe(true);
    expect(await checkCode({ phone, purpose: "reset", code, now: at(62_000) })).toBe(false);
  });

  it("keeps one live code per number and purpose: a new one replaces the old", async () => {
    const phone = freshPhone();
    await requestCode({ phone, purpose: "signup", ip: freshIp(), now: t0 });
    const first = lastCode(phone);
    await requestCode({ phone, purpose: "signup", ip: freshIp(), now: at(60_000) });
    const second = lastCode(phone);
    if (first !== second)
      expect(await checkCode({ phone, purpose: "signup", code: first, now: at(61_000) })).toBe(false);
    expect(await checkCode({ phone, purpose: "signup", code: second, now: at(61_000) })).toBe(true);
    const live = await getDb()
      .select()
      .from(schema.smsCodes)
      .where(and(eq(schema.smsCodes.phone, phone), isNull(schema.smsCodes.closedAt)));
    expect(live).toHaveLength(0);
  });

  it("sends to a number once a minute: at 59 s refused, at 60 s allowed", async () => {
    const phone = freshPhone();
    expect((await requestCode({ phone, purpose: "login", ip: freshIp(), now: t0 })).ok).toBe(true);
    const sooner = await requestCode({ phone, purpose: "reset", ip: freshIp(), now: at(59_000) });
    expect(sooner).toMatchObject({ ok: false, error: "tooSoon" });
    expect((await requestCode({ phone, purpose: "login", ip: freshIp(), now: at(60_000) })).ok).toBe(true);
  });

  it("sends to a number ten times in 24 hours, the eleventh refused; a day later again", async () => {
    const phone = freshPhone();
    for (let i = 0; i < 10; i++)
      expect((await requestCode({ phone, purpose: "login", ip: freshIp(), now: at(i * 60_000) })).ok).toBe(true);
    const sent = inbox.filter((m) => m.phone === phone).length;
    expect(await requestCode({ phone, purpose: "login", ip: freshIp(), now: at(10 * 60_000) })).toMatchObject({
      ok: false,
      error: "tooMany",
    });
    expect(inbox.filter((m) => m.phone === phone).length).toBe(sent);
    // 24 hours after the first, one slot is free again.
    expect((await requestCode({ phone, purpose: "login", ip: freshIp(), now: at(24 * 3_600_000) })).ok).toBe(true);
  });

  it("limits sends from one address to 30 an hour, across numbers", async () => {
    const ip = freshIp();
    for (let i = 0; i < 30; i++)
      expect((await requestCode({ phone: freshPhone(), purpose: "signup", ip, now: at(i * 1000) })).ok).toBe(true);
    expect(await requestCode({ phone: freshPhone(), purpose: "signup", ip, now: at(31_000) })).toMatchObject({
      ok: false,
      error: "tooMany",
    });
    expect((await requestCode({ phone: freshPhone(), purpose: "signup", ip: freshIp(), now: at(31_000) })).ok).toBe(
      true,
    );
  });

  it("sends at once to one number: only one gets through", async () => {
    const phone = freshPhone();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => requestCode({ phone, purpose: "login", ip: freshIp(), now: t0 })),
    );
    expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(1);
  });

  it("refuses what is not a mainland mobile number", async () => {
    expect(await requestCode({ phone: "12345", purpose: "login", ip: freshIp(), now: t0 })).toEqual({
      ok: false,
      error: "invalidPhone",
    });
  });
});
