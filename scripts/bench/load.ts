// `npm run bench:load`: the pages owners open most and the two things they do, under autocannon,
// against TWO instances of the production build on one PostgreSQL (autocannon spreads its
// connections over both URLs, as a round-robin balancer would), beside the bare node:http +
// postgres.js cast handler of `npm run bench:cast` under the same load. Loopback only,
// DURATION seconds per target after WARMUP seconds. Needs DATABASE_URL (a scratch database is
// made and dropped on that server) and a build (`npm run build`).
//
// Targets: estate home, a proposal page and "my bills" (GET, logged-in owners in rotation);
// casting a ballot (POST, each request an owner re-casting for their voter: ballots are
// changeable); starting a payment (POST, each request a different unpaid bill, sandbox provider).
import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../fault/cluster";
import { faultWorld, snapshotBuild, startApp, stopAll, waitHealthy, type Proc } from "../fault/world";

const seconds = Number(process.env.DURATION ?? 10);
const warmup = Number(process.env.WARMUP ?? 2);
const connections = Number(process.env.CONNECTIONS ?? 50);
const accounts = Number(process.env.ACCOUNTS ?? 400);
// INSTANCES=1 for the same run on one instance, for comparison.
const instances = Number(process.env.INSTANCES ?? 2);

if (!process.env.DATABASE_URL) throw new Error("bench:load needs DATABASE_URL (a PostgreSQL server; a scratch database is made on it).");

interface Target {
  label: string;
  urls: string[];
  method: "GET" | "POST";
  /** The request each call makes: path, cookie, form body. */
  next: () => { path: string; session: string; body?: string };
  /** The status that counts as done (pages 200, posts 302). */
  ok: number;
}

interface Row {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  other: string;
}

async function fire(target: Target, duration: number): Promise<Row> {
  const result = await autocannon({
    url: target.urls as unknown as string,
    connections,
    duration,
    method: target.method,
    timeout: 30,
    requests: [
      {
        method: target.method,
        setupRequest: (request) => {
          const r = target.next();
          return {
            ...request,
            path: r.path,
            headers: {
              ...request.headers,
              cookie: `yst_session=${r.session}`,
              ...(r.body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
            },
            body: r.body,
          };
        },
      },
    ],
  });
  const okCount = target.ok === 200 ? result["2xx"] : result["3xx"];
  const other = [
    ["2xx", result["2xx"]],
    ["3xx", result["3xx"]],
    ["4xx", result["4xx"]],
    ["5xx", result["5xx"]],
    ["errors", result.errors],
    ["timeouts", result.timeouts],
  ]
    .filter(([k, v]) => v && !(k === (target.ok === 200 ? "2xx" : "3xx")))
    .map(([k, v]) => `${k}×${v}`)
    .join(", ");
  return { label: target.label, rps: okCount / result.duration, p50: result.latency.p50, p99: result.latency.p99, ok: okCount, other };
}

const started = Date.now();
console.log(`Load benchmark: ${instances} app instance${instances > 1 ? "s" : ""} of the build, autocannon, ${connections} connections, ${seconds} s per target after ${warmup} s warm-up, loopback`);
console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} (other processes share them)`);
const buildRoot = await snapshotBuild();
const world = await faultWorld(Number(process.env.UNITS ?? 2_000), accounts);
const logDir = mkdtempSync(path.join(tmpdir(), "yst-bench-load-"));
const procs: Proc[] = [];
let bare: ChildProcess | undefined;
try {
  const ports = [await freePort(3300)];
  while (ports.length < instances) ports.push(await freePort(ports.at(-1)! + 1));
  const barePort = await freePort(ports.at(-1)! + 1);
  for (const port of ports) procs.push(startApp({ buildRoot, port, url: world.url, smtpPort: 9, mailWorker: true, logDir }));
  const apps = procs.map((p) => p.origin!);
  bare = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/bench/cast.ts"), "--bare", String(barePort), world.url], {
    env: { ...process.env, POOL: "10" },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  await Promise.all([
    ...procs.map((p) => waitHealthy(p.origin!, 60_000, p)),
    new Promise<void>((resolve, reject) => {
      bare!.on("message", (m) => (m === "ready" ? resolve() : undefined));
      bare!.on("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
    }),
  ]);
  console.log(`${world.owners.length} owners with sessions, ${world.owners[0].billIds.length}+ bills each; app instances ${apps.join(", ")}; bare handler :${barePort}`);

  const slug = world.slug;
  const proposal = `/e/${slug}/proposals/${world.proposalId}`;
  const owners = world.owners;
  let turn = 0;
  const anyOwner = () => owners[turn++ % owners.length];
  const choices = ["agree", "oppose", "abstain"];
  const cast = () => {
    const o = anyOwner();
    return { path: proposal, session: o.sessionId, body: new URLSearchParams({ intent: "cast", voterId: o.voterId, choice: choices[turn % 3] }).toString() };
  };
  // Each payment request a bill nobody has started paying yet: owner by owner, oldest bill first.
  const nextBill = new Map<number, number>();
  const pay = () => {
    for (let tries = 0; tries < owners.length; tries++) {
      const o = anyOwner();
      const i = nextBill.get(o.index) ?? 0;
      if (i < o.billIds.length) {
        nextBill.set(o.index, i + 1);
        return { path: `/e/${slug}/bills`, session: o.sessionId, body: new URLSearchParams({ intent: "pay", billId: o.billIds[i] }).toString() };
      }
    }
    throw new Error("every bill has been started: raise ACCOUNTS");
  };
  const targets: Target[] = [
    { label: "GET estate home", urls: apps, method: "GET", ok: 200, next: () => ({ path: `/e/${slug}`, session: anyOwner().sessionId }) },
    { label: "GET proposal page", urls: apps, method: "GET", ok: 200, next: () => ({ path: proposal, session: anyOwner().sessionId }) },
    { label: "GET my bills", urls: apps, method: "GET", ok: 200, next: () => ({ path: `/e/${slug}/bills`, session: anyOwner().sessionId }) },
    { label: "POST cast ballot", urls: apps, method: "POST", ok: 302, next: cast },
    { label: "POST cast, bare handler", urls: [`http://127.0.0.1:${barePort}`], method: "POST", ok: 302, next: cast },
    { label: "POST pay (start checkout)", urls: apps, method: "POST", ok: 302, next: pay },
  ];
  const rows: Row[] = [];
  for (const target of targets) {
    if (warmup > 0) await fire(target, warmup);
    const row = await fire(target, seconds);
    rows.push(row);
    console.log(`  ${row.label.padEnd(28)} ${row.rps.toFixed(0).padStart(6)} req/s   p50 ${String(row.p50).padStart(5)} ms   p99 ${String(row.p99).padStart(5)} ms   (${row.ok} ok${row.other ? `, ${row.other}` : ""})`);
  }
  const app = rows.find((r) => r.label === "POST cast ballot")!;
  const bareRow = rows.find((r) => r.label === "POST cast, bare handler")!;
  console.log(`  casting through ${instances} app instance${instances > 1 ? "s" : ""}: ${((100 * app.rps) / bareRow.rps).toFixed(0)}% of the bare handler's throughput`);
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(" ")}; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
} finally {
  bare?.kill("SIGTERM");
  await stopAll(procs);
  await world.voting.cleanup();
  rmSync(logDir, { recursive: true, force: true });
  rmSync(buildRoot, { recursive: true, force: true });
}
