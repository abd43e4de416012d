import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { changePhone, logIn, logInByCode, signUpByPhone } from "~/auth/accounts.server";
import { hashPassword } from "~/auth/password.server";
import { resetPasswordByCode } from "~/auth/password-reset.server";
import { startSession } from "~/auth/session.server";
import { requestCode } from "~/auth/sms-codes.server";
import { action as loginAction } from "~/routes/login";
import { action as signupAction } from "~/routes/signup";
import { call, makeUser, statusOf } from "../fixtures";
import { captureSms, freshIp, freshPhone, inbox, lastCode } from "./phone-helpers";

captureSms();
const { users } = schema;

async function phoneUser(phone: string, verified: boolean, password?: string) {
  const [u] = await getDb()
    .insert(users)
    .values({
      email: `p-${phone}@test.local`,
      passwordHash: password ? await hashPassword(password) : null,
      displayName: "测试",
      phone,
      phoneVerifiedAt: verified ? new Date() : null,
    })
    .returning();
  return u;
}

async function codeFor(phone: string, purpose: "signup" | "login" | "reset" | "change_number", now?: Date) {
  const sent = await requestCode({ phone, purpose, ip: freshIp(), now });
  expect(sent).toEqual({ ok: true });
  return lastCode(phone);
}

describe("phone accounts", () => {
  it("signs up by phone and code, without password or email, then logs in by code", async () => {
    const phone = freshPhone();
    const signedUp = await signUpByPhone(
      { phone, code: await codeFor(phone, "signup"), displayName: "王阿姨", locale: "zh-CN" },
      freshIp(),
    );
    expect(signedUp).toMatchObject({ ok: true, existing: false });
    const [row] = await getDb().select().from(users).where(eq(users.phone, phone));
    expect(row.email).toBeNull();
    expect(row.passwordHash).toBeNull();
    expect(row.phoneVerifiedAt).not.toBeNull();
    // No password: the password form never lets it in, whatever is typed.
    expect(await logIn(phone, "", freshIp())).toMatchObject({ ok: false, error: "invalid" });
    const later = new Date(Date.now() + 61_000);
    const ok = await logInByCode(phone, await codeFor(phone, "login", later), freshIp(), later);
    expect(ok).toEqual({ ok: true, userId: signedUp.ok && signedUp.userId });
  });

  it("a sign-up code for a registered number logs into that account, changing nothing", async () => {
    const phone = freshPhone();
    const owner = await phoneUser(phone, true, "old-password-1");
    const again = await signUpByPhone(
      { phone, code: await codeFor(phone, "signup"), displayName: "冒名", password: "new-password-2", locale: "zh-CN" },
      freshIp(),
    );
    expect(again).toEqual({ ok: true, userId: owner.id, existing: true, emailAdded: false });
    const [row] = await getDb().select().from(users).where(eq(users.id, owner.id));
    expect(row.displayName).toBe("测试");
    expect(await logIn(phone, "old-password-1", freshIp())).toMatchObject({ ok: true });
  });

  it("a wrong sign-up code creates nothing", async () => {
    const phone = freshPhone();
    const code = await codeFor(phone, "signup");
    const wrong = code === "000000" ? "000001" : "000000";
    expect(await signUpByPhone({ phone, code: wrong, displayName: "王", locale: "zh-CN" }, freshIp())).toEqual({
      ok: false,
      error: "invalidCode",
    });
    expect(await getDb().select().from(users).where(eq(users.phone, phone))).toHaveLength(0);
  });

  it("an email taken by another account is left out of a phone sign-up", async () => {
    const other = await makeUser();
    const phone = freshPhone();
    const r = await signUpByPhone(
      { phone, code: await codeFor(phone, "signup"), displayName: "王", email: other.email, locale: "zh-CN" },
      freshIp(),
    );
    expect(r).toMatchObject({ ok: true, emailAdded: false });
    const [row] = await getDb().select().from(users).where(eq(users.phone, phone));
    expect(row.email).toBeNull();
  });

  it("an unverified phone logs nobody in, by code or by password", async () => {
    const phone = freshPhone();
    await phoneUser(phone, false, "a-password-9");
    expect(await logIn(phone, "a-password-9", freshIp())).toMatchObject({ ok: false, error: "invalid" });
    const r = await logInByCode(phone, await codeFor(phone, "login"), freshIp());
    expect(r).toEqual({ ok: false, error: "noAccount" });
  });

  it("a login code is refused for signing up, and a code for another number is refused", async () => {
    const phone = freshPhone();
    const user = await phoneUser(phone, true);
    const other = freshPhone();
    await phoneUser(other, true);
    const code = await codeFor(phone, "login");
    expect(await logInByCode(other, code, freshIp())).toMatchObject({ ok: false, error: "invalid" });
    expect(await signUpByPhone({ phone, code, displayName: "x", locale: "zh-CN" }, freshIp())).toMatchObject({
      ok: false,
      error: "invalidCode",
    });
    expect(await logInByCode(phone, code, freshIp())).toEqual({ ok: true, userId: user.id });
    expect(await logInByCode(phone, code, freshIp())).toMatchObject({ ok: false, error: "invalid" });
  });

  it("login by code counts under the login limit: ten failures lock the address out of the account", async () => {
    const phone = freshPhone();
    await phoneUser(phone, true);
    const ip = freshIp();
    const t0 = new Date();
    let last: unknown;
    for (let i = 0; i < 10; i++) last = await logInByCode(phone, "123456", ip, new Date(t0.getTime() + i * 61_000));
    expect(last).toMatchObject({ ok: false, error: "locked", justLocked: true });
    const code = await codeFor(phone, "login", new Date(t0.getTime() + 11 * 61_000));
    expect(await logInByCode(phone, code, ip, new Date(t0.getTime() + 11 * 61_000))).toMatchObject({
      ok: false,
      error: "locked",
    });
  });

  it("answers the same on the pages whether or not the number is registered", async () => {
    const answers = [];
    for (const [fn, url, intent] of [
      [signupAction, "/signup", "sendSignupCode"],
      [loginAction, "/login", "sendLoginCode"],
    ] as const) {
      const registered = freshPhone();
      await phoneUser(registered, true);
      const unknown = freshPhone();
      for (const phone of [registered, unknown]) {
        const before = inbox.length;
        const result = await call(fn, { url, form: { intent, phone } });
        const sms = inbox.slice(before).map((m) => ({ template: m.template, params: Object.keys(m.params) }));
        const body = JSON.stringify(result).replaceAll(phone.slice(-4), "XXXX");
        answers.push({ url, status: statusOf(result), body, sms });
      }
      expect(answers.at(-1)).toEqual(answers.at(-2));
      expect(answers.at(-1)!.sms).toEqual([{ template: "code", params: ["code"] }]);
    }
  });

  it("resets the password by a reset code, ending every session", async () => {
    const phone = freshPhone();
    const user = await phoneUser(phone, true, "old-password-1");
    await startSession(user.id);
    const r = await resetPasswordByCode(phone, await codeFor(phone, "reset"), "new-password-2");
    expect(r).toEqual({ ok: true, userId: user.id });
    expect(await getDb().select().from(schema.sessions).where(eq(schema.sessions.userId, user.id))).toHaveLength(0);
    expect(await logIn(phone, "new-password-2", freshIp())).toMatchObject({ ok: true });
  });

  it("changes the number with a code to the new one and the password; other sessions end, this one stays", async () => {
    const oldPhone = freshPhone();
    const user = await phoneUser(oldPhone, true, "pass-word-33");
    const here = (await startSession(user.id)).split(";")[0].split("=")[1];
    await startSession(user.id);
    await startSession(user.id);
    const newPhone = freshPhone();
    const newCode = await codeFor(newPhone, "change_number");
    // The code alone is not enough.
    expect(await changePhone({ userId: user.id, newPhone, newCode, ip: freshIp(), keepSessionId: here })).toMatchObject(
      { ok: false, error: "oldCode" },
    );
    const changed = await changePhone({
      userId: user.id,
      newPhone,
      newCode,
      password: "pass-word-33",
      ip: freshIp(),
      keepSessionId: here,
    });
    expect(changed).toEqual({ ok: true });
    const left = await getDb().select().from(schema.sessions).where(eq(schema.sessions.userId, user.id));
    expect(left.map((s) => s.id)).toEqual([here]);
    const [row] = await getDb().select().from(users).where(eq(users.id, user.id));
    expect(row.phone).toBe(newPhone);
    const audit = await getDb().select().from(schema.auditEvents).where(eq(schema.auditEvents.subjectId, user.id));
    expect(audit.map((a) => a.act)).toContain("phone_change");
    // The old number logs in no more.
    expect(await logIn(oldPhone, "pass-word-33", freshIp())).toMatchObject({ ok: false });
  });

  it("changes the number with codes to both numbers (no password), and refuses a number that is someone's", async () => {
    const oldPhone = freshPhone();
    const user = await phoneUser(oldPhone, true);
    const taken = freshPhone();
    await phoneUser(taken, true);
    expect(
      await changePhone({
        userId: user.id,
        newPhone: taken,
        newCode: await codeFor(taken, "change_number"),
        oldCode: await codeFor(oldPhone, "change_number"),
        ip: freshIp(),
      }),
    ).toEqual({ ok: false, error: "taken" });
    const second = await phoneUser(freshPhone(), true);
    const newPhone = freshPhone();
    expect(
      await changePhone({
        userId: second.id,
        newPhone,
        newCode: await codeFor(newPhone, "change_number"),
        oldCode: await codeFor(second.phone!, "change_number"),
        ip: freshIp(),
      }),
    ).toEqual({ ok: true });
  });
});
