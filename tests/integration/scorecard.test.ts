import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { collectionByPeriod } from "~/fees/collection.server";
import { recordOfflinePayment } from "~/fees/ledger.server";
import { communityOverview } from "~/community/overview.server";
import { servingCompany, setServingCompany } from "~/tickets/company.server";
import { ledger, listReports, recordEntry } from "~/tickets/ledgers.server";
import { parseReportLines } from "~/tickets/money";
import { proposeFromScorecard, scorecard, scorecardProposalsOf, ticketFigures } from "~/tickets/scorecard.server";
import { action as scorecardAction, loader as scorecardLoader } from "~/routes/e.$estate.scorecard";
import { action as ledgersAction, loader as ledgersLoader } from "~/routes/e.$estate.ledgers";
import { action as reportsAction } from "~/routes/e.$estate.service-reports";
import { loader as communityLoader } from "~/routes/e.$estate.community";
import { makeBilledEstate } from "../fees-fixtures";
import { call, expectStatus, makeEstate, makeUser, refusalOf, statusOf } from "../fixtures";

const { tickets, bills, estates } = schema;
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

type Spec = {
  createdAt: Date;
  ackMin?: number;
  firstResolvedMin?: number;
  resolvedMin?: number | null;
  status: "open" | "acknowledged" | "resolved" | "closed";
  rating?: number;
  reopen?: number;
  responseHours?: number;
  resolutionHours?: number;
  companyId?: string | null;
};

let seq = 0;
/** Tickets written straight into the table with the moments the scorecard measures. */
async function insertTickets(
  estateId: string,
  unitId: string,
  filerId: string,
  companyId: string | null,
  specs: Spec[],
) {
  const rows = specs.map((s) => {
    const at = (min?: number | null) =>
      min === undefined || min === null ? null : new Date(s.createdAt.getTime() + min * minute);
    const resolvedAt = at(s.resolvedMin);
    const closed = s.status === "closed";
    return {
      estateId,
      seq: ++seq,
      companyId: s.companyId === undefined ? companyId : s.companyId,
      filerId,
      unitId,
      category: "repair" as const,
      location: "common" as const,
      description: `工单 ${seq}`,
      isPublic: true,
      status: s.status,
      responseDueAt: new Date(s.createdAt.getTime() + (s.responseHours ?? 4) * hour),
      resolutionDueAt: new Date(s.createdAt.getTime() + (s.resolutionHours ?? 72) * hour),
      acknowledgedAt: at(s.ackMin),
      firstResolvedAt: at(s.firstResolvedMin ?? s.resolvedMin),
      resolvedAt,
      reopenCount: s.reopen ?? 0,
      closedAt: closed ? new Date((resolvedAt ?? s.createdAt).getTime() + hour) : null,
      closedBy: closed ? "filer" : null,
      rating: s.rating ?? null,
      ratedAt: s.rating ? new Date((resolvedAt ?? s.createdAt).getTime() + hour) : null,
      createdAt: s.createdAt,
    };
  });
  await getDb().insert(tickets).values(rows);
}

async function payBills(
  estateId: string,
  unitId: string,
  periods: string[],
  staffId: string,
  paidAt = new Date("2026-11-20T02:00:00Z"),
) {
  const rows = await getDb()
    .select({ id: bills.id })
    .from(bills)
    .where(and(eq(bills.estateId, estateId), eq(bills.unitId, unitId), inArray(bills.periodKey, periods)));
  await getDb().transaction(async (tx) => {
    const r = await recordOfflinePayment(tx, {
      estateId,
      unitId,
      billIds: rows.map((b) => b.id),
      method: "cash",
      reference: null,
      paidAt,
      actorId: staffId,
      now: paidAt,
    });
    if (!r.ok) throw new Error(r.error);
  });
}

