// `npm run bench:load`: the pages owners open most and the two things they do, under autocannon,
// against TWO instances of the production build on one PostgreSQL (autocannon spreads its
// connections over both URLs, as a round-robin balancer would), each beside its own bare
// node:http + postgres.js handler running that target's SQL under the same load in the same run
// (scripts/bench/bare-pages.ts; the cast's is `npm run bench:cast`'s). Loopback only, DURATION
// seconds per target after WARMUP seconds. Needs DATABASE_URL (a scratch database is made and
// dropped on that server) and a build (`npm run build`). One line per target:
// `<target>: app N req/s, bare M req/s, share P%` and the latencies.
//
// Targets: estate home, a proposal page and "my bills" (GET, logged-in owners in rotation);
// casting a ballot (POST, each request an owner re-casting for their voter: ballots are
// changeable); starting a payment (POST, each request a different unpaid bill, sandbox provider).
import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { freePort } from "../fault/cluster";
import { faultWorld, snapshotBuild, startApp, stopAll, waitHealthy, type Proc } from "../fault/world";

const seconds = Number(process.env.DURATION ?? 10);
const warmup = Number(process.env.WARMUP ?? 2);
const connections = Number(process.env.CONNECTIONS ?? 50);
// Each payment run (app and bare alike) starts from all bills unpaid: enough owners that a fast run never runs out.
const accounts = Number(process.env.ACCOUNTS ?? 600);
// INSTANCES=1 for the same run on one instance, for comparison.
const instances = Number(process.env.INSTANCES ?? 2);

if (!process.env.DATABASE_URL)
  throw new Error("bench:load needs DATABASE_URL (a PostgreSQL server; a scratch database is made on it).");

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
  return {
    label: target.label,
    rps: okCount / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: okCount,
    other,
  };
}

