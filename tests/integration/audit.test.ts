import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import type { AuditAct } from "#db/schema/audit";
import { recordAudit } from "~/audit/audit.server";
import { resetPassword } from "~/auth/password-reset.server";
import { approveRequest, claimUnit, rejectRequest } from "~/claims/claims.server";
import { decideDeclaration, declareRole } from "~/committee/composition.server";
import { recordAttendance, saveMinutes, scheduleMeeting, signMinutes } from "~/committee/meetings.server";
import { startCheckout } from "~/fees/checkout.server";
import { recordOfflinePayment } from "~/fees/ledger.server";
import { hashToken } from "~/notify/tokens.server";
import { stripeProvider } from "~/payments/stripe.server";
import type { PaymentProvider } from "~/payments/provider.server";
import { receiveWebhook } from "~/fees/webhook.server";
import { confirmImport, previewImport } from "~/roster/roster.server";
import { loader as auditLoader } from "~/routes/e.$estate.audit";
import { confirmPaperBallot, enterPaperBallot } from "~/voting/paper.server";
import { closeVoting } from "~/voting/proposals.server";
import { authoriseProxy, decideProxy } from "~/voting/proxies.server";
import { billsOf, makeBilledEstate } from "../fees-fixtures";
import { call, makeEstate, makeUnits, makeUser, statusOf, tempUploadDir } from "../fixtures";
import { fakeWebhookSecret, startFakeStripe, type FakeStripe } from "../stripe-fake";
import { committeeEstate, day } from "./committee-helpers";
import { ownerAccount, votingEstate } from "./voting-helpers";

const { auditEvents } = schema;
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const scan = { name: "scan.png", type: "image/png", bytes: png };
tempUploadDir();
let fake: FakeStripe;
let provider: PaymentProvider;

beforeAll(async () => {
  fake = await startFakeStripe();
  provider = stripeProvider({ stripe: fake.client, webhookSecret: fakeWebhookSecret });
});
afterAll(async () => {
  await fake.close();
});

/** The audit rows of one estate and act, oldest first. */
async function events(estateId: string, act: AuditAct) {
  return getDb()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.estateId, estateId), eq(auditEvents.act, act)))
    .orderBy(asc(auditEvents.createdAt));
}

