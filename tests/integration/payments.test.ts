import { and, eq, ne, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { reconcileCheckouts, startCheckout } from "~/fees/checkout.server";
import { recordOfflinePayment } from "~/fees/ledger.server";
import { billIdsFromMetadata, type PaymentProvider } from "~/payments/provider.server";
import { stripeProvider } from "~/payments/stripe.server";
import { receiveWebhook } from "~/fees/webhook.server";
import { billById, billsOf, makeBilledEstate } from "../fees-fixtures";
import { expectConsoleError, onPostgres } from "../fixtures";
import { fakeWebhookSecret, startFakeStripe, type FakeStripe } from "../stripe-fake";

let fake: FakeStripe;
let provider: PaymentProvider;

beforeAll(async () => {
  fake = await startFakeStripe();
  provider = stripeProvider({ stripe: fake.client, webhookSecret: fakeWebhookSecret });
});
afterAll(async () => {
  await fake.close();
});

type World = Awaited<ReturnType<typeof makeBilledEstate>>;

async function pay(world: World, user: World["owner"], billIds: string[]) {
  const result = await startCheckout({
    estate: world.estate,
    user,
    billIds,
    origin: "http://localhost:3000",
    locale: "zh-CN",
    provider,
  });
  if (!result.ok) throw new Error(`startCheckout: ${result.error}`);
  const [checkout] = await getDb().select().from(schema.checkouts).where(eq(schema.checkouts.id, result.checkoutId));
  return { ...result, checkout, sessionId: checkout.sessionId! };
}

const deliver = (e: { rawBody: string; signature: string }) => receiveWebhook(e.rawBody, e.signature, { provider });

async function paymentsOfCheckout(checkoutId: string) {
  return getDb().select().from(schema.payments).where(eq(schema.payments.checkoutId, checkoutId));
}

/** The owner's mail about payments: all but the bill-due mails their bills' issue queued. */
/** What the payment sent this person: not the bills' notices, nor the fee schedule's notice on the board. */
async function outboxFor(userId: string) {
  return getDb()
    .select()
    .from(schema.outbox)
    .where(
      and(
        eq(schema.outbox.userId, userId),
        ne(schema.outbox.template, "bill-due"),
        ne(schema.outbox.template, "board-notice"),
      ),
    );
}

describe("paying bills online through Stripe Checkout", () => {
  it("pays two bills in one CNY session with card, Alipay and WeChat Pay, and marks both paid on the webhook", async () => {
    const world = await makeBilledEstate();
    const [oct101] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const [oct102] = await billsOf(world.units.u102.unitId, ["2026-10"]);
    expect(oct101.amountFen).toBe(16_533); // 1.85 ¥ × 89.37 m², half up
    expect(oct102.amountFen).toBe(18_500);

    const started = await pay(world, world.owner, [oct101.id, oct102.id]);
    expect(started.url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    expect((await billById(oct101.id)).status).toBe("pending");
    expect((await billById(oct102.id)).pendingCheckoutId).toBe(started.checkoutId);

    // What the SDK sent to Stripe.
    const request = fake.requests.findLast((r) => r.method === "POST" && r.path === "/v1/checkout/sessions")!;
    expect(request.idempotencyKey).toBe(`checkout:${started.checkoutId}`);
    expect(request.stripeVersion).toBe("2026-10-28.endive");
    expect(request.params).toMatchObject({
      mode: "payment",
      currency: "cny",
      allowed_payment_method_types: { 0: "card", 1: "alipay", 2: "wechat_pay" },
      payment_method_options: { wechat_pay: { client: "web" } },
      client_reference_id: world.owner.id,
      metadata: { checkout_id: started.checkoutId, estate_id: world.estate.id, bill_count: "2" },
    });
    expect(billIdsFromMetadata(request.params.metadata as Record<string, string>).sort()).toEqual(
      [oct101.id, oct102.id].sort(),
    );
    expect(started.checkout.amountFen).toBe(35_033);

    const session = fake.complete(started.sessionId);
    const result = await deliver(fake.event("checkout.session.completed", session));
    expect(result).toEqual({ status: 200, outcome: "paid" });

    const [payment] = await paymentsOfCheckout(started.checkoutId);
    expect(payment).toMatchObject({
      amountFen: 35_033,
      applied: true,
      method: "online",
      provider: "stripe",
      providerPaymentIntent: session.payment_intent,
      payerUserId: world.owner.id,
    });
    expect(payment.receiptNo).toMatch(/^E[A-Z0-9]*-2026-000001$/);
    for (const id of [oct101.id, oct102.id]) {
      expect(await billById(id)).toMatchObject({ status: "paid", paymentId: payment.id, pendingCheckoutId: null });
    }
    const [checkout] = await getDb().select().from(schema.checkouts).where(eq(schema.checkouts.id, started.checkoutId));
    expect(checkout.status).toBe("completed");
    const mail = await outboxFor(world.owner.id);
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ template: "payment-receipt", idempotencyKey: `payment-receipt:${payment.id}` });
    expect(mail[0].props).toMatchObject({
      amountFen: 35_033,
      receiptNo: payment.receiptNo,
      path: `/e/${world.estate.slug}/receipts/${payment.id}`,
    });
    // The November bills were not touched.
    expect((await billsOf(world.units.u101.unitId, ["2026-11"]))[0].status).toBe("unpaid");
  });

  it("changes nothing when the same event arrives twice", async () => {
    const world = await makeBilledEstate();
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const started = await pay(world, world.owner, [bill.id]);
    const event = fake.event("checkout.session.completed", fake.complete(started.sessionId));
    expect(await deliver(event)).toEqual({ status: 200, outcome: "paid" });
    expect(await deliver(event)).toEqual({ status: 200, outcome: "duplicate" });
    // A different event about the same, already paid session is a no-op too.
    expect(await deliver(fake.event("checkout.session.completed", fake.sessions.get(started.sessionId)!))).toEqual({
      status: 200,
      outcome: "already",
    });
    expect(await paymentsOfCheckout(started.checkoutId)).toHaveLength(1);
    expect(await outboxFor(world.owner.id)).toHaveLength(1);
    const [row] = await getDb().select().from(schema.paymentEvents).where(eq(schema.paymentEvents.eventId, event.id));
    expect(row).toMatchObject({ type: "checkout.session.completed", outcome: "paid", objectId: started.sessionId });
  });

  it("handles events out of order: expiry after payment, completion after async success, refund before payment", async () => {
    const world = await makeBilledEstate();
    const [oct] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const [nov] = await billsOf(world.units.u101.unitId, ["2026-11"]);

    // An async method: completed (unpaid) and async_payment_succeeded arrive reversed.
    const first = await pay(world, world.owner, [oct.id]);
    const pendingSession = fake.complete(first.sessionId, { paymentStatus: "unpaid" });
    const paidSession = { ...pendingSession, payment_status: "paid" };
    expect((await deliver(fake.event("checkout.session.async_payment_succeeded", paidSession))).outcome).toBe("paid");
    expect((await deliver(fake.event("checkout.session.completed", pendingSession))).outcome).toBe("already");
    expect(
      (await deliver(fake.event("checkout.session.expired", { ...pendingSession, status: "expired" }))).outcome,
    ).toBe("already");
    expect((await billById(oct.id)).status).toBe("paid");

    // A refund reported before the payment: kept, then applied when the payment is recorded.
    const second = await pay(world, world.owner, [nov.id]);
    const session = fake.complete(second.sessionId);
    const refund = fake.event("charge.refunded", fake.charge(second.sessionId, nov.amountFen));
    expect((await deliver(refund)).outcome).toBe("deferred");
    expect((await billById(nov.id)).status).toBe("pending");
    expect((await deliver(fake.event("checkout.session.completed", session))).outcome).toBe("paid");
    const [payment] = await paymentsOfCheckout(second.checkoutId);
    expect(payment.refundedFen).toBe(nov.amountFen);
    // Refunded in full: the bill is owed again.
    expect(await billById(nov.id)).toMatchObject({ status: "unpaid", paymentId: null });
    const [deferred] = await getDb()
      .select()
      .from(schema.paymentEvents)
      .where(eq(schema.paymentEvents.eventId, refund.id));
    expect(deferred.outcome).toBe("refund_applied_late");
  });

  it("refuses unsigned, forged, tampered and stale deliveries with 400 and records nothing", async () => {
    const world = await makeBilledEstate();
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const started = await pay(world, world.owner, [bill.id]);
    const session = fake.complete(started.sessionId);
    const good = fake.event("checkout.session.completed", session);
    const forged = fake.event("checkout.session.completed", session, { secret: "whsec_someone_else" });
    const stale = fake.event("checkout.session.completed", session, {
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(await receiveWebhook(good.rawBody, null, { provider })).toEqual({ status: 400, outcome: "bad signature" });
    expect(await receiveWebhook(good.rawBody, "", { provider })).toMatchObject({ status: 400 });
    expect(await deliver(forged)).toMatchObject({ status: 400 });
    expect(await deliver(stale)).toMatchObject({ status: 400 });
    expect(
      await receiveWebhook(
        good.rawBody.replace(`"amount_total": ${bill.amountFen}`, '"amount_total": 1'),
        good.signature,
        { provider },
      ),
    ).toMatchObject({ status: 400 });
    expect(
      await getDb().select().from(schema.paymentEvents).where(eq(schema.paymentEvents.objectId, started.sessionId)),
    ).toHaveLength(0);
    expect((await billById(bill.id)).status).toBe("pending");
    // The genuine one still goes through.
    expect(await deliver(good)).toEqual({ status: 200, outcome: "paid" });
  });

  it("releases the bills when the session expires, so they can be paid again", async () => {
    const world = await makeBilledEstate();
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const started = await pay(world, world.owner, [bill.id]);
    expect((await deliver(fake.event("checkout.session.expired", fake.expire(started.sessionId)))).outcome).toBe(
      "released",
    );
    expect(await billById(bill.id)).toMatchObject({ status: "unpaid", pendingCheckoutId: null });
    const [checkout] = await getDb().select().from(schema.checkouts).where(eq(schema.checkouts.id, started.checkoutId));
    expect(checkout.status).toBe("expired");
    expect(await paymentsOfCheckout(started.checkoutId)).toHaveLength(0);
    const again = await pay(world, world.owner, [bill.id]);
    expect(again.checkoutId).not.toBe(started.checkoutId);
    // A failed async payment releases too.
    expect(
      (
        await deliver(
          fake.event(
            "checkout.session.async_payment_failed",
            fake.complete(again.sessionId, { paymentStatus: "unpaid" }),
          ),
        )
      ).outcome,
    ).toBe("released");
    expect((await billById(bill.id)).status).toBe("unpaid");
  });

  it("rolls everything back when a step fails midway, and applies the event when it is delivered again", async () => {
    const world = await makeBilledEstate();
    const [bill] = await billsOf(world.units.u102.unitId, ["2026-10"]);
    const started = await pay(world, world.owner, [bill.id]);
    const event = fake.event("checkout.session.completed", fake.complete(started.sessionId));
    const db = getDb();
    // The receipt mail is the last write of the transaction: make it fail.
    await db.execute(
      sql`create function fail_outbox() returns trigger language plpgsql as $$ begin raise exception 'outbox is down'; end $$`,
    );
    await db.execute(
      sql`create trigger fail_outbox before insert on outbox for each row execute function fail_outbox()`,
    );
    try {
      const error = (await deliver(event).catch((e: unknown) => e)) as Error & { cause?: Error };
      expect(error).toBeInstanceOf(Error);
      expect(`${error.message} ${error.cause?.message}`).toMatch(/outbox is down/);
    } finally {
      await db.execute(sql`drop trigger fail_outbox on outbox`);
      await db.execute(sql`drop function fail_outbox()`);
    }
    expect(await billById(bill.id)).toMatchObject({ status: "pending", paymentId: null });
    expect(await paymentsOfCheckout(started.checkoutId)).toHaveLength(0);
    expect(await db.select().from(schema.paymentEvents).where(eq(schema.paymentEvents.eventId, event.id))).toHaveLength(
      0,
    );
    const [settings] = await db
      .select()
      .from(schema.feeSettings)
      .where(eq(schema.feeSettings.estateId, world.estate.id));
    expect(settings.receiptSeq).toBe(0); // no receipt number was used up
    // Stripe delivers again.
    expect(await deliver(event)).toEqual({ status: 200, outcome: "paid" });
    expect((await billById(bill.id)).status).toBe("paid");
  });

  it("records partial and full refunds from charge.refunded, ignores stale totals, and audit-logs them", async () => {
    const world = await makeBilledEstate();
    const bills = [...(await billsOf(world.units.u101.unitId)), ...(await billsOf(world.units.u102.unitId))];
    const started = await pay(
      world,
      world.owner,
      bills.map((b) => b.id),
    );
    const total = bills.reduce((s, b) => s + b.amountFen, 0);
    fake.complete(started.sessionId);
    await deliver(fake.event("checkout.session.completed", fake.sessions.get(started.sessionId)!));
    expect((await deliver(fake.event("charge.refunded", fake.charge(started.sessionId, 1_000)))).outcome).toBe(
      "refunded",
    );
    let [payment] = await paymentsOfCheckout(started.checkoutId);
    expect(payment.refundedFen).toBe(1_000);
    for (const b of bills) expect((await billById(b.id)).status).toBe("paid");
    // An older report (smaller running total) arriving late changes nothing.
    expect((await deliver(fake.event("charge.refunded", fake.charge(started.sessionId, 500)))).outcome).toBe("stale");
    expect((await deliver(fake.event("charge.refunded", fake.charge(started.sessionId, total)))).outcome).toBe(
      "refunded",
    );
    [payment] = await paymentsOfCheckout(started.checkoutId);
    expect(payment.refundedFen).toBe(total);
    for (const b of bills)
      expect(await billById(b.id)).toMatchObject({ status: "unpaid", paymentId: null, paidAt: null });
    const refundRows = await getDb()
      .select()
      .from(schema.refunds)
      .where(eq(schema.refunds.paymentId, payment.id))
      .orderBy(schema.refunds.totalFen);
    expect(refundRows.map((r) => [r.amountFen, r.totalFen])).toEqual([
      [1_000, 1_000],
      [total - 1_000, total],
    ]);
    const audit = await getDb()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.estateId, world.estate.id), eq(schema.auditEvents.act, "payment_refund")));
    expect(audit).toHaveLength(2);
    expect(audit.find((a) => (a.detail as { reopenedBills: number }).reopenedBills === 4)).toBeTruthy();
    // The payment history keeps what was paid and refunded.
    expect(
      await getDb().select().from(schema.paymentBills).where(eq(schema.paymentBills.paymentId, payment.id)),
    ).toHaveLength(4);
  });

  it.runIf(onPostgres())(
    "pays once under concurrent deliveries of the same and of different events (PostgreSQL only)",
    async () => {
      const world = await makeBilledEstate();
      const bills = [...(await billsOf(world.units.u101.unitId)), ...(await billsOf(world.units.u102.unitId))];
      const started = await pay(
        world,
        world.owner,
        bills.map((b) => b.id),
      );
      const session = fake.complete(started.sessionId);
      const completed = fake.event("checkout.session.completed", session);
      const succeeded = fake.event("checkout.session.async_payment_succeeded", session);
      const deliveries = Array.from({ length: 12 }, (_, i) => (i % 3 === 2 ? succeeded : completed));
      const results = await Promise.all(deliveries.map(deliver));
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(results.filter((r) => r.outcome === "paid")).toHaveLength(1);
      expect(results.filter((r) => r.outcome === "duplicate")).toHaveLength(10);
      expect(results.filter((r) => r.outcome === "already")).toHaveLength(1);
      expect(await paymentsOfCheckout(started.checkoutId)).toHaveLength(1);
      const links = await getDb()
        .select()
        .from(schema.paymentBills)
        .where(eq(schema.paymentBills.estateId, world.estate.id));
      expect(links).toHaveLength(4);
      expect(await outboxFor(world.owner.id)).toHaveLength(1);
    },
  );
});

