import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hashPassword } from "~/auth/password.server";

/**
 * Attack: a brute-forced login against two app instances. Two server processes (the real
 * server over the route modules, tests/attack-server.ts) share one PostgreSQL database, as two
 * instances behind a load balancer would; the attacker spreads guesses across both. The
 * lock-out (app/auth/rate-limit.server.ts: the tenth failure in 15 minutes locks the account)
 * must hold across them: after it, both refuse even the right password. Two processes need a
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
    env: { ...process.env, DATABASE_URL: url, MAIL_WORKER: "0", NODE_ENV: "production", SESSION_SECRET: "attack-test-secret-0123456789" },
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

async function account(email: string, password: string) {
  await sql`insert into "user" (email, password_hash, display_name) values (${email}, ${await hashPassword(password)}, '锁定测试')`;
}

/** A browser's login post to one instance: the status (302 logged in, 400 wrong, 429 locked). */
async function login(origin: string, identifier: string, password: string) {
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ identifier, password }),
  });
  await res.arrayBuffer();
  return res.status;
}

const failures = async (email: string) => Number((await sql`select count(*) as n from attempt where kind = 'login' and account_key = ${email} and not succeeded`)[0].n);

describe.skipIf(!onPostgres)("attack: a brute-forced login across two app instances", () => {
  it("locks the account on the tenth wrong password, alternating between instances; both then refuse the right one", async () => {
    await account("brute@example.com", "the right password");
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await login(origins[i % 2], "brute@example.com", `guess ${i}`));
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 400, 400, 429]);
    expect(await login(origins[0], "brute@example.com", "the right password")).toBe(429);
    expect(await login(origins[1], "brute@example.com", "the right password")).toBe(429);
    // Ten failures recorded, the refused attempts while locked not among them.
    expect(await failures("brute@example.com")).toBe(10);
    expect(Number((await sql`select count(*) as n from session`)[0].n)).toBe(0);
  });

  it("checks no more than ten guesses when they arrive all at once on both instances", async () => {
    await account("burst@example.com", "the right password");
    const burst = await Promise.all(Array.from({ length: 24 }, (_, i) => login(origins[i % 2], "burst@example.com", `burst ${i}`)));
    expect(burst.every((s) => s === 400 || s === 429)).toBe(true);
    // Each guess that was checked left its failure; those refused unchecked left nothing.
    const checked = await failures("burst@example.com");
    expect(checked).toBeLessThanOrEqual(10);
    expect(burst.filter((s) => s === 400).length).toBeLessThanOrEqual(checked);
    // Guessing on one by one: the lock comes at the tenth checked guess in all, burst included.
    let more = 0;
    while ((await login(origins[more % 2], "burst@example.com", `more ${more}`)) === 400) more++;
    expect(more).toBe(Math.max(0, 9 - checked));
    expect(await failures("burst@example.com")).toBe(10);
    expect(await login(origins[0], "burst@example.com", "the right password")).toBe(429);
    expect(await login(origins[1], "burst@example.com", "the right password")).toBe(429);
  });
});