describe("each sensitive act writes exactly one audit row, in its own transaction", () => {
  it("roster import: the confirmation writes one; a second confirmation is refused and writes none", async () => {
    const estate = await makeEstate();
    const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }], "周社区");
    const file = [
      "楼栋,房号,楼层,类型,专有面积,业主姓名,业主电话,开发商未售,产权证号",
      "1幢,101,1,住宅,89.5,张三,13900000001,否,R1",
      "1幢,102,1,住宅,90,李四,,否,R2",
    ].join("\n");
    const preview = await previewImport({
      estateId: estate.id,
      userId: admin.id,
      fileName: "r.csv",
      bytes: new TextEncoder().encode(file),
    });
    if (!preview.ok) throw new Error("preview failed");
    expect(await events(estate.id, "roster_import")).toHaveLength(0);
    expect((await confirmImport({ estateId: estate.id, importId: preview.importId, userId: admin.id })).ok).toBe(true);
    expect(await confirmImport({ estateId: estate.id, importId: preview.importId, userId: admin.id })).toEqual({
      ok: false,
      error: "notPending",
    });
    const rows = await events(estate.id, "roster_import");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorUserId: admin.id,
      subjectType: "roster_import",
      subjectId: preview.importId,
      detail: expect.objectContaining({ unitsNew: 2 }),
    });
    // No personal data in what the committee reads.
    expect(JSON.stringify(rows[0].detail)).not.toMatch(/张三|13900000001/);
  });

  it("votes: opening, paper entry and confirmation, proxy decisions and closing, refusals writing nothing", async () => {
    const v = await votingEstate([
      { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳", ref: "W" }] },
      { building: "1幢", number: "102", area: 10_000, owners: [{ name: "李雷", ref: "L" }] },
      { building: "1幢", number: "103", area: 10_000, owners: [{ name: "韩梅", ref: "H" }] },
    ]);
    const ids = { estateId: v.estate.id, proposalId: v.proposalId };
    const opened = await events(v.estate.id, "vote_open");
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      actorUserId: v.c1.id,
      subjectType: "proposal",
      subjectId: v.proposalId,
      detail: { voters: 3, units: 3, totalAreaCentiSqm: 30_000 },
    });

    // Paper: entry, a refused second entry, a refused self-confirmation, then the confirmation.
    const entered = await enterPaperBallot({
      ...ids,
      userId: v.c1.id,
      unitId: v.units[0].unitId,
      choice: "agree",
      scan,
    });
    if (!entered.ok) throw new Error(entered.error);
    expect(
      (await enterPaperBallot({ ...ids, userId: v.c2.id, unitId: v.units[0].unitId, choice: "oppose", scan })).ok,
    ).toBe(false);
    expect((await confirmPaperBallot({ ...ids, paperBallotId: entered.id, userId: v.c1.id, accept: true })).ok).toBe(
      false,
    );
    expect(await events(v.estate.id, "paper_ballot_enter")).toMatchObject([
      { actorUserId: v.c1.id, subjectType: "paper_ballot", subjectId: entered.id },
    ]);
    expect(await events(v.estate.id, "paper_ballot_confirm")).toHaveLength(0);
    // Closing waits for the pending paper ballot: refused, nothing logged.
    expect((await closeVoting({ ...ids, userId: v.c1.id, now: new Date(v.votingEndsAt.getTime() + 1) })).ok).toBe(
      false,
    );
    expect(await events(v.estate.id, "vote_close")).toHaveLength(0);
    expect(
      await confirmPaperBallot({ ...ids, paperBallotId: entered.id, userId: v.c2.id, accept: true }),
    ).toMatchObject({ ok: true, outcome: "counted" });
    expect(await events(v.estate.id, "paper_ballot_confirm")).toMatchObject([
      { actorUserId: v.c2.id, subjectId: entered.id, detail: { outcome: "counted" } },
    ]);
    const second = await enterPaperBallot({
      ...ids,
      userId: v.c1.id,
      unitId: v.units[2].unitId,
      choice: "oppose",
      scan,
    });
    if (!second.ok) throw new Error(second.error);
    expect((await confirmPaperBallot({ ...ids, paperBallotId: second.id, userId: v.c2.id, accept: false })).ok).toBe(
      true,
    );
    expect(await events(v.estate.id, "paper_ballot_reject")).toMatchObject([
      { actorUserId: v.c2.id, subjectId: second.id },
    ]);

    // Proxies: approval, a refused second decision, a rejection.
    const li = await ownerAccount(v.estate.id, v.units[1].ownerIds[0], "李雷");
    const son = await makeUser([{ role: "resident", estateId: v.estate.id }], "李小明");
    const made = await authoriseProxy({
      ...ids,
      userId: li.id,
      proxyName: "李小明",
      proxyIdentifier: son.email,
      file: scan,
    });
    if (!made.ok) throw new Error(made.error);
    expect(await decideProxy({ ...ids, proxyId: made.id, userId: v.c1.id, approve: true })).toEqual({ ok: true });
    expect((await decideProxy({ ...ids, proxyId: made.id, userId: v.c2.id, approve: false })).ok).toBe(false);
    expect(await events(v.estate.id, "proxy_approve")).toMatchObject([
      { actorUserId: v.c1.id, subjectType: "proxy", subjectId: made.id, detail: { proposalId: v.proposalId } },
    ]);
    expect(await events(v.estate.id, "proxy_reject")).toHaveLength(0);

    // Closing: too early is refused; after the window, one row.
    expect((await closeVoting({ ...ids, userId: v.c1.id })).ok).toBe(false);
    expect(await events(v.estate.id, "vote_close")).toHaveLength(0);
    expect((await closeVoting({ ...ids, userId: v.c1.id, now: new Date(v.votingEndsAt.getTime() + 1) })).ok).toBe(true);
    expect((await closeVoting({ ...ids, userId: v.c1.id, now: new Date(v.votingEndsAt.getTime() + 2) })).ok).toBe(
      false,
    );
    expect(await events(v.estate.id, "vote_close")).toMatchObject([
      { actorUserId: v.c1.id, subjectId: v.proposalId, detail: { ballots: 1 } },
    ]);
  });

  it("minutes: published once, when more than half of the attendees signed", async () => {
    const c = await committeeEstate();
    const at = new Date(c.now.getTime() - 2 * 3600_000);
    const scheduled = await scheduleMeeting({
      estateId: c.estate.id,
      userId: c.members[0].id,
      title: "第三次业委会会议",
      kind: "regular",
      scheduledAt: at,
      place: "社区活动室",
      agenda: [{ kind: "information", title: "维修资金使用情况通报" }],
      now: new Date(at.getTime() - 8 * day),
    });
    if (!scheduled.ok) throw new Error(scheduled.error);
    const ids = { estateId: c.estate.id, meetingId: scheduled.id };
    expect(
      (await recordAttendance({ ...ids, userId: c.members[0].id, present: c.memberIds.slice(0, 5), now: c.now })).ok,
    ).toBe(true);
    expect(await saveMinutes({ ...ids, userId: c.members[0].id, markdown: "# 纪要" })).toEqual({ ok: true });
    expect(await signMinutes({ ...ids, userId: c.members[0].id })).toEqual({ ok: true, published: false });
    expect(await signMinutes({ ...ids, userId: c.members[1].id })).toEqual({ ok: true, published: false });
    expect(await events(c.estate.id, "minutes_publish")).toHaveLength(0);
    expect(await signMinutes({ ...ids, userId: c.members[2].id })).toEqual({ ok: true, published: true });
    expect(await signMinutes({ ...ids, userId: c.members[3].id })).toEqual({ ok: true, published: false });
    expect(await events(c.estate.id, "minutes_publish")).toMatchObject([
      {
        actorUserId: c.members[2].id,
        subjectType: "meeting",
        subjectId: scheduled.id,
        detail: { signed: 3, attendees: 5 },
      },
    ]);
    // committeeEstate verified two public roles (the X seats); a decided declaration cannot be decided again.
    const verified = await events(c.estate.id, "role_verify");
    expect(verified).toHaveLength(2);
    expect(verified.every((r) => r.actorUserId === c.admin.id && r.subjectType === "role_declaration")).toBe(true);
    expect(
      (
        await decideDeclaration({
          estateId: c.estate.id,
          adminId: c.admin.id,
          declarationId: verified[0].subjectId,
          verify: false,
          reason: "x",
        })
      ).ok,
    ).toBe(false);
    const d = await declareRole({
      estateId: c.estate.id,
      userId: c.owner.id,
      role: "npc",
      title: "代表",
      proofNote: "证",
    });
    if (!d.ok) throw new Error(d.error);
    expect(
      (
        await decideDeclaration({
          estateId: c.estate.id,
          adminId: c.admin.id,
          declarationId: d.id,
          verify: false,
          reason: "证明不清",
        })
      ).ok,
    ).toBe(true);
    expect(await events(c.estate.id, "role_reject")).toMatchObject([{ subjectId: d.id, actorUserId: c.admin.id }]);
    expect(await events(c.estate.id, "role_verify")).toHaveLength(2);
  });

  it("claims: approval and rejection of requests, each once", async () => {
    const estate = await makeEstate();
    const committee = await makeUser([{ role: "committee", estateId: estate.id }], "陈委员");
    const [u1, u2] = await makeUnits(estate.id, [
      { building: "1幢", number: "101", owners: [{ name: "周杰", ref: "Z" }] },
      { building: "1幢", number: "102", owners: [{ name: "吴敏", ref: "M" }] },
    ]);
    const a = await makeUser([], "周杰伦");
    const b = await makeUser([], "吴小敏");
    expect(await claimUnit({ userId: a.id, ip: "10.9.0.1", code: u1.claimCode, name: "周杰伦" })).toMatchObject({
      ok: true,
      kind: "requested",
    });
    expect(await claimUnit({ userId: b.id, ip: "10.9.0.2", code: u2.claimCode, name: "吴小敏" })).toMatchObject({
      ok: true,
      kind: "requested",
    });
    const requests = await getDb()
      .select()
      .from(schema.claimRequests)
      .where(eq(schema.claimRequests.estateId, estate.id));
    const ra = requests.find((r) => r.userId === a.id)!;
    const rb = requests.find((r) => r.userId === b.id)!;
    expect(
      await approveRequest({ estateId: estate.id, requestId: ra.id, ownerId: u1.ownerIds[0], actorId: committee.id }),
    ).toEqual({ ok: true });
    expect(
      (await approveRequest({ estateId: estate.id, requestId: ra.id, ownerId: u1.ownerIds[0], actorId: committee.id }))
        .ok,
    ).toBe(false);
    expect(
      await rejectRequest({ estateId: estate.id, requestId: rb.id, reason: "姓名不符", actorId: committee.id }),
    ).toEqual({ ok: true });
    expect(await events(estate.id, "claim_approve")).toMatchObject([
      { actorUserId: committee.id, subjectType: "claim_request", subjectId: ra.id },
    ]);
    const rejected = await events(estate.id, "claim_reject");
    expect(rejected).toMatchObject([{ subjectId: rb.id }]);
    // The reason is free text (it may name someone): it stays out of the committee-readable log.
    expect(JSON.stringify(rejected[0].detail)).not.toContain("姓名不符");
    // So do the names the claimants gave (the request row keeps them, for the admins).
    const asked = await events(estate.id, "claim_request");
    expect(asked.map((e) => e.subjectId).sort()).toEqual([ra.id, rb.id].sort());
    expect(JSON.stringify(asked)).not.toMatch(/周杰伦|吴小敏/);
    expect(await events(estate.id, "claim_link")).toMatchObject([
      {
        actorUserId: committee.id,
        subjectType: "owner",
        subjectId: u1.ownerIds[0],
        detail: { via: "approval", requestId: ra.id, userId: a.id },
      },
    ]);
  });

  it("offline payments: one row; a refused one and one whose later step fails write none", async () => {
    const world = await makeBilledEstate();
    const [bill, second] = await billsOf(world.units.u101.unitId);
    const record = (billIds: string[]) =>
      getDb().transaction((tx) =>
        recordOfflinePayment(tx, {
          estateId: world.estate.id,
          unitId: world.units.u101.unitId,
          billIds,
          method: "cash",
          reference: "XJ-1",
          paidAt: new Date(),
          actorId: world.staff.id,
          now: new Date(),
        }),
      );
    const paid = await record([bill.id]);
    if (!paid.ok) throw new Error(paid.error);
    expect(await record([bill.id])).toEqual({ ok: false, error: "alreadyPaid" });
    expect(await events(world.estate.id, "payment_offline")).toMatchObject([
      {
        actorUserId: world.staff.id,
        subjectType: "payment",
        subjectId: paid.paymentId,
        detail: { amountFen: bill.amountFen, method: "cash" },
      },
    ]);

    // The receipt mail is queued after the audit row, in the same transaction: when it fails, neither stays.
    const db = getDb();
    await db.execute(
      sql`create function audit_test_fail() returns trigger language plpgsql as $$ begin raise exception 'outbox is down'; end $$`,
    );
    await db.execute(
      sql`create trigger audit_test_fail before insert on outbox for each row execute function audit_test_fail()`,
    );
    try {
      await expect(record([second.id])).rejects.toThrow();
    } finally {
      await db.execute(sql`drop trigger audit_test_fail on outbox`);
      await db.execute(sql`drop function audit_test_fail()`);
    }
    expect(await events(world.estate.id, "payment_offline")).toHaveLength(1);
  });

  it("refunds reported by the provider: one row per refund, actor null; a stale report writes none", async () => {
    const world = await makeBilledEstate();
    const bills = await billsOf(world.units.u103.unitId);
    const started = await startCheckout({
      estate: world.estate,
      user: world.otherOwner,
      billIds: bills.map((b) => b.id),
      origin: "http://localhost:3000",
      locale: "zh-CN",
      provider,
    });
    if (!started.ok) throw new Error(started.error);
    const [checkout] = await getDb().select().from(schema.checkouts).where(eq(schema.checkouts.id, started.checkoutId));
    const deliver = (e: { rawBody: string; signature: string }) => receiveWebhook(e.rawBody, e.signature, { provider });
    fake.complete(checkout.sessionId!);
    await deliver(fake.event("checkout.session.completed", fake.sessions.get(checkout.sessionId!)!));
    expect((await deliver(fake.event("charge.refunded", fake.charge(checkout.sessionId!, 1_000)))).outcome).toBe(
      "refunded",
    );
    expect((await deliver(fake.event("charge.refunded", fake.charge(checkout.sessionId!, 500)))).outcome).toBe("stale");
    const rows = await events(world.estate.id, "payment_refund");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorUserId: null,
      subjectType: "payment",
      detail: { amountFen: 1_000, totalRefundedFen: 1_000 },
    });
  });
});

