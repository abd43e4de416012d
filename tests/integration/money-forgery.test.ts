import { and, eq } from "drizzle-orm";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb, schema } from "#db/client";
import { requestPasswordReset } from "~/auth/password-reset.server";
import { checkEnv, developmentSecret, env } from "~/env.server";
import { mailById } from "~/notify/mail-admin.server";
import { passwordResetToken } from "~/notify/tokens.server";
import { mailSettingsFromEnv } from "~/notify/worker.server";
import { sandboxWebhookSecret } from "~/payments/provider.server";
import { paymentsMode, setPaymentProvider } from "~/payments/factory.server";
import { sandboxEvent, sandboxProvider, sandboxSession } from "~/payments/sandbox.server";
import { action as billsAction, loader as billsLoader } from "~/routes/e.$estate.bills";
import { loader as devMailLoader } from "~/routes/dev.mail.$id";
import { loader as devMailIndexLoader } from "~/routes/dev.mail._index";
import { loader as ledgerLoader } from "~/routes/e.$estate.fees._index";
import { loader as receiptLoader } from "~/routes/e.$estate.receipts.$paymentId";
import { action as sandboxAction, loader as sandboxLoader } from "~/routes/pay.sandbox.$sessionId";
import { action as webhookAction } from "~/routes/webhooks.stripe";
import { billById, billsOf, makeBilledEstate } from "../fees-fixtures";
import { call, expectStatus, makeUser, statusOf } from "../fixtures";

type World = Awaited<ReturnType<typeof makeBilledEstate>>;
let world: World;
// A production server's real secret, and the sandbox secret it derives.
const realSecret = checkEnv({
  NODE_ENV: "production",
  DATABASE_URL: "postgres://x@127.0.0.1/y",
  SESSION_SECRET: "a-real-production-secret-0123456789",
}).SESSION_SECRET;
const sandbox = sandboxProvider({ webhookSecret: sandboxWebhookSecret(realSecret) });
// What an attacker can compute from the published default.
const forgedSecret = sandboxWebhookSecret(developmentSecret);

beforeAll(async () => {
  world = await makeBilledEstate({ name: "防伪小区", periods: ["2026-10", "2026-11", "2026-12"] });
});
afterEach(() => setPaymentProvider(sandbox));
afterAll(() => setPaymentProvider(undefined));

const params = () => ({ estate: world.estate.slug });
const url = (path: string) => `/e/${world.estate.slug}${path}`;
const postWebhook = (body: string, signature: string) =>
  webhookAction({
    request: new Request("http://localhost/webhooks/stripe", {
      method: "POST",
      body,
      headers: { "Stripe-Signature": signature },
    }),
    params: {},
    context: { user: null, session: null, ip: "127.0.0.1" },
  });

/** Starts a sandbox checkout for one bill as the owner; returns the session id. */
async function startSandboxCheckout(billId: string) {
  setPaymentProvider(sandbox);
  const res = (await call(billsAction, {
    url: url("/bills"),
    params: params(),
    user: world.owner,
    form: { intent: "pay", billId },
  })) as Response;
  expect(res.status).toBe(302);
  return res.headers.get("Location")!.split("/").pop()!;
}

describe("sandbox refused in production without flag", () => {
  it("paymentsMode: production on PostgreSQL without Stripe or PAYMENTS_SANDBOX=1 takes no online payment", () => {
    const pg = "postgres://x@127.0.0.1/y";
    expect(paymentsMode({ NODE_ENV: "production", DATABASE_URL: pg })).toBe("none");
    expect(paymentsMode({ NODE_ENV: "production", DATABASE_URL: pg, PAYMENTS_SANDBOX: "1" })).toBe("sandbox");
    expect(paymentsMode({ NODE_ENV: "production" })).toBe("sandbox"); // the embedded demo
    expect(paymentsMode({ NODE_ENV: "production", PAYMENTS_SANDBOX: "0" })).toBe("none");
    expect(paymentsMode({ NODE_ENV: "production", DATABASE_URL: pg, STRIPE_SECRET_KEY: "sk_live_x" })).toBe("stripe");
  });

  it("with no provider: checkout refused (409, bills not held), sandbox pages 404, sandbox-signed events 400, pages say pay offline", async () => {
    const [bill] = await billsOf(world.units.u102.unitId, ["2026-11"]);
    const sessionId = await startSandboxCheckout(bill.id);
    const [other] = await billsOf(world.units.u101.unitId, ["2026-11"]);
    setPaymentProvider(null);

    const refused = await call(billsAction, {
      url: url("/bills"),
      params: params(),
      user: world.owner,
      form: { intent: "pay", billId: other.id },
    });
    expect(statusOf(refused)).toBe(409);
    expect(JSON.stringify(refused)).toContain("fees.bills.errors.offline");
    expect((await billById(other.id)).status).toBe("unpaid");

    await expectStatus(
      sandboxLoader,
      { url: `/pay/sandbox/${sessionId}`, params: { sessionId }, user: world.owner },
      404,
    );
    await expectStatus(
      sandboxAction,
      { url: `/pay/sandbox/${sessionId}`, params: { sessionId }, user: world.owner, form: { intent: "pay" } },
      404,
    );

    const row = (await sandboxSession(sessionId))!;
    for (const secret of [forgedSecret, sandbox.webhookSecret]) {
      const { rawBody, signature } = sandboxEvent(row, "pay", secret);
      expect((await postWebhook(rawBody, signature)).status).toBe(400);
    }
    expect((await billById(bill.id)).status).toBe("pending");
    expect(
      await getDb().select().from(schema.payments).where(eq(schema.payments.estateId, world.estate.id)),
    ).toHaveLength(0);

    const bills = (await call(billsLoader, { url: url("/bills"), params: params(), user: world.owner })) as Awaited<
      ReturnType<typeof billsLoader>
    >;
    expect(bills.payments).toBe("none");
    const ledger = (await call(ledgerLoader, { url: url("/fees"), params: params(), user: world.staff })) as Awaited<
      ReturnType<typeof ledgerLoader>
    >;
    expect(ledger.payments).toBe("none");
  });
});

