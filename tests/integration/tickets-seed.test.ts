import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { seedDemo } from "../../db/seed";
import { servingCompany } from "../../app/tickets/company.server";
import { runTicketJobs } from "../../app/tickets/jobs.server";
import { ledger, listReports } from "../../app/tickets/ledgers.server";
import { direction } from "../../app/tickets/scorecard";
import { scorecard } from "../../app/tickets/scorecard.server";

let estateId = "";

beforeAll(async () => {
  await seedDemo(getDb());
  const [estate] = await getDb().select().from(schema.estates).where(eq(schema.estates.slug, "yixin"));
  estateId = estate.id;
}, 120_000);

describe("the demo feedback loop of 宜欣花园", () => {
  it("has a company, and a scorecard whose year shows the virtuous circle turning", async () => {
    const company = await servingCompany(getDb(), estateId);
    expect(company?.name).toBe("苏州宜居物业服务有限公司");
    const card = await scorecard({
      estateId,
      companyId: company!.id,
      month: "2026-10",
      now: new Date("2026-11-27T00:00:00Z"),
    });
    const months = card.months;
    expect(months[0].month).toBe("2025-11");
    expect(months[0].opened).toBe(0);
    expect(months.slice(1).every((m) => m.opened > 0)).toBe(true);
    // Faster answers, more resolved in time, happier owners; and the fee collection rate from the fees demo.
    expect(
      direction(
        months.map((m) => m.medianResponseMin),
        4,
      ),
    ).toBe("down");
    expect(
      direction(
        months.map((m) => m.withinTarget),
        4,
      ),
    ).toBe("up");
    expect(
      direction(
        months.map((m) => m.avgRating),
        4,
      ),
    ).toBe("up");
    expect(months.at(-1)!.collectionRate).not.toBeNull();
    // Nothing in the current month, so a new ticket shows on its own there.
    const now = await scorecard({
      estateId,
      companyId: company!.id,
      month: "2026-11",
      now: new Date("2026-11-27T00:00:00Z"),
    });
    expect(now.months.at(-1)!.opened).toBe(0);
  });

  it("its two unresolved October tickets escalate to the committee when the jobs run", async () => {
    expect(await runTicketJobs(new Date("2026-11-27T00:00:00Z"))).toEqual({ escalated: 2, closed: 0 });
    const [committee] = await getDb()
      .select()
      .from(schema.users)
      .where(eq(schema.users.email, "committee@demo.yishitang.cn"));
    const mail = await getDb().select().from(schema.outbox).where(eq(schema.outbox.userId, committee.id));
    expect(mail.filter((m) => m.template === "ticket-update")).toHaveLength(2);
  });

  it("has a service report and ledgers that add up", async () => {
    const [report] = await listReports(estateId);
    expect(report.quarter).toBe("2026-Q3");
    expect(report.totals.incomeFen - report.totals.spendingFen).toBe(report.totals.balanceFen);
    const fund = await ledger(estateId, "maintenance_fund");
    expect(fund.balanceFen).toBe(6_382_450_00 + 47_868_37 + 50_000_00);
    const income = await ledger(estateId, "common_income");
    expect(income.balanceFen).toBe(36_000_00 * 2 + 12_000_00 - 50_000_00);
  });
});