describe("scorecard figures on a fixed data set", () => {
  it("computes counts, medians, 90th percentiles, shares within target, reopen rate and rating in SQL, by Beijing month, per company", async () => {
    const f = await makeBilledEstate({ periods: ["2026-09", "2026-10"] });
    await setServingCompany({ estateId: f.estate.id, name: "苏州宜居物业服务有限公司", userId: f.committee.id });
    const company = (await servingCompany(getDb(), f.estate.id))!;
    const base = new Date("2026-10-05T02:00:00Z"); // 10:00 Beijing time
    const d = (n: number) => new Date(base.getTime() + n * day);
    await insertTickets(f.estate.id, f.units.u101.unitId, f.owner.id, company.id, [
      // Answered in 30 min, resolved in 10 h (in time), 5 stars.
      { createdAt: d(0), ackMin: 30, resolvedMin: 600, status: "closed", rating: 5 },
      // Answered in 60 min, resolved in 50 h (in time), 4 stars.
      { createdAt: d(1), ackMin: 60, resolvedMin: 3000, status: "closed", rating: 4 },
      // Answered in 2 h, resolved at 20 h, reopened, resolved again at 100 h (late), 2 stars.
      {
        createdAt: d(2),
        ackMin: 120,
        firstResolvedMin: 1200,
        resolvedMin: 6000,
        reopen: 1,
        status: "closed",
        rating: 2,
      },
      // Answered in 4 h, not resolved, its 72 h have passed.
      { createdAt: d(3), ackMin: 240, status: "acknowledged" },
      // Nobody answered; its resolution target (168 h) has not passed yet.
      { createdAt: d(4), status: "open", resolutionHours: 168 },
      // Boundaries of the Beijing month: 23:30 on 30 September, 00:30 on 1 November.
      { createdAt: new Date("2026-09-30T15:30:00Z"), ackMin: 10, resolvedMin: 100, status: "resolved" },
      { createdAt: new Date("2026-10-31T16:30:00Z"), status: "open" },
      // Another company's ticket in the same estate and month (before the change of company).
      { createdAt: d(1), ackMin: 5, resolvedMin: 50, status: "closed", rating: 1, companyId: null },
    ]);
    // Another estate's tickets never count.
    const other = await makeEstate();
    const now = new Date("2026-10-12T00:00:00Z");
    const figures = await ticketFigures(getDb(), {
      estateId: f.estate.id,
      companyId: company.id,
      first: "2026-09",
      last: "2026-11",
      now,
    });
    expect(figures.get("2026-10")).toEqual({
      month: "2026-10",
      opened: 5,
      // Response minutes 30, 60, 120, 240 (the unanswered one is left out): median 90, p90 120 + 0.7 × 120 = 204.
      medianResponseMin: 90,
      p90ResponseMin: 204,
      // Resolution minutes 600, 3000, 6000: median 3000, p90 3000 + 0.8 × 3000 = 5400.
      medianResolutionMin: 3000,
      p90ResolutionMin: 5400,
      // In time: 2, of the 4 resolved or past their deadline.
      resolvedInTime: 2,
      targetDue: 4,
      withinTarget: 500,
      // Reopened: 1 of the 3 ever resolved → 33.3%.
      reopened: 1,
      everResolved: 3,
      reopenRate: 333,
      // Ratings 5, 4, 2 → 3.67 → 3.7.
      ratingSum: 11,
      ratings: 3,
      avgRating: 37,
      collectionRate: null,
    });
    expect(figures.get("2026-09")?.opened).toBe(1);
    expect(figures.get("2026-11")?.opened).toBe(1);
    // Tickets filed while no company was recorded form their own scorecard.
    const none = await ticketFigures(getDb(), {
      estateId: f.estate.id,
      companyId: null,
      first: "2026-10",
      last: "2026-10",
      now,
    });
    expect(none.get("2026-10")).toMatchObject({ opened: 1, avgRating: 10, medianResponseMin: 5 });
    expect(
      (
        await ticketFigures(getDb(), {
          estateId: other.id,
          companyId: company.id,
          first: "2026-09",
          last: "2026-11",
          now,
        })
      ).size,
    ).toBe(0);

    // The fee collection rate comes from the fees feature's own query, month by month.
    await payBills(f.estate.id, f.units.u101.unitId, ["2026-10"], f.staff.id);
    await payBills(f.estate.id, f.units.u103.unitId, ["2026-09", "2026-10"], f.staff.id);
    const periods = await collectionByPeriod(f.estate.id, 12);
    const card = await scorecard({ estateId: f.estate.id, companyId: company.id, month: "2026-10", now });
    expect(card.months).toHaveLength(12);
    expect(card.months[0].month).toBe("2025-11");
    expect(card.months.at(-1)).toMatchObject({ month: "2026-10", opened: 5, withinTarget: 500 });
    expect(card.months.at(-1)!.collectionRate).toBe(periods.find((p) => p.periodKey === "2026-10")!.amountRate);
    expect(card.months.at(-2)!.collectionRate).toBe(periods.find((p) => p.periodKey === "2026-09")!.amountRate);
    // (16,533 + 22,293) fen of 57,326 billed in October: 67.7%; September: 22,293 / 57,326 = 38.9%.
    expect(card.months.at(-1)!.collectionRate).toBe(677);
    expect(card.months.at(-2)!.collectionRate).toBe(389);
    expect(card.months[0]).toMatchObject({
      opened: 0,
      medianResponseMin: null,
      withinTarget: null,
      collectionRate: null,
    });
  });
});

