import { and, asc, count, eq, gt, ne, sql, type SQL } from "drizzle-orm";
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

export const claimLimit: Limit = { kind: "claim", perAccount: 10, perIp: 50, windowMs: 60 * 60_000 };

export type LimitState = { locked: false } | { locked: true; until: Date; scope: "account" | "ip" };

/**
 * Failures since the last success, counted in the database so the limit holds across app
 * instances. The `perAccount`-th failure within one window locks the account for a window
 * from that failure; attempts while locked are not recorded, so they do not extend it.
 */
export async function limitState(
  limit: Limit,
  accountKey: string,
  ip: string,
  now = new Date(),
  db: Queryable = getDb(),
  except?: string,
): Promise<LimitState> {
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
    .where(
      and(
        eq(attempts.kind, limit.kind),
        eq(attempts.ip, ip),
        eq(attempts.succeeded, false),
        gt(attempts.createdAt, since),
        notExcepted,
      ),
    );
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
export async function takeAttempt(
  limit: Limit,
  accountKey: string,
  ip: string,
  now = new Date(),
  db: Queryable = getDb(),
): Promise<Taken> {
  return takeUnder(db, { kind: limit.kind, accountKey, ip, now }, async (mine) => {
    const state = await limitState(limit, accountKey, ip, now, db, mine);
    return state.locked ? { until: state.until } : null;
  });
}

/**
 * The write-first protocol every limit shares (see takeAttempt): the attempt is written as a
 * failure, `refusal` reads the limit leaving that attempt out, and a refused attempt is deleted.
 */
async function takeUnder<R extends { until: Date }>(
  db: Queryable,
  attempt: { kind: string; accountKey: string; ip: string; now: Date },
  refusal: (mine: string) => Promise<R | null>,
): Promise<{ ok: true; id: string } | ({ ok: false } & R)> {
  const { kind, accountKey, ip, now } = attempt;
  const [mine] = await db
    .insert(attempts)
    .values({ kind, accountKey, ip, succeeded: false, createdAt: now })
    .returning({ id: attempts.id });
  const refused = await refusal(mine.id);
  if (!refused) return { ok: true, id: mine.id };
  await db.delete(attempts).where(eq(attempts.id, mine.id));
  return { ok: false, ...refused };
}

export async function settleAttempt(id: string, db: Queryable = getDb()) {
  await db.update(attempts).set({ succeeded: true }).where(eq(attempts.id, id));
}

/** Withdraws a taken attempt that turned out not to be a guess at all (neither a failure nor a success). */
export async function releaseAttempt(id: string, db: Queryable = getDb()) {
  await db.delete(attempts).where(eq(attempts.id, id));
}

/**
 * Logging in. Failures count per account, whatever identifier (email or phone) was typed, and
 * per address. Only the pair (account, address) locks: the tenth failure within 15 minutes
 * stops that address trying that account for 15 minutes. An account alone, or an address
 * alone, only slows down: past `free` failures in the window (for an account, since its last
 * success), each further guess must wait a moment after the previous failure (1 s, doubling,
 * at most a minute). So a guesser on one
 * address is stopped, guessers on many addresses get about one guess a minute per account,
 * and nobody can lock an owner out from elsewhere (nor an estate's shared Wi-Fi out of the site).
 */
export const loginLimit = {
  kind: "login",
  windowMs: 15 * 60_000,
  perPair: 10,
  accountFree: 10,
  ipFree: 100,
  firstWaitMs: 1000,
  maxWaitMs: 60_000,
} as const;

/** The attempt key of an account for logging in (an identifier that names no account is its own key, so both behave alike). */
export function loginAccountKey(userId: string) {
  return `user:${userId}`;
}

/** How long a guess must wait after the latest failure, with `failures` in the window and `free` allowed without waiting. */
export function waitAfter(
  failures: number,
  free: number,
  firstWaitMs: number = loginLimit.firstWaitMs,
  maxWaitMs: number = loginLimit.maxWaitMs,
): number {
  if (failures < free) return 0;
  return Math.min(maxWaitMs, firstWaitMs * 2 ** Math.min(30, failures - free));
}

export type LoginGate = { blocked: false } | { blocked: true; until: Date; scope: "pair" | "account" | "ip" };

/** Whether an account may be tried from an address now (see loginLimit). */
export async function loginState(
  accountKey: string,
  ip: string,
  now = new Date(),
  db: Queryable = getDb(),
  except?: string,
): Promise<LoginGate> {
  const l = loginLimit;
  const notExcepted = except ? ne(attempts.id, except) : undefined;
  const failed = and(eq(attempts.kind, l.kind), eq(attempts.succeeded, false), notExcepted);
  const pair = and(eq(attempts.accountKey, accountKey), eq(attempts.ip, ip));
  const lastPairSuccess = db
    .select({ at: sql`coalesce(max(${attempts.createdAt}), '-infinity'::timestamptz)` })
    .from(attempts)
    .where(and(eq(attempts.kind, l.kind), pair, eq(attempts.succeeded, true)));
  const pairFailures = await db
    .select({ at: attempts.createdAt })
    .from(attempts)
    .where(
      and(
        failed,
        pair,
        gt(attempts.createdAt, new Date(now.getTime() - 2 * l.windowMs)),
        gt(attempts.createdAt, sql`(${lastPairSuccess})`),
      ),
    )
    .orderBy(asc(attempts.createdAt));
  const until = lockedUntil(
    pairFailures.map((f) => f.at.getTime()),
    l.perPair,
    l.windowMs,
  );
  if (until !== null && until > now.getTime()) return { blocked: true, until: new Date(until), scope: "pair" };

  const since = gt(attempts.createdAt, new Date(now.getTime() - l.windowMs));
  const waitUntil = async (who: SQL | undefined, free: number) => {
    const [row] = await db
      .select({ failures: count(), newest: sql<string | null>`max(${attempts.createdAt})` })
      .from(attempts)
      .where(and(failed, who, since));
    const wait = waitAfter(row.failures, free);
    return wait && row.newest ? new Date(new Date(row.newest).getTime() + wait) : null;
  };
  // The account's count starts again at its owner's last success (from anywhere); an address's does not.
  const lastAccountSuccess = db
    .select({ at: sql`coalesce(max(${attempts.createdAt}), '-infinity'::timestamptz)` })
    .from(attempts)
    .where(and(eq(attempts.kind, l.kind), eq(attempts.accountKey, accountKey), eq(attempts.succeeded, true)));
  const account = await waitUntil(
    and(eq(attempts.accountKey, accountKey), gt(attempts.createdAt, sql`(${lastAccountSuccess})`)),
    l.accountFree,
  );
  if (account && account > now) return { blocked: true, until: account, scope: "account" };
  const address = await waitUntil(eq(attempts.ip, ip), l.ipFree);
  if (address && address > now) return { blocked: true, until: address, scope: "ip" };
  return { blocked: false };
}

export type TakenLogin = { ok: true; id: string } | { ok: false; until: Date; scope: "pair" | "account" | "ip" };

/** Takes one login attempt before the password is checked: written first, read after, refused ones deleted (as takeAttempt). */
export async function takeLoginAttempt(
  accountKey: string,
  ip: string,
  now = new Date(),
  db: Queryable = getDb(),
): Promise<TakenLogin> {
  return takeUnder(db, { kind: loginLimit.kind, accountKey, ip, now }, async (mine) => {
    const state = await loginState(accountKey, ip, now, db, mine);
    return state.blocked ? { until: state.until, scope: state.scope } : null;
  });
}

/**
 * Sending SMS codes. Per number (whatever the purpose): one a minute and ten in any 24 hours;
 * per client address: 30 an hour. Every send counts (there is no success that resets it).
 */
export const smsSendLimit = {
  kind: "sms-send",
  gapMs: 60_000,
  perDay: 10,
  dayMs: 24 * 60 * 60_000,
  perIp: 30,
  ipWindowMs: 60 * 60_000,
} as const;

export type TakenSmsSend = { ok: true; id: string } | { ok: false; until: Date; scope: "gap" | "day" | "ip" };

/**
 * Takes one send of a code to `phone` under smsSendLimit, write-first like takeAttempt (so
 * sends arriving at once on any instance never pass the limit together). A send a full minute
 * after the previous one is allowed; one at 59 s is not.
 */
export async function takeSmsSend(
  phone: string,
  ip: string,
  now = new Date(),
  db: Queryable = getDb(),
): Promise<TakenSmsSend> {
  const l = smsSendLimit;
  const accountKey = `phone:${phone}`;
  return takeUnder(db, { kind: l.kind, accountKey, ip, now }, async (mine) => {
    const others = and(eq(attempts.kind, l.kind), ne(attempts.id, mine));
    const [byPhone] = await db
      .select({
        day: count(),
        newest: sql<string | null>`max(${attempts.createdAt})`,
        oldest: sql<string | null>`min(${attempts.createdAt})`,
      })
      .from(attempts)
      .where(
        and(others, eq(attempts.accountKey, accountKey), gt(attempts.createdAt, new Date(now.getTime() - l.dayMs))),
      );
    if (byPhone.newest) {
      const next = new Date(byPhone.newest).getTime() + l.gapMs;
      if (next > now.getTime()) return { until: new Date(next), scope: "gap" as const };
    }
    if (byPhone.day >= l.perDay && byPhone.oldest)
      return { until: new Date(new Date(byPhone.oldest).getTime() + l.dayMs), scope: "day" as const };
    const [byIp] = await db
      .select({ n: count(), oldest: sql<string | null>`min(${attempts.createdAt})` })
      .from(attempts)
      .where(and(others, eq(attempts.ip, ip), gt(attempts.createdAt, new Date(now.getTime() - l.ipWindowMs))));
    if (byIp.n >= l.perIp && byIp.oldest)
      return { until: new Date(new Date(byIp.oldest).getTime() + l.ipWindowMs), scope: "ip" as const };
    return null;
  });
}