describe("acts outside any estate", () => {
  it("a password reset: one row with no estate, for a link used twice", async () => {
    const user = await makeUser([]);
    const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
    await getDb()
      .insert(schema.passwordResets)
      .values({ userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 30 * 60_000) });
    expect(await resetPassword(token, "a new password 1")).toEqual({ ok: true, userId: user.id });
    expect(await resetPassword(token, "another password 2")).toEqual({ ok: false });
    const rows = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.act, "password_reset"), eq(auditEvents.subjectId, user.id)));
    expect(rows).toMatchObject([{ estateId: null, actorUserId: user.id, subjectType: "user", detail: {} }]);
  });
});

describe("the log itself", () => {
  it("is append-only in the database: updates and deletes are refused", async () => {
    const estate = await makeEstate();
    await recordAudit(getDb(), {
      estateId: estate.id,
      actorUserId: null,
      act: "payment_refund",
      subjectType: "payment",
      subjectId: estate.id,
    });
    await expect(
      getDb().update(auditEvents).set({ detail: {} }).where(eq(auditEvents.estateId, estate.id)),
    ).rejects.toThrow();
    await expect(getDb().delete(auditEvents).where(eq(auditEvents.estateId, estate.id))).rejects.toThrow();
    expect(await events(estate.id, "payment_refund")).toHaveLength(1);
  });
});

