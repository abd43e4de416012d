/**
 * Accounts and input (issue 12): each finding is a named test that performs the attack through
 * the real route modules against the real database and checks that it is refused.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { logIn } from "~/auth/accounts.server";
import { hashPassword } from "~/auth/password.server";
import { signupLimit } from "~/auth/accounts.server";
import { action as langAction } from "~/routes/lang";
import { action as loginAction } from "~/routes/login";
import { action as signupAction } from "~/routes/signup";
import { grantProxy } from "~/voting/proxies.server";
import { call, makeUser, statusOf } from "../fixtures";
import { plainJpeg } from "../ticket-photos";
import { attackWorld } from "./attacks-world";

/** Known ways past a "starts with one slash" check; all must end on this site. */
const redirectBypasses = [
  "/\t/127.0.0.1:9/pwned",
  "/%09/127.0.0.1:9/pwned",
  "\t//evil.example",
  "/\r\n/evil.example",
  "/\u0000/evil.example",
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "/%5Cevil.example",
  "/%2F%2Fevil.example",
  "/..//evil.example",
  "https://evil.example",
  "javascript:alert(1)",
];

const locationOf = (result: unknown) => (result as Response).headers.get("Location");

describe("finding: open redirect after login through a tab in the path (/login, /signup, /lang)", () => {
  it("logs in and goes home, not off the site, for the reported URL and its cousins", async () => {
    const email = `redirect-${Date.now()}@example.com`;
    await getDb()
      .insert(schema.users)
      .values({ email, passwordHash: await hashPassword("right password"), displayName: "跳转" });
    for (const redirectTo of ["/\t/127.0.0.1:9/pwned", "/..//evil.example", "/\\evil.example"]) {
      const res = await call(loginAction, {
        url: "/login",
        form: { identifier: email, password: "right password", redirectTo },
      });
      expect((res as Response).status, redirectTo).toBe(302);
      expect(locationOf(res), JSON.stringify(redirectTo)).toBe("/");
    }
    const res = await call(loginAction, {
      url: "/login",
      form: { identifier: email, password: "right password", redirectTo: "/e/yixin?x=1" },
    });
    expect(locationOf(res)).toBe("/e/yixin?x=1");
  });

  it.each(redirectBypasses)("/lang sends %j home", async (redirectTo) => {
    const res = await call(langAction, { url: "/lang", form: { locale: "en", redirectTo } });
    expect(locationOf(res)).toBe("/");
  });
});

describe("finding: sign-up tells whether an email or phone is registered (409 emailTaken, no limit)", () => {
  const form = (email: string, phone = "") => ({
    email,
    displayName: "探测",
    phone,
    password: "a long enough password",
    confirmPassword: "a long enough password",
  });
  const answer = async (result: unknown) => {
    const res = result as Response;
    return { status: res.status, location: res.headers.get("Location"), cookie: res.headers.get("Set-Cookie") };
  };

  it("answers a registered email, a registered phone and a new one alike, and mails the registered email's owner", async () => {
    const stamp = Date.now();
    const owner = await makeUser();
    await getDb()
      .update(schema.users)
      .set({ phone: "13900005555", phoneVerifiedAt: new Date() })
      .where(eq(schema.users.id, owner.id));
    const taken = await answer(await call(signupAction, { url: "/signup", form: form(owner.email) }));
    const phone = await answer(
      await call(signupAction, { url: "/signup", form: form(`phone-${stamp}@example.com`, "13900005555") }),
    );
    const fresh = await answer(await call(signupAction, { url: "/signup", form: form(`fresh-${stamp}@example.com`) }));
    expect(taken).toEqual({ status: 302, location: "/login?signedUp=1&by=password", cookie: null });
    expect(phone).toEqual(taken);
    expect(fresh).toEqual(taken);
    const mailed = await getDb()
      .select({ template: schema.outbox.template })
      .from(schema.outbox)
      .where(eq(schema.outbox.userId, owner.id));
    expect(mailed).toEqual([{ template: "signup-attempt" }]);
    // The registered account is untouched; the phone stays the verified owner's.
    expect(await logIn("13900005555", "a long enough password", "10.77.0.1")).toEqual({ ok: false, error: "invalid" });
  });

  it("limits sign-ups per address, counted in the database", async () => {
    const stamp = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i <= signupLimit.perIp; i++) {
      // contextFor gives every call the address 127.0.0.1; tests before this one used a few.
      statuses.push(
        statusOf(await call(signupAction, { url: "/signup", form: form(`many-${stamp}-${i}@example.com`) })),
      );
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 302).length).toBeLessThanOrEqual(signupLimit.perIp);
  });
});

describe("finding: an unverified phone from sign-up resolves a proxy and logs in", () => {
  it("names no proxy holder and logs nobody in until verified", async () => {
    const w = await attackWorld();
    const holder = await makeUser([{ role: "owner", estateId: w.estate.id }], "代理人");
    await getDb().update(schema.users).set({ phone: "13900004444" }).where(eq(schema.users.id, holder.id));
    await getDb()
      .update(schema.users)
      .set({ passwordHash: await hashPassword("holder password") })
      .where(eq(schema.users.id, holder.id));
    const grant = () =>
      grantProxy(
        { proposalId: w.ids.votingId },
        {
          estateId: w.estate.id,
          userId: w.owner.id,
          proxyIdentifier: "139 0000 4444",
          proxyName: "代理人",
          file: { name: "auth.jpg", type: "image/jpeg", bytes: plainJpeg },
        },
      );
    expect(await grant()).toEqual({ ok: false, error: "voting.errors.proxyUnknown" });
    expect(await logIn("13900004444", "holder password", "10.78.0.1")).toEqual({ ok: false, error: "invalid" });

    // Verified (seeded from the roster, or by SMS later), the same number works for both.
    await getDb().update(schema.users).set({ phoneVerifiedAt: new Date() }).where(eq(schema.users.id, holder.id));
    expect(await logIn("13900004444", "holder password", "10.78.0.1")).toMatchObject({ ok: true, userId: holder.id });
    // The number now names the holder (the world may already hold a live authorisation of this
    // owner's for the vote, which refuses a second one after the holder is found).
    const granted = await grant();
    expect(granted).not.toEqual({ ok: false, error: "voting.errors.proxyUnknown" });
    if (granted.ok) {
      const [row] = await getDb()
        .select({ proxyUserId: schema.proxies.proxyUserId })
        .from(schema.proxies)
        .where(and(eq(schema.proxies.proposalId, w.ids.votingId), eq(schema.proxies.proxyUserId, holder.id)));
      expect(row?.proxyUserId).toBe(holder.id);
    }
  });
});
