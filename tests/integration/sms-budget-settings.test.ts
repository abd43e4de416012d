// The estate's monthly SMS allowance in its settings page: shown with this Beijing month's use,
// changed (and audited) only by those who may edit the estate's settings, bad input refused.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import * as route from "~/routes/e.$estate.settings";
import { call, expectStatus, makeEstate, makeUser, refusalOf, statusOf } from "../fixtures";

const { estates, smsMessages, auditEvents } = schema;

async function setup() {
  const estate = await makeEstate();
  const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }]);
  const committee = await makeUser([{ role: "committee", estateId: estate.id }]);
  const staff = await makeUser([{ role: "property_staff", estateId: estate.id }]);
  const owner = await makeUser([{ role: "owner", estateId: estate.id }]);
  return { estate, admin, committee, staff, owner, url: `/e/${estate.slug}/settings`, params: { estate: estate.slug } };
}

const budgetOf = async (estateId: string) =>
  (await getDb().select({ b: estates.smsMonthlyBudget }).from(estates).where(eq(estates.id, estateId)))[0].b;

const budgetAudits = (estateId: string) =>
  getDb()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.estateId, estateId), eq(auditEvents.act, "sms_budget_change")));

describe("the estate's monthly SMS allowance", () => {
  it("shows this month's budgeted, not failed messages against it", async () => {
    const { estate, committee, url, params } = await setup();
    const lastMonth = new Date(Date.now() - 40 * 86_400_000);
    const row = { phone: "13800000000", template: "bill-due", params: {}, provider: "test", estateId: estate.id };
    await getDb()
      .insert(smsMessages)
      .values([
        { ...row, budgeted: true, status: "sent" },
        { ...row, budgeted: true, status: "held" },
        { ...row, budgeted: true, status: "failed" },
        { ...row, budgeted: false, status: "sent" },
        { ...row, budgeted: true, status: "sent", createdAt: lastMonth },
      ]);
    const data = (await call(route.loader, { url, params, user: committee })) as Awaited<
      ReturnType<typeof route.loader>
    >;
    expect(data.sms).toEqual({ budget: 1000, used: 2 });
  });

  it("the community admin changes it; the change is audited with the old and new value", async () => {
    const { estate, admin, url, params } = await setup();
    await expectStatus(route.action, { url, params, user: admin, form: { intent: "sms-budget", budget: "250" } }, 302);
    expect(await budgetOf(estate.id)).toBe(250);
    const audits = await budgetAudits(estate.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorUserId: admin.id, subjectType: "estate", detail: { from: 1000, to: 250 } });
    await expectStatus(route.action, { url, params, user: admin, form: { intent: "sms-budget", budget: "0" } }, 302);
    expect(await budgetOf(estate.id)).toBe(0);
  });

  it("the committee, property staff, owners and strangers cannot change it", async () => {
    const { estate, committee, staff, owner, url, params } = await setup();
    const stranger = await makeUser([]);
    for (const user of [committee, staff, owner, stranger]) {
      const result = await call(route.action, { url, params, user, form: { intent: "sms-budget", budget: "5" } });
      expect([403, 404]).toContain(statusOf(result));
    }
    // Another estate's admin neither.
    const other = await makeEstate();
    const otherAdmin = await makeUser([{ role: "community_admin", communityId: other.communityId }]);
    const result = await call(route.action, {
      url,
      params,
      user: otherAdmin,
      form: { intent: "sms-budget", budget: "5" },
    });
    expect([403, 404]).toContain(statusOf(result));
    expect(await budgetOf(estate.id)).toBe(1000);
    expect(await budgetAudits(estate.id)).toHaveLength(0);
  });

  it("refuses what is not a whole number from 0 to 1,000,000 with 400, changing nothing", async () => {
    const { estate, admin, url, params } = await setup();
    for (const budget of ["-1", "1000001", "2.5", "abc", "", "1e3", "99999999999999999999"]) {
      const result = await call(route.action, { url, params, user: admin, form: { intent: "sms-budget", budget } });
      expect(statusOf(result), budget).toBe(400);
      expect(refusalOf(result).form).toBe("sms-budget");
    }
    const missing = await call(route.action, { url, params, user: admin, form: { intent: "sms-budget" } });
    expect(statusOf(missing)).toBe(400);
    expect(await budgetOf(estate.id)).toBe(1000);
    expect(await budgetAudits(estate.id)).toHaveLength(0);
    await expectStatus(
      route.action,
      { url, params, user: admin, form: { intent: "sms-budget", budget: "1000000" } },
      302,
    );
    expect(await budgetOf(estate.id)).toBe(1_000_000);
  });
});
