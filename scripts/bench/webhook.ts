// `npm run bench:webhook`: webhook throughput under 50 concurrent deliveries with duplicates.
// CHECKOUTS checkouts (2 bills each) are opened through Stripe's SDK against a local stand-in of
// its API (tests/stripe-fake.ts); then every checkout.session.completed event is delivered 3
// times, plus an async_payment_succeeded for every fourth session, shuffled, 50 at a time, each
// through receiveWebhook (signature check + one transaction). The result must have exactly one
// payment per checkout and no bill paid twice.
// With DATABASE_URL: a scratch database on that server, dropped afterwards; else in-memory PGlite.
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { performance } from "node:perf_hooks";
import { connectPostgres, openPglite, setDb, type DbHandle } from "../../db/client";
import * as s from "../../db/schema/index";
import { generateBills, publishSchedule, saveFeeSettings } from "../../app/fees/bills.server";
import { startCheckout } from "../../app/fees/checkout.server";
import { rowsOf } from "../../app/notify/outbox.server";
import { stripeProvider } from "../../app/payments/stripe.server";
import { receiveWebhook } from "../../app/fees/webhook.server";
import { fakeWebhookSecret, startFakeStripe } from "../../tests/stripe-fake";

const checkoutCount = Number(process.env.CHECKOUTS ?? 300);
const concurrency = Number(process.env.CONCURRENCY ?? 50);

