import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { setPaymentProvider } from "~/payments/factory.server";
import { sandboxProvider } from "~/payments/sandbox.server";
import { action as billsAction, loader as billsLoader } from "~/routes/e.$estate.bills";
import { loader as collectionLoader } from "~/routes/e.$estate.collection";
import { loader as csvLoader } from "~/routes/e.$estate.fees.export[.]csv";
import { loader as ledgerLoader } from "~/routes/e.$estate.fees._index";
import { action as settingsAction, loader as settingsLoader } from "~/routes/e.$estate.fees.settings";
import { action as accountAction, loader as accountLoader } from "~/routes/e.$estate.fees.units.$unitId";
import { loader as receiptLoader } from "~/routes/e.$estate.receipts.$paymentId";
import { action as sandboxAction, loader as sandboxLoader } from "~/routes/pay.sandbox.$sessionId";
import { action as webhookAction, loader as webhookLoader } from "~/routes/webhooks.stripe";
import { billById, billsOf, makeBilledEstate } from "../fees-fixtures";
import { call, expectStatus, makeUser } from "../fixtures";

type World = Awaited<ReturnType<typeof makeBilledEstate>>;
let world: World;
let other: World;
let admin: Awaited<ReturnType<typeof makeUser>>;
const sandbox = sandboxProvider({ webhookSecret: "whsec_sandbox_test_0123456789" });

beforeAll(async () => {
  setPaymentProvider(sandbox);
  world = await makeBilledEstate({ name: "甲小区" });
  other = await makeBilledEstate({ name: "乙小区" });
  admin = await makeUser([{ role: "community_admin", communityId: world.estate.communityId }], "周社区");
});
afterAll(() => setPaymentProvider(undefined));

const params = () => ({ estate: world.estate.slug });
const url = (path: string) => `/e/${world.estate.slug}${path}`;

/** Pays a bill in cash through the account page, returning the payment id. */
async function cashPayment(billId: string, unitId: string) {
  const res = (await call(accountAction, {
    url: url(`/fees/units/${unitId}`),
    params: { ...params(), unitId },
    user: world.staff,
    form: {
      billId,
      method: "cash",
      reference: "XJ-9",
      paidOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
    },
  })) as Response;
  expect(res.status).toBe(302);
  return (await billById(billId)).paymentId!;
}

