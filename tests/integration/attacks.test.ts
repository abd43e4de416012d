/**
 * Attacks tried and refused (issue 8). Each is a named test that performs the attack through
 * the real route modules or the real server against the real database, and checks that it is
 * refused and that nothing changed. Where an older test already proves one exactly, it is
 * listed here instead of repeated.
 *
 * 1. Guessing the ids of another estate's objects: attacks-ids.test.ts (every route with an id
 *    param, derived from app/routes; ids in form fields; mixed parent/child URLs).
 * 2. A cross-site form post: below, through server/app.ts over HTTP (ballot, ticket, settings).
 *    The bare origin check is also in session.test.ts "refuses a form post from another origin".
 * 3. A script in every user-written text field: attacks-xss.test.ts (pages rendered by the real
 *    server). Data-level checks also in voting-routes.test.ts (proposal body) and
 *    committee.test.ts (minutes), tickets.test.ts (an SVG with a script named .jpg).
 * 4. An oversized or mislabelled upload: attacks-uploads.test.ts (every upload form).
 * 5. A forged or replayed Stripe event: payments.test.ts "refuses unsigned, forged, tampered and
 *    stale deliveries with 400 and records nothing" (bad signature, other secret, altered body,
 *    timestamp an hour old) and "changes nothing when the same event arrives twice"; below, the
 *    same signed event delivered many times at once.
 * 6. A reused reset token: notify.test.ts "mails a single-use link" (second use 410) and
 *    "expires after 30 minutes"; below, reuse and expiry through the page with the password
 *    checked unchanged, and two submissions of one link at once.
 * 7. A brute-forced login, lock-out across two app instances: attacks-login.test.ts (two server
 *    processes on one database). Lock-out rules in auth.test.ts.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { logIn, signUp } from "~/auth/accounts.server";
import { startSession } from "~/auth/session.server";
import { startCheckout } from "~/fees/checkout.server";
import { hashToken } from "~/notify/tokens.server";
import type { PaymentProvider } from "~/payments/provider.server";
import { stripeProvider } from "~/payments/stripe.server";
import { receiveWebhook } from "~/fees/webhook.server";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password.$token";
import { call, expectStatus, onPostgres, statusOf } from "../fixtures";
import { billById, billsOf, makeBilledEstate } from "../fees-fixtures";
import { startTestApp } from "../remix-app";
import { fakeWebhookSecret, startFakeStripe, type FakeStripe } from "../stripe-fake";
import { attackWorld, fingerprint, type AttackWorld } from "./attacks-world";

describe("attack: a cross-site form post", () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let w: AttackWorld;
  let cookie = "";
  let voterId = "";
  beforeAll(async () => {
    app = await startTestApp();
    w = await attackWorld();
    cookie = (await startSession(w.owner.id)).split(";")[0];
    const [owner] = await getDb()
      .select({ id: schema.owners.id })
      .from(schema.owners)
      .where(eq(schema.owners.userId, w.owner.id));
    const [voter] = await getDb()
      .select({ voterId: schema.voteVoters.voterId })
      .from(schema.voteVoters)
      .where(
        and(eq(schema.voteVoters.proposalId, w.ids.votingId), sql`${owner.id} = any(${schema.voteVoters.ownerIds})`),
      );
    voterId = voter.voterId;
  }, 60_000);
  afterAll(() => app.close());

  /** Representative state-changing posts of a logged-in owner. */
  const posts = (): { name: string; path: string; form: Record<string, string> }[] => [
    {
      name: "cast a ballot",
      path: `/e/${w.estate.slug}/proposals/${w.ids.votingId}?index`,
      form: { intent: "cast", voterId, choice: "oppose" },
    },
    {
      name: "file a ticket",
      path: `/e/${w.estate.slug}/tickets/new`,
      form: { unitId: w.unitId, category: "other", location: "unit", description: "伪造的报修", visibility: "public" },
    },
    { name: "change settings", path: "/settings/notifications", form: { "votes.mail": "on", "bills.mail": "on" } },
  ];
  const send = (path: string, form: Record<string, string>, headers: Record<string, string>) =>
    fetch(`${app.origin}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(form),
    });

  it("refuses a post with a foreign Origin, a null Origin, or Sec-Fetch-Site: cross-site, with 403, and changes nothing", async () => {
    const before = await fingerprint();
    const foreign: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { Origin: "null" },
      { Origin: app.origin.replace(/:\d+$/, ":1") },
      { Origin: app.origin.replace("http:", "https:") },
      { "Sec-Fetch-Site": "cross-site" },
    ];
    for (const { name, path, form } of posts()) {
      for (const headers of foreign) {
        const res = await send(path, form, headers);
        expect(res.status, `${name} with ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    expect(await fingerprint()).toEqual(before);
  });

  it("accepts the same posts from its own origin", async () => {
    for (const { name, path, form } of posts()) {
      const before = await fingerprint();
      const res = await send(path, form, { Origin: app.origin, "Sec-Fetch-Site": "same-origin" });
      expect(res.status, name).toBe(302);
      expect(await fingerprint(), `${name} changed something`).not.toEqual(before);
    }
    const [ballot] = await getDb()
      .select()
      .from(schema.ballots)
      .where(and(eq(schema.ballots.proposalId, w.ids.votingId), eq(schema.ballots.voterId, voterId)));
    expect(ballot.choice).toBe("oppose");
  });
});

