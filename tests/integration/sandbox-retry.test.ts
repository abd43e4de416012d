import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { setPaymentProvider } from "~/payments/factory.server";
import { finishSandboxSession, sandboxProvider } from "~/payments/sandbox.server";
import { action as billsAction } from "~/routes/e.$estate.bills";
import { action as sandboxAction } from "~/routes/pay.sandbox.$sessionId";
import { billById, billsOf, makeBilledEstate } from "../fees-fixtures";
import { call } from "../fixtures";

let world: Awaited<ReturnType<typeof makeBilledEstate>>;
const sandbox = sandboxProvider({ webhookSecret: "whsec_sandbox_test_retry_0123456789" });

beforeAll(async () => {
  setPaymentProvider(sandbox);
  world = await makeBilledEstate({ name: "重试小区" });
});
afterAll(() => setPaymentProvider(undefined));

describe("sandbox checkout after a lost connection", () => {
  it("a session completed whose payment was never recorded is recorded by the customer's retry, once", async () => {
    const [bill] = await billsOf(world.units.u103.unitId, ["2026-11"]);
    const started = (await call(billsAction, {
      url: `/e/${world.estate.slug}/bills`,
      params: { estate: world.estate.slug },
      user: world.otherOwner,
      form: { intent: "pay", billId: bill.id },
    })) as Response;
    expect(started.status).toBe(302);
    const sessionId = started.headers.get("Location")!.split("/").pop()!;
    // The session completes, then the database goes away before the event is handled: nothing paid yet.
    expect(await finishSandboxSession(sessionId, "pay", sandbox.webhookSecret)).not.toBeNull();
    expect((await billById(bill.id)).status).toBe("pending");

    for (let i = 0; i < 2; i++) {
      const retried = (await call(sandboxAction, {
        url: `/pay/sandbox/${sessionId}`,
        params: { sessionId },
        user: world.otherOwner,
        form: { intent: "pay" },
      })) as Response;
      expect(retried.status).toBe(302);
    }
    expect((await billById(bill.id)).status).toBe("paid");
    const payments = await getDb().select().from(schema.payments).where(eq(schema.payments.estateId, world.estate.id));
    expect(payments).toHaveLength(1);
    // A cancel after payment changes nothing and sends no event.
    expect(await finishSandboxSession(sessionId, "cancel", sandbox.webhookSecret)).toBeNull();
  });
});
