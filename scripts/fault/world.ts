// The estate, the app processes and the clients of the fault tests (scripts/fault/run.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, createWriteStream, existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { generateBills, publishSchedule, saveFeeSettings } from "../../app/fees/bills.server";
import { votingWorld, type VotingWorld } from "../bench/voting-world";

export const sessionSecret = "fault-test-secret-0123456789";
const periods = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"];

export interface Owner {
  index: number;
  userId: string;
  sessionId: string;
  voterId: string;
  /** Their unpaid bills, oldest first. */
  billIds: string[];
}

export interface FaultWorld {
  voting: VotingWorld;
  url: string;
  slug: string;
  proposalId: string;
  owners: Owner[];
}

/** A vote open in an estate of `units` units, `accounts` owners with sessions, and six months of bills. */
export async function faultWorld(units: number, accounts: number): Promise<FaultWorld> {
  const voting = await votingWorld({ units, accounts, pool: 4 });
  const actorId = voting.casters[0].userId;
  const estateId = voting.estate.id;
  await saveFeeSettings({
    estateId,
    actorId,
    values: { billingCycle: "monthly", dueDays: 30, schedulePublisher: "property_staff", reminderDay: null },
  });
  const schedule = await publishSchedule({
    estateId,
    actorId,
    name: "故障测试",
    effectiveFrom: "2026-01-01",
    rates: [{ charge: "property", unitKind: "residential", rateFen: 185 }],
  });
  if (!schedule.ok) throw new Error(schedule.error);
  for (const periodKey of periods) {
    // The fault test counts receipt mails: the months billed before it starts mail nobody.
    const generated = await generateBills({ estateId, periodKey, actorId, notify: false });
    if (!generated.ok) throw new Error(generated.error);
  }
  const sql = postgres(voting.url, { max: 1, onnotice: () => {} });
  // The world's set-up tells owners things (the fee schedule's notice on the board); the test
  // counts receipt mails only, so nothing queued before it starts is sent in it.
  await sql`delete from outbox where template <> 'payment-receipt'`;
  const rows = await sql<{ user_id: string; bill_id: string }[]>`
    select w.user_id, b.id as bill_id from bill b
      join ownership o on o.unit_id = b.unit_id join owner w on w.id = o.owner_id
     where w.user_id is not null order by b.period_key, b.id`;
  await sql.end();
  const bills = new Map<string, string[]>();
  for (const r of rows) bills.set(r.user_id, [...(bills.get(r.user_id) ?? []), r.bill_id]);
  return {
    voting,
    url: voting.url,
    slug: voting.estate.slug,
    proposalId: voting.proposalId,
    owners: voting.casters.map((c, index) => ({
      index,
      userId: c.userId,
      sessionId: c.sessionId,
      voterId: c.voterId,
      billIds: bills.get(c.userId) ?? [],
    })),
  };
}

// ---- processes --------------------------------------------------------------------------

export interface Proc {
  name: string;
  child: ChildProcess;
  origin?: string;
}

/**
 * A private copy of the production build: several people share this working tree and a rebuild
 * empties build/ for a minute, which would stop instances starting in the middle of a run. The
 * copy is taken when build/server.js (written last) is newer than the Remix build and does not
 * change while it is copied. Remove the returned directory afterwards.
 */
export async function snapshotBuild(): Promise<string> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const complete = () =>
      existsSync("build/server.js") &&
      existsSync("build/server/index.js") &&
      statSync("build/server.js").mtimeMs >= statSync("build/server/index.js").mtimeMs;
    if (complete()) {
      const before = statSync("build/server.js").mtimeMs;
      const root = mkdtempSync(path.join(tmpdir(), "yst-build-copy-"));
      try {
        cpSync("build", path.join(root, "build"), { recursive: true });
        cpSync("package.json", path.join(root, "package.json"));
        symlinkSync(path.resolve("node_modules"), path.join(root, "node_modules"));
        if (
          complete() &&
          statSync("build/server.js").mtimeMs === before &&
          existsSync(path.join(root, "build/server.js"))
        )
          return root;
      } catch {
        // build/ changed under us: try again
      }
      rmSync(root, { recursive: true, force: true });
    }
    await sleep(2_000);
  }
  throw new Error("No complete build: run `npm run build` first.");
}

