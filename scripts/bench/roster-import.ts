// `npm run bench:roster`: imports a generated 20,000-row roster into an empty estate, then
// re-imports it with changes, timing parse + validate (+ preview) and apply.
// With DATABASE_URL: a scratch database on that server, dropped afterwards; else in-memory PGlite.
import postgres from "postgres";
import { performance } from "node:perf_hooks";
import { connectPostgres, openPglite, setDb, type DbHandle } from "../../db/client";
import * as s from "../../db/schema/index";
import { parseRoster } from "../../app/roster/roster-csv";
import { confirmImport, previewImport } from "../../app/roster/roster.server";

const rowCount = Number(process.env.ROWS ?? 20_000);
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const given = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军"];

/** A roster of `rows` units: 40 buildings, 4 units per floor, some co-owners, multi-unit owners and unsold units. */
function generateCsv(rows: number, variant: 0 | 1): string {
  const lines = ["楼栋,房号,楼层,类型,专有面积,业主姓名,业主电话,开发商未售,产权证号"];
  for (let i = 0; i < rows; i++) {
    const building = `${(i % 40) + 1}幢`;
    const k = Math.floor(i / 40);
    const floor = Math.floor(k / 4) + 1;
    const unit = `${floor}${String((k % 4) + 1).padStart(2, "0")}`;
    // The second variant changes every 10th area and every 50th owner.
    const area = 6000 + ((i * 7919) % 12000) + (variant === 1 && i % 10 === 0 ? 1 : 0);
    const areaText = `${Math.floor(area / 100)}.${String(area % 100).padStart(2, "0")}`;
    if (i % 97 === 0) {
      lines.push(`${building},${unit},${floor},住宅,${areaText},,,是,`);
      continue;
    }
    const person = variant === 1 && i % 50 === 1 ? i + 1_000_003 : i % 1000 === 5 ? 5 : i; // owner 5 holds 20 units
    const name = surnames[person % surnames.length] + given[Math.floor(person / surnames.length) % given.length];
    const phone = `139${String(person).padStart(8, "0")}`;
    if (i % 17 === 0) lines.push(`${building},${unit},${floor},住宅,${areaText},${name};配偶${i},${phone};,,`);
    else lines.push(`${building},${unit},${floor},住宅,${areaText},${name},${phone},否,`);
  }
  return lines.join("\r\n") + "\r\n";
}

async function open(): Promise<{ handle: DbHandle; cleanup: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = openPglite();
    return { handle, cleanup: async () => {} };
  }
  const name = `yst_bench_roster_${process.pid}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = connectPostgres(target.toString());
  return {
    handle,
    cleanup: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

const { handle, cleanup } = await open();
try {
  await handle.migrate();
  setDb(handle);
  const db = handle.db;
  const [sub] = await db.insert(s.subDistricts).values({ name: "基准街道" }).returning();
  const [community] = await db.insert(s.communities).values({ subDistrictId: sub.id, name: "基准社区" }).returning();
  const [estate] = await db
    .insert(s.estates)
    .values({ communityId: community.id, slug: "bench", name: "基准小区" })
    .returning();
  const [user] = await db
    .insert(s.users)
    .values({ email: "bench@example.com", passwordHash: "x", displayName: "基准" })
    .returning();

  console.log(`Roster import benchmark: ${rowCount} rows on ${handle.kind}`);
  for (const [label, variant] of [
    ["first import (empty estate)", 0],
    ["re-import, unchanged", 0],
    ["re-import, 10% areas and 2% owners changed", 1],
  ] as const) {
    const bytes = new TextEncoder().encode(generateCsv(rowCount, variant));
    let t = performance.now();
    const parsed = parseRoster(bytes);
    if (!parsed.ok) throw new Error(`generated file refused: ${JSON.stringify(parsed.issues.slice(0, 3))}`);
    const parseTime = ms(t);
    const total = performance.now();
    t = performance.now();
    const preview = await previewImport({ estateId: estate.id, userId: user.id, fileName: "bench.csv", bytes });
    if (!preview.ok) throw new Error("preview refused the file");
    const previewTime = ms(t);
    t = performance.now();
    const applied = await confirmImport({ estateId: estate.id, importId: preview.importId, userId: user.id });
    if (!applied.ok) throw new Error(`confirm failed: ${applied.error}`);
    const applyTime = ms(t);
    const { unitsNew, unitsUpdated, unitsUnchanged, ownersNew, ownersUpdated, ownershipChanged } = applied.summary;
    console.log(
      `${label}: ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; parse+validate ${parseTime}; ` +
        `upload (parse+validate+plan+store preview) ${previewTime}; confirm (apply in one transaction) ${applyTime}; ` +
        `total ${ms(total)} — new ${unitsNew}, updated ${unitsUpdated}, unchanged ${unitsUnchanged}, new owners ${ownersNew}, owners updated ${ownersUpdated}, ownership changes ${ownershipChanged}`,
    );
  }
} finally {
  await handle.close();
  setDb(undefined);
  await cleanup();
}