describe("attack: a reused or expired reset token", () => {
  async function account(email: string) {
    const result = await signUp(
      { email, password: "old password 1", displayName: "王秀英", locale: "zh-CN" },
      "10.250.0.1",
    );
    if (!result.ok) throw new Error(result.error);
    return (await getDb().select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, email)))[0]
      .id;
  }
  /** A reset link as requestPasswordReset makes it (its mailing is tested in notify.test.ts). */
  async function link(userId: string, expiresAt = new Date(Date.now() + 30 * 60_000)) {
    const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
    await getDb()
      .insert(schema.passwordResets)
      .values({ userId, tokenHash: hashToken(token), expiresAt });
    return token;
  }
  const reset = (token: string, password: string) =>
    expectStatus(
      resetAction,
      { url: `/reset-password/${token}`, params: { token }, form: { password, confirmPassword: password } },
      302,
    ).then(() => undefined);

  it("works once; the second use is refused and the password stays the first one's", async () => {
    await account("reuse@example.com");
    const userId = (await getDb().select().from(schema.users).where(eq(schema.users.email, "reuse@example.com")))[0].id;
    const token = await link(userId);
    await reset(token, "first new password");
    await expectStatus(
      resetAction,
      {
        url: `/reset-password/${token}`,
        params: { token },
        form: { password: "attacker password", confirmPassword: "attacker password" },
      },
      410,
    );
    await expectStatus(resetLoader, { url: `/reset-password/${token}`, params: { token } }, 410);
    expect(await logIn("reuse@example.com", "attacker password", "10.7.0.1")).toEqual({ ok: false, error: "invalid" });
    expect(await logIn("reuse@example.com", "first new password", "10.7.0.1")).toMatchObject({ ok: true, userId });
  });

  it("refuses an expired token through the page, and the old password still works", async () => {
    const userId = await account("expired@example.com");
    const token = await link(userId, new Date(Date.now() - 1000));
    await expectStatus(resetLoader, { url: `/reset-password/${token}`, params: { token } }, 410);
    await expectStatus(
      resetAction,
      {
        url: `/reset-password/${token}`,
        params: { token },
        form: { password: "attacker password", confirmPassword: "attacker password" },
      },
      410,
    );
    expect(await logIn("expired@example.com", "old password 1", "10.7.0.2")).toMatchObject({ ok: true, userId });
  });

  it.runIf(onPostgres())(
    "lets exactly one of two simultaneous submissions of one link through (PostgreSQL only)",
    async () => {
      const userId = await account("race@example.com");
      const token = await link(userId);
      const passwords = ["race password one", "race password two"];
      const statuses = await Promise.all(
        passwords.map(async (password) =>
          statusOf(
            await call(resetAction, {
              url: `/reset-password/${token}`,
              params: { token },
              form: { password, confirmPassword: password },
            }),
          ),
        ),
      );
      expect([...statuses].sort()).toEqual([302, 410]);
      const winner = passwords[statuses.indexOf(302)];
      const loser = passwords[statuses.indexOf(410)];
      expect(await logIn("race@example.com", loser, "10.7.0.3")).toEqual({ ok: false, error: "invalid" });
      expect(await logIn("race@example.com", winner, "10.7.0.3")).toMatchObject({ ok: true });
      const [spent] = await getDb()
        .select()
        .from(schema.passwordResets)
        .where(eq(schema.passwordResets.userId, userId));
      expect(spent.usedAt).not.toBeNull();
      const audits = await getDb()
        .select()
        .from(schema.auditEvents)
        .where(and(eq(schema.auditEvents.act, "password_reset"), eq(schema.auditEvents.subjectId, userId)));
      expect(audits).toHaveLength(1);
    },
  );
});

describe("attack: a replayed Stripe event", () => {
  let fake: FakeStripe;
  let provider: PaymentProvider;
  beforeAll(async () => {
    fake = await startFakeStripe();
    provider = stripeProvider({ stripe: fake.client, webhookSecret: fakeWebhookSecret });
  });
  afterAll(() => fake.close());

  it.runIf(onPostgres())(
    "applies one signed event delivered eight times at once exactly once: one payment, the bill paid once, one receipt (PostgreSQL only)",
    async () => {
      const world = await makeBilledEstate();
      const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
      const started = await startCheckout({
        estate: world.estate,
        user: world.owner,
        billIds: [bill.id],
        origin: "http://localhost:3000",
        locale: "zh-CN",
        provider,
      });
      if (!started.ok) throw new Error(started.error);
      const [checkout] = await getDb()
        .select()
        .from(schema.checkouts)
        .where(eq(schema.checkouts.id, started.checkoutId));
      const event = fake.event("checkout.session.completed", fake.complete(checkout.sessionId!));
      const results = await Promise.all(
        Array.from({ length: 8 }, () => receiveWebhook(event.rawBody, event.signature, { provider })),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(results.filter((r) => r.outcome === "paid")).toHaveLength(1);
      const payments = await getDb()
        .select()
        .from(schema.payments)
        .where(eq(schema.payments.checkoutId, started.checkoutId));
      expect(payments).toHaveLength(1);
      expect(await billById(bill.id)).toMatchObject({ status: "paid", paymentId: payments[0].id });
      expect(
        await getDb().select().from(schema.paymentEvents).where(eq(schema.paymentEvents.eventId, event.id)),
      ).toHaveLength(1);
      const receipts = await getDb()
        .select()
        .from(schema.outbox)
        .where(and(eq(schema.outbox.userId, world.owner.id), eq(schema.outbox.template, "payment-receipt")));
      expect(receipts).toHaveLength(1);
    },
  );
});