/** The production build (a snapshot from snapshotBuild) on `port`, its output in logDir. */
export function startApp(options: {
  buildRoot: string;
  port: number;
  url: string;
  smtpPort: number;
  mailWorker: boolean;
  logDir: string;
}): Proc {
  const child = spawn(process.execPath, ["build/server.js"], {
    cwd: options.buildRoot,
    env: {
      MIGRATIONS_DIR: path.resolve("db/migrations"),
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: options.url,
      PORT: String(options.port),
      SESSION_SECRET: sessionSecret,
      // No APP_URL: each instance takes its own origin, so the origin checks pass whichever one a client reaches.
      APP_URL: "",
      SMTP_URL: `smtp://127.0.0.1:${options.smtpPort}`,
      MAIL_WORKER: options.mailWorker ? "1" : "0",
      SEED_DEMO: "0",
      STRIPE_SECRET_KEY: "",
      // The casts-and-payments load pays through the sandbox, off by default in production on PostgreSQL.
      PAYMENTS_SANDBOX: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = createWriteStream(path.join(options.logDir, `app-${options.port}.log`));
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return { name: `app :${options.port}`, child, origin: `http://127.0.0.1:${options.port}` };
}

/** One more mail worker process (`npm run worker`). */
export function startWorker(options: { n: number; url: string; smtpPort: number; logDir: string }): Proc {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: options.url,
      SESSION_SECRET: sessionSecret,
      SMTP_URL: `smtp://127.0.0.1:${options.smtpPort}`,
      PAYMENTS_SANDBOX: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = createWriteStream(path.join(options.logDir, `worker-${options.n}.log`));
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return { name: `worker ${options.n}`, child };
}

export async function waitHealthy(origin: string, timeoutMs = 60_000, proc?: Proc) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc && proc.child.exitCode !== null)
      throw new Error(`${proc.name} exited with code ${proc.child.exitCode} (see its log)`);
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${origin} did not become healthy`);
}

export async function stopAll(procs: Proc[]) {
  await Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.child.exitCode !== null) return resolve();
          const timer = setTimeout(() => {
            p.child.kill("SIGKILL");
            resolve();
          }, 10_000);
          p.child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          p.child.kill("SIGTERM");
        }),
    ),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- clients ----------------------------------------------------------------------------

/** What one HTTP exchange came to. "unavailable" is the 503 the server owes while the database is away. */
export type Outcome =
  | { kind: "ok"; status: number; location: string; body?: string; setCookie: string[] }
  | { kind: "unavailable"; retryAfter: string | null }
  | { kind: "refused"; status: number }
  | { kind: "error"; status: number }
  | { kind: "network"; message: string };

export interface Exchange {
  what: "cast" | "start" | "pay" | "receipt" | "webhook" | "page";
  origin: string;
  started: number;
  ended: number;
  outcome: Outcome;
}

export class Client {
  exchanges: Exchange[] = [];
  constructor(readonly timeoutMs = 20_000) {}

  async request(
    what: Exchange["what"],
    origin: string,
    pathname: string,
    init: {
      method?: string;
      sessionId?: string;
      form?: URLSearchParams;
      body?: string;
      headers?: Record<string, string>;
    },
  ): Promise<Outcome> {
    const started = Date.now();
    let outcome: Outcome;
    try {
      const response = await fetch(`${origin}${pathname}`, {
        method: init.method ?? "GET",
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          ...(init.sessionId ? { Cookie: `yst_session=${init.sessionId}` } : {}),
          ...(init.form ? { "Content-Type": "application/x-www-form-urlencoded", Origin: origin } : {}),
          ...init.headers,
        },
        body: init.form ? init.form.toString() : init.body,
      });
      const body = await response.text();
      const status = response.status;
      if (status === 503) outcome = { kind: "unavailable", retryAfter: response.headers.get("Retry-After") };
      else if (status >= 500) outcome = { kind: "error", status };
      else if (status >= 400) outcome = { kind: "refused", status };
      else
        outcome = {
          kind: "ok",
          status,
          location: response.headers.get("Location") ?? "",
          body,
          setCookie: response.headers.getSetCookie(),
        };
    } catch (error) {
      outcome = { kind: "network", message: (error as Error).message };
    }
    this.exchanges.push({ what, origin, started, ended: Date.now(), outcome });
    return outcome;
  }
}

/** The toast cookie the cast redirect sets (unsigned: base64 of the JSON's UTF-8). */
export function toastOf(setCookie: string[]): { key: string; params?: Record<string, string> } | null {
  const raw = setCookie.map((c) => /^yst_toast=([^;]*)/.exec(c)?.[1]).find(Boolean);
  if (!raw) return null;
  try {
    return JSON.parse(Buffer.from(decodeURIComponent(raw), "base64").toString("utf8")) as {
      key: string;
      params?: Record<string, string>;
    };
  } catch {
    return null;
  }
}

/** The receipt link in the bills page's return notice ("payment received, receipt …"), if it says paid. */
export function paidNotice(html: string): string | null {
  const notice = /class="(?:notice-ok|alert)" role="status">((?:(?!<\/div>)[\s\S])*)<\/div>/.exec(html)?.[1] ?? "";
  return /\/receipts\/([0-9a-f-]{36})"/.exec(notice)?.[1] ?? null;
}