describe("/e/:estate/audit", () => {
  type Page = {
    total: number;
    pages: number;
    masked: boolean;
    error: string | null;
    events: { act: string; actor: { kind: string; name?: string }; createdAt: string }[];
  };

  it("is for the committee and admins (masked names for the committee), 403 for other roles, 404 outside", async () => {
    const estate = await makeEstate();
    const other = await makeEstate();
    const staff = await makeUser([{ role: "property_staff", estateId: estate.id }], "吴物业");
    const committee = await makeUser([{ role: "committee", estateId: estate.id }], "陈委员");
    const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }], "周社区");
    const owner = await makeUser([{ role: "owner", estateId: estate.id }], "业主");
    const resident = await makeUser([{ role: "resident", estateId: estate.id }], "住户");
    const outsider = await makeUser([{ role: "owner", estateId: other.id }], "外人");
    const t0 = Date.UTC(2026, 10, 1, 4); // 2026-11-01 12:00 Beijing
    // 55 acts on consecutive days by staff, then one system refund, and one act of another estate.
    for (let i = 0; i < 55; i++) {
      await recordAudit(getDb(), {
        estateId: estate.id,
        actorUserId: staff.id,
        act: "payment_offline",
        subjectType: "payment",
        subjectId: estate.id,
        detail: { amountFen: 100 + i },
        at: new Date(t0 + i * day),
      });
    }
    await recordAudit(getDb(), {
      estateId: estate.id,
      actorUserId: null,
      act: "payment_refund",
      subjectType: "payment",
      subjectId: estate.id,
      at: new Date(t0 + 60 * day),
    });
    await recordAudit(getDb(), {
      estateId: other.id,
      actorUserId: null,
      act: "payment_refund",
      subjectType: "payment",
      subjectId: other.id,
      at: new Date(t0),
    });

    const get = async (user: typeof owner | null, query = "") =>
      call(auditLoader, { url: `/e/${estate.slug}/audit${query}`, params: { estate: estate.slug }, user });
    expect(statusOf(await get(null))).toBe(302);
    for (const u of [owner, resident, staff]) expect(statusOf(await get(u)), u.displayName).toBe(403);
    expect(statusOf(await get(outsider))).toBe(404);

    const first = (await get(committee)) as Page;
    expect(first).toMatchObject({ total: 56, pages: 2, masked: true });
    expect(first.events).toHaveLength(50);
    // Newest first: the system's refund, then staff's acts, names masked for the committee.
    expect(first.events[0]).toMatchObject({ act: "payment_refund", actor: { kind: "system" } });
    expect(first.events[1].actor).toEqual({ kind: "user", name: "吴**" });
    const second = (await get(committee, "?page=2")) as Page;
    expect(second.events).toHaveLength(6);
    expect(new Date(second.events[5].createdAt).getTime()).toBe(t0);

    const asAdmin = (await get(admin, "?act=payment_offline&from=2026-11-03&to=2026-11-05")) as Page;
    expect(asAdmin).toMatchObject({ total: 3, masked: false, error: null });
    expect(asAdmin.events.map((e) => e.actor)).toEqual(Array(3).fill({ kind: "user", name: "吴物业" }));
    // A backwards range is reported and not applied; the act filter still is.
    expect((await get(admin, "?act=payment_refund&from=2026-11-05&to=2026-11-03")) as Page).toMatchObject({
      total: 1,
      error: "audit.filter.badRange",
    });
  });
});