async function open(): Promise<{ handle: DbHandle; where: string; cleanup: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { handle: openPglite(), where: "PGlite (in memory)", cleanup: async () => {} };
  const name = `yst_bench_webhook_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    // One connection per concurrent delivery, as 50 app processes would have between them.
    handle: connectPostgres(target.toString(), { max: concurrency }),
    where: "PostgreSQL (DATABASE_URL)",
    cleanup: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

function shuffle<T>(list: T[], seed = 42): T[] {
  let a = seed;
  const rand = () => (a = (a * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

const fake = await startFakeStripe();
const provider = stripeProvider({ stripe: fake.client, webhookSecret: fakeWebhookSecret });
const { handle, where, cleanup } = await open();
try {
  setDb(handle);
  await handle.migrate();
  const db = handle.db;
  const [sub] = await db.insert(s.subDistricts).values({ name: "基准街道" }).returning();
  const [community] = await db.insert(s.communities).values({ subDistrictId: sub.id, name: "基准社区" }).returning();
  const [estate] = await db
    .insert(s.estates)
    .values({ communityId: community.id, slug: "bench", name: "基准小区" })
    .returning();
  const [owner] = await db
    .insert(s.users)
    .values({ email: "owner@bench.local", passwordHash: "x", displayName: "业主" })
    .returning();
  const unitCount = checkoutCount * 2;
  await db.execute(sql`insert into building (estate_id, name) values (${estate.id}, '1幢')`);
  await db.execute(sql`
    insert into unit (estate_id, building_id, number, floor, kind, area_centi_sqm, claim_code)
    select ${estate.id}, b.id, (1000 + g)::text, 1, 'residential', 6000 + (g * 7919) % 12000, 'W' || lpad(g::text, 9, '0')
    from generate_series(1, ${unitCount}) g, building b where b.estate_id = ${estate.id}
  `);
  // One owner (with an account) of every unit, so they may pay all the bills.
  await db.execute(
    sql`insert into owner (estate_id, name, identity_key, user_id) values (${estate.id}, '业主', 'ref:BENCH', ${owner.id})`,
  );
  await db.execute(
    sql`insert into ownership (estate_id, unit_id, owner_id) select ${estate.id}, u.id, o.id from unit u, owner o where u.estate_id = ${estate.id} and o.estate_id = ${estate.id}`,
  );
  await saveFeeSettings({
    estateId: estate.id,
    actorId: owner.id,
    values: { billingCycle: "monthly", dueDays: 30, schedulePublisher: "property_staff", reminderDay: null },
  });
  const schedule = await publishSchedule({
    estateId: estate.id,
    actorId: owner.id,
    name: "基准",
    effectiveFrom: "2026-01-01",
    rates: [{ charge: "property", unitKind: "residential", rateFen: 185 }],
  });
  if (!schedule.ok) throw new Error(schedule.error);
  const generated = await generateBills({ estateId: estate.id, periodKey: "2026-12", actorId: owner.id });
  if (!generated.ok) throw new Error(generated.error);

  const billIds = (await db.select({ id: s.bills.id }).from(s.bills)).map((b) => b.id);
  const sessions: string[] = [];
  for (let i = 0; i < checkoutCount; i++) {
    const started = await startCheckout({
      estate,
      user: { id: owner.id, email: owner.email },
      billIds: billIds.slice(i * 2, i * 2 + 2),
      origin: "http://localhost:3000",
      locale: "zh-CN",
      provider,
    });
    if (!started.ok) throw new Error(started.error);
    const [row] = await db
      .select({ sessionId: s.checkouts.sessionId })
      .from(s.checkouts)
      .where(sql`${s.checkouts.id} = ${started.checkoutId}`);
    sessions.push(row.sessionId!);
  }

  const deliveries: { rawBody: string; signature: string }[] = [];
  sessions.forEach((sessionId, i) => {
    const session = fake.complete(sessionId);
    const completed = fake.event("checkout.session.completed", session);
    deliveries.push(completed, completed, completed);
    if (i % 4 === 0) deliveries.push(fake.event("checkout.session.async_payment_succeeded", session));
  });
  shuffle(deliveries);

  const outcomes = new Map<string, number>();
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const d = deliveries[next++];
        const t = performance.now();
        const result = await receiveWebhook(d.rawBody, d.signature, { provider });
        latencies.push(performance.now() - t);
        outcomes.set(result.outcome, (outcomes.get(result.outcome) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]);

  const [check] = rowsOf<{
    payments: number;
    paid_bills: number;
    twice: number;
    bills_fen: string;
    payments_fen: string;
    receipts: number;
  }>(
    await db.execute(sql`
      select (select count(*) from payment)::int as payments,
             (select count(*) from bill where status = 'paid')::int as paid_bills,
             (select count(*) from (select bill_id from payment_bill group by bill_id having count(*) > 1) x)::int as twice,
             (select sum(amount_fen) from bill)::text as bills_fen,
             (select sum(amount_fen) from payment)::text as payments_fen,
             (select count(*) from outbox where template = 'payment-receipt')::int as receipts
    `),
  );
  console.log(
    `bench:webhook on ${where}: ${deliveries.length} deliveries (${checkoutCount} sessions, each completed event 3 times, plus ${Math.ceil(checkoutCount / 4)} async_payment_succeeded), ${concurrency} at a time`,
  );
  console.log(
    `  ${Math.round(deliveries.length / seconds)} deliveries/s (${seconds.toFixed(2)} s); latency p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${Math.round(latencies.at(-1)!)} ms`,
  );
  console.log(`  outcomes: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(", ")}`);
  console.log(
    `  result: ${check.payments} payments for ${checkoutCount} sessions, ${check.paid_bills}/${billIds.length} bills paid, ${check.twice} bills paid twice, ${check.receipts} receipt mails; billed ¥${Number(check.bills_fen) / 100}, received ¥${Number(check.payments_fen) / 100}`,
  );
  const ok =
    check.payments === checkoutCount &&
    check.paid_bills === billIds.length &&
    check.twice === 0 &&
    check.bills_fen === check.payments_fen &&
    check.receipts === checkoutCount &&
    outcomes.get("paid") === checkoutCount;
  console.log(ok ? "  ok: no double payment" : "  FAILED: the ledger does not match");
  if (!ok) process.exitCode = 1;
} finally {
  await handle.close();
  await cleanup();
  await fake.close();
}