describe("holding bills while they are paid", () => {
  it("keeps two people of one family from paying the same bill at once", async () => {
    const world = await makeBilledEstate();
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const [other] = await billsOf(world.units.u101.unitId, ["2026-11"]);
    await pay(world, world.owner, [bill.id]);
    const second = await startCheckout({
      estate: world.estate,
      user: world.resident,
      billIds: [bill.id, other.id],
      origin: "http://x",
      locale: "zh-CN",
      provider,
    });
    expect(second).toEqual({ ok: false, error: "unavailable" });
    expect((await billById(other.id)).status).toBe("unpaid"); // nothing held by the refused attempt
    // The resident may pay the other bill of the unit they live in.
    expect(
      (
        await startCheckout({
          estate: world.estate,
          user: world.resident,
          billIds: [other.id],
          origin: "http://x",
          locale: "zh-CN",
          provider,
        })
      ).ok,
    ).toBe(true);
  });

  it("lets nobody pay bills of units that are not theirs, in this estate or another", async () => {
    const world = await makeBilledEstate();
    const elsewhere = await makeBilledEstate();
    const [b103] = await billsOf(world.units.u103.unitId, ["2026-10"]);
    const [foreign] = await billsOf(elsewhere.units.u101.unitId, ["2026-10"]);
    const attempt = (billIds: string[], user = world.owner) =>
      startCheckout({ estate: world.estate, user, billIds, origin: "http://x", locale: "zh-CN", provider });
    expect(await attempt([b103.id])).toEqual({ ok: false, error: "notFound" });
    expect(await attempt([foreign.id])).toEqual({ ok: false, error: "notFound" });
    expect(await attempt([])).toEqual({ ok: false, error: "none" });
    expect(await attempt([b103.id], world.staff)).toEqual({ ok: false, error: "notFound" });
    expect((await billById(b103.id)).status).toBe("unpaid");
  });

  it("releases the bills at once when Stripe cannot make the session", async () => {
    const world = await makeBilledEstate();
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    fake.failNextCreate();
    const logged = expectConsoleError(/could not create a checkout session/);
    const result = await startCheckout({
      estate: world.estate,
      user: world.owner,
      billIds: [bill.id],
      origin: "http://x",
      locale: "zh-CN",
      provider,
    });
    expect(logged.done()).toHaveLength(1);
    expect(result).toEqual({ ok: false, error: "provider" });
    expect(await billById(bill.id)).toMatchObject({ status: "unpaid", pendingCheckoutId: null });
    const [checkout] = await getDb().select().from(schema.checkouts).where(eq(schema.checkouts.userId, world.owner.id));
    expect(checkout.status).toBe("failed");
  });

  it("records money that arrives for bills paid meanwhile as not applied, never paying a bill twice", async () => {
    const world = await makeBilledEstate();
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const started = await pay(world, world.owner, [bill.id]);
    // The session expires, the staff take cash for the bill, then a late completion arrives.
    await deliver(
      fake.event("checkout.session.expired", { ...fake.sessions.get(started.sessionId)!, status: "expired" }),
    );
    const cash = await getDb().transaction((tx) =>
      recordOfflinePayment(tx, {
        estateId: world.estate.id,
        unitId: world.units.u101.unitId,
        billIds: [bill.id],
        method: "cash",
        reference: "XJ-001",
        paidAt: new Date(),
        actorId: world.staff.id,
        now: new Date(),
      }),
    );
    expect(cash.ok).toBe(true);
    expect((await deliver(fake.event("checkout.session.completed", fake.complete(started.sessionId)))).outcome).toBe(
      "unapplied",
    );
    const [online] = await paymentsOfCheckout(started.checkoutId);
    expect(online.applied).toBe(false);
    expect((await billById(bill.id)).paymentId).toBe(cash.ok ? cash.paymentId : null);
    const audit = await getDb()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.estateId, world.estate.id), eq(schema.auditEvents.act, "payment_unapplied")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: null,
      subjectType: "payment",
      subjectId: online.id,
      detail: { billsFree: false },
    });
    expect(await outboxFor(world.owner.id)).toHaveLength(1); // the cash receipt only
  });

  it("does not apply a payment whose amount differs from the bills", async () => {
    const world = await makeBilledEstate();
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const started = await pay(world, world.owner, [bill.id]);
    expect(
      (
        await deliver(
          fake.event(
            "checkout.session.completed",
            fake.complete(started.sessionId, { amountTotal: bill.amountFen - 1 }),
          ),
        )
      ).outcome,
    ).toBe("unapplied");
    expect(await billById(bill.id)).toMatchObject({ status: "unpaid", paymentId: null });
  });
});

