import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { mkdirSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import * as schema from "./schema/index";

export { schema };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- both drivers' result types
export type Db = PgDatabase<PgQueryResultHKT & any, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** A database handle or an open transaction: commands accept either. */
export type Queryable = Db | Tx;

export interface DbHandle {
  db: Db;
  kind: "postgres" | "pglite";
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The embedded instance, where there is one (tests dump and reload it). */
  pglite?: PGlite;
}

// From the working directory, not import.meta.url: the server bundle lives in build/.
const migrationsFolder = path.resolve(process.env.MIGRATIONS_DIR ?? "db/migrations");

/** PostgreSQL over postgres.js. */
export function connectPostgres(url: string, options: { max?: number } = {}): DbHandle {
  const client = postgres(url, {
    max: options.max ?? 10,
    // remix-serve style servers never exit while idle connections are held (STACK.md).
    idle_timeout: 20,
    // A database that is down answers at once on loopback (refused), but one behind a dead
    // route would hold requests for postgres.js's default 30 s: give up sooner, answer 503.
    connect_timeout: 5,
    // postgres.js waits before reconnecting after a failed connection, up to 20 s by default,
    // and queries queued for a connection wait with it: while the database is away a request
    // would hang instead of answering 503, and after it is back recovery would lag. Cap at 0.5 s.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 0.5),
    onnotice: () => {},
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    migrate: () => migratePostgres(db as never, { migrationsFolder }),
    close: () => client.end({ timeout: 5 }),
  };
}

// Node socket errors, postgres.js's own connection errors, and SQLSTATEs that mean the server
// is gone or not accepting work yet (class 08: connection exception; 57P01-57P03: shutting
// down, crashed, starting up). A unique violation or a bad query is NOT among them.
const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P02",
  "57P03",
]);

/**
 * Whether an error means the database could not be reached (as opposed to a query that failed):
 * the server answers those with 503 and the client may retry. Drizzle wraps driver errors
 * (DrizzleQueryError), so the cause chain is followed.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error, depth = 0;
    e && typeof e === "object" && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (unavailableCodes.has(code) || code.startsWith("08"))) return true;
    // Errors of a socket that failed to connect to several addresses (Node's happy eyeballs).
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
  }
  return false;
}

/** Embedded PostgreSQL (PGlite): in memory when dataDir is undefined. */
export function openPglite(dataDir?: string, loadDataDir?: Blob): DbHandle {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = new PGlite({ dataDir, loadDataDir });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    pglite: client,
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: () => client.close(),
  };
}

export function connectFromEnv(env: NodeJS.ProcessEnv = process.env): DbHandle {
  return env.DATABASE_URL ? connectPostgres(env.DATABASE_URL) : openPglite(env.PGLITE_DIR ?? "./.data/pglite");
}

// One handle per process, shared on globalThis: the dev server loads app modules through
// Vite while the server entry loads them through Node, and PGlite allows one opener only.
const key = Symbol.for("yishitang.db");
type Holder = { [key]?: DbHandle };

export function setDb(handle: DbHandle | undefined) {
  (globalThis as Holder)[key] = handle;
}

export function getHandle(): DbHandle {
  const holder = globalThis as Holder;
  holder[key] ??= connectFromEnv();
  return holder[key]!;
}

export function getDb(): Db {
  return getHandle().db;
}
