import { and, eq, inArray } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { logIn, signUp } from "~/auth/accounts.server";
import { getLucia } from "~/auth/lucia.server";
import { requestPasswordReset, resetLinkValid, resetPassword } from "~/auth/password-reset.server";
import { listNotices, unreadCount } from "~/notify/notices.server";
import { enqueue, type Notice } from "~/notify/outbox.server";
import { emailPreferences } from "~/notify/preferences.server";
import { hashToken } from "~/notify/tokens.server";
import {
  createMailWorker,
  mailSettingsFromEnv,
  smtpTransport,
  type MailTransport,
  type MailWorker,
  type WorkerOptions,
} from "~/notify/worker.server";
import { mailStatusCounts, problemMail, retryMail } from "~/notify/mail-admin.server";
import { action as unsubscribeAction, loader as unsubscribeLoader } from "~/routes/unsubscribe.$token";
import { action as oneClickAction, loader as oneClickLoader } from "~/routes/unsubscribe.one-click.$token";
import { action as noticesAction, loader as noticesLoader } from "~/routes/notices";
import { action as settingsAction } from "~/routes/settings.notifications";
import { loader as adminMailLoader, action as adminMailAction } from "~/routes/admin.mail";
import { loader as devMailLoader } from "~/routes/dev.mail.$id";
import { action as forgotAction } from "~/routes/forgot-password";
import { loader as resetLoader, action as resetAction } from "~/routes/reset-password.$token";
import { originCheck } from "../../server/app";
import { call, expectStatus, makeEstate, makeUser, onPostgres } from "../fixtures";
import { freePort, startSmtpSink, type ReceivedMail, type SmtpSink } from "../smtp-sink";

const { outbox, notifications, users, passwordResets } = schema;
const appUrl = "https://yst.example.org";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
  // Tests share this file's database: the next test's workers must not find this one's mail.
  await getDb().delete(outbox);
});

async function sink(options: Parameters<typeof startSmtpSink>[0] = {}): Promise<SmtpSink> {
  const s = await startSmtpSink(options);
  cleanups.push(() => s.close());
  return s;
}

function worker(transport: MailTransport | null, options: Partial<WorkerOptions> = {}): MailWorker {
  const w = createMailWorker({
    ...mailSettingsFromEnv(),
    appUrl,
    transport,
    pollMs: 20,
    backoffBaseMs: 20,
    backoffMaxMs: 100,
    ...options,
  });
  cleanups.push(() => w.stop());
  return w;
}

async function user(locale: "zh-CN" | "en", name = "李建国") {
  const u = await makeUser([], name);
  await getDb().update(users).set({ locale }).where(eq(users.id, u.id));
  return { ...u, locale };
}

function voteNotices(estateId: string, userIds: string[], voteId = "v1", title = "续聘物业公司"): Notice[] {
  return userIds.map((userId) => ({
    template: "vote-opened" as const,
    userId,
    estateId,
    idempotencyKey: `vote-opened:${voteId}`,
    props: { proposalTitle: title, closesAt: "2026-12-20T10:00:00Z", path: `/e/x/votes/${voteId}` },
  }));
}

async function queue(notices: Notice[]) {
  return getDb().transaction((tx) => enqueue(tx, notices));
}

async function statuses(ids?: string[]) {
  const rows = await getDb()
    .select({
      id: outbox.id,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      claimedBy: outbox.claimedBy,
    })
    .from(outbox)
    .where(ids ? inArray(outbox.id, ids) : undefined);
  return rows;
}

async function outboxIdsFor(userIds: string[]) {
  const rows = await getDb().select({ id: outbox.id }).from(outbox).where(inArray(outbox.userId, userIds));
  return rows.map((r) => r.id);
}

