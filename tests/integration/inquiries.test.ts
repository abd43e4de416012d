import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { publishReport } from "~/tickets/ledgers.server";
import { loader as ledgersLoader } from "~/routes/e.$estate.ledgers";
import { action as inquiryAction, loader as inboxLoader } from "~/routes/e.$estate.inquiries";
import { loader as reportsLoader } from "~/routes/e.$estate.service-reports";
import { call, expectStatus, makeEstate, makeUser, refusalOf, statusOf } from "../fixtures";
import { committeeEstate, ownerWithAccount, type TestUser } from "./committee-helpers";

const { inquiries, inquiryReplies, outbox } = schema;

type Thread = {
  id: string;
  asker: string;
  body: string;
  answeredAt: string | null;
  replies: { author: string; byCommittee: boolean; body: string }[];
};
type ReportsView = { reports: { id: string; threads: Thread[] }[]; canAsk: boolean; canAnswer: boolean };
type LedgersView = {
  threads: { maintenance_fund: Thread[]; common_income: Thread[] };
  canAsk: boolean;
  canAnswer: boolean;
};

/** The committee estate, with a tenant, a property staff member and the company's Q3 report. */
async function world() {
  const c = await committeeEstate();
  const resident = await makeUser([{ role: "resident", estateId: c.estate.id }], "钱租户");
  const staff = await makeUser([{ role: "property_staff", estateId: c.estate.id }], "吴物业");
  const report = await publishReport({
    estateId: c.estate.id,
    userId: staff.id,
    quarter: "2026-Q3",
    title: "三季度服务报告",
    body: "本季度完成电梯年检。",
    lines: [
      { kind: "income", label: "物业费", amountFen: 12_000_000 },
      { kind: "spending", label: "电梯维保", amountFen: 3_000_000 },
    ],
  });
  if (!report.ok) throw new Error(report.error);
  const slug = c.estate.slug;
  const params = { estate: slug };
  const post = (user: TestUser | null, form: Record<string, string>) =>
    call(inquiryAction, { url: `/e/${slug}/inquiries`, params, user, form });
  const reports = async (user: TestUser) =>
    (await call(reportsLoader, { url: `/e/${slug}/service-reports`, params, user })) as ReportsView;
  const ledgers = async (user: TestUser) =>
    (await call(ledgersLoader, { url: `/e/${slug}/ledgers`, params, user })) as LedgersView;
  return { ...c, resident, staff, reportId: report.id, post, reports, ledgers };
}

async function mailsTo(userId: string) {
  return getDb()
    .select()
    .from(outbox)
    .where(and(eq(outbox.userId, userId), eq(outbox.template, "inquiry-answered")));
}

