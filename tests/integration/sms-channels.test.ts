// The outbox's channels: who gets a notice by mail, SMS and WeChat; the worker sending SMS
// through the real Alibaba SDK to the local stand-in; the estate's monthly SMS budget; the
// closing reminder job.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { enqueue, type Notice } from "~/notify/outbox.server";
import { createMailWorker, mailSettingsFromEnv, type WorkerOptions } from "~/notify/worker.server";
import { aliyunSmsProvider } from "~/sms/aliyun.server";
import { setSmsProvider } from "~/sms/factory.server";
import { castBallot } from "~/voting/ballots.server";
import { remindClosingVotes } from "~/voting/reminders.server";
import { makeEstate, makeUser } from "../fixtures";
import { startAliyunSms, type AliyunSmsStandin } from "../standins/aliyun-sms";
import { ownerAccount, votingEstate } from "./voting-helpers";

const { outbox, users, smsMessages, notificationPreferences, notifications } = schema;
const appUrl = "https://yst.example.org";
let phoneSeq = 13700000000;

let standin: AliyunSmsStandin;
beforeAll(async () => {
  standin = await startAliyunSms();
});
afterAll(async () => {
  setSmsProvider(undefined);
  await standin.close();
});
afterEach(() => setSmsProvider(undefined));

function carrier(secret = standin.accessKeySecret) {
  return aliyunSmsProvider({
    accessKeyId: standin.accessKeyId,
    accessKeySecret: secret,
    signName: "议事堂",
    templateCode: (t) => `SMS_${t.replace(/\W/g, "_")}`,
    endpoint: standin.url,
  });
}

async function person(estateId: string, options: { verified?: boolean; phone?: boolean } = {}) {
  const u = await makeUser([{ role: "owner", estateId }], "李建国");
  const phone = String(phoneSeq++);
  if (options.phone !== false)
    await getDb()
      .update(users)
      .set({ phone, phoneVerifiedAt: options.verified === false ? null : new Date() })
      .where(eq(users.id, u.id));
  return { ...u, phone };
}

function bill(estateId: string, userId: string, key: string): Notice {
  return {
    template: "bill-due",
    userId,
    estateId,
    idempotencyKey: key,
    props: { period: "2026-12", amountFen: 123_456, dueDate: "2026-12-31", unitLabel: "1幢 101", path: "/e/x/bills" },
  };
}

const queue = (notices: Notice[]) => getDb().transaction((tx) => enqueue(tx, notices));

async function rowsOf(userId: string) {
  return getDb()
    .select({ channel: outbox.channel, status: outbox.status, lastError: outbox.lastError, key: outbox.idempotencyKey })
    .from(outbox)
    .where(eq(outbox.userId, userId));
}

function worker(options: Partial<WorkerOptions> = {}) {
  return createMailWorker({
    ...mailSettingsFromEnv(),
    appUrl,
    transport: null,
    backoffBaseMs: 1,
    backoffMaxMs: 2,
    ...options,
  });
}

/** Runs the worker until nothing is due (failed sends come back after a millisecond or two). */
async function drain(w: ReturnType<typeof worker>) {
  for (let i = 0; i < 20; i++) {
    const r = await w.runOnce();
    if (r.claimed === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if ((await w.runOnce()).claimed === 0) return;
    }
  }
}

