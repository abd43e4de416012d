import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hashPassword } from "~/auth/password.server";

/**
 * Attack: a brute-forced login against two app instances. Two server processes (the real
 * server over the route modules, tests/attack-server.ts) share one PostgreSQL database, as two
 * instances behind a load balancer would; the attacker spreads guesses across both. The
 * lock-out (app/auth/rate-limit.server.ts: the tenth failure in 15 minutes from one address
 * locks that address out of the account, whichever identifier it types) must hold across them:
 * after it, both refuse even the right password from there, and the owner elsewhere gets in. Two processes need a
 * server database, so on embedded PGlite this is skipped (auth.test.ts tests the rule itself).
 */
const testDb = inject("testDb");
const onPostgres = testDb.kind === "postgres";

let admin: postgres.Sql | undefined;
let sql: postgres.Sql;
let dbName = "";
const children: ChildProcess[] = [];
const origins: string[] = [];

/** Starts one instance on the database; resolves with its origin once it listens. */
function instance(url: string): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/attack-server.ts"], {
    // The test stands in for a proxy on loopback, so X-Forwarded-For names the client's address.
    env: {
      ...process.env,
      DATABASE_URL: url,
      MAIL_WORKER: "0",
      NODE_ENV: "production",
      SESSION_SECRET: "attack-test-secret-0123456789",
      TRUST_PROXY: "loopback",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`instance exited with ${code}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const port = /^\{"port":(\d+)\}$/.exec(line)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
  });
}

beforeAll(async () => {
  if (testDb.kind !== "postgres") return;
  const url = new URL(process.env.DATABASE_URL!);
  admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  dbName = `yst_login_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.unsafe(`create database ${dbName} template ${testDb.template}`);
  url.pathname = `/${dbName}`;
  sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
  origins.push(...(await Promise.all([instance(url.toString()), instance(url.toString())])));
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  await sql?.end();
  if (admin) {
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
});

/** An account with a verified phone (as seeded from a roster); its id. */
async function account(email: string, password: string, phone: string | null = null) {
  const [row] = await sql`insert into "user" (email, password_hash, display_name, phone, phone_verified_at)
    values (${email}, ${await hashPassword(password)}, '锁定测试', ${phone}, ${phone ? new Date() : null}) returning id`;
  return row.id as string;
}

/** A browser's login post to one instance, from a client address: the status (302 logged in, 400 wrong, 429 locked or wait). */
async function login(origin: string, identifier: string, password: string, ip = "198.51.100.1") {
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip },
    body: new URLSearchParams({ identifier, password }),
  });
  await res.arrayBuffer();
  return res.status;
}

const failures = async (userId: string) =>
  Number(
    (
      await sql`select count(*) as n from attempt where kind = 'login' and account_key = ${`user:${userId}`} and not succeeded`
    )[0].n,
  );

describe.skipIf(!onPostgres)("attack: a brute-forced login across two app instances", () => {
  it("locks the guessing address out of the account on the tenth wrong password, alternating between instances; both then refuse the right one", async () => {
    const id = await account("brute@example.com", "the right password", "13900009999");
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await login(origins[i % 2], "brute@example.com", `guess ${i}`));
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 400, 400, 429]);
    expect(await login(origins[0], "brute@example.com", "the right password")).toBe(429);
    expect(await login(origins[1], "brute@example.com", "the right password")).toBe(429);
    // Ten failures recorded, the refused attempts while locked not among them.
    expect(await failures(id)).toBe(10);
    expect(Number((await sql`select count(*) as n from session`)[0].n)).toBe(0);
  }, 120_000);

  it("finding: the email locked, the same account by phone still logged in — the lock is per account, whatever identifier", async () => {
    await account("byphone@example.com", "the right password", "13900008888");
    for (let i = 0; i < 10; i++) await login(origins[i % 2], "byphone@example.com", `guess ${i}`, "198.51.100.2");
    expect(await login(origins[0], "13900008888", "the right password", "198.51.100.2")).toBe(429);
    expect(await login(origins[1], "+86 139 0000 8888", "the right password", "198.51.100.2")).toBe(429);
    // And guessing by phone counts against the same account from the start.
    const id = await account("mixed@example.com", "the right password", "13900007777");
    for (let i = 0; i < 10; i++)
      await login(origins[i % 2], i % 2 ? "mixed@example.com" : "13900007777", `guess ${i}`, "198.51.100.3");
    expect(await failures(id)).toBe(10);
    expect(await login(origins[0], "mixed@example.com", "the right password", "198.51.100.3")).toBe(429);
  }, 120_000);

  it("finding: anyone can lock anyone out — the owner, from another address, still logs in after the attacker's lock", async () => {
    await account("victim@example.com", "the right password", "13900006666");
    for (let i = 0; i < 10; i++) await login(origins[i % 2], "victim@example.com", `guess ${i}`, "203.0.113.66");
    expect(await login(origins[0], "victim@example.com", "the right password", "203.0.113.66")).toBe(429);
    // The account alone only slows down: one second after the tenth failure, a guess may be checked again.
    await new Promise((r) => setTimeout(r, 1100));
    expect(await login(origins[1], "victim@example.com", "the right password", "192.0.2.10")).toBe(302);
    expect(await login(origins[0], "13900006666", "the right password", "192.0.2.10")).toBe(302);
  }, 120_000);

  it("checks no more than ten guesses when they arrive all at once on both instances", async () => {
    const id = await account("burst@example.com", "the right password");
    const burst = await Promise.all(
      Array.from({ length: 24 }, (_, i) => login(origins[i % 2], "burst@example.com", `burst ${i}`)),
    );
    expect(burst.every((s) => s === 400 || s === 429)).toBe(true);
    // Each guess that was checked left its failure; those refused unchecked left nothing.
    const checked = await failures(id);
    expect(checked).toBeLessThanOrEqual(10);
    expect(burst.filter((s) => s === 400).length).toBeLessThanOrEqual(checked);
    // Guessing on one by one: the lock comes at the tenth checked guess in all, burst included.
    let more = 0;
    while ((await login(origins[more % 2], "burst@example.com", `more ${more}`)) === 400) more++;
    expect(more).toBe(Math.max(0, 9 - checked));
    expect(await failures(id)).toBe(10);
    expect(await login(origins[0], "burst@example.com", "the right password")).toBe(429);
    expect(await login(origins[1], "burst@example.com", "the right password")).toBe(429);
  }, 120_000);
});
