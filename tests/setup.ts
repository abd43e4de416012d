import { afterAll, afterEach, beforeAll, beforeEach, inject } from "vitest";
import postgres from "postgres";
import { connectPostgres, openPglite, setDb, type DbHandle } from "../db/client";

// Each test file runs on its own copy of the migrated template database.
let handle: DbHandle | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const testDb = inject("testDb");
  if (testDb.kind === "postgres") {
    const url = process.env.DATABASE_URL!;
    const name = `yst_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${testDb.template}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    handle = connectPostgres(target.toString(), { max: 20 });
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    handle = openPglite(undefined, new Blob([Buffer.from(testDb.dump, "base64")]));
  }
  setDb(handle);
});

afterAll(async () => {
  await handle?.close();
  setDb(undefined);
  await dropDatabase?.();
});

/*
 * Any console.error during a test fails it, as in the browser tests (tests/e2e/fixtures.ts):
 * the app logs an error when something went wrong that nobody handled (a 500, a failed job, a
 * webhook rolled back). A test that provokes such an error on purpose says which one with
 * expectConsoleError (tests/fixtures.ts), which swallows only the matching message.
 */
const logged: unknown[][] = [];
const realConsoleError = console.error;
beforeEach(() => {
  logged.length = 0;
  console.error = (...args: unknown[]) => {
    logged.push(args);
    realConsoleError(...args);
  };
});
afterEach(() => {
  console.error = realConsoleError;
  if (logged.length === 0) return;
  const first = logged[0].map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(" ");
  logged.length = 0;
  throw new Error(
    `console.error was called during the test (expect it with expectConsoleError if it is meant to happen):\n${first}`,
  );
});
