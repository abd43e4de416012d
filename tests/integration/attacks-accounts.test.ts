/**
 * Accounts and input (issue 12): each finding is a named test that performs the attack through
 * the real route modules against the real database and checks that it is refused.
 */
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { hashPassword } from "~/auth/password.server";
import { action as langAction } from "~/routes/lang";
import { action as loginAction } from "~/routes/login";
import { call } from "../fixtures";

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
    await getDb().insert(schema.users).values({ email, passwordHash: await hashPassword("right password"), displayName: "跳转" });
    for (const redirectTo of ["/\t/127.0.0.1:9/pwned", "/..//evil.example", "/\\evil.example"]) {
      const res = await call(loginAction, { url: "/login", form: { identifier: email, password: "right password", redirectTo } });
      expect((res as Response).status, redirectTo).toBe(302);
      expect(locationOf(res), JSON.stringify(redirectTo)).toBe("/");
    }
    const res = await call(loginAction, { url: "/login", form: { identifier: email, password: "right password", redirectTo: "/e/yixin?x=1" } });
    expect(locationOf(res)).toBe("/e/yixin?x=1");
  });

  it.each(redirectBypasses)("/lang sends %j home", async (redirectTo) => {
    const res = await call(langAction, { url: "/lang", form: { locale: "en", redirectTo } });
    expect(locationOf(res)).toBe("/");
  });
});
