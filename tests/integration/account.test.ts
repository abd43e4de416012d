import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { personalData } from "~/account/data.server";
import { deleteAccount } from "~/account/delete.server";
import { deletedUserName } from "~/ui/mask";
import { logIn, setPassword } from "~/auth/accounts.server";
import { normalisePhone } from "~/lib/phone";
import { getLucia } from "~/auth/lucia.server";
import { recordOfflinePayment } from "~/fees/ledger.server";
import { enqueue } from "~/notify/outbox.server";
import { setEmailPreferences } from "~/notify/preferences.server";
import { loader as dataLoader } from "~/routes/account.data";
import { action as deleteAction, loader as deleteLoader } from "~/routes/account.delete";
import { fileTicket } from "~/tickets/tickets.server";
import { castBallot } from "~/voting/ballots.server";
import { closeVoting, tallyFromDb } from "~/voting/proposals.server";
import { billsOf, makeBilledEstate } from "../fees-fixtures";
import { call, makeUser, statusOf } from "../fixtures";
import { committeeEstate } from "./committee-helpers";
import { ownerAccount, votingEstate } from "./voting-helpers";

const db = () => getDb();
const password = "correct horse battery";

/**
 * Unit 1幢101 owned jointly by 王芳 and 王强 (one voter), 1幢102 by 李雷: three accounts with
 * passwords, phones, preferences and a pending mail; 王芳 casts the joint ballot, 李雷 his own,
 * 王强 files a ticket. The vote is then closed.
 */
let worlds = 0;
async function world() {
  worlds += 1;
  // Phones are unique across accounts: each world has its own.
  const fangPhone = `1390000${String(worlds).padStart(2, "0")}01`;
  const qiangPhone = `1390000${String(worlds).padStart(2, "0")}02`;
  const v = await votingEstate(
    [
      {
        building: "1幢",
        number: "101",
        area: 10_000,
        owners: [
          { name: "王芳", ref: "W1", phone: fangPhone },
          { name: "王强", ref: "W2", phone: qiangPhone },
        ],
      },
      { building: "1幢", number: "102", area: 12_000, owners: [{ name: "李雷", ref: "L1" }] },
    ],
    { daysLeft: 1 },
  );
  const fang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "王芳");
  const qiang = await ownerAccount(v.estate.id, v.units[0].ownerIds[1], "王强");
  const lei = await ownerAccount(v.estate.id, v.units[1].ownerIds[0], "李雷");
  await db()
    .update(schema.users)
    .set({ phone: normalisePhone(fangPhone) })
    .where(eq(schema.users.id, fang.id));
  await db()
    .update(schema.users)
    .set({ phone: normalisePhone(qiangPhone) })
    .where(eq(schema.users.id, qiang.id));
  for (const u of [fang, qiang, lei]) await setPassword(u.id, password);
  await setEmailPreferences(fang.id, { bills: false });
  await setEmailPreferences(qiang.id, { tickets: false });
  const ids = { estateId: v.estate.id, proposalId: v.proposalId };
  const jointVoter = (
    await db().select().from(schema.voteUnits).where(eq(schema.voteUnits.unitId, v.units[0].unitId))
  )[0].voterId;
  const leiVoter = (await db().select().from(schema.voteUnits).where(eq(schema.voteUnits.unitId, v.units[1].unitId)))[0]
    .voterId;
  const cast = await castBallot({ ...ids, voterId: jointVoter, userId: fang.id, choice: "agree" });
  if (!cast.ok) throw new Error(cast.error);
  expect((await castBallot({ ...ids, voterId: leiVoter, userId: lei.id, choice: "oppose" })).ok).toBe(true);
  const ticket = await fileTicket({
    estateId: v.estate.id,
    estateSlug: v.estate.slug,
    userId: qiang.id,
    roles: ["owner"],
    unitId: v.units[0].unitId,
    category: "repair",
    location: "unit",
    description: "王强家厨房水管漏水",
    isPublic: false,
    photos: [],
  });
  if (!ticket.ok) throw new Error(ticket.error);
  await db().transaction((tx) =>
    enqueue(tx, [
      {
        template: "vote-opened",
        userId: fang.id,
        estateId: v.estate.id,
        idempotencyKey: "test:pending",
        props: { proposalTitle: "x", closesAt: new Date().toISOString(), path: "/" },
      },
    ]),
  );
  const closed = await closeVoting({ ...ids, userId: v.c1.id, now: new Date(v.votingEndsAt.getTime() + 1000) });
  if (!closed.ok) throw new Error(closed.error);
  return { ...v, fang, qiang, lei, fangPhone, qiangPhone, receipt: cast.receipt, ids };
}