describe("a proposal from a scorecard", () => {
  it("the committee drafts a property-company proposal through the voting feature, with the scorecard in its text and frozen beside it", async () => {
    const f = await makeBilledEstate({ periods: ["2026-10"] });
    await setServingCompany({ estateId: f.estate.id, name: "苏州宜居物业服务有限公司", userId: f.committee.id });
    const company = (await servingCompany(getDb(), f.estate.id))!;
    await insertTickets(f.estate.id, f.units.u101.unitId, f.owner.id, company.id, [
      { createdAt: new Date("2026-10-08T02:00:00Z"), ackMin: 45, resolvedMin: 300, status: "closed", rating: 3 },
    ]);
    const params = { estate: f.estate.slug };
    const page = (await call(scorecardLoader, {
      url: `/e/${f.estate.slug}/scorecard?month=2026-10`,
      params,
      user: f.owner,
    })) as Awaited<ReturnType<typeof scorecardLoader>>;
    expect(page.card.company?.name).toBe("苏州宜居物业服务有限公司");
    expect(page.card.months.at(-1)).toMatchObject({ opened: 1, medianResponseMin: 45, avgRating: 30 });
    expect(page.canPropose).toBe(false);
    await expectStatus(
      scorecardLoader,
      { url: `/e/${f.estate.slug}/scorecard?month=2026-13`, params, user: f.owner },
      404,
    );
    await expectStatus(
      scorecardLoader,
      { url: `/e/${f.estate.slug}/scorecard?company=${f.estate.id}`, params, user: f.owner },
      404,
    );

    await expectStatus(
      scorecardAction,
      { url: "/x", params, user: f.owner, form: { intent: "propose", proposal: "replace", month: "2026-10" } },
      403,
    );
    const created = (await call(scorecardAction, {
      url: "/x",
      params,
      user: f.committee,
      form: { intent: "propose", proposal: "replace", month: "2026-10" },
    })) as Response;
    expect(created.status).toBe(302);
    const proposalId = created.headers.get("Location")!.split("/").pop()!;
    const [p] = await getDb().select().from(schema.proposals).where(eq(schema.proposals.id, proposalId));
    expect(p).toMatchObject({
      estateId: f.estate.id,
      type: "property_company",
      status: "draft",
      createdBy: f.committee.id,
    });
    expect(p.title).toBe("关于更换物业公司苏州宜居物业服务有限公司的提案");
    expect(p.body).toContain("| 2026-10 | 1 | 0.8 |");
    expect(p.body).toContain("/scorecard?month=2026-10");
    const [frozen] = await getDb()
      .select()
      .from(schema.scorecardProposals)
      .where(eq(schema.scorecardProposals.proposalId, proposalId));
    expect(frozen).toMatchObject({ month: "2026-10", intent: "replace", companyId: company.id });
    expect((frozen.figures as { opened: number }[]).at(-1)!.opened).toBe(1);
    expect((await scorecardProposalsOf(f.estate.id)).map((x) => x.id)).toEqual([proposalId]);
    // Owners do not see the draft listed.
    const again = (await call(scorecardLoader, {
      url: `/e/${f.estate.slug}/scorecard?month=2026-10`,
      params,
      user: f.owner,
    })) as Awaited<ReturnType<typeof scorecardLoader>>;
    expect(again.proposals).toEqual([]);
  });

  it("writes the proposal and its scorecard together: when attaching the scorecard fails, no proposal is left", async () => {
    const f = await makeBilledEstate({ periods: ["2026-10"] });
    await setServingCompany({ estateId: f.estate.id, name: "苏州宜居物业服务有限公司", userId: f.committee.id });
    const company = (await servingCompany(getDb(), f.estate.id))!;
    const card = await scorecard({ estateId: f.estate.id, companyId: company.id, month: "2026-10" });
    const attempt = {
      estateId: f.estate.id,
      userId: f.committee.id,
      intent: "replace" as const,
      title: "更换物业公司",
      body: "见评分卡",
    };
    // A month the attachment's check constraint refuses: the insert after the draft fails.
    await expect(
      proposeFromScorecard({ ...attempt, card: { ...card, month: "2026-13" as typeof card.month } }),
    ).rejects.toThrow();
    expect(await getDb().select().from(schema.proposals).where(eq(schema.proposals.estateId, f.estate.id))).toEqual([]);
    // The same request with the real scorecard writes both.
    const made = await proposeFromScorecard({ ...attempt, card });
    if (!made.ok) throw new Error(made.error);
    expect(
      (await getDb().select().from(schema.proposals).where(eq(schema.proposals.estateId, f.estate.id))).map(
        (p) => p.id,
      ),
    ).toEqual([made.id]);
    expect(await scorecardProposalsOf(f.estate.id)).toHaveLength(1);
  });
});

