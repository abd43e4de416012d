// `npm run bench:cast`: casting a ballot under 200 concurrent clients, through the app (the
// production build: Express, session lookup, estate guard, Remix action, the cast command) and
// through a bare node:http + postgres.js handler doing the same SQL, in the same run, on
// loopback. Each client is an owner with a session who keeps re-casting for their voter
// (ballots are changeable, so every cast supersedes the last and grows the hash chain).
// Needs DATABASE_URL and a build (`npm run build`). Time-bounded: DURATION seconds per target.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import path from "node:path";
import { cpus, loadavg } from "node:os";
import postgres from "postgres";
import { quantile, votingWorld } from "./voting-world";

const clients = Number(process.env.CLIENTS ?? 200);
const seconds = Number(process.env.DURATION ?? 10);
const warmup = Number(process.env.WARMUP ?? 2);
const pool = Number(process.env.POOL ?? 10);

// ---- The bare handler (run as a child process: `cast.ts --bare <port> <database url>`) -----

const alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
function receipt() {
  let code = "";
  for (const byte of randomBytes(24)) if (byte < 248 && code.length < 12) code += alphabet[byte % 31];
  return code.replace(/(.{4})(?=.)/g, "$1-");
}

async function bare(port: number, url: string) {
  const sql = postgres(url, {
    max: pool,
    idle_timeout: 20,
    onnotice: () => {},
  });
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error("bare handler:", error);
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const m = /^\/e\/([^/]+)\/proposals\/([0-9a-f-]{36})$/.exec(req.url ?? "");
    if (req.method !== "POST" || !m) return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString());
    const sessionId = /(?:^|;\s*)yst_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
    // The same statements the app makes: session and user, estate, roles, voter and owners, then the cast.
    const [session] = sessionId
      ? await sql`select s.id, s.user_id, s.expires_at, u.email, u.display_name, u.locale from session s join "user" u on u.id = s.user_id where s.id = ${sessionId}`
      : [];
    if (!session || session.expires_at < new Date()) return void res.writeHead(302, { Location: "/login" }).end();
    const [estate] = await sql`select * from estate where slug = ${m[1]}`;
    if (!estate) return void res.writeHead(404).end();
    const roles = await sql`
      select role from membership where user_id = ${session.user_id}
         and (estate_id = ${estate.id} or (community_id = ${estate.community_id} and role = 'community_admin') or (estate_id is null and community_id is null and role = 'platform_admin'))`;
    if (roles.length === 0) return void res.writeHead(404).end();
    if (!roles.some((r) => r.role === "owner" || r.role === "resident")) return void res.writeHead(403).end();
    const voterId = form.get("voterId") ?? "";
    const choice = form.get("choice") ?? "";
    if (form.get("intent") !== "cast" || !["agree", "oppose", "abstain"].includes(choice))
      return void res.writeHead(400).end();
    const [voter] =
      await sql`select * from vote_voter where proposal_id = ${m[2]} and estate_id = ${estate.id} and voter_id = ${voterId}`;
    const mine = await sql`select id from owner where estate_id = ${estate.id} and user_id = ${session.user_id}`;
    if (!voter || !voter.owner_ids.some((id: string) => mine.some((o) => o.id === id)))
      return void res.writeHead(403).end();
    const outcome = await sql
      .begin(async (tx) => {
        const now = new Date();
        const [p] = await tx`select * from proposal where id = ${m[2]} and estate_id = ${estate.id} for update`;
        if (!p || p.status !== "voting" || now >= p.voting_ends_at) return null;
        const [current] =
          await tx`update ballot set superseded = true, superseded_at = ${now} where proposal_id = ${p.id} and voter_id = ${voterId} and superseded = false returning *`;
        if (current && !p.rules.ballotsChangeable) throw new Error("final");
        const entry = {
          seq: p.chain_seq + 1,
          receipt: receipt(),
          replaces: current?.receipt ?? null,
          castAt: now.toISOString(),
        };
        const prevHash = p.chain_head ?? "0".repeat(64);
        const canonical = [
          p.id,
          entry.seq,
          entry.receipt,
          choice,
          "online",
          voter.area_centi_sqm,
          1,
          entry.replaces ?? "",
          entry.castAt,
        ].join("|");
        const hash = createHash("sha256").update(`${prevHash}\n${canonical}`).digest("hex");
        await tx`
        with cast_ballot as (
          insert into ballot (estate_id, proposal_id, voter_id, choice, channel, cast_by, proxy_id, paper_ballot_id, receipt, seq, replaces, area_centi_sqm, headcount, cast_at, prev_hash, hash)
          values (${p.estate_id}, ${p.id}, ${voterId}, ${choice}, 'online', ${session.user_id}, null, null, ${entry.receipt}, ${entry.seq}, ${entry.replaces}, ${voter.area_centi_sqm}, 1, ${entry.castAt}::timestamptz, ${prevHash}, ${hash})
          returning seq
        )
        update proposal set chain_seq = (select seq from cast_ballot), chain_head = ${hash} where id = ${p.id}`;
        return entry.receipt;
      })
      .catch((error: Error) => {
        if (error.message === "final") return null; // refused: the update above is rolled back
        throw error;
      });
    if (!outcome) return void res.writeHead(409).end();
    res.writeHead(302, { Location: `${req.url}#ballot` }).end();
  }
  server.listen(port, "127.0.0.1", () => process.send?.("ready"));
}

