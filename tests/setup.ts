import { afterAll, beforeAll, inject } from "vitest";
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