const started = Date.now();
console.log(
  `Load benchmark: ${instances} app instance${instances > 1 ? "s" : ""} of the build, autocannon, ${connections} connections, ${seconds} s per target after ${warmup} s warm-up, loopback`,
);
console.log(
  `machine: ${cpus().length} CPUs, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} (other processes share them)`,
);
const buildRoot = await snapshotBuild();
const world = await faultWorld(Number(process.env.UNITS ?? 2_000), accounts);
const logDir = mkdtempSync(path.join(tmpdir(), "yst-bench-load-"));
const procs: Proc[] = [];
let bare: ChildProcess | undefined;
let barePages: ChildProcess | undefined;
try {
  const ports = [await freePort(3300)];
  while (ports.length < instances) ports.push(await freePort(ports.at(-1)! + 1));
  const barePort = await freePort(ports.at(-1)! + 1);
  const barePagesPort = await freePort(barePort + 1);
  for (const port of ports)
    procs.push(startApp({ buildRoot, port, url: world.url, smtpPort: 9, mailWorker: true, logDir }));
  const apps = procs.map((p) => p.origin!);
  bare = spawn(
    process.execPath,
    ["--import", "tsx", path.resolve("scripts/bench/cast.ts"), "--bare", String(barePort), world.url],
    {
      env: { ...process.env, POOL: "10" },
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    },
  );
  barePages = spawn(
    process.execPath,
    ["--import", "tsx", path.resolve("scripts/bench/bare-pages.ts"), String(barePagesPort), world.url],
    {
      env: { ...process.env, POOL: "10" },
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    },
  );
  const ready = (child: ChildProcess, name: string) =>
    new Promise<void>((resolve, reject) => {
      child.on("message", (m) => (m === "ready" ? resolve() : undefined));
      child.on("exit", (code) => reject(new Error(`${name} exited with ${code}`)));
    });
  await Promise.all([
    ...procs.map((p) => waitHealthy(p.origin!, 60_000, p)),
    ready(bare, "bare cast handler"),
    ready(barePages, "bare page handlers"),
  ]);
  console.log(
    `${world.owners.length} owners with sessions, ${world.owners[0].billIds.length}+ bills each; app instances ${apps.join(", ")}; bare handlers :${barePort} (cast), :${barePagesPort} (pages, payment)`,
  );

  const slug = world.slug;
  const proposal = `/e/${slug}/proposals/${world.proposalId}`;
  const owners = world.owners;
  let turn = 0;
  const anyOwner = () => owners[turn++ % owners.length];
  const choices = ["agree", "oppose", "abstain"];
  const cast = () => {
    const o = anyOwner();
    return {
      path: proposal,
      session: o.sessionId,
      body: new URLSearchParams({ intent: "cast", voterId: o.voterId, choice: choices[turn % 3] }).toString(),
    };
  };
  // Each payment request a bill nobody has started paying yet: owner by owner, oldest bill first.
  const nextBill = new Map<number, number>();
  const pay = () => {
    for (let tries = 0; tries < owners.length; tries++) {
      const o = anyOwner();
      const i = nextBill.get(o.index) ?? 0;
      if (i < o.billIds.length) {
        nextBill.set(o.index, i + 1);
        return {
          path: `/e/${slug}/bills`,
          session: o.sessionId,
          body: new URLSearchParams({ intent: "pay", billId: o.billIds[i] }).toString(),
        };
      }
    }
    throw new Error("every bill has been started: raise ACCOUNTS");
  };
  // Each payment run starts from the same place: every bill unpaid, no checkout.
  const scratch = postgres(world.url, { max: 1, onnotice: () => {} });
  const resetBills = async () => {
    // Requests of the last run may still be finishing: retry until a reset goes through whole.
    for (let attempt = 0; ; attempt++) {
      try {
        await scratch.begin(async (tx) => {
          await tx`update bill set status = 'unpaid', pending_checkout_id = null where status = 'pending' or pending_checkout_id is not null`;
          await tx`delete from checkout_bill`;
          await tx`delete from sandbox_session`;
          await tx`delete from checkout`;
        });
        break;
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
    nextBill.clear();
  };
  const bareOrigin = [`http://127.0.0.1:${barePagesPort}`];
  const pairs: { label: string; app: Target; bare: Target; before?: () => Promise<void> }[] = [
    {
      label: "GET estate home",
      next: () => ({ path: `/e/${slug}`, session: anyOwner().sessionId }),
      method: "GET" as const,
      ok: 200,
      bareUrls: bareOrigin,
    },
    {
      label: "GET proposal page",
      next: () => ({ path: proposal, session: anyOwner().sessionId }),
      method: "GET" as const,
      ok: 200,
      bareUrls: bareOrigin,
    },
    {
      label: "GET my bills",
      next: () => ({ path: `/e/${slug}/bills`, session: anyOwner().sessionId }),
      method: "GET" as const,
      ok: 200,
      bareUrls: bareOrigin,
    },
    {
      label: "POST start payment",
      next: pay,
      method: "POST" as const,
      ok: 302,
      bareUrls: bareOrigin,
      before: resetBills,
    },
    {
      label: "POST cast ballot",
      next: cast,
      method: "POST" as const,
      ok: 302,
      bareUrls: [`http://127.0.0.1:${barePort}`],
    },
  ].map((t) => ({
    label: t.label,
    before: t.before,
    app: { label: `${t.label} (app)`, urls: apps, method: t.method, ok: t.ok, next: t.next },
    bare: { label: `${t.label} (bare)`, urls: t.bareUrls, method: t.method, ok: t.ok, next: t.next },
  }));
  const only = process.env.TARGETS?.split(",").map((s) => s.trim().toLowerCase());
  const run = async (target: Target, before?: () => Promise<void>) => {
    await before?.();
    if (warmup > 0) await fire(target, warmup);
    await before?.();
    return fire(target, seconds);
  };
  for (const pair of pairs) {
    if (only && !only.some((o) => pair.label.toLowerCase().includes(o))) continue;
    const app = await run(pair.app, pair.before);
    const bareRow = await run(pair.bare, pair.before);
    const notes = [app.other && `app ${app.other}`, bareRow.other && `bare ${bareRow.other}`]
      .filter(Boolean)
      .join("; ");
    const line =
      `${pair.label}: app ${app.rps.toFixed(0)} req/s, bare ${bareRow.rps.toFixed(0)} req/s, share ${((100 * app.rps) / bareRow.rps).toFixed(0)}%` +
      ` (app p50 ${app.p50} ms, p99 ${app.p99} ms; bare p50 ${bareRow.p50} ms, p99 ${bareRow.p99} ms${notes ? `; ${notes}` : ""})`;
    console.log(line);
  }
  await scratch.end();
  console.log(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}; ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
  );
} finally {
  bare?.kill("SIGTERM");
  barePages?.kill("SIGTERM");
  await stopAll(procs);
  await world.voting.cleanup();
  rmSync(logDir, { recursive: true, force: true });
  rmSync(buildRoot, { recursive: true, force: true });
}