describe("who may open the fee pages", () => {
  it("bills: owners and residents; staff, committee-only and admins get 403; outsiders 404; the anonymous log in", async () => {
    const opts = { url: url("/bills"), params: params() };
    await expectStatus(billsLoader, opts, 302);
    await expectStatus(billsLoader, { ...opts, user: other.owner }, 404);
    await expectStatus(billsLoader, { ...opts, user: world.staff }, 403);
    await expectStatus(billsLoader, { ...opts, user: world.committee }, 403);
    await expectStatus(billsLoader, { ...opts, user: admin }, 403);
    const mine = (await call(billsLoader, { ...opts, user: world.owner })) as Awaited<ReturnType<typeof billsLoader>>;
    expect(mine.units.map((u) => u.number)).toEqual(["101", "102"]);
    expect(mine.open).toHaveLength(4);
    const residents = (await call(billsLoader, { ...opts, user: world.resident })) as Awaited<
      ReturnType<typeof billsLoader>
    >;
    expect(residents.units.map((u) => u.number)).toEqual(["101"]);
    await expectStatus(
      billsAction,
      { ...opts, user: world.staff, form: { intent: "pay", billId: mine.open[0].id } },
      403,
    );
    await expectStatus(
      billsAction,
      { ...opts, user: other.owner, form: { intent: "pay", billId: mine.open[0].id } },
      404,
    );
  });

  it("collection rate: everyone in the estate, nobody outside", async () => {
    const opts = { url: url("/collection"), params: params() };
    await expectStatus(collectionLoader, opts, 302);
    await expectStatus(collectionLoader, { ...opts, user: other.owner }, 404);
    for (const user of [world.owner, world.resident, world.committee, world.staff, admin])
      await expectStatus(collectionLoader, { ...opts, user }, 200);
  });

  it("ledger, CSV and unit accounts: property staff and admins; owners and the committee get 403", async () => {
    const unitId = world.units.u101.unitId;
    for (const [fn, path, extra] of [
      [ledgerLoader, "/fees", {}],
      [csvLoader, "/fees/export.csv", {}],
      [accountLoader, `/fees/units/${unitId}`, { unitId }],
    ] as const) {
      const opts = { url: url(path), params: { ...params(), ...extra } };
      await expectStatus(fn, opts, 302);
      await expectStatus(fn, { ...opts, user: other.staff }, 404);
      await expectStatus(fn, { ...opts, user: world.owner }, 403);
      await expectStatus(fn, { ...opts, user: world.committee }, 403);
      await expectStatus(fn, { ...opts, user: world.staff }, 200);
      await expectStatus(fn, { ...opts, user: admin }, 200);
    }
    // Another estate's unit id in this estate's URL: not found.
    await expectStatus(
      accountLoader,
      {
        url: url(`/fees/units/${other.units.u101.unitId}`),
        params: { ...params(), unitId: other.units.u101.unitId },
        user: world.staff,
      },
      404,
    );
    const [foreignBill] = await billsOf(other.units.u101.unitId, ["2026-10"]);
    await expectStatus(
      accountAction,
      {
        url: url(`/fees/units/${world.units.u101.unitId}`),
        params: { ...params(), unitId: world.units.u101.unitId },
        user: world.staff,
        form: { billId: foreignBill.id, method: "cash", paidOn: "2026-11-01" },
      },
      404,
    );
    expect((await billById(foreignBill.id)).status).toBe("unpaid");
    await expectStatus(
      accountAction,
      {
        url: url(`/fees/units/${unitId}`),
        params: { ...params(), unitId },
        user: world.owner,
        form: { method: "cash" },
      },
      403,
    );
  });

  it("settings: staff and the committee read; the committee sets rules, the publisher publishes, staff generate", async () => {
    const opts = { url: url("/fees/settings"), params: params() };
    await expectStatus(settingsLoader, opts, 302);
    await expectStatus(settingsLoader, { ...opts, user: other.staff }, 404);
    await expectStatus(settingsLoader, { ...opts, user: world.owner }, 403);
    await expectStatus(settingsLoader, { ...opts, user: world.staff }, 200);
    await expectStatus(settingsLoader, { ...opts, user: world.committee }, 200);
    const rules = {
      intent: "settings",
      billingCycle: "monthly",
      dueDays: "20",
      reminderDay: "6",
      schedulePublisher: "property_staff",
    };
    await expectStatus(settingsAction, { ...opts, user: world.staff, form: rules }, 403);
    await expectStatus(settingsAction, { ...opts, user: world.committee, form: rules }, 302);
    const schedule = { intent: "schedule", name: "2027 标准", effectiveFrom: "2027-01-01", residential: "2.10" };
    await expectStatus(settingsAction, { ...opts, user: world.committee, form: schedule }, 403);
    await expectStatus(
      settingsAction,
      { ...opts, user: world.staff, form: { ...schedule, residential: "2.105" } },
      400,
    );
    await expectStatus(settingsAction, { ...opts, user: world.staff, form: { ...schedule, residential: "" } }, 400);
    // Over the rate ceiling (¥100,000 a month, the table's CHECK): refused as input, not a database error.
    await expectStatus(
      settingsAction,
      { ...opts, user: world.staff, form: { ...schedule, residential: "100,000.01" } },
      400,
    );
    await expectStatus(settingsAction, { ...opts, user: world.staff, form: schedule }, 302);
    await expectStatus(settingsAction, { ...opts, user: world.staff, form: schedule }, 409); // same date again
    const [rate] = await getDb()
      .select()
      .from(schema.feeRates)
      .where(and(eq(schema.feeRates.estateId, world.estate.id), eq(schema.feeRates.rateFen, 210)));
    expect(rate).toMatchObject({ charge: "property", unitKind: "residential", basis: "area" });
    await expectStatus(
      settingsAction,
      { ...opts, user: world.committee, form: { intent: "generate", periodKey: "2027-01" } },
      403,
    );
    await expectStatus(
      settingsAction,
      { ...opts, user: world.staff, form: { intent: "generate", periodKey: "2027-Q1" } },
      409,
    );
    await expectStatus(
      settingsAction,
      { ...opts, user: world.staff, form: { intent: "generate", periodKey: "2027-01" } },
      302,
    );
    const [jan] = await billsOf(world.units.u101.unitId, ["2027-01"]);
    expect(jan).toMatchObject({ rateFen: 210, dueDate: "2027-01-21" });
    const [settings] = await getDb()
      .select()
      .from(schema.feeSettings)
      .where(eq(schema.feeSettings.estateId, world.estate.id));
    expect(settings).toMatchObject({ dueDays: 20, reminderDay: 6 });
  });

  it("receipts: the payer, the unit's owners and residents, and staff; other owners of the estate get 404", async () => {
    const [bill] = await billsOf(world.units.u101.unitId, ["2026-10"]);
    const paymentId = await cashPayment(bill.id, world.units.u101.unitId);
    const opts = { url: url(`/receipts/${paymentId}`), params: { ...params(), paymentId } };
    await expectStatus(receiptLoader, opts, 302);
    await expectStatus(receiptLoader, { ...opts, user: other.owner }, 404);
    await expectStatus(receiptLoader, { ...opts, user: world.otherOwner }, 404);
    await expectStatus(receiptLoader, { ...opts, user: world.committee }, 404);
    for (const user of [world.owner, world.resident, world.staff, admin])
      await expectStatus(receiptLoader, { ...opts, user }, 200);
    const receipt = (await call(receiptLoader, { ...opts, user: world.owner })) as Awaited<
      ReturnType<typeof receiptLoader>
    >;
    expect(receipt.payment).toMatchObject({ method: "cash", reference: "XJ-9", amountFen: bill.amountFen });
    expect(receipt.lines).toEqual([
      expect.objectContaining({ building: "1幢", number: "101", periodKey: "2026-10", amountFen: bill.amountFen }),
    ]);
    expect(JSON.stringify(receipt)).not.toContain(world.owner.id);
    // Another estate's receipt id under this estate: 404 even for staff.
    await expectStatus(
      receiptLoader,
      { url: url(`/receipts/${paymentId}`), params: { estate: other.estate.slug, paymentId }, user: other.staff },
      404,
    );
    // The offline payment is audit-logged with the staff member.
    const [audit] = await getDb()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.act, "payment_offline"), eq(schema.auditEvents.subjectId, paymentId)));
    expect(audit).toMatchObject({ actorUserId: world.staff.id, estateId: world.estate.id, subjectType: "payment" });
  });
});