describe("reconciliation", () => {
  it("asks Stripe about checkouts pending for over an hour and settles them as the lost webhook would have", async () => {
    const world = await makeBilledEstate();
    const [a] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const [b] = await billsOf(world.units.u102.unitId, ["2026-10"]);
    const [c] = await billsOf(world.units.u101.unitId, ["2026-11"]);
    const paid = await pay(world, world.owner, [a.id]);
    const expired = await pay(world, world.owner, [b.id]);
    await pay(world, world.owner, [c.id]); // left open on Stripe
    fake.complete(paid.sessionId);
    fake.expire(expired.sessionId);
    // A checkout whose session was never stored (the process stopped in between).
    const [orphan] = await getDb()
      .insert(schema.checkouts)
      .values({
        estateId: world.estate.id,
        userId: world.owner.id,
        provider: "stripe",
        amountFen: 100,
        expiresAt: new Date(),
        createdAt: new Date(Date.now() - 2 * 3600_000),
      })
      .returning();

    const soon = await reconcileCheckouts({
      provider,
      now: new Date(Date.now() + 30 * 60_000),
      estateId: world.estate.id,
    });
    expect(soon.checked).toBe(1); // only the orphan is over an hour old
    const later = await reconcileCheckouts({
      provider,
      now: new Date(Date.now() + 61 * 60_000),
      estateId: world.estate.id,
    });
    expect(later).toMatchObject({ paid: 1, released: 1, stillOpen: 1, errors: 0 });
    expect((await billById(a.id)).status).toBe("paid");
    expect((await billById(b.id)).status).toBe("unpaid");
    expect((await billById(c.id)).status).toBe("pending");
    const [orphanAfter] = await getDb().select().from(schema.checkouts).where(eq(schema.checkouts.id, orphan.id));
    expect(orphanAfter.status).toBe("failed");
    expect(
      fake.requests.filter((r) => r.method === "GET" && r.path.startsWith("/v1/checkout/sessions/")).length,
    ).toBeGreaterThanOrEqual(3);
    // The webhook that finally arrives changes nothing.
    expect((await deliver(fake.event("checkout.session.completed", fake.sessions.get(paid.sessionId)!))).outcome).toBe(
      "already",
    );
    expect(await paymentsOfCheckout(paid.checkoutId)).toHaveLength(1);
  });
});
