// `npm run bench:scorecard`: the monthly scorecard (app/tickets/scorecard.server.ts: twelve months
// of ticket figures in one SQL statement, plus the fees feature's collection rate) for an estate
// with 100,000 tickets over two years (TICKETS to change), next to a second estate with 50,000
// more, and 24 months of bills for 2,000 units. Target: under 200 ms.
// With DATABASE_URL: a scratch database on that server, dropped afterwards; else in-memory PGlite.
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { performance } from "node:perf_hooks";
import { connectPostgres, openPglite, setDb, type DbHandle } from "../../db/client";
import * as s from "../../db/schema/index";
import { generateBills, publishSchedule, saveFeeSettings } from "../../app/fees/bills.server";
import { setServingCompany, servingCompany } from "../../app/tickets/company.server";
import { addMonths, formatHours, formatPermille, formatTenths, monthStart } from "../../app/tickets/scorecard";
import { scorecard } from "../../app/tickets/scorecard.server";
import { beijingMonth } from "../../app/lib/time";

const ticketCount = Number(process.env.TICKETS ?? 100_000);
const unitCount = 2_000;
const runs = Number(process.env.RUNS ?? 20);

async function open(): Promise<{ handle: DbHandle; where: string; cleanup: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { handle: openPglite(), where: "PGlite (in memory)", cleanup: async () => {} };
  const name = `yst_bench_scorecard_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    handle: connectPostgres(target.toString()),
    where: "PostgreSQL (DATABASE_URL)",
    cleanup: async () => {
      if (process.env.KEEP_DB) console.log(`  kept database ${name}`);
      else await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Tickets of one estate, spread evenly over the 24 months before `end`: most closed and rated, some reopened, the last weeks' still open. */
async function insertTickets(
  db: DbHandle["db"],
  estateId: string,
  companyId: string,
  filerId: string,
  count: number,
  end: Date,
) {
  const start = new Date(end.getTime() - 730 * 86_400_000);
  await db.execute(sql`
    with homes as (select array_agg(id) as ids from (select id from unit where estate_id = ${estateId} order by id limit 50) u)
    insert into ticket (estate_id, seq, company_id, filer_id, unit_id, category, location, building_id, description, is_public, status,
                        response_due_at, resolution_due_at, acknowledged_at, first_resolved_at, resolved_at, reopen_count,
                        closed_at, closed_by, rating, rated_at, created_at)
    select ${estateId}, g, ${companyId}, ${filerId}, (select ids from homes)[1 + g % 50],
           (array['repair','cleaning','security','greenery','parking','noise','other'])[1 + g % 7]::ticket_category,
           'common', null, '工单 ' || g, g % 3 <> 0,
           (case when open then 'acknowledged' else 'closed' end)::ticket_status,
           c + interval '4 hours', c + interval '72 hours',
           c + ((g::bigint * 7919) % 600 + 5) * interval '1 minute',
           case when open then null else c + ((g::bigint * 104729) % 6000 + 700) * interval '1 minute' * 0.8 end,
           case when open then null else c + ((g::bigint * 104729) % 6000 + 700) * interval '1 minute' end,
           case when not open and g % 11 = 0 then 1 else 0 end,
           case when open then null else c + ((g::bigint * 104729) % 6000 + 700) * interval '1 minute' + interval '1 day' end,
           case when open then null else 'filer' end,
           case when open or g % 4 = 0 then null else 1 + (g::bigint * 31) % 5 end,
           case when open or g % 4 = 0 then null else c + ((g::bigint * 104729) % 6000 + 700) * interval '1 minute' + interval '1 day' end,
           c
    from (
      select g, ${start.toISOString()}::timestamptz + (g::double precision / ${count}::int) * interval '730 days' as c,
             g > ${count - Math.floor(count / 200)}::int as open
      from generate_series(1, ${count}::int) g
    ) x
  `);
}

const { handle, where, cleanup } = await open();
try {
  setDb(handle);
  await handle.migrate();
  const db = handle.db;
  const [sub] = await db.insert(s.subDistricts).values({ name: "基准街道" }).returning();
  const [community] = await db.insert(s.communities).values({ subDistrictId: sub.id, name: "基准社区" }).returning();
  const [estate, other] = await db
    .insert(s.estates)
    .values([
      { communityId: community.id, slug: "bench", name: "基准小区" },
      { communityId: community.id, slug: "bench-other", name: "邻近小区" },
    ])
    .returning();
  const [staff] = await db
    .insert(s.users)
    .values({ email: "staff@bench.local", passwordHash: "x", displayName: "物业" })
    .returning();
  const [owner] = await db
    .insert(s.users)
    .values({ email: "owner@bench.local", passwordHash: "x", displayName: "业主" })
    .returning();

  const t0 = performance.now();
  for (const e of [estate, other]) {
    await db.execute(
      sql`insert into building (estate_id, name) select ${e.id}, g || '幢' from generate_series(1, 20) g`,
    );
    await db.execute(sql`
      insert into unit (estate_id, building_id, number, floor, kind, area_centi_sqm, claim_code)
      select ${e.id}, b.id, (g / 20) + 100 || '', 1 + (g / 20) / 4, 'residential', 6000 + (g * 7919) % 12000, ${e.slug} || lpad(g::text, 9, '0')
      from generate_series(0, ${unitCount - 1}::int) g
      join building b on b.estate_id = ${e.id} and b.name = ((g % 20) + 1) || '幢'
    `);
  }
  await setServingCompany({
    estateId: estate.id,
    name: "基准物业",
    userId: staff.id,
    now: new Date("2020-01-01T00:00:00Z"),
  });
  await setServingCompany({
    estateId: other.id,
    name: "邻近物业",
    userId: staff.id,
    now: new Date("2020-01-01T00:00:00Z"),
  });
  const company = (await servingCompany(db, estate.id))!;
  const otherCompany = (await servingCompany(db, other.id))!;
  const month = beijingMonth(new Date());
  const end = monthStart(addMonths(month, 1));
  await insertTickets(db, estate.id, company.id, owner.id, ticketCount, end);
  await insertTickets(db, other.id, otherCompany.id, owner.id, Math.floor(ticketCount / 2), end);

  // 24 months of bills for the estate's 2,000 units, through the fees feature's own command.
  await saveFeeSettings({
    estateId: estate.id,
    actorId: staff.id,
    values: { billingCycle: "monthly", dueDays: 30, schedulePublisher: "property_staff", reminderDay: null },
  });
  const first = addMonths(month, -23);
  const schedule = await publishSchedule({
    estateId: estate.id,
    actorId: staff.id,
    name: "基准收费",
    effectiveFrom: `${first}-01`,
    rates: [{ charge: "property", unitKind: "residential", rateFen: 185 }],
    now: new Date("2020-01-01T00:00:00Z"),
  });
  if (!schedule.ok) throw new Error(schedule.error);
  for (let i = 0; i < 24; i++) {
    const r = await generateBills({ estateId: estate.id, periodKey: addMonths(first, i), actorId: staff.id });
    if (!r.ok) throw new Error(r.error);
  }
  // What autovacuum does after a bulk load: statistics and the visibility map (for index-only scans).
  await db.execute(sql`vacuum analyze`);
  const setup = performance.now() - t0;
  const [{ n }] = (await db
    .select({ n: sql<number>`count(*)::int` })
    .from(s.tickets)
    .where(sql`${s.tickets.estateId} = ${estate.id}`)) as { n: number }[];

  const times: number[] = [];
  let card = await scorecard({ estateId: estate.id, companyId: company.id, month });
  for (let i = 0; i < 3; i++) await scorecard({ estateId: estate.id, companyId: company.id, month }); // warm up
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    card = await scorecard({ estateId: estate.id, companyId: company.id, month });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const worst = times.at(-1)!;
  const m = card.months.at(-2)!;
  console.log(
    [
      `bench:scorecard on ${where}`,
      `  ${n.toLocaleString("en-US")} tickets over two years in the estate (+${Math.floor(ticketCount / 2).toLocaleString("en-US")} in another), ${unitCount * 24} bills; set up in ${(setup / 1000).toFixed(1)} s`,
      `  scorecard (12 months, ${card.months.reduce((a, x) => a + x.opened, 0).toLocaleString("en-US")} tickets): median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms over ${runs} runs (target < 200 ms)`,
      `  ${m.month}: ${m.opened} opened, median response ${formatHours(m.medianResponseMin)} h, p90 ${formatHours(m.p90ResponseMin)} h, median resolution ${formatHours(m.medianResolutionMin)} h, within target ${formatPermille(m.withinTarget)}, reopened ${formatPermille(m.reopenRate)}, rating ${formatTenths(m.avgRating)}`,
      median < 200 ? "  OK" : "  SLOWER THAN TARGET",
    ].join("\n"),
  );
  if (median >= 200) process.exitCode = 1;
} finally {
  await handle.close();
  await cleanup();
}