describe("pages at work", () => {
  it("an owner pays two bills through the sandbox checkout: held, signed event, paid, receipt queued", async () => {
    const [a] = await billsOf(world.units.u102.unitId, ["2026-11"]);
    const [b] = await billsOf(world.units.u101.unitId, ["2026-11"]);
    const form = new FormData();
    form.append("intent", "pay");
    form.append("billId", a.id);
    form.append("billId", b.id);
    const res = (await call(billsAction, {
      url: url("/bills"),
      params: params(),
      user: world.owner,
      form,
    })) as Response;
    expect(res.status).toBe(302);
    const location = res.headers.get("Location")!;
    expect(location).toMatch(/^http:\/\/localhost(:\d+)?\/pay\/sandbox\/cs_sandbox_/);
    expect((await billById(a.id)).status).toBe("pending");
    const sessionId = location.split("/").pop()!;
    // Only the payer may open the sandbox page.
    await expectStatus(
      sandboxLoader,
      { url: `/pay/sandbox/${sessionId}`, params: { sessionId }, user: world.resident },
      404,
    );
    await expectStatus(sandboxLoader, { url: `/pay/sandbox/${sessionId}`, params: { sessionId } }, 302);
    const page = (await call(sandboxLoader, {
      url: `/pay/sandbox/${sessionId}`,
      params: { sessionId },
      user: world.owner,
    })) as Awaited<ReturnType<typeof sandboxLoader>>;
    expect(page).toMatchObject({ open: true, amountFen: a.amountFen + b.amountFen });
    const done = (await call(sandboxAction, {
      url: `/pay/sandbox/${sessionId}`,
      params: { sessionId },
      user: world.owner,
      form: { intent: "pay", method: "alipay" },
    })) as Response;
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toMatch(new RegExp(`^/e/${world.estate.slug}/bills\\?checkout=`));
    expect((await billById(a.id)).status).toBe("paid");
    expect((await billById(b.id)).paymentId).toBe((await billById(a.id)).paymentId);
    const back = (await call(billsLoader, {
      url: done.headers.get("Location")!,
      params: params(),
      user: world.owner,
    })) as Awaited<ReturnType<typeof billsLoader>>;
    expect(back.notice).toMatchObject({ kind: "completed" });
    const mail = await getDb()
      .select()
      .from(schema.outbox)
      .where(and(eq(schema.outbox.userId, world.owner.id), eq(schema.outbox.template, "payment-receipt")));
    expect(mail.length).toBeGreaterThanOrEqual(1);
    // The page is closed now; paying again changes nothing.
    const before = await getDb().select().from(schema.payments).where(eq(schema.payments.estateId, world.estate.id));
    await call(sandboxAction, {
      url: `/pay/sandbox/${sessionId}`,
      params: { sessionId },
      user: world.owner,
      form: { intent: "pay" },
    });
    expect(
      await getDb().select().from(schema.payments).where(eq(schema.payments.estateId, world.estate.id)),
    ).toHaveLength(before.length);
  });

  it("cancelling in the sandbox releases the bills; paying bills someone is paying is refused with 409", async () => {
    const [bill] = await billsOf(world.units.u103.unitId, ["2026-11"]);
    const res = (await call(billsAction, {
      url: url("/bills"),
      params: params(),
      user: world.otherOwner,
      form: { intent: "pay", billId: bill.id },
    })) as Response;
    const sessionId = res.headers.get("Location")!.split("/").pop()!;
    await expectStatus(
      billsAction,
      { url: url("/bills"), params: params(), user: world.otherOwner, form: { intent: "pay", billId: bill.id } },
      409,
    );
    await expectStatus(
      billsAction,
      { url: url("/bills"), params: params(), user: world.otherOwner, form: { intent: "pay" } },
      400,
    );
    const cancelled = (await call(sandboxAction, {
      url: `/pay/sandbox/${sessionId}`,
      params: { sessionId },
      user: world.otherOwner,
      form: { intent: "cancel" },
    })) as Response;
    expect(cancelled.headers.get("Location")).toMatch(/cancelled=1$/);
    expect((await billById(bill.id)).status).toBe("unpaid");
  });

  it("the webhook route reads the raw body, refuses bad signatures with 400 and GET with 405", async () => {
    const post = (body: string, signature?: string) =>
      webhookAction({
        request: new Request("http://localhost/webhooks/stripe", {
          method: "POST",
          body,
          headers: signature ? { "Stripe-Signature": signature } : {},
        }),
        params: {},
        context: { user: null, session: null, ip: "127.0.0.1" },
      });
    const body = JSON.stringify({
      id: "evt_route_test",
      object: "event",
      type: "checkout.session.expired",
      data: { object: { id: "cs_unknown", object: "checkout.session", metadata: {} } },
    });
    expect((await post(body)).status).toBe(400);
    expect((await post(body, "t=1,v1=deadbeef")).status).toBe(400);
    const { default: Stripe } = await import("stripe");
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: sandbox.webhookSecret });
    const ok = await post(body, signature);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: true, outcome: "ignored" });
    expect(webhookLoader().status).toBe(405);
  });

  it("the ledger filters by building, period and status, and the CSV has the same rows", async () => {
    const opts = { params: params(), user: world.staff };
    const all = (await call(ledgerLoader, { ...opts, url: url("/fees") })) as Awaited<ReturnType<typeof ledgerLoader>>;
    const paid = (await call(ledgerLoader, { ...opts, url: url("/fees?status=paid&period=2026-11") })) as Awaited<
      ReturnType<typeof ledgerLoader>
    >;
    expect(paid.rows.every((r) => r.status === "paid" && r.periodKey === "2026-11")).toBe(true);
    expect(paid.rows.length).toBeGreaterThan(0);
    expect(all.totals.bills).toBeGreaterThan(paid.totals.bills);
    const building = all.buildings[0].id;
    const byBuilding = (await call(ledgerLoader, {
      ...opts,
      url: url(`/fees?building=${building}&unit=101`),
    })) as Awaited<ReturnType<typeof ledgerLoader>>;
    expect(byBuilding.rows.every((r) => r.number === "101")).toBe(true);
    const csv = (await call(csvLoader, {
      ...opts,
      url: url("/fees/export.csv?status=paid&period=2026-11"),
    })) as Response;
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte order mark, for spreadsheets
    const text = new TextDecoder().decode(bytes);
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toContain("楼栋,房号,账期");
    expect(lines).toHaveLength(paid.totals.bills + 1);
    expect(lines[1]).toContain("2026-11");
    // Garbage filters are ignored, not errors.
    await expectStatus(ledgerLoader, { ...opts, url: url("/fees?status=nope&building=x&page=-3") }, 200);
  });

  it("the collection page shows the rate by period and building", async () => {
    const data = (await call(collectionLoader, {
      url: url("/collection"),
      params: params(),
      user: world.owner,
    })) as Awaited<ReturnType<typeof collectionLoader>>;
    expect(data.periods.map((p) => p.periodKey)).toEqual(expect.arrayContaining(["2026-10", "2026-11"]));
    expect(data.buildings[0].building).toBe("1幢");
    const oct = (await call(collectionLoader, {
      url: url("/collection?period=2026-10"),
      params: params(),
      user: world.owner,
    })) as Awaited<ReturnType<typeof collectionLoader>>;
    expect(oct.selected).toBe("2026-10");
  });
});
