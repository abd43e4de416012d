import { and, asc, count, eq, gt, ne, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";

const { attempts } = schema;

export interface Limit {
  kind: string;
  /** Failures per account key within the window before it locks. */
  perAccount: number;
  /** Failures from one address within the window before it is refused. */
  perIp: number;
  windowMs: number;
}

export const loginLimit: Limit = { kind: "login", perAccount: 10, perIp: 100, windowMs: 15 * 60_000 };
export const claimLimit: Limit = { kind: "claim", perAccount: 10, perIp: 50, windowMs: 60 * 60_000 };

export type LimitState = { locked: false } | { locked: true; until: Date; scope: "account" | "ip" };

/**
 * Failures since the last success, counted in the database so the limit holds across app
 * instances. The `perAccount`-th failure within one window locks the account for a window
 * from that failure; attempts while locked are not recorded, so they do not extend it.
 */
export async function limitState(limit: Limit, accountKey: string, ip: string, now = new Date(), db: Queryable = getDb(), except?: string): Promise<LimitState> {
  const notExcepted = except ? ne(attempts.id, except) : undefined;
  const lookback = new Date(now.getTime() - 2 * limit.windowMs);
  const lastSuccess = db
    .select({ at: sql`coalesce(max(${attempts.createdAt}), '-infinity'::timestamptz)` })
    .from(attempts)
    .where(and(eq(attempts.kind, limit.kind), eq(attempts.accountKey, accountKey), eq(attempts.succeeded, true)));
  const failures = await db
    .select({ at: attempts.createdAt })
    .from(attempts)
    .where(
      and(
        eq(attempts.kind, limit.kind),
        eq(attempts.accountKey, accountKey),
        eq(attempts.succeeded, false),
        gt(attempts.createdAt, lookback),
        gt(attempts.createdAt, sql`(${lastSuccess})`),
        notExcepted,
      ),
    )
    .orderBy(asc(attempts.createdAt));
  const until = lockedUntil(
    failures.map((f) => f.at.getTime()),
    limit.perAccount,
    limit.windowMs,
  );
  if (until !== null && until > now.getTime()) return { locked: true, until: new Date(until), scope: "account" };

  const since = new Date(now.getTime() - limit.windowMs);
  const [byIp] = await db
    .select({ failures: count(), newest: sql<string | null>`max(${attempts.createdAt})` })
    .from(attempts)
    .where(and(eq(attempts.kind, limit.kind), eq(attempts.ip, ip), eq(attempts.succeeded, false), gt(attempts.createdAt, since), notExcepted));
  if (byIp.failures >= limit.perIp && byIp.newest) {
    return { locked: true, until: new Date(new Date(byIp.newest).getTime() + limit.windowMs), scope: "ip" };
  }
  return { locked: false };
}

/** The end of the latest lock: a failure that is the n-th within one window locks until a window after it. */
export function lockedUntil(failureTimes: number[], n: number, windowMs: number): number | null {
  let until: number | null = null;
  for (let i = n - 1; i < failureTimes.length; i++) {
    if (failureTimes[i] - failureTimes[i - n + 1] <= windowMs) until = failureTimes[i] + windowMs;
  }
  return until;
}

export type Taken = { ok: true; id: string } | { ok: false; until: Date };

/**
 * Takes one attempt under the limit before the caller checks the guess. The attempt is
 * written first, as a failure, and the limit read after, leaving it out: attempts arriving at
 * once, on any app instance, each see those written before they read, so no more than the
 * limit are ever checked however many arrive together (reading first and writing after let a
 * burst through whole). A refused attempt is deleted again, so attempts while locked do not
 * extend the lock. `settleAttempt` marks a taken attempt that succeeded, `releaseAttempt` withdraws one.
 */
export async function takeAttempt(limit: Limit, accountKey: string, ip: string, now = new Date(), db: Queryable = getDb()): Promise<Taken> {
  const [mine] = await db.insert(attempts).values({ kind: limit.kind, accountKey, ip, succeeded: false, createdAt: now }).returning({ id: attempts.id });
  const state = await limitState(limit, accountKey, ip, now, db, mine.id);
  if (!state.locked) return { ok: true, id: mine.id };
  await db.delete(attempts).where(eq(attempts.id, mine.id));
  return { ok: false, until: state.until };
}

export async function settleAttempt(id: string, db: Queryable = getDb()) {
  await db.update(attempts).set({ succeeded: true }).where(eq(attempts.id, id));
}

/** Withdraws a taken attempt that turned out not to be a guess at all (neither a failure nor a success). */
export async function releaseAttempt(id: string, db: Queryable = getDb()) {
  await db.delete(attempts).where(eq(attempts.id, id));
}
