// `npm run bench:outbox [-- --recipients 10000 --workers 4]`: one vote opening in a big estate.
// Queues a notice for every recipient in one transaction (must take < 2 s for 10,000), then
// drains the outbox to a local SMTP sink with N workers and prints mails per second.
// On DATABASE_URL's server it uses a fresh database yst_bench_outbox; else in-memory PGlite.
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { count, eq } from "drizzle-orm";
import postgres from "postgres";
import { connectPostgres, openPglite, schema, setDb, type DbHandle } from "#db/client";
import { enqueue, type Notice } from "~/notify/outbox.server";
import { createMailWorker, smtpTransport } from "~/notify/worker.server";
import { startSmtpSink } from "../../tests/smtp-sink";

const { values: args } = parseArgs({
  options: { recipients: { type: "string", default: "10000" }, workers: { type: "string", default: "4" } },
});
const recipients = Number(args.recipients);
const workerCount = Number(args.workers);

let handle: DbHandle;
let dropDatabase = async () => {};
if (process.env.DATABASE_URL) {
  const name = "yst_bench_outbox";
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  handle = connectPostgres(url.toString(), { max: workerCount * 2 + 2 });
  dropDatabase = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
} else {
  handle = openPglite();
}
setDb(handle);
await handle.migrate();
const db = handle.db;

// The estate and its people.
const [sub] = await db.insert(schema.subDistricts).values({ name: "枫桥街道（压测）" }).returning();
const [community] = await db.insert(schema.communities).values({ subDistrictId: sub.id, name: "压测社区" }).returning();
const [estate] = await db
  .insert(schema.estates)
  .values({ communityId: community.id, slug: "bench", name: "压测花园" })
  .returning();
const userIds: string[] = [];
for (let start = 0; start < recipients; start += 2000) {
  const rows = Array.from({ length: Math.min(2000, recipients - start) }, (_, i) => ({
    email: `owner-${start + i}@bench.local`,
    passwordHash: "x",
    displayName: `业主${start + i}`,
    locale: (start + i) % 10 === 0 ? "en" : "zh-CN",
  }));
  const inserted = await db.insert(schema.users).values(rows).returning({ id: schema.users.id });
  userIds.push(...inserted.map((r) => r.id));
}

// The vote opens: the change and its notices in one transaction.
const notices: Notice[] = userIds.map((userId) => ({
  template: "vote-opened",
  userId,
  estateId: estate.id,
  idempotencyKey: "vote-opened:bench-vote",
  props: {
    proposalTitle: "续聘苏州宜居物业服务有限公司",
    closesAt: "2026-12-20T10:00:00Z",
    path: "/e/bench/votes/bench-vote",
  },
}));
const queueStarted = performance.now();
const queued = await db.transaction(async (tx) => {
  await tx.insert(schema.boardNotices).values({
    estateId: estate.id,
    kind: "general",
    title: "投票开始",
    body: "续聘物业公司的表决已开始。",
    postedAt: new Date(),
    author: "committee",
  });
  return enqueue(tx, notices);
});
const queueMs = performance.now() - queueStarted;

// Drain to a local SMTP sink.
const sink = await startSmtpSink({ parse: false });
const workers = Array.from({ length: workerCount }, (_, i) =>
  createMailWorker({
    appUrl: "https://bench.yishitang.local",
    secret: "bench-secret-0123456789",
    from: "议事堂 <noreply@bench.yishitang.local>",
    transport: smtpTransport(`smtp://127.0.0.1:${sink.port}`),
    id: `bench-${i}`,
    batchSize: 50,
    concurrency: 5,
    pollMs: 50,
  }),
);
const drainStarted = performance.now();
for (const w of workers) w.start();
await sink.waitFor(queued.mails, 30 * 60_000);
const drainMs = performance.now() - drainStarted;
// Wait for the last marks, then check nothing is left and nothing went twice.
for (;;) {
  const [left] = await db.select({ n: count() }).from(schema.outbox).where(eq(schema.outbox.status, "sending"));
  if (left.n === 0) break;
  await new Promise((r) => setTimeout(r, 50));
}
await Promise.all(workers.map((w) => w.stop()));
const [sent] = await db.select({ n: count() }).from(schema.outbox).where(eq(schema.outbox.status, "sent"));
const uniqueIds = new Set(sink.mails.map((m) => /^Message-ID: (.+)$/im.exec(m.raw)?.[1])).size;
await sink.close();
await handle.close();
await dropDatabase();

const ok =
  queueMs < 2000 && sent.n === queued.mails && uniqueIds === queued.mails && sink.mails.length === queued.mails;
console.log(
  [
    `outbox benchmark on ${handle.kind === "postgres" ? "PostgreSQL" : "PGlite"}, ${cpus().length} CPUs`,
    `  queue ${queued.mails.toLocaleString("en")} mails + ${queued.notices.toLocaleString("en")} in-app notices in one transaction: ${Math.round(queueMs)} ms (limit 2000 ms)`,
    `  drain with ${workerCount} workers to a local SMTP sink: ${(drainMs / 1000).toFixed(1)} s, ${Math.round((queued.mails / drainMs) * 1000)} mails/s`,
    `  received ${sink.mails.length}, distinct Message-IDs ${uniqueIds}, marked sent ${sent.n}`,
    ok ? "  OK" : "  FAILED",
  ].join("\n"),
);
process.exit(ok ? 0 : 1);