describe("who gets a notice on which channel", () => {
  it("SMS only to a verified phone, per the category's default and the person's choice; mail beside it", async () => {
    const estate = await makeEstate();
    const verified = await person(estate.id);
    const unverified = await person(estate.id, { verified: false });
    const noPhone = await person(estate.id, { phone: false });
    const optedOut = await person(estate.id);
    await getDb()
      .insert(notificationPreferences)
      .values({ userId: optedOut.id, category: "bills", email: true, sms: false });
    const counts = await queue([verified, unverified, noPhone, optedOut].map((u) => bill(estate.id, u.id, "bill:1")));
    expect(counts).toEqual({ mails: 4, sms: 1, wechat: 0, notices: 4 });
    expect((await rowsOf(verified.id)).map((r) => r.channel).sort()).toEqual(["mail", "sms"]);
    expect((await rowsOf(unverified.id)).map((r) => r.channel)).toEqual(["mail"]);
    expect((await rowsOf(optedOut.id)).map((r) => r.channel)).toEqual(["mail"]);
    // Once per person, channel and event.
    expect(await queue([bill(estate.id, verified.id, "bill:1")])).toEqual({ mails: 0, sms: 0, wechat: 0, notices: 0 });
  });

  it("an account without an email (signed up by phone) gets the SMS and the in-app notice, and no mail row", async () => {
    const estate = await makeEstate();
    const phoneOnly = await person(estate.id);
    await getDb().update(users).set({ email: null, passwordHash: null }).where(eq(users.id, phoneOnly.id));
    await queue([bill(estate.id, phoneOnly.id, "bill:phone-only")]);
    expect((await rowsOf(phoneOnly.id)).map((r) => r.channel)).toEqual(["sms"]);
    const inApp = await getDb().select().from(notifications).where(eq(notifications.userId, phoneOnly.id));
    expect(inApp).toHaveLength(1);
  });

  it("a kind without an SMS template (a requisition) never goes by SMS; SMS switched on for it changes nothing", async () => {
    const estate = await makeEstate();
    const u = await person(estate.id);
    await getDb()
      .insert(notificationPreferences)
      .values({ userId: u.id, category: "minutes", email: false, sms: true });
    const counts = await queue([
      {
        template: "meeting-required",
        userId: u.id,
        estateId: estate.id,
        idempotencyKey: "requisition:1",
        props: {} as never,
      },
    ]);
    expect(counts).toEqual({ mails: 0, sms: 0, wechat: 0, notices: 1 });
  });
});

describe("the worker's SMS channel through the Alibaba SDK", () => {
  it("sends each SMS row to the carrier with the template's parameters and marks it sent", async () => {
    setSmsProvider(carrier());
    const estate = await makeEstate({ name: "宜欣花园" });
    const u = await person(estate.id);
    await queue([bill(estate.id, u.id, "bill:w1")]);
    await drain(worker());
    const rows = await rowsOf(u.id);
    expect(rows.find((r) => r.channel === "sms")?.status).toBe("sent");
    expect(rows.find((r) => r.channel === "mail")?.status).toBe("held"); // no SMTP here
    const got = standin.inbox.filter((m) => m.phone === u.phone);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      templateCode: "SMS_bill_due",
      params: { estate: "宜欣花园", amount: "1234.56", date: "12月31日", link: "yst.example.org/n" },
    });
  });

  it("retries a refused send with backoff and parks it as failed after the last attempt, each try recorded", async () => {
    setSmsProvider(carrier("a-wrong-secret"));
    const estate = await makeEstate();
    const u = await person(estate.id);
    await queue([bill(estate.id, u.id, "bill:w2")]);
    await drain(worker({ maxAttempts: 3 }));
    const sms = (await rowsOf(u.id)).find((r) => r.channel === "sms")!;
    expect(sms.status).toBe("failed");
    expect(sms.lastError).toMatch(/SignatureDoesNotMatch/);
    const tries = await getDb().select().from(smsMessages).where(eq(smsMessages.phone, u.phone));
    expect(tries.map((t) => t.status)).toEqual(["failed", "failed", "failed"]);
    expect(standin.inbox.filter((m) => m.phone === u.phone)).toHaveLength(0);
  });

  it("skips an SMS whose phone was unverified after it was queued", async () => {
    setSmsProvider(carrier());
    const estate = await makeEstate();
    const u = await person(estate.id);
    await queue([bill(estate.id, u.id, "bill:w3")]);
    await getDb().update(users).set({ phoneVerifiedAt: null }).where(eq(users.id, u.id));
    await drain(worker());
    const sms = (await rowsOf(u.id)).find((r) => r.channel === "sms")!;
    expect(sms).toMatchObject({ status: "skipped", lastError: "no verified phone" });
  });

  it("holds WeChat rows while no WeChat sender is configured", async () => {
    const estate = await makeEstate();
    const u = await person(estate.id);
    const [row] = await getDb()
      .insert(outbox)
      .values({
        channel: "wechat",
        idempotencyKey: "bill:wx",
        userId: u.id,
        estateId: estate.id,
        category: "bills",
        template: "bill-due",
        props: bill(estate.id, u.id, "x").props,
      })
      .returning();
    await drain(worker());
    const [after] = await getDb().select().from(outbox).where(eq(outbox.id, row.id));
    expect(after).toMatchObject({ status: "held", lastError: "WeChat is not configured" });
  });
});