describe("forged webhook with a secret derived from the default secret is refused", () => {
  it("an event signed with the default secret's sandbox key marks nothing paid; the real key's event does", async () => {
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-12"]);
    const sessionId = await startSandboxCheckout(bill.id);
    const row = (await sandboxSession(sessionId))!;
    const paid = { ...row, status: "complete", paymentStatus: "paid", paymentIntent: "pi_forged" };
    const forged = sandboxEvent(paid, "pay", forgedSecret);
    const res = await postWebhook(forged.rawBody, forged.signature);
    expect(res.status).toBe(400);
    expect((await billById(bill.id)).status).toBe("pending");
    expect(
      await getDb()
        .select()
        .from(schema.paymentEvents)
        .where(eq(schema.paymentEvents.eventId, JSON.parse(forged.rawBody).id)),
    ).toHaveLength(0);
    // Control: the same event signed with this server's own sandbox key goes through.
    const real = sandboxEvent(paid, "pay", sandbox.webhookSecret);
    expect((await postWebhook(real.rawBody, real.signature)).status).toBe(200);
    expect((await billById(bill.id)).status).toBe("paid");
  });

  it("the embedded demo's sandbox key is not the one derived from the default secret", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "yst-demo-"));
    try {
      const demo = checkEnv({ NODE_ENV: "production", PGLITE_DIR: path.join(dir, "pglite") });
      const demoSandbox = sandboxProvider({ webhookSecret: sandboxWebhookSecret(demo.SESSION_SECRET) });
      const body = JSON.stringify({
        id: "evt_forged_demo",
        object: "event",
        type: "checkout.session.completed",
        data: { object: {} },
      });
      const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: forgedSecret });
      await expect(
        demoSandbox.verifyCallback({ rawBody: body, headers: { "stripe-signature": signature } }),
      ).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("sandbox receipt says sandbox", () => {
  it("the receipt page and the receipt mail of a sandbox payment say no money was charged", async () => {
    const [bill] = await billsOf(world.units.u102.unitId, ["2026-12"]);
    const sessionId = await startSandboxCheckout(bill.id);
    const done = (await call(sandboxAction, {
      url: `/pay/sandbox/${sessionId}`,
      params: { sessionId },
      user: world.owner,
      form: { intent: "pay", method: "card" },
    })) as Response;
    expect(done.status).toBe(302);
    const paymentId = (await billById(bill.id)).paymentId!;
    const receipt = (await call(receiptLoader, {
      url: url(`/receipts/${paymentId}`),
      params: { ...params(), paymentId },
      user: world.owner,
    })) as Awaited<ReturnType<typeof receiptLoader>>;
    expect(receipt.payment.sandbox).toBe(true);
    const [row] = await getDb()
      .select()
      .from(schema.outbox)
      .where(
        and(eq(schema.outbox.userId, world.owner.id), eq(schema.outbox.idempotencyKey, `payment-receipt:${paymentId}`)),
      );
    const mail = (await mailById(row.id, mailSettingsFromEnv()))!;
    expect(mail.subject).toContain("沙箱");
    expect(mail.text).toContain("未实际扣款");
    expect(mail.html).toContain("未实际扣款");
  });
});

describe("/dev/mail redacts security mail in production mode", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("a password-reset mail is listed but its body and link are withheld outside development", async () => {
    const target = await makeUser([], "被重设");
    await requestPasswordReset(target.email, "203.0.113.9");
    const [row] = await getDb()
      .select()
      .from(schema.outbox)
      .where(and(eq(schema.outbox.userId, target.id), eq(schema.outbox.template, "password-reset")));
    const token = passwordResetToken((row.props as { resetId: string }).resetId, env().SESSION_SECRET);

    vi.stubEnv("NODE_ENV", "production");
    const inProduction = (await mailById(row.id))!;
    expect(inProduction.redacted).toBe(true);
    expect(JSON.stringify(inProduction)).not.toContain(token);
    vi.unstubAllEnvs();

    // Under test (not development) the route itself withholds it too.
    const shown = (await call(devMailLoader, { url: `/dev/mail/${row.id}`, params: { id: row.id } })) as {
      mail: { redacted: boolean; html: string | null; text: string | null };
    };
    expect(shown.mail).toMatchObject({ redacted: true, html: null, text: null });
    expect(JSON.stringify(shown)).not.toContain(token);
    const list = (await call(devMailIndexLoader, { url: "/dev/mail" })) as {
      mails: { id: string; redacted: boolean }[];
    };
    expect(list.mails.find((m) => m.id === row.id)?.redacted).toBe(true);

    // Control: `npm run dev` shows the link.
    vi.stubEnv("NODE_ENV", "development");
    expect(JSON.stringify(await mailById(row.id))).toContain(token);
  });
});
