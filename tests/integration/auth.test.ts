import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { logIn, signUp } from "~/auth/accounts.server";
import { requireEstatePermission } from "~/auth/guards.server";
import { loginLimit, takeLoginAttempt, waitAfter } from "~/auth/rate-limit.server";
import { loader as estateLayout } from "~/routes/e.$estate";
import { loader as estateHome } from "~/routes/e.$estate._index";
import { call, contextFor, expectStatus, makeEstate, makeUser } from "../fixtures";

const verifyPhone = (email: string) =>
  getDb().update(schema.users).set({ phoneVerifiedAt: new Date() }).where(eq(schema.users.email, email));

describe("sign up and log in", () => {
  it("logs in by email or by a verified phone, and refuses a wrong password", async () => {
    expect(
      await signUp(
        {
          email: "Mei@Example.com ",
          password: "correct horse",
          displayName: "梅",
          phone: "+86 139 1234 5678",
          locale: "zh-CN",
        },
        "10.0.0.1",
      ),
    ).toEqual({ ok: true });
    expect(await logIn("mei@example.com", "correct horse", "10.0.0.1")).toMatchObject({ ok: true });
    await verifyPhone("mei@example.com");
    expect(await logIn("13912345678", "correct horse", "10.0.0.1")).toMatchObject({ ok: true });
    expect(await logIn("mei@example.com", "wrong", "10.0.0.1")).toEqual({ ok: false, error: "invalid" });
  });

  it("locks one address out of an account at the tenth wrong password in 15 minutes, for 15 minutes", async () => {
    await signUp(
      { email: "lock@example.com", password: "right password", displayName: "锁", locale: "zh-CN" },
      "10.0.0.2",
    );
    const t0 = new Date("2026-11-26T10:00:00Z");
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    for (let i = 0; i < 9; i++) {
      expect(await logIn("lock@example.com", "nope", "10.1.0.1", at(i))).toEqual({ ok: false, error: "invalid" });
    }
    const tenth = await logIn("lock@example.com", "nope", "10.1.0.1", at(9));
    expect(tenth).toMatchObject({ ok: false, error: "locked", justLocked: true, until: at(24) });
    // Locked from that address even with the right password…
    expect(await logIn("lock@example.com", "right password", "10.1.0.1", at(23.9))).toMatchObject({
      ok: false,
      error: "locked",
    });
    // …but not from another (the account alone only slows down, and a minute has passed).
    expect(await logIn("lock@example.com", "right password", "10.2.0.1", at(10))).toMatchObject({ ok: true });
    // Fifteen minutes after the tenth failure, the oldest failures have left the window.
    expect(await logIn("lock@example.com", "right password", "10.1.0.1", at(24.01))).toMatchObject({ ok: true });
  });

  it("does not lock on nine failures, and a success starts the count again", async () => {
    await signUp(
      { email: "nine@example.com", password: "right password", displayName: "九", locale: "zh-CN" },
      "10.0.0.3",
    );
    const t0 = new Date("2026-11-26T12:00:00Z");
    for (let i = 0; i < 9; i++) await logIn("nine@example.com", "nope", "10.3.0.1", new Date(t0.getTime() + i * 1000));
    expect(
      await logIn("nine@example.com", "right password", "10.3.0.1", new Date(t0.getTime() + 10_000)),
    ).toMatchObject({ ok: true });
    for (let i = 0; i < 9; i++) {
      expect(await logIn("nine@example.com", "nope", "10.3.0.1", new Date(t0.getTime() + 11_000 + i * 1000))).toEqual({
        ok: false,
        error: "invalid",
      });
    }
  });

  it("only slows down one address trying many accounts: past 100 failures each guess waits, nothing locks", async () => {
    const t0 = new Date("2026-11-26T14:00:00Z");
    // 100 failed attempts taken directly (each real attempt costs a slow hash).
    for (let i = 0; i < 100; i++)
      expect((await takeLoginAttempt(`email:nobody${i}@example.com`, "10.9.9.9", new Date(t0.getTime() + i))).ok).toBe(
        true,
      );
    const refused = await logIn("fresh@example.com", "x", "10.9.9.9", new Date(t0.getTime() + 200));
    expect(refused).toMatchObject({ ok: false, error: "wait" });
    expect((refused as { until: Date }).until.getTime()).toBe(t0.getTime() + 99 + waitAfter(100, loginLimit.ipFree));
    // After the wait the address may try again.
    expect(await logIn("fresh@example.com", "x", "10.9.9.9", new Date(t0.getTime() + 1200))).toEqual({
      ok: false,
      error: "invalid",
    });
    // Another address is not affected.
    expect(await logIn("fresh@example.com", "x", "10.9.9.8", new Date(t0.getTime() + 1300))).toEqual({
      ok: false,
      error: "invalid",
    });
  });

  it("waits grow from one second, doubling, to at most a minute", () => {
    expect([9, 10, 11, 12, 15, 16, 40].map((n) => waitAfter(n, 10))).toEqual([
      0, 1000, 2000, 4000, 32_000, 60_000, 60_000,
    ]);
  });
});

describe("estate authorisation", () => {
  it("sends the anonymous to log in, hides the estate from outsiders, admits members", async () => {
    const estate = await makeEstate();
    const other = await makeEstate();
    const owner = await makeUser([{ role: "owner", estateId: estate.id }]);
    const outsider = await makeUser([{ role: "owner", estateId: other.id }]);
    const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }]);
    const url = `/e/${estate.slug}`;
    const params = { estate: estate.slug };
    const anonymous = await expectStatus(estateHome, { url, params }, 302);
    expect((anonymous as Response).headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(url)}`);
    await expectStatus(estateHome, { url, params, user: outsider }, 404);
    await expectStatus(estateHome, { url, params, user: owner }, 200);
    await expectStatus(estateHome, { url, params, user: admin }, 200);
    await expectStatus(estateHome, { url: "/e/nope", params: { estate: "nope" }, user: owner }, 404);
  });

  it("gives 403 to a member whose role is not allowed", async () => {
    const estate = await makeEstate();
    const resident = await makeUser([{ role: "resident", estateId: estate.id }]);
    const request = new Request("http://localhost/x");
    const result = await requireEstatePermission(request, contextFor(resident), estate.slug, "meetings:manage").catch(
      (r: Response) => r,
    );
    expect((result as Response).status).toBe(403);
    const ok = await requireEstatePermission(request, contextFor(resident), estate.slug, "tickets:file");
    expect(ok.roles).toEqual(["resident"]);
  });
});

describe("routes", () => {
  it("renders the estate home for a member", async () => {
    const estate = await makeEstate({ name: "测试花园" });
    const owner = await makeUser([{ role: "owner", estateId: estate.id }]);
    // The estate layout (e.$estate.tsx) gives every page the estate; the home adds its counts.
    const layout = (await call(estateLayout, {
      url: `/e/${estate.slug}`,
      params: { estate: estate.slug },
      user: owner,
    })) as { estate: { name: string } };
    expect(layout.estate.name).toBe("测试花园");
    const home = (await call(estateHome, {
      url: `/e/${estate.slug}`,
      params: { estate: estate.slug },
      user: owner,
    })) as { unitCount: number };
    expect(home.unitCount).toBe(0);
  });
});