describe("service reports and the committee's ledgers", () => {
  it("a report's figures parse from lines and add up in integer fen; one report per quarter; staff only", async () => {
    const f = await makeBilledEstate({ periods: [] });
    const parsed = parseReportLines(
      "收入,物业费,152300.00\nincome，停车费，8000.5\n支出,保洁外包,60000\nspending,绿化养护,12345.67\n",
    );
    expect(parsed).toEqual({
      ok: true,
      lines: [
        { kind: "income", label: "物业费", amountFen: 15_230_000 },
        { kind: "income", label: "停车费", amountFen: 800_050 },
        { kind: "spending", label: "保洁外包", amountFen: 6_000_000 },
        { kind: "spending", label: "绿化养护", amountFen: 1_234_567 },
      ],
    });
    expect(parseReportLines("收入,物业费,1.234")).toEqual({ ok: false, error: "tickets.reports.badAmount", line: 1 });
    expect(parseReportLines("\n利息,物业费,1")).toEqual({ ok: false, error: "tickets.reports.badLine", line: 2 });
    expect(parseReportLines("收入,停车费,8,000.50")).toEqual({ ok: false, error: "tickets.reports.badLine", line: 1 });
    expect(parseReportLines("  ")).toEqual({ ok: false, error: "tickets.reports.noLines", line: 0 });

    const params = { estate: f.estate.slug };
    const form = {
      intent: "publish",
      quarter: "2026-Q3",
      title: "三季度服务报告",
      body: "本季度完成电梯年检。",
      lines: "收入,物业费,152300.00\n支出,保洁外包,60000",
    };
    await expectStatus(reportsAction, { url: "/x", params, user: f.owner, form }, 403);
    expect(statusOf(await call(reportsAction, { url: "/x", params, user: f.staff, form }))).toBe(302);
    expect(statusOf(await call(reportsAction, { url: "/x", params, user: f.staff, form }))).toBe(409);
    expect(
      statusOf(
        await call(reportsAction, {
          url: "/x",
          params,
          user: f.staff,
          form: { ...form, quarter: "2026-Q4", lines: "支出,x,1.001" },
        }),
      ),
    ).toBe(400);
    const [report] = await listReports(f.estate.id);
    expect(report.totals).toEqual({ incomeFen: 15_230_000, spendingFen: 6_000_000, balanceFen: 9_230_000 });
  });

  it("ledgers: entries only added, corrections go the other way, fund use needs a passed vote, totals agree with SQL", async () => {
    const f = await makeBilledEstate({ periods: [] });
    const base = { estateId: f.estate.id, userId: f.committee.id };
    expect(
      await recordEntry({
        ...base,
        ledger: "common_income",
        direction: "in",
        occurredOn: "2026-10-01",
        description: "电梯广告收入",
        amountFen: 1_200_000,
      }),
    ).toEqual({ ok: true, seq: 1 });
    expect(
      await recordEntry({
        ...base,
        ledger: "common_income",
        direction: "in",
        occurredOn: "2026-10-15",
        description: "地面停车位租金",
        amountFen: 345_678,
      }),
    ).toEqual({ ok: true, seq: 2 });
    expect(
      await recordEntry({
        ...base,
        ledger: "common_income",
        direction: "out",
        occurredOn: "2026-10-20",
        description: "分配至维修资金",
        amountFen: 500_000,
      }),
    ).toEqual({ ok: true, seq: 3 });
    // A wrong entry, corrected by one the other way.
    expect(
      await recordEntry({
        ...base,
        ledger: "common_income",
        direction: "in",
        occurredOn: "2026-10-21",
        description: "误记",
        amountFen: 99_999,
      }),
    ).toEqual({ ok: true, seq: 4 });
    expect(
      await recordEntry({
        ...base,
        ledger: "common_income",
        direction: "in",
        occurredOn: "2026-10-21",
        description: "更正",
        amountFen: 99_999,
        correctsSeq: 4,
      }),
    ).toEqual({ ok: false, error: "tickets.ledgers.badCorrects" });
    expect(
      await recordEntry({
        ...base,
        ledger: "common_income",
        direction: "out",
        occurredOn: "2026-10-21",
        description: "更正",
        amountFen: 99_999,
        correctsSeq: 4,
      }),
    ).toEqual({ ok: true, seq: 5 });
    expect(
      await recordEntry({
        ...base,
        ledger: "common_income",
        direction: "out",
        occurredOn: "2026-10-21",
        description: "x",
        amountFen: 0,
      }),
    ).toEqual({ ok: false, error: "tickets.ledgers.badAmount" });
    const income = await ledger(f.estate.id, "common_income");
    expect(income).toMatchObject({ inFen: 1_645_677, outFen: 599_999, balanceFen: 1_045_678 });
    expect(income.entries.map((e) => e.balanceFen)).toEqual([1_200_000, 1_545_678, 1_045_678, 1_145_677, 1_045_678]);
    expect(income.entries[4].correctsSeq).toBe(4);

    // Paying out of the maintenance fund needs the owners' approval of that use.
    expect(
      await recordEntry({
        ...base,
        ledger: "maintenance_fund",
        direction: "in",
        occurredOn: "2026-01-01",
        description: "维修资金结余",
        amountFen: 50_000_000,
      }),
    ).toEqual({ ok: true, seq: 1 });
    expect(
      await recordEntry({
        ...base,
        ledger: "maintenance_fund",
        direction: "out",
        occurredOn: "2026-10-01",
        description: "更换电梯",
        amountFen: 30_000_000,
      }),
    ).toEqual({ ok: false, error: "tickets.ledgers.fundUseNeedsVote" });
    const [vote] = await getDb()
      .insert(schema.proposals)
      .values({
        estateId: f.estate.id,
        title: "使用维修资金更换3幢电梯",
        body: "x",
        type: "fund_use",
        matter: "ordinary",
        status: "published",
        commentEndsAt: new Date("2026-08-01T00:00:00Z"),
        votingStartsAt: new Date("2026-08-01T00:00:00Z"),
        votingEndsAt: new Date("2026-08-15T00:00:00Z"),
        result: { passed: false },
      })
      .returning();
    expect(
      await recordEntry({
        ...base,
        ledger: "maintenance_fund",
        direction: "out",
        occurredOn: "2026-10-01",
        description: "更换电梯",
        amountFen: 30_000_000,
        proposalId: vote.id,
      }),
    ).toEqual({ ok: false, error: "tickets.ledgers.fundUseNeedsVote" });
    await getDb()
      .update(schema.proposals)
      .set({ result: { passed: true } })
      .where(eq(schema.proposals.id, vote.id));
    expect(
      await recordEntry({
        ...base,
        ledger: "maintenance_fund",
        direction: "out",
        occurredOn: "2026-10-01",
        description: "更换电梯",
        amountFen: 30_000_000,
        proposalId: vote.id,
      }),
    ).toEqual({ ok: true, seq: 2 });

    // Through the route: owners read, the committee records, amounts typed in yuan.
    const params = { estate: f.estate.slug };
    await expectStatus(ledgersAction, { url: "/x", params, user: f.owner, form: { intent: "record" } }, 403);
    const entry = {
      intent: "record",
      ledger: "common_income",
      direction: "in",
      occurredOn: "2026-11-02",
      description: "快递柜场地费",
      amount: "1,000.05",
      proposalId: "",
      corrects: "",
    };
    expect(statusOf(await call(ledgersAction, { url: "/x", params, user: f.committee, form: entry }))).toBe(302);
    expect(
      statusOf(
        await call(ledgersAction, { url: "/x", params, user: f.committee, form: { ...entry, amount: "1.005" } }),
      ),
    ).toBe(400);
    const negative = await call(ledgersAction, {
      url: "/x",
      params,
      user: f.committee,
      form: { ...entry, amount: "-5" },
    });
    expect(statusOf(negative)).toBe(400);
    expect(refusalOf(negative)).toMatchObject({
      error: "common.money.negative",
      fields: { amount: ["common.money.negative"] },
    });
    expect(
      statusOf(
        await call(ledgersAction, {
          url: "/x",
          params,
          user: f.committee,
          form: { ...entry, amount: "1000000000.01" },
        }),
      ),
    ).toBe(400);
    expect(
      statusOf(
        await call(ledgersAction, {
          url: "/x",
          params,
          user: f.committee,
          form: { ...entry, occurredOn: "2026-02-30" },
        }),
      ),
    ).toBe(400);
    const page = (await call(ledgersLoader, { url: "/x", params, user: f.owner })) as Awaited<
      ReturnType<typeof ledgersLoader>
    >;
    expect(page.ledgers.common_income.balanceFen).toBe(1_045_678 + 100_005);
    expect(page.ledgers.maintenance_fund).toMatchObject({
      inFen: 50_000_000,
      outFen: 30_000_000,
      balanceFen: 20_000_000,
    });
    expect(page.ledgers.maintenance_fund.entries[1].proposalTitle).toBe("使用维修资金更换3幢电梯");
  });
});