describe("/account/data", () => {
  it("downloads the caller's data as an attachment and nothing personal of the co-owner", async () => {
    const w = await world();
    const response = (await call(dataLoader, { url: "/account/data", user: w.fang })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="yishitang-my-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const text = await response.text();
    const body = JSON.parse(text) as Awaited<ReturnType<typeof personalData>> & object;
    expect(body.account).toMatchObject({ id: w.fang.id, email: w.fang.email, displayName: "王芳", phone: w.fangPhone });
    expect(body.roles).toMatchObject([{ role: "owner", estate: w.estate.name }]);
    expect(body.rosterEntries).toEqual([
      expect.objectContaining({ name: "王芳", phone: w.fangPhone, registerRef: "W1" }),
    ]);
    expect(body.units).toEqual([expect.objectContaining({ building: "1幢", number: "101", areaCentiSqm: 10_000 })]);
    expect(body.ballots).toEqual([
      expect.objectContaining({ proposal: "续聘物业", choice: "agree", channel: "online", receipt: w.receipt }),
    ]);
    expect(body.notificationPreferences).toEqual([{ category: "bills", email: false }]);
    expect(body.auditEvents).toEqual([]);
    // Nothing of 王强 (who shares the unit) nor 李雷: names, phones, emails, his ticket, their preferences.
    for (const other of [
      "王强",
      w.qiangPhone,
      w.qiang.email,
      w.qiang.id,
      "李雷",
      w.lei.email,
      "厨房水管漏水",
      "oppose",
    ])
      expect(text).not.toContain(other);
    // The co-owner's own download has his ticket and no ballot (王芳 cast the joint one).
    const his = await personalData(w.qiang.id);
    expect(his?.tickets).toEqual([expect.objectContaining({ description: "王强家厨房水管漏水", status: "open" })]);
    expect(his?.ballots).toEqual([]);
    expect(JSON.stringify(his)).not.toContain("王芳");
  });

  it("sends an anonymous caller to log in", async () => {
    expect(statusOf(await call(dataLoader, { url: "/account/data", user: null }))).toBe(302);
  });
});

describe("/account/delete", () => {
  async function snapshot(proposalId: string, estateId: string) {
    const [tally, [ballots], [pay]] = await Promise.all([
      tallyFromDb(db(), proposalId, "ordinary"),
      db()
        .select({ n: sql<number>`count(*)::int` })
        .from(schema.ballots)
        .where(eq(schema.ballots.proposalId, proposalId)),
      db()
        .select({ n: sql<number>`count(*)::int`, fen: sql<number>`coalesce(sum(amount_fen), 0)::int` })
        .from(schema.payments)
        .where(eq(schema.payments.estateId, estateId)),
    ]);
    return { tally, ballots: ballots.n, payments: pay };
  }

  it("anonymises the account, ends its sessions and keeps tallies and payments; it cannot log in again", async () => {
    const w = await world();
    const lucia = getLucia();
    const s1 = await lucia.createSession(w.fang.id, {});
    const s2 = await lucia.createSession(w.fang.id, {});
    const sLei = await lucia.createSession(w.lei.id, {});
    await db()
      .insert(schema.passwordResets)
      .values({ userId: w.fang.id, tokenHash: `h-${w.fang.id}`, expiresAt: new Date(Date.now() + 60_000) });
    await db()
      .insert(schema.residents)
      .values({ estateId: w.estate.id, unitId: w.units[1].unitId, userId: w.fang.id, relation: "family" });
    const before = await snapshot(w.proposalId, w.estate.id);
    expect(before.tally).toMatchObject({ participatingHeadcount: 2 });

    // What the page warns about before: the joint unit has another account (王强), so no sole-account warning.
    expect(await call(deleteLoader, { url: "/account/delete", user: w.fang })).toMatchObject({
      blockers: [],
      openVotes: 0,
      soleAccountUnits: 0,
    });
    const response = (await call(deleteAction, {
      url: "/account/delete",
      user: w.fang,
      form: { password, confirm: "on" },
    })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(response.headers.get("Set-Cookie")).toMatch(/yst_session=;/);

    const [user] = await db().select().from(schema.users).where(eq(schema.users.id, w.fang.id));
    expect(user).toMatchObject({
      displayName: deletedUserName,
      email: `deleted-${w.fang.id}@deleted.invalid`,
      phone: null,
    });
    expect(user.deletedAt).not.toBeNull();
    expect(user.passwordHash).not.toMatch(/^scrypt/);
    for (const s of [s1, s2]) expect((await lucia.validateSession(s.id)).session).toBeNull();
    expect((await lucia.validateSession(sLei.id)).session).not.toBeNull();
    const count = async (
      table:
        | typeof schema.passwordResets
        | typeof schema.notificationPreferences
        | typeof schema.residents
        | typeof schema.memberships
        | typeof schema.notifications,
    ) =>
      (
        await db()
          .select({ n: sql<number>`count(*)::int` })
          .from(table)
          .where(eq(table.userId, w.fang.id))
      )[0].n;
    expect(await count(schema.passwordResets)).toBe(0);
    expect(await count(schema.notificationPreferences)).toBe(0);
    expect(await count(schema.residents)).toBe(0);
    expect(await count(schema.memberships)).toBe(0);
    expect(await count(schema.notifications)).toBe(0);
    expect(
      await db()
        .select()
        .from(schema.outbox)
        .where(and(eq(schema.outbox.userId, w.fang.id), sql`status <> 'sent'`)),
    ).toEqual([]);
    // The roster entry is unlinked (the unit can be claimed again); the co-owner's link stays.
    const roster = await db().select().from(schema.owners).where(eq(schema.owners.estateId, w.estate.id));
    expect(roster.find((o) => o.name === "王芳")).toMatchObject({ userId: null, claimedAt: null });
    expect(roster.find((o) => o.name === "王强")?.userId).toBe(w.qiang.id);

    // Records keep their counts: the closed vote's tally, its ballots (still linked to the anonymised row), payments.
    expect(await snapshot(w.proposalId, w.estate.id)).toEqual(before);
    const [ballot] = await db().select().from(schema.ballots).where(eq(schema.ballots.receipt, w.receipt));
    expect(ballot).toMatchObject({ castBy: w.fang.id, choice: "agree", superseded: false });
    const audit = await db()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.act, "account_delete"), eq(schema.auditEvents.subjectId, w.fang.id)));
    expect(audit).toMatchObject([
      { estateId: w.estate.id, actorUserId: w.fang.id, subjectType: "user", detail: { roles: ["owner"] } },
    ]);

    // No way back in: by the old email, the phone, or the tombstone address.
    for (const id of [w.fang.email, w.fangPhone, user.email!])
      expect(await logIn(id, password, "10.0.0.9")).toMatchObject({ ok: false });
    expect(await deleteAccount({ userId: w.fang.id, password, ip: "10.0.0.9" })).toEqual({ ok: false, error: "gone" });
    // The same email can sign up afresh later: the old one is free.
    expect((await db().select().from(schema.users).where(eq(schema.users.email, w.fang.email))).length).toBe(0);
  });

  it("keeps payment totals and the receipts when a payer deletes their account", async () => {
    const world = await makeBilledEstate();
    const [bill] = await billsOf(world.units.u103.unitId);
    await setPassword(world.otherOwner.id, password);
    const paid = await db().transaction((tx) =>
      recordOfflinePayment(tx, {
        estateId: world.estate.id,
        unitId: world.units.u103.unitId,
        billIds: [bill.id],
        method: "cash",
        reference: null,
        paidAt: new Date(),
        actorId: world.staff.id,
        now: new Date(),
      }),
    );
    if (!paid.ok) throw new Error(paid.error);
    await db()
      .update(schema.payments)
      .set({ payerUserId: world.otherOwner.id })
      .where(eq(schema.payments.id, paid.paymentId));
    const sum = async () =>
      (
        await db()
          .select({ fen: sql<number>`sum(amount_fen)::int`, n: sql<number>`count(*)::int` })
          .from(schema.payments)
          .where(eq(schema.payments.estateId, world.estate.id))
      )[0];
    const before = await sum();
    expect(await deleteAccount({ userId: world.otherOwner.id, password, ip: "10.0.0.8" })).toEqual({ ok: true });
    expect(await sum()).toEqual(before);
    const [payment] = await db().select().from(schema.payments).where(eq(schema.payments.id, paid.paymentId));
    expect(payment).toMatchObject({ receiptNo: paid.receiptNo, amountFen: bill.amountFen, payerUserId: null });
    expect((await db().select().from(schema.bills).where(eq(schema.bills.id, bill.id)))[0]).toMatchObject({
      status: "paid",
      paymentId: paid.paymentId,
    });
  });

  it("refuses a wrong password and changes nothing", async () => {
    const w = await world();
    const session = await getLucia().createSession(w.lei.id, {});
    const [before] = await db().select().from(schema.users).where(eq(schema.users.id, w.lei.id));
    const result = await call(deleteAction, {
      url: "/account/delete",
      user: w.lei,
      form: { password: "wrong password", confirm: "on" },
    });
    expect(statusOf(result)).toBe(400);
    expect(JSON.stringify(result)).toContain("account.delete.wrongPassword");
    // Unticked confirmation: refused before the password is even checked.
    expect(statusOf(await call(deleteAction, { url: "/account/delete", user: w.lei, form: { password } }))).toBe(400);
    const [after] = await db().select().from(schema.users).where(eq(schema.users.id, w.lei.id));
    expect(after).toEqual(before);
    expect((await getLucia().validateSession(session.id)).session).not.toBeNull();
    expect(await db().select().from(schema.memberships).where(eq(schema.memberships.userId, w.lei.id))).toHaveLength(1);
    expect(await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.subjectId, w.lei.id))).toEqual([]);
    expect(await logIn(w.lei.email, password, "10.0.0.7")).toMatchObject({ ok: true });
  });

  it("counts password guesses against the login limit: after ten wrong ones even the right one is refused", async () => {
    const user = await makeUser([], "郑一");
    await setPassword(user.id, password);
    for (let i = 0; i < 10; i++)
      expect(await deleteAccount({ userId: user.id, password: `guess ${i}`, ip: "10.0.1.1" })).toEqual({
        ok: false,
        error: "wrongPassword",
      });
    expect(await deleteAccount({ userId: user.id, password, ip: "10.0.1.2" })).toEqual({ ok: false, error: "locked" });
    expect((await db().select().from(schema.users).where(eq(schema.users.id, user.id)))[0].deletedAt).toBeNull();
  });

  it("refuses a sitting committee member and explains why; warns the sole account of a unit in an open vote", async () => {
    const c = await committeeEstate();
    const member = c.members[0];
    await setPassword(member.id, password);
    expect(await call(deleteLoader, { url: "/account/delete", user: member })).toMatchObject({
      blockers: ["committeeSeat"],
    });
    expect(await deleteAccount({ userId: member.id, password, ip: "10.0.0.6" })).toEqual({
      ok: false,
      error: "blocked",
    });
    expect(
      statusOf(await call(deleteAction, { url: "/account/delete", user: member, form: { password, confirm: "on" } })),
    ).toBe(409);
    expect((await db().select().from(schema.users).where(eq(schema.users.id, member.id)))[0].deletedAt).toBeNull();

    const v = await votingEstate([{ building: "1幢", number: "101", owners: [{ name: "赵敏", ref: "Z" }] }]);
    const zhao = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "赵敏");
    expect(await call(deleteLoader, { url: "/account/delete", user: zhao })).toMatchObject({
      blockers: [],
      openVotes: 1,
      soleAccountUnits: 1,
    });
  });
});
