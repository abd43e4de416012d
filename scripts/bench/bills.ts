// `npm run bench:bills`: issues one month's bills for an estate of 100,000 units (UNITS to
// change) with the set-based statement of app/fees/bills.server.ts, then runs it again (nothing
// new: idempotent per unit, period and charge). Target: under 5 s for the first run.
// With DATABASE_URL: a scratch database on that server, dropped afterwards; else in-memory PGlite.
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { connectPostgres, openPglite, setDb, type DbHandle } from "../../db/client";
import * as s from "../../db/schema/index";
import { generateBills, publishSchedule, saveFeeSettings } from "../../app/fees/bills.server";
import { rowsOf } from "../../app/notify/outbox.server";
import { formatFen } from "../../app/lib/money";

const unitCount = Number(process.env.UNITS ?? 100_000);
const buildingCount = 200;

async function open(): Promise<{ handle: DbHandle; where: string; cleanup: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { handle: openPglite(), where: "PGlite (in memory)", cleanup: async () => {} };
  const name = `yst_bench_bills_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    // One connection: every statement runs in the same server process, whose CPU time we can read.
    handle: connectPostgres(target.toString(), { max: 1 }),
    where: "PostgreSQL (DATABASE_URL)",
    cleanup: async () => {
      if (process.env.KEEP_DB) console.log(`  kept database ${name}`);
      else await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

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
  const [staff] = await db
    .insert(s.users)
    .values({ email: "staff@bench.local", passwordHash: "x", displayName: "物业" })
    .returning();

  const t0 = performance.now();
  await db.execute(
    sql`insert into building (estate_id, name) select ${estate.id}, g || '幢' from generate_series(1, ${buildingCount}) g`,
  );
  // 100,000 units: residential mostly, some commercial, parking and storage; areas 40–200 m².
  await db.execute(sql`
    insert into unit (estate_id, building_id, number, floor, kind, area_centi_sqm, claim_code)
    select ${estate.id}, b.id, (g / ${buildingCount}) + 100 || '', 1 + (g / ${buildingCount}) / 4,
           (case when g % 50 = 0 then 'parking' when g % 97 = 0 then 'storage' when g % 31 = 0 then 'commercial' else 'residential' end)::unit_kind,
           4000 + (g * 7919) % 16000, 'B' || lpad(g::text, 9, '0')
    from generate_series(0, ${unitCount - 1}) g
    join building b on b.estate_id = ${estate.id} and b.name = ((g % ${buildingCount}) + 1) || '幢'
  `);
  await db.execute(sql`analyze unit`);
  const setup = performance.now() - t0;

  await saveFeeSettings({
    estateId: estate.id,
    actorId: staff.id,
    values: { billingCycle: "monthly", dueDays: 30, schedulePublisher: "property_staff", reminderDay: 5 },
  });
  const schedule = await publishSchedule({
    estateId: estate.id,
    actorId: staff.id,
    name: "基准收费标准",
    effectiveFrom: "2026-01-01",
    rates: [
      { charge: "property", unitKind: "residential", rateFen: 185 },
      { charge: "property", unitKind: "commercial", rateFen: 420 },
      { charge: "parking", unitKind: "parking", rateFen: 15_000 },
      { charge: "storage", unitKind: "storage", rateFen: 3_000 },
    ],
  });
  if (!schedule.ok) throw new Error(schedule.error);

  // The server process's own CPU time (utime + stime from /proc, when the database runs on this
  // machine): unlike wall time, it hardly moves when other work shares the CPU.
  const [{ pid }] = rowsOf<{ pid: number }>(await db.execute(sql`select pg_backend_pid() as pid`));
  const cpuSeconds = () => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return null;
    }
  };
  const cpu0 = cpuSeconds();
  const first = await generateBills({ estateId: estate.id, periodKey: "2026-12", actorId: staff.id });
  const cpu1 = cpuSeconds();
  const second = await generateBills({ estateId: estate.id, periodKey: "2026-12", actorId: staff.id });
  if (!first.ok || !second.ok) throw new Error("generation failed");
  const [summary] = rowsOf<{ n: number; fen: string }>(
    await db.execute(
      sql`select count(*)::int as n, sum(amount_fen)::bigint as fen from bill where period_key = '2026-12'`,
    ),
  );

  console.log(`bench:bills on ${where}`);
  console.log(
    `  setup: ${unitCount.toLocaleString("en-US")} units in ${buildingCount} buildings in ${Math.round(setup)} ms`,
  );
  console.log(
    `  first run:  ${first.created.toLocaleString("en-US")} bills issued in ${first.ms} ms ${first.ms < 5000 ? "(< 5 s: ok)" : "(over the 5 s target!)"}`,
  );
  if (cpu0 !== null && cpu1 !== null)
    console.log(
      `              database server CPU for it: ${(cpu1 - cpu0).toFixed(2)} s (load average now ${loadavg()[0].toFixed(1)})`,
    );
  console.log(
    `  second run: ${second.created} new, ${second.existing.toLocaleString("en-US")} already issued, in ${second.ms} ms (idempotent)`,
  );
  console.log(
    `  check: ${Number(summary.n).toLocaleString("en-US")} bills in the table, ¥${formatFen(Number(summary.fen))} billed`,
  );
  if (Number(summary.n) !== first.created || second.created !== 0) {
    console.error("  MISMATCH: the second run issued bills or the count differs");
    process.exitCode = 1;
  }
} finally {
  await handle.close();
  await cleanup();
}