describe("the estate's monthly SMS budget", () => {
  it("sends exactly the budget, stops the next notice SMS, tells the staff once, and never stops codes", async () => {
    setSmsProvider(carrier());
    const estate = await makeEstate();
    await getDb().update(schema.estates).set({ smsMonthlyBudget: 2 }).where(eq(schema.estates.id, estate.id));
    const staff = await makeUser([{ role: "property_staff", estateId: estate.id }], "物业小王");
    const owners = [await person(estate.id), await person(estate.id), await person(estate.id), await person(estate.id)];
    await queue(owners.map((u) => bill(estate.id, u.id, "bill:b1")));
    await drain(worker({ concurrency: 1 }));
    const statuses = await getDb()
      .select({ status: outbox.status, lastError: outbox.lastError })
      .from(outbox)
      .where(and(eq(outbox.estateId, estate.id), eq(outbox.channel, "sms")));
    expect(statuses.filter((s) => s.status === "sent")).toHaveLength(2);
    const skipped = statuses.filter((s) => s.status === "skipped");
    expect(skipped).toHaveLength(2);
    expect(skipped[0].lastError).toMatch(/budget/);
    const [{ n }] = await getDb()
      .select({ n: sql<number>`count(*)::int` })
      .from(smsMessages)
      .where(and(eq(smsMessages.estateId, estate.id), eq(smsMessages.budgeted, true), eq(smsMessages.status, "sent")));
    expect(n).toBe(2);
    // The staff heard once, however many messages stopped.
    const told = await getDb()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, staff.id), eq(notifications.template, "sms-budget-reached")));
    expect(told).toHaveLength(1);
    // A code for the same estate still goes.
    const { sendSms } = await import("~/sms/send.server");
    expect(
      await sendSms({ phone: owners[3].phone, template: "code", params: { code: "123456" }, estateId: estate.id }),
    ).toMatchObject({ ok: true, status: "sent" });
  });
});

describe("the closing reminder", () => {
  it("reminds owners whose voter has not voted, two days before the close, once per vote", async () => {
    const { estate, units, proposalId } = await votingEstate(
      [
        { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳", ref: "W" }] },
        { building: "1幢", number: "102", area: 10_000, owners: [{ name: "李雷", ref: "L" }] },
      ],
      { daysLeft: 1 },
    );
    const voted = await ownerAccount(estate.id, units[0].ownerIds[0], "王芳");
    const notYet = await ownerAccount(estate.id, units[1].ownerIds[0], "李雷");
    const [voter] = await getDb()
      .select({ voterId: schema.voteVoters.voterId })
      .from(schema.voteVoters)
      .where(
        and(
          eq(schema.voteVoters.proposalId, proposalId),
          sql`${units[0].ownerIds[0]}::uuid = any(${schema.voteVoters.ownerIds})`,
        ),
      );
    expect(
      await castBallot({ estateId: estate.id, proposalId, voterId: voter.voterId, choice: "agree", userId: voted.id }),
    ).toMatchObject({ ok: true });
    expect(await remindClosingVotes()).toBe(1);
    expect(await remindClosingVotes()).toBe(0);
    const reminded = await getDb()
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(eq(notifications.idempotencyKey, `vote-closing:${proposalId}`));
    expect(reminded.map((r) => r.userId)).toEqual([notYet.id]);
  });

  it("does not remind earlier than two days before the close", async () => {
    const { proposalId } = await votingEstate(
      [{ building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳", ref: "W" }] }],
      { daysLeft: 5 },
    );
    await remindClosingVotes();
    const reminded = await getDb()
      .select()
      .from(notifications)
      .where(eq(notifications.idempotencyKey, `vote-closing:${proposalId}`));
    expect(reminded).toHaveLength(0);
  });
});