async function until(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

function countBy<T>(items: T[], key: (t: T) => string) {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe("mail as it arrives", () => {
  it("is in the recipient's language, links back absolutely and carries List-Unsubscribe", async () => {
    const estate = await makeEstate({ name: "宜欣测试苑" });
    const zh = await user("zh-CN", "李建国");
    const en = await user("en", "Mei Chen");
    expect(await queue(voteNotices(estate.id, [zh.id, en.id], "v-lang"))).toMatchObject({ mails: 2, notices: 2 });

    const smtp = await sink();
    const result = await worker(smtpTransport(`smtp://127.0.0.1:${smtp.port}`)).runOnce();
    expect(result).toMatchObject({ claimed: 2, sent: 2 });
    await smtp.waitFor(2);
    const byTo = new Map(smtp.mails.map((m) => [m.envelope.to[0], m]));
    const zhMail = byTo.get(zh.email)!;
    const enMail = byTo.get(en.email)!;

    expect(zhMail.subject).toBe("【宜欣测试苑】投票开始：续聘物业公司");
    expect(enMail.subject).toBe("[宜欣测试苑] Vote open: 续聘物业公司");
    expect(zhMail.html).toContain('lang="zh-CN"');
    expect(enMail.html).toContain('lang="en"');
    expect(zhMail.text).toContain("李建国，您好");
    expect(zhMail.text).toContain("2026年12月20日 18:00");
    expect(enMail.text).toContain("Dear Mei Chen,");
    expect(enMail.text).toContain("Closes: December 20, 2026 at 18:00 (Beijing time)");
    // The preheader is in the HTML, hidden; the link back is absolute in both parts.
    expect(zhMail.html).toContain("投票将于");
    for (const mail of [zhMail, enMail]) {
      expect(mail.text).toContain(`${appUrl}/e/x/votes/v-lang`);
      expect(mail.html).toContain(`href="${appUrl}/e/x/votes/v-lang"`);
      expect(mail.headers.get("list-unsubscribe")).toMatch(new RegExp(`^<${appUrl}/unsubscribe/[^>]+>$`));
      expect(mail.headers.get("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
      expect(mail.headers.get("content-type")).toMatch(/^multipart\/alternative/);
    }
    const [row] = await getDb()
      .select({ id: outbox.id, status: outbox.status })
      .from(outbox)
      .where(eq(outbox.userId, zh.id));
    expect(row.status).toBe("sent");
    expect(zhMail.messageId).toBe(`<${row.id}@yst.example.org>`);
  });

  it("unsubscribes without logging in: GET asks, the one-click POST turns the category off", async () => {
    const estate = await makeEstate();
    const owner = await user("zh-CN");
    await queue(voteNotices(estate.id, [owner.id], "v-unsub-1"));
    const smtp = await sink();
    await worker(smtpTransport(`smtp://127.0.0.1:${smtp.port}`)).runOnce();
    const [mail] = await smtp.waitFor(1);
    const oneClick = new URL(/^<(.+)>$/.exec(mail.headers.get("list-unsubscribe")!)![1]);
    const token = oneClick.pathname.split("/").pop()!;
    expect(oneClick.pathname).toBe(`/unsubscribe/one-click/${token}`);
    // The footer link: a page that asks first.
    expect(mail.text).toContain(`${appUrl}/unsubscribe/${token}`);
    const shown = (await call(unsubscribeLoader, { url: `/unsubscribe/${token}`, params: { token } })) as {
      category: string;
    };
    expect(shown.category).toBe("votes");
    // Opening the one-click URL in a browser lands on that page, changing nothing.
    const opened = (await call(oneClickLoader, { url: oneClick.pathname, params: { token } })) as Response;
    expect(opened.headers.get("Location")).toBe(`/unsubscribe/${token}`);
    expect((await emailPreferences(owner.id)).votes).toBe(true);

    // What a mail provider sends (RFC 8058): a POST, no cookie, no session.
    const done = (await call(oneClickAction, {
      url: oneClick.pathname,
      params: { token },
      form: { "List-Unsubscribe": "One-Click" },
    })) as Response;
    expect(done.status).toBe(200);
    expect(await emailPreferences(owner.id)).toEqual({ votes: false, minutes: true, bills: true, tickets: true });
    // The page's own button does the same.
    expect(await call(unsubscribeAction, { url: `/unsubscribe/${token}`, params: { token }, form: {} })).toEqual({
      done: true,
      category: "votes",
    });

    // The next vote shows in the site but sends no mail.
    expect(await queue(voteNotices(estate.id, [owner.id], "v-unsub-2"))).toMatchObject({ mails: 0, notices: 1 });

    // A token with a changed category or a bad signature is refused.
    const forged = token.replace(".votes.", ".bills.");
    await expectStatus(unsubscribeAction, { url: `/unsubscribe/${forged}`, params: { token: forged }, form: {} }, 400);
    await expectStatus(
      oneClickAction,
      { url: `/unsubscribe/one-click/${forged}`, params: { token: forged }, form: {} },
      400,
    );
    await expectStatus(unsubscribeLoader, { url: "/unsubscribe/x", params: { token: `${owner.id}.bills.AAAA` } }, 400);
    expect((await emailPreferences(owner.id)).bills).toBe(true);
  });
});

describe("the outbox", () => {
  it("commits with the change or not at all", async () => {
    const estate = await makeEstate();
    const owner = await user("zh-CN");
    await expect(
      getDb().transaction(async (tx) => {
        await tx.insert(schema.boardNotices).values({
          estateId: estate.id,
          kind: "general",
          title: "停水通知",
          body: "…",
          postedAt: new Date(),
          author: "property",
        });
        await enqueue(tx, voteNotices(estate.id, [owner.id], "v-rollback"));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await getDb().select().from(outbox).where(eq(outbox.userId, owner.id))).toEqual([]);
    expect(await getDb().select().from(notifications).where(eq(notifications.userId, owner.id))).toEqual([]);
    expect(await getDb().select().from(schema.boardNotices).where(eq(schema.boardNotices.estateId, estate.id))).toEqual(
      [],
    );
  });

  it("queues one event for one person once, however often it is queued", async () => {
    const estate = await makeEstate();
    const owner = await user("zh-CN");
    expect(await queue(voteNotices(estate.id, [owner.id, owner.id], "v-once"))).toMatchObject({ mails: 1, notices: 1 });
    expect(await queue(voteNotices(estate.id, [owner.id], "v-once"))).toMatchObject({ mails: 0, notices: 0 });
    const smtp = await sink();
    const w = worker(smtpTransport(`smtp://127.0.0.1:${smtp.port}`));
    await w.runOnce();
    await w.runOnce();
    await smtp.waitFor(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.mails).toHaveLength(1);
  });

  it("queues 10,000 recipients in one transaction, once per event", async () => {
    const estate = await makeEstate();
    const ids = await getDb()
      .insert(users)
      .values(
        Array.from({ length: 10_000 }, (_, i) => ({
          email: `bulk-${i}-${estate.slug}@test.local`,
          passwordHash: "x",
          displayName: `业主${i}`,
        })),
      )
      .returning({ id: users.id });
    // The time it takes is measured by `npm run bench:outbox`, not here (timing belongs in benchmarks).
    const notices = voteNotices(
      estate.id,
      ids.map((r) => r.id),
      "v-bulk",
    );
    expect(await queue(notices)).toMatchObject({ mails: 10_000, notices: 10_000 });
    expect(await queue(notices)).toMatchObject({ mails: 0, notices: 0 });
  });

  it("refuses estate mail without an estate, and unknown templates", async () => {
    const owner = await user("zh-CN");
    const bad = {
      template: "vote-opened",
      userId: owner.id,
      idempotencyKey: "k",
      props: { proposalTitle: "x", closesAt: "2026-01-01T00:00:00Z", path: "/" },
    } as unknown as Notice;
    await expect(queue([bad])).rejects.toThrow("needs an estateId");
    await expect(queue([{ ...bad, template: "nope" } as unknown as Notice])).rejects.toThrow("unknown template");
  });
});

describe("faults", () => {
  it("SMTP refusing connections for a while: every mail goes out once it is back, none lost, none twice", async () => {
    const estate = await makeEstate();
    const people = await Promise.all(Array.from({ length: 20 }, () => user("zh-CN")));
    await queue(
      voteNotices(
        estate.id,
        people.map((p) => p.id),
        "v-down",
      ),
    );
    const ids = await outboxIdsFor(people.map((p) => p.id));
    const port = await freePort();
    const w = worker(smtpTransport(`smtp://127.0.0.1:${port}`), { maxAttempts: 100, batchSize: 5 });
    w.start();
    // Nothing listens: attempts fail and are retried later, nothing is marked sent.
    await until(async () => (await statuses(ids)).every((r) => r.attempts >= 2));
    const down = await statuses(ids);
    expect(down.filter((r) => r.status === "sent")).toEqual([]);
    expect(down.some((r) => /ECONNREFUSED|ECONNECTION/.test(r.lastError ?? ""))).toBe(true);

    const smtp = await sink({ port });
    await until(async () => (await statuses(ids)).every((r) => r.status === "sent"));
    await w.stop();
    expect(smtp.mails).toHaveLength(20);
    expect(new Set(smtp.mails.map((m) => m.envelope.to[0]))).toEqual(new Set(people.map((p) => p.email)));
    expect([...countBy(smtp.mails, (m) => m.messageId).values()].every((n) => n === 1)).toBe(true);
  });

  it("a server answering 421 (busy) is retried with backoff; 550 parks the mail as failed until an admin retries it", async () => {
    const estate = await makeEstate();
    const [a, b] = [await user("zh-CN"), await user("en")];
    await queue(voteNotices(estate.id, [a.id], "v-421"));
    let refuse = 3;
    const smtp = await sink({
      onConnect(_session, callback) {
        if (refuse-- > 0) {
          const error = new Error("busy, try later") as Error & { responseCode: number };
          error.responseCode = 421;
          return callback(error);
        }
        callback();
      },
    });
    const w = worker(smtpTransport(`smtp://127.0.0.1:${smtp.port}`), { maxAttempts: 10 });
    w.start();
    await smtp.waitFor(1);
    await until(async () => (await statuses(await outboxIdsFor([a.id])))[0].status === "sent");
    await w.stop();
    const [sent] = await statuses(await outboxIdsFor([a.id]));
    expect(sent.attempts).toBeGreaterThanOrEqual(2);

    // A permanent refusal: failed at once, with the error, visible to the platform admin.
    await queue(voteNotices(estate.id, [b.id], "v-550"));
    const rejecting: MailTransport = {
      send: async () => {
        throw Object.assign(new Error("mailbox unavailable"), { responseCode: 550 });
      },
      close: () => {},
    };
    expect(await worker(rejecting).runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    const [failed] = await statuses(await outboxIdsFor([b.id]));
    expect(failed).toMatchObject({ status: "failed", attempts: 1 });
    expect(failed.lastError).toContain("550 mailbox unavailable");
    expect((await mailStatusCounts()).failed).toBeGreaterThanOrEqual(1);
    const listed = (await problemMail()).find((m) => m.id === failed.id)!;
    expect(listed.to).toMatch(/^u\*\*\*@test\.local$/);

    const admin = await makeUser([{ role: "platform_admin" }]);
    const nobody = await makeUser([{ role: "owner", estateId: estate.id }]);
    await expectStatus(adminMailLoader, { url: "/admin/mail", user: nobody }, 404);
    await expectStatus(adminMailLoader, { url: "/admin/mail", user: admin }, 200);
    await expectStatus(
      adminMailAction,
      { url: "/admin/mail", user: nobody, form: { intent: "retry", id: failed.id } },
      404,
    );
    await expectStatus(
      adminMailAction,
      { url: "/admin/mail", user: admin, form: { intent: "retry", id: failed.id } },
      302,
    );
    expect((await statuses([failed.id]))[0]).toMatchObject({ status: "queued", attempts: 0 });
    await worker(smtpTransport(`smtp://127.0.0.1:${smtp.port}`)).runOnce();
    expect((await statuses([failed.id]))[0].status).toBe("sent");
    expect(await retryMail("all-failed")).toBeGreaterThanOrEqual(0);
  });

  it("gives up after the last attempt, with the last error", async () => {
    const estate = await makeEstate();
    const owner = await user("zh-CN");
    await queue(voteNotices(estate.id, [owner.id], "v-flaky"));
    const [id] = await outboxIdsFor([owner.id]);
    const flaky: MailTransport = {
      send: async () => {
        throw Object.assign(new Error("connection reset"), { code: "ECONNRESET" });
      },
      close: () => {},
    };
    const w = worker(flaky, { maxAttempts: 3, backoffBaseMs: 1, backoffMaxMs: 5 });
    await until(async () => {
      await w.runOnce();
      return (await statuses([id]))[0].status === "failed";
    });
    expect((await statuses([id]))[0]).toMatchObject({
      status: "failed",
      attempts: 3,
      lastError: "ECONNRESET connection reset",
    });
  });

  it.runIf(onPostgres())("two workers on one outbox send each mail exactly once (PostgreSQL only)", async () => {
    const estate = await makeEstate();
    const ids = await getDb()
      .insert(users)
      .values(
        Array.from({ length: 120 }, (_, i) => ({
          email: `two-${i}-${estate.slug}@test.local`,
          passwordHash: "x",
          displayName: `业主${i}`,
        })),
      )
      .returning({ id: users.id });
    await queue(
      voteNotices(
        estate.id,
        ids.map((r) => r.id),
        "v-two",
      ),
    );
    const rowIds = await outboxIdsFor(ids.map((r) => r.id));
    const smtp = await sink();
    const url = `smtp://127.0.0.1:${smtp.port}`;
    const a = worker(smtpTransport(url), { id: "worker-a", batchSize: 7 });
    const b = worker(smtpTransport(url), { id: "worker-b", batchSize: 7 });
    a.start();
    b.start();
    await until(async () => (await statuses(rowIds)).every((r) => r.status === "sent"));
    await Promise.all([a.stop(), b.stop()]);
    expect(smtp.mails).toHaveLength(120);
    expect(countBy(smtp.mails, (m) => m.messageId).size).toBe(120);
    const rows = await statuses(rowIds);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.claimedBy))).toEqual(new Set(["worker-a", "worker-b"]));
  });

  it("a crash between send and mark costs at most one duplicate, and nothing is lost", async () => {
    const estate = await makeEstate();
    const people = await Promise.all(Array.from({ length: 5 }, () => user("zh-CN")));
    await queue(
      voteNotices(
        estate.id,
        people.map((p) => p.id),
        "v-crash",
      ),
    );
    const rowIds = await outboxIdsFor(people.map((p) => p.id));
    const smtp = await sink();
    const real = smtpTransport(`smtp://127.0.0.1:${smtp.port}`);
    cleanups.push(() => real.close());
    // Worker A's process "dies" right after the SMTP server accepted its first mail: it can
    // no longer reach the database, so neither that mail nor the rest of its batch is marked.
    let dead = false;
    const crashing = createMailWorker({
      ...mailSettingsFromEnv(),
      appUrl,
      id: "worker-a",
      leaseMs: 400,
      sendTimeoutMs: 200,
      concurrency: 1,
      transport: {
        send: async (mail) => {
          await real.send(mail);
          dead = true;
        },
        close: () => {},
      },
      db: () => {
        if (dead) throw new Error("process died");
        return getDb();
      },
    });
    await expect(crashing.runOnce()).rejects.toThrow("process died");
    await smtp.waitFor(1);
    const firstTo = smtp.mails[0].envelope.to[0];
    expect((await statuses(rowIds)).every((r) => r.status === "sending" && r.claimedBy === "worker-a")).toBe(true);

    // Before the lease runs out nobody else may take the rows.
    const b = worker(smtpTransport(`smtp://127.0.0.1:${smtp.port}`), { id: "worker-b" });
    expect((await b.runOnce()).claimed).toBe(0);
    await new Promise((r) => setTimeout(r, 450));
    expect(await b.runOnce()).toMatchObject({ claimed: 5, sent: 5 });

    await smtp.waitFor(6);
    const counts = countBy(smtp.mails, (m) => m.envelope.to[0]);
    expect(counts.get(firstTo)).toBe(2);
    expect([...counts.entries()].filter(([to]) => to !== firstTo).every(([, n]) => n === 1)).toBe(true);
    expect(counts.size).toBe(5);
    // The duplicate is recognisable: the same Message-ID.
    const dupes = smtp.mails.filter((m) => m.envelope.to[0] === firstTo);
    expect(dupes[0].messageId).toBe(dupes[1].messageId);
    expect((await statuses(rowIds)).every((r) => r.status === "sent" && r.claimedBy === "worker-b")).toBe(true);
  });

  it("stopping mid-batch finishes the send in flight and gives the rest back", async () => {
    const estate = await makeEstate();
    const people = await Promise.all(Array.from({ length: 6 }, () => user("zh-CN")));
    await queue(
      voteNotices(
        estate.id,
        people.map((p) => p.id),
        "v-stop",
      ),
    );
    const rowIds = await outboxIdsFor(people.map((p) => p.id));
    const smtp = await sink();
    const real = smtpTransport(`smtp://127.0.0.1:${smtp.port}`);
    let started!: () => void;
    const firstSend = new Promise<void>((resolve) => (started = resolve));
    const slow: MailTransport = {
      send: async (mail) => {
        started();
        await new Promise((r) => setTimeout(r, 300));
        await real.send(mail);
      },
      close: () => real.close(),
    };
    const w = createMailWorker({ ...mailSettingsFromEnv(), appUrl, transport: slow, batchSize: 10, concurrency: 1 });
    w.start();
    await firstSend;
    await w.stop();
    const rows = await statuses(rowIds);
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(1);
    expect(rows.filter((r) => r.status === "queued" && r.attempts === 0)).toHaveLength(5);
    expect(smtp.mails).toHaveLength(1);
  });

  it("without SMTP the mail is held in the database, not reported sent, and /dev/mail shows it", async () => {
    const estate = await makeEstate({ name: "康乐苑测试" });
    const owner = await user("en", "Mei Chen");
    await queue(voteNotices(estate.id, [owner.id], "v-held"));
    const [id] = await outboxIdsFor([owner.id]);
    expect(await worker(null).runOnce()).toMatchObject({ claimed: 1, held: 1, sent: 0 });
    expect((await statuses([id]))[0].status).toBe("held");
    const shown = (await call(devMailLoader, { url: `/dev/mail/${id}`, params: { id } })) as {
      mail: ReceivedMail & { status: string };
    };
    expect(shown.mail.status).toBe("held");
    expect(shown.mail.subject).toBe("[康乐苑测试] Vote open: 续聘物业公司");
    expect(shown.mail.text).toContain("/e/x/votes/v-held");
    await expectStatus(devMailLoader, { url: "/dev/mail/nope", params: { id: "nope" } }, 404);
  });
});

describe("password reset", () => {
  async function account(email: string, locale = "zh-CN") {
    const result = await signUp({ email, password: "old password 1", displayName: "王秀英", locale }, "10.250.0.1");
    if (!result.ok) throw new Error(result.error);
    const [{ id }] = await getDb()
      .select({ id: schema.users.id })
      .from(schema.users)
      .where(eq(schema.users.email, email));
    // The welcome mail is not what these tests are about: only the reset mail should be in the outbox.
    await getDb()
      .delete(outbox)
      .where(and(eq(outbox.userId, id), eq(outbox.template, "welcome")));
    return id;
  }

  it("mails a single-use link (token stored only as a hash) that always goes, and ends every session", async () => {
    const userId = await account("reset-me@example.com");
    // Even with every optional category off, security mail goes.
    await call(settingsAction, {
      url: "/settings/notifications",
      user: { id: userId, email: "reset-me@example.com", displayName: "王秀英" },
      form: {},
    });
    expect(await emailPreferences(userId)).toEqual({ votes: false, minutes: false, bills: false, tickets: false });
    const lucia = getLucia();
    await lucia.createSession(userId, {});
    await lucia.createSession(userId, {});

    expect(await requestPasswordReset("Reset-Me@Example.com ", "10.0.0.1")).toEqual({ ok: true });
    const smtp = await sink();
    await worker(smtpTransport(`smtp://127.0.0.1:${smtp.port}`)).runOnce();
    const [mail] = await smtp.waitFor(1);
    expect(mail.subject).toBe("议事堂：重设密码");
    expect(mail.headers.has("list-unsubscribe")).toBe(false);
    expect(mail.text).toContain("30 分钟");
    const link = new RegExp(`${appUrl}/reset-password/([A-Za-z0-9_-]{43})`).exec(mail.text);
    expect(link).not.toBeNull();
    const token = link![1];

    // Nothing in the database is the token itself.
    const [stored] = await getDb().select().from(passwordResets).where(eq(passwordResets.userId, userId));
    expect(stored.tokenHash).toBe(hashToken(token));
    const [row] = await getDb().select({ props: outbox.props }).from(outbox).where(eq(outbox.userId, userId));
    expect(JSON.stringify(row.props)).not.toContain(token);
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(30 * 60_000);
    // No in-app notice for a reset.
    expect(await unreadCount(userId)).toBe(0);

    await expectStatus(resetLoader, { url: `/reset-password/${token}`, params: { token } }, 200);
    const tooShort = await expectStatus(
      resetAction,
      { url: `/reset-password/${token}`, params: { token }, form: { password: "short", confirmPassword: "short" } },
      400,
    );
    expect(JSON.stringify(tooShort)).toContain("auth.signup.passwordTooShort");
    const done = (await expectStatus(
      resetAction,
      {
        url: `/reset-password/${token}`,
        params: { token },
        form: { password: "new password 2", confirmPassword: "new password 2" },
      },
      302,
    )) as Response;
    expect(done.headers.get("Location")).toBe("/login");

    expect(await lucia.getUserSessions(userId)).toEqual([]);
    expect(await logIn("reset-me@example.com", "new password 2", "10.0.0.1")).toMatchObject({ ok: true });
    expect(await logIn("reset-me@example.com", "old password 1", "10.0.0.1")).toEqual({ ok: false, error: "invalid" });

    // Single use.
    expect(await resetLinkValid(token)).toBe(false);
    await expectStatus(resetLoader, { url: `/reset-password/${token}`, params: { token } }, 410);
    await expectStatus(
      resetAction,
      {
        url: `/reset-password/${token}`,
        params: { token },
        form: { password: "third password", confirmPassword: "third password" },
      },
      410,
    );
  });

  it("expires after 30 minutes", async () => {
    const userId = await account("late@example.com");
    const t0 = new Date(Date.now() - 31 * 60_000);
    await requestPasswordReset("late@example.com", "10.0.0.2", t0);
    const smtp = await sink();
    await worker(smtpTransport(`smtp://127.0.0.1:${smtp.port}`)).runOnce();
    const [mail] = await smtp.waitFor(1);
    const token = /reset-password\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1];
    expect(await resetLinkValid(token, new Date(t0.getTime() + 29 * 60_000))).toBe(true);
    expect(await resetLinkValid(token)).toBe(false);
    expect(await resetPassword(token, "new password 3")).toEqual({ ok: false });
    expect(await logIn("late@example.com", "old password 1", "10.0.0.2")).toMatchObject({ ok: true, userId });
  });

  it("answers the same for unknown emails, just as slowly, and limits requests", async () => {
    await account("known@example.com");
    const t = async (email: string) => {
      const started = performance.now();
      const result = await call(forgotAction, { url: "/forgot-password", form: { email } });
      return { result, ms: performance.now() - started };
    };
    const known = await t("known@example.com");
    const unknown = await t("nobody-here@example.com");
    expect(known.result).toMatchObject({ sent: true });
    expect(unknown.result).toEqual(known.result);
    expect(known.ms).toBeGreaterThanOrEqual(295);
    expect(unknown.ms).toBeGreaterThanOrEqual(295);
    const queued = await getDb().select({ id: outbox.id }).from(outbox).where(eq(outbox.template, "password-reset"));
    const [knownUser] = await getDb().select({ id: users.id }).from(users).where(eq(users.email, "known@example.com"));
    expect(
      (
        await getDb()
          .select()
          .from(outbox)
          .where(and(eq(outbox.template, "password-reset"), eq(outbox.userId, knownUser.id)))
      ).length,
    ).toBe(1);
    expect(queued.length).toBeGreaterThanOrEqual(1);

    // Five an hour per email, registered or not; the sixth is refused the same way for both.
    for (let i = 0; i < 4; i++) {
      expect(await requestPasswordReset("known@example.com", `10.5.0.${i}`)).toEqual({ ok: true });
      expect(await requestPasswordReset("nobody-here@example.com", `10.6.0.${i}`)).toEqual({ ok: true });
    }
    expect(await requestPasswordReset("known@example.com", "10.5.1.1")).toEqual({ ok: false, error: "tooMany" });
    expect(await requestPasswordReset("nobody-here@example.com", "10.6.1.1")).toEqual({ ok: false, error: "tooMany" });
    await expectStatus(forgotAction, { url: "/forgot-password", form: { email: "known@example.com" } }, 429);
    await expectStatus(forgotAction, { url: "/forgot-password", form: { email: "not an email" } }, 400);
  }, 20_000);
});

describe("in-app notices and settings", () => {
  it("lists a user's notices in their language, marks them read, and counts the unread", async () => {
    const estate = await makeEstate({ name: "宜欣花园测试" });
    const owner = await user("zh-CN");
    const other = await user("zh-CN");
    await queue([
      ...voteNotices(estate.id, [owner.id, other.id], "v-inapp"),
      {
        template: "bill-due",
        userId: owner.id,
        estateId: estate.id,
        idempotencyKey: "bill:2026-12:unit1",
        props: {
          period: "2026-12",
          amountFen: 28_350,
          dueDate: "2026-12-31T00:00:00Z",
          unitLabel: "1幢 101",
          path: "/e/x/bills",
        },
      },
    ]);
    expect(await unreadCount(owner.id)).toBe(2);
    const en = await listNotices(owner.id, "en");
    expect(en.map((n) => n.title).sort()).toEqual([
      "[宜欣花园测试] Property fee for 2026-12: ¥283.50",
      "[宜欣花园测试] Vote open: 续聘物业公司",
    ]);
    const loaded = (await call(noticesLoader, { url: "/notices", user: owner })) as {
      notices: { id: string; title: string; path: string; read: boolean }[];
    };
    expect(loaded.notices).toHaveLength(2);
    expect(loaded.notices.every((n) => !n.read)).toBe(true);
    expect(loaded.notices.map((n) => n.path).sort()).toEqual(["/e/x/bills", "/e/x/votes/v-inapp"]);

    // Someone else's notice id marks nothing.
    const [othersNotice] = await listNotices(other.id, "zh-CN");
    await call(noticesAction, { url: "/notices", user: owner, form: { intent: "read", id: othersNotice.id } });
    expect(await unreadCount(other.id)).toBe(1);

    await call(noticesAction, { url: "/notices", user: owner, form: { intent: "read", id: loaded.notices[0].id } });
    expect(await unreadCount(owner.id)).toBe(1);
    await call(noticesAction, { url: "/notices", user: owner, form: { intent: "readAll" } });
    expect(await unreadCount(owner.id)).toBe(0);
    await expectStatus(noticesAction, { url: "/notices", user: owner, form: { intent: "read", id: "x" } }, 400);
    await expectStatus(noticesLoader, { url: "/notices" }, 302);
  });

  it("saves email preferences from the settings form", async () => {
    const owner = await user("zh-CN");
    const result = (await call(settingsAction, {
      url: "/settings/notifications",
      user: owner,
      form: { "votes.mail": "on", "tickets.mail": "on" },
    })) as Response;
    expect(result.status).toBe(302);
    expect(await emailPreferences(owner.id)).toEqual({ votes: true, minutes: false, bills: false, tickets: true });
  });
});

describe("the origin check and one-click unsubscribe", () => {
  function post(path: string, headers: Record<string, string>) {
    let status = 0;
    let passed = false;
    const req = {
      method: "POST",
      path,
      protocol: "https",
      get: (name: string) => headers[name.toLowerCase()] ?? (name === "host" ? "yst.example.org" : undefined),
    };
    const res = {
      status(code: number) {
        status = code;
        return this;
      },
      type() {
        return this;
      },
      send() {},
    };
    originCheck("https://yst.example.org")(req as never, res as never, () => (passed = true));
    return passed ? "passed" : status;
  }

  it("lets mail providers POST to an unsubscribe link, with or without their own Origin, and nothing else cross-site", () => {
    expect(post("/unsubscribe/one-click/abc.votes.sig", {})).toBe("passed");
    expect(post("/unsubscribe/one-click/abc.votes.sig", { origin: "https://mail.qq.com" })).toBe("passed");
    expect(post("/unsubscribe/one-click/abc.votes.sig/more", { origin: "https://mail.qq.com" })).toBe(403);
    // The confirmation page's own form is an ordinary same-site form.
    expect(post("/unsubscribe/abc.votes.sig", { origin: "https://mail.qq.com" })).toBe(403);
    expect(post("/unsubscribe/abc.votes.sig", {})).toBe("passed");
    expect(post("/settings/notifications", { origin: "https://mail.qq.com" })).toBe(403);
    expect(post("/settings/notifications", { origin: "https://yst.example.org" })).toBe("passed");
  });
});