describe("the community's view", () => {
  it("shows each estate of the community side by side and flags the one whose collection and satisfaction both fall", async () => {
    const periods = ["2026-07", "2026-08", "2026-09", "2026-10"];
    const a = await makeBilledEstate({ periods, name: "宜欣花园" });
    const b = await makeBilledEstate({ periods, name: "康乐苑" });
    await getDb().update(estates).set({ communityId: a.estate.communityId }).where(eq(estates.id, b.estate.id));
    const admin = await makeUser([{ role: "community_admin", communityId: a.estate.communityId }]);
    // A: everyone paid July and August, only 103 paid September and October. B: the other way round.
    for (const u of [a.units.u101, a.units.u103])
      await payBills(a.estate.id, u.unitId, u === a.units.u103 ? periods : ["2026-07", "2026-08"], a.staff.id);
    await payBills(b.estate.id, b.units.u103.unitId, periods, b.staff.id);
    await payBills(b.estate.id, b.units.u101.unitId, ["2026-09", "2026-10"], b.staff.id);
    // A: happy owners in spring and summer, unhappy since; B: steady.
    const now = new Date("2026-11-15T00:00:00Z");
    const ago = (days: number) => new Date(now.getTime() - days * day);
    await insertTickets(a.estate.id, a.units.u101.unitId, a.owner.id, null, [
      { createdAt: ago(150), ackMin: 30, resolvedMin: 300, status: "closed", rating: 5 },
      { createdAt: ago(120), ackMin: 30, resolvedMin: 300, status: "closed", rating: 5 },
      { createdAt: ago(60), ackMin: 300, resolvedMin: 6000, status: "closed", rating: 2 },
      { createdAt: ago(20), ackMin: 600, resolvedMin: 9000, status: "closed", rating: 1 },
      { createdAt: ago(10), status: "open" },
    ]);
    await insertTickets(b.estate.id, b.units.u101.unitId, b.owner.id, null, [
      { createdAt: ago(150), ackMin: 30, resolvedMin: 300, status: "closed", rating: 4 },
      { createdAt: ago(30), ackMin: 20, resolvedMin: 200, status: "closed", rating: 4 },
    ]);
    const overview = await communityOverview(a.estate.communityId, now);
    const byName = new Map(overview.estates.map((e) => [e.name, e]));
    const ea = byName.get("宜欣花园")!;
    const eb = byName.get("康乐苑")!;
    expect(ea).toMatchObject({
      collectionDirection: "down",
      satisfaction: 15,
      satisfactionBefore: 50,
      satisfactionDirection: "down",
      drifting: true,
      openTickets: 1,
      overdueTickets: 1,
      medianResponseMin: 450,
    });
    expect(eb).toMatchObject({
      collectionDirection: "up",
      satisfaction: 40,
      satisfactionBefore: 40,
      satisfactionDirection: "flat",
      drifting: false,
      openTickets: 0,
    });
    expect(ea.collectionSeries).toHaveLength(4);
    expect(ea.committee).toBeNull();
    expect(ea.votes).toEqual([]);

    // The page: community admins of this community only; sorted with the drifting estate first.
    const params = { estate: a.estate.slug };
    const page = (await call(communityLoader, { url: "/x", params, user: admin })) as Awaited<
      ReturnType<typeof communityLoader>
    >;
    expect(page.rows.map((r) => r.name)).toEqual(["宜欣花园", "康乐苑"]);
    const sorted = (await call(communityLoader, {
      url: "/x?sort=satisfaction&dir=desc",
      params,
      user: admin,
    })) as Awaited<ReturnType<typeof communityLoader>>;
    expect(sorted.rows.map((r) => r.name)).toEqual(["康乐苑", "宜欣花园"]);
    await expectStatus(communityLoader, { url: "/x", params, user: a.committee }, 403);
    const foreign = await makeUser([{ role: "community_admin", communityId: (await makeEstate()).communityId }]);
    await expectStatus(communityLoader, { url: "/x", params, user: foreign }, 404);
  });
});