// ---- The load: `clients` loops for `seconds`, each POSTing a cast and waiting for the answer ----

interface Result {
  label: string;
  requests: number;
  ok: number;
  errors: Record<string, number>;
  seconds: number;
  latencies: number[];
}

async function load(
  label: string,
  origin: string,
  target: string,
  casters: { sessionId: string; voterId: string }[],
  duration: number,
): Promise<Result> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let ok = 0;
  let requests = 0;
  const started = performance.now();
  const deadline = started + duration * 1000;
  const choices = ["agree", "oppose", "abstain"];
  await Promise.all(
    casters.map(async (c, i) => {
      let n = i;
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          const response = await fetch(`${origin}${target}`, {
            method: "POST",
            redirect: "manual",
            headers: {
              Cookie: `yst_session=${c.sessionId}`,
              Origin: origin,
              "Content-Type": "application/x-www-form-urlencoded",
            },
            body: new URLSearchParams({
              intent: "cast",
              voterId: c.voterId,
              choice: choices[n++ % 3],
            }).toString(),
          });
          await response.arrayBuffer();
          requests++;
          if (response.status === 302 && !(response.headers.get("Location") ?? "").startsWith("/login")) {
            ok++;
            latencies.push(performance.now() - t);
          } else errors[String(response.status)] = (errors[String(response.status)] ?? 0) + 1;
        } catch (error) {
          requests++;
          const key = (error as Error).name;
          errors[key] = (errors[key] ?? 0) + 1;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    label,
    requests,
    ok,
    errors,
    seconds: (performance.now() - started) / 1000,
    latencies,
  };
}

async function healthy(origin: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${origin} did not come up`);
}

function report(r: Result) {
  const rate = r.ok / r.seconds;
  const ms = (q: number) => quantile(r.latencies, q).toFixed(1);
  const errors = Object.entries(r.errors)
    .map(([k, v]) => `${k}×${v}`)
    .join(", ");
  console.log(
    `  ${r.label.padEnd(28)} ${rate.toFixed(0).padStart(6)} casts/s   p50 ${ms(0.5)} ms   p99 ${ms(0.99)} ms   (${r.ok} ok${errors ? `, ${errors}` : ""})`,
  );
  return rate;
}

async function main() {
  if (!existsSync("build/server.js") || !existsSync("build/server/index.js"))
    throw new Error("No build: run `npm run build` first.");
  console.log(
    `Cast benchmark: ${clients} concurrent clients, ${seconds} s per target after ${warmup} s warm-up, pools of ${pool} connections, loopback`,
  );
  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} (other processes share them)`,
  );
  const world = await votingWorld({
    units: Number(process.env.UNITS ?? 2_000),
    accounts: clients,
    pool: 2,
  });
  const children: ChildProcess[] = [];
  try {
    const appPort = 39_000 + (process.pid % 500);
    const barePort = appPort + 500;
    const app = spawn(process.execPath, ["build/server.js"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: world.url,
        PORT: String(appPort),
        SESSION_SECRET: "bench-only-secret-0123456789",
        MAIL_WORKER: "0",
        SEED_DEMO: "0",
        APP_URL: `http://127.0.0.1:${appPort}`,
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(app);
    const bareChild = spawn(
      process.execPath,
      ["--import", "tsx", path.resolve("scripts/bench/cast.ts"), "--bare", String(barePort), world.url],
      {
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      },
    );
    children.push(bareChild);
    await Promise.all([
      healthy(`http://127.0.0.1:${appPort}`, 60_000),
      new Promise<void>((resolve, reject) => {
        bareChild.on("message", (m) => (m === "ready" ? resolve() : undefined));
        bareChild.on("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
      }),
    ]);

    const target = `/e/${world.estate.slug}/proposals/${world.proposalId}`;
    const results: number[] = [];
    for (const [label, origin] of [
      ["app (Remix + Express)", `http://127.0.0.1:${appPort}`],
      ["bare node:http + postgres.js", `http://127.0.0.1:${barePort}`],
    ] as const) {
      await load(label, origin, target, world.casters, warmup);
      results.push(report(await load(label, origin, target, world.casters, seconds)));
    }
    console.log(
      `  our share of the bare throughput: ${((100 * results[0]) / results[1]).toFixed(0)}% (aim: at least 50%)`,
    );

    // The chain stayed whole and each voter has exactly one current ballot.
    const sql = postgres(world.url, { max: 1, onnotice: () => {} });
    const [check] = await sql`
      select count(*)::int as ballots, count(*) filter (where not superseded)::int as current, count(distinct voter_id)::int as voters,
             max(seq)::int as max_seq, (select chain_seq from proposal where id = ${world.proposalId}) as chain_seq
        from ballot where proposal_id = ${world.proposalId}`;
    await sql.end();
    console.log(
      `  after the run: ${check.ballots} ballots in the chain (seq 1…${check.max_seq}), ${check.current} current for ${check.voters} voters`,
    );
    if (check.current !== check.voters || check.max_seq !== check.ballots || check.chain_seq !== check.ballots) {
      throw new Error("invariant broken: one current ballot per voter, contiguous chain");
    }
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    await world.cleanup();
  }
}

if (process.argv[2] === "--bare") await bare(Number(process.argv[3]), process.argv[4]);
else await main();