describe("owners' questions on service reports and ledgers", () => {
  it("an owner asks on a report; it shows to them and the committee until answered, then to the whole estate, and the asker is told", async () => {
    const w = await world();
    const other = await ownerWithAccount(w.estate.id, "3幢", "109", "孙丽");
    const asked = (await w.post(w.owner, {
      intent: "ask",
      subjectKind: "service_report",
      subjectId: w.reportId,
      body: "电梯维保费为何比去年高？",
    })) as Response;
    expect(asked.status).toBe(302);
    expect(asked.headers.get("Location")).toBe(`/e/${w.estate.slug}/service-reports#q-${w.reportId}`);
    // The committee's members, who answer for it, are told; nobody else.
    const told = await getDb()
      .select()
      .from(outbox)
      .where(and(eq(outbox.estateId, w.estate.id), eq(outbox.template, "inquiry-asked")));
    expect(told.map((m) => m.userId).sort()).toEqual(w.members.map((m) => m.id).sort());
    expect(told[0].props).toEqual({
      question: "电梯维保费为何比去年高？",
      path: `/e/${w.estate.slug}/service-reports#q-${w.reportId}`,
    });

    const mine = await w.reports(w.owner);
    expect(mine.canAsk).toBe(true);
    expect(mine.canAnswer).toBe(false);
    expect(mine.reports[0].threads).toMatchObject([
      { asker: "刘*", body: "电梯维保费为何比去年高？", answeredAt: null },
    ]);
    const inquiryId = mine.reports[0].threads[0].id;
    // Not answered yet: another owner, a resident and the staff do not see it; the committee does.
    expect((await w.reports(other)).reports[0].threads).toEqual([]);
    expect((await w.reports(w.resident)).reports[0].threads).toEqual([]);
    expect((await w.reports(w.staff)).reports[0].threads).toEqual([]);
    const committeeView = await w.reports(w.members[1]);
    expect(committeeView.canAnswer).toBe(true);
    expect(committeeView.reports[0].threads.map((t) => t.id)).toEqual([inquiryId]);

    // Only the asker and the committee write in the thread.
    expect(statusOf(await w.post(other, { intent: "reply", inquiryId, body: "我也想知道" }))).toBe(403);
    expect(statusOf(await w.post(w.staff, { intent: "reply", inquiryId, body: "我们来答" }))).toBe(403);
    expect(await mailsTo(w.owner.id)).toHaveLength(0);
    const answered = (await w.post(w.members[1], {
      intent: "reply",
      inquiryId,
      body: "新增了两部电梯的维保合同，详见附件。",
    })) as Response;
    expect(answered.status).toBe(302);
    expect(answered.headers.get("Location")).toBe(`/e/${w.estate.slug}/service-reports#q-${w.reportId}`);
    expect(statusOf(await w.post(w.owner, { intent: "reply", inquiryId, body: "谢谢" }))).toBe(302);

    // The asker's notice is queued once, for the committee's answer (not for their own follow-up).
    const mails = await mailsTo(w.owner.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ estateId: w.estate.id, category: "minutes" });
    expect(mails[0].props).toEqual({
      question: "电梯维保费为何比去年高？",
      answer: "新增了两部电梯的维保合同，详见附件。",
      path: `/e/${w.estate.slug}/service-reports#q-${w.reportId}`,
    });

    // Answered: public to the estate, the asker's name masked.
    for (const viewer of [other, w.resident, w.staff]) {
      const [thread] = (await w.reports(viewer)).reports[0].threads;
      expect(thread).toMatchObject({ asker: "刘*", answeredAt: expect.any(String) });
      expect(thread.replies).toMatchObject([
        { author: "王*", byCommittee: true, body: "新增了两部电梯的维保合同，详见附件。" },
        { author: "刘*", byCommittee: false, body: "谢谢" },
      ]);
    }
  });

  it("an owner asks about the maintenance fund's ledger; the committee answers there and the asker is told", async () => {
    const w = await world();
    const asked = (await w.post(w.owner, {
      intent: "ask",
      subjectKind: "maintenance_fund",
      body: "今年动用了多少维修资金？",
    })) as Response;
    expect(asked.headers.get("Location")).toBe(`/e/${w.estate.slug}/ledgers#q-maintenance_fund`);
    const before = await w.ledgers(w.members[0]);
    expect(before.threads.common_income).toEqual([]);
    const [q] = before.threads.maintenance_fund;
    expect(q).toMatchObject({ asker: "刘*", body: "今年动用了多少维修资金？" });
    expect(
      statusOf(
        await w.post(w.members[0], {
          intent: "reply",
          inquiryId: q.id,
          body: "共 3 笔，合计 12 万元，均经业主大会表决。",
        }),
      ),
    ).toBe(302);
    const [mail] = await mailsTo(w.owner.id);
    expect(mail.props).toMatchObject({ path: `/e/${w.estate.slug}/ledgers#q-maintenance_fund` });
    const seen = await w.ledgers(w.resident);
    expect(seen.canAsk).toBe(false);
    expect(seen.threads.maintenance_fund[0].replies).toMatchObject([{ author: "陈**", byCommittee: true }]);
    // Questions on the common income stay under it.
    expect(
      statusOf(await w.post(w.owner, { intent: "ask", subjectKind: "common_income", body: "广告位收入怎么分配？" })),
    ).toBe(302);
    const after = await w.ledgers(w.owner);
    expect(after.threads.common_income.map((t) => t.body)).toEqual(["广告位收入怎么分配？"]);
    expect(after.threads.maintenance_fund).toHaveLength(1);
  });

  it("only owners ask; residents and staff are refused; bad input changes nothing", async () => {
    const w = await world();
    const ask = { intent: "ask", subjectKind: "service_report", subjectId: w.reportId, body: "问题" };
    expect(statusOf(await w.post(w.resident, ask))).toBe(403);
    expect(statusOf(await w.post(w.staff, ask))).toBe(403);
    expect(statusOf(await w.post(null, ask))).toBe(302);
    const empty = await w.post(w.owner, { ...ask, body: "  " });
    expect(statusOf(empty)).toBe(400);
    expect(refusalOf(empty).error).toBe("common.errors.required");
    expect(statusOf(await w.post(w.owner, { ...ask, body: "长".repeat(2001) }))).toBe(400);
    expect(statusOf(await w.post(w.owner, { ...ask, subjectKind: "ballot" }))).toBe(404);
    expect(statusOf(await w.post(w.owner, { ...ask, subjectId: "not-a-uuid" }))).toBe(404);
    expect(statusOf(await w.post(w.owner, { intent: "reply", inquiryId: crypto.randomUUID(), body: "回复" }))).toBe(
      404,
    );
    expect(await getDb().select().from(inquiries).where(eq(inquiries.estateId, w.estate.id))).toEqual([]);
  });

  it("another estate's owner gets 404; another estate's report or question is not found here", async () => {
    const w = await world();
    const elsewhere = await makeEstate();
    const stranger = await ownerWithAccount(elsewhere.id, "9幢", "101", "外人");
    const strangerStaff = await makeUser([{ role: "property_staff", estateId: elsewhere.id }], "外物业");
    expect(
      statusOf(
        await w.post(stranger, { intent: "ask", subjectKind: "service_report", subjectId: w.reportId, body: "问题" }),
      ),
    ).toBe(404);
    await expectStatus(
      reportsLoader,
      { url: `/e/${w.estate.slug}/service-reports`, params: { estate: w.estate.slug }, user: stranger },
      404,
    );
    await expectStatus(
      ledgersLoader,
      { url: `/e/${w.estate.slug}/ledgers`, params: { estate: w.estate.slug }, user: stranger },
      404,
    );

    // The other estate's own report, asked about under this estate's slug: not found.
    const theirs = await publishReport({
      estateId: elsewhere.id,
      userId: strangerStaff.id,
      quarter: "2026-Q3",
      title: "报告",
      body: "正文",
      lines: [{ kind: "income", label: "物业费", amountFen: 100 }],
    });
    if (!theirs.ok) throw new Error(theirs.error);
    expect(
      statusOf(
        await w.post(w.owner, { intent: "ask", subjectKind: "service_report", subjectId: theirs.id, body: "问题" }),
      ),
    ).toBe(404);
    // This estate's question, answered from the other estate: not found, nothing written.
    expect(statusOf(await w.post(w.owner, { intent: "ask", subjectKind: "common_income", body: "收入多少？" }))).toBe(
      302,
    );
    const [q] = await getDb().select().from(inquiries).where(eq(inquiries.estateId, w.estate.id));
    const strangerCommittee = await makeUser([{ role: "committee", estateId: elsewhere.id }], "外委员");
    const crossed = await call(inquiryAction, {
      url: `/e/${elsewhere.slug}/inquiries`,
      params: { estate: elsewhere.slug },
      user: strangerCommittee,
      form: { intent: "reply", inquiryId: q.id, body: "答复" },
    });
    expect(statusOf(crossed)).toBe(404);
    expect(await getDb().select().from(inquiryReplies).where(eq(inquiryReplies.inquiryId, q.id))).toEqual([]);
  });

  it("GET /inquiries is the committee's inbox, not a 400: every subject's open questions newest first with where to answer them, answered ones behind a filter", async () => {
    const w = await world();
    const slug = w.estate.slug;
    const ask = async (form: Record<string, string>) =>
      expect(statusOf(await w.post(w.owner, { intent: "ask", ...form }))).toBe(302);
    await ask({ subjectKind: "service_report", subjectId: w.reportId, body: "报告一问" });
    await ask({ subjectKind: "maintenance_fund", body: "维修资金一问" });
    await ask({ subjectKind: "common_income", body: "收益一问" });
    // Distinct times, so "newest first" is tested and not left to the insertion order.
    const rows = await getDb().select().from(inquiries).where(eq(inquiries.estateId, w.estate.id));
    const at = { 报告一问: 3, 维修资金一问: 2, 收益一问: 1 } as Record<string, number>;
    for (const r of rows)
      await getDb()
        .update(inquiries)
        .set({ createdAt: new Date(Date.now() - at[r.body] * 60_000) })
        .where(eq(inquiries.id, r.id));

    type Inbox = {
      items: { id: string; body: string; path: string; subjectTitle: string | null; answeredAt: string | null }[];
      open: number;
      answered: number;
      canAnswer: boolean;
    };
    const inbox = async (user: TestUser | null, query = "") =>
      call(inboxLoader, { url: `/e/${slug}/inquiries${query}`, params: { estate: slug }, user });
    const open = (await inbox(w.members[0])) as Inbox;
    expect(open.canAnswer).toBe(true);
    expect(open.items.map((q) => q.body)).toEqual(["收益一问", "维修资金一问", "报告一问"]);
    expect(open.items.map((q) => q.path)).toEqual([
      `/e/${slug}/ledgers#q-common_income`,
      `/e/${slug}/ledgers#q-maintenance_fund`,
      `/e/${slug}/service-reports#q-${w.reportId}`,
    ]);
    expect(open.items[2].subjectTitle).toBe("三季度服务报告");
    expect([open.open, open.answered]).toEqual([3, 0]);

    const answeredId = open.items[1].id;
    expect(statusOf(await w.post(w.members[0], { intent: "reply", inquiryId: answeredId, body: "已答复" }))).toBe(302);
    expect(((await inbox(w.members[0])) as Inbox).items.map((q) => q.body)).toEqual(["收益一问", "报告一问"]);
    const answered = (await inbox(w.members[0], "?show=answered")) as Inbox;
    expect(answered.items.map((q) => q.id)).toEqual([answeredId]);
    expect([answered.open, answered.answered]).toEqual([2, 1]);

    // Admins read it (they see open questions on the subjects' pages too) but do not answer.
    expect(((await inbox(w.admin)) as Inbox).canAnswer).toBe(false);
    // Owners, residents and staff are refused; a made-up filter is a 400, not a 500.
    for (const user of [w.owner, w.resident, w.staff])
      await expectStatus(inboxLoader, { url: `/e/${slug}/inquiries`, params: { estate: slug }, user }, 403);
    expect(statusOf(await inbox(null))).toBe(302);
    expect(statusOf(await inbox(w.members[0], "?show=everything"))).toBe(400);
  });
});
