import type { TestProject } from "vitest/node";
import postgres from "postgres";
import { connectPostgres, openPglite } from "../db/client";

/**
 * Migrates one template database per test run; each test file then gets its own copy
 * (tests/setup.ts). On PostgreSQL the copy is CREATE DATABASE … TEMPLATE; on PGlite it is a
 * dump of a migrated instance, loaded in memory.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `yst_tpl_${process.pid}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${template}`);
    await admin.unsafe(`create database ${template}`);
    const target = new URL(url);
    target.pathname = `/${template}`;
    const handle = connectPostgres(target.toString(), { max: 1 });
    await handle.migrate();
    await handle.close();
    project.provide("testDb", { kind: "postgres", template });
    return async () => {
      await admin.unsafe(`drop database if exists ${template} with (force)`);
      await admin.end();
    };
  }
  const handle = openPglite();
  await handle.migrate();
  const dump = await handle.pglite!.dumpDataDir("none");
  await handle.close();
  project.provide("testDb", { kind: "pglite", dump: Buffer.from(await dump.arrayBuffer()).toString("base64") });
}

declare module "vitest" {
  export interface ProvidedContext {
    testDb: { kind: "postgres"; template: string } | { kind: "pglite"; dump: string };
  }
}
