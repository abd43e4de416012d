// Fault tests against a private PostgreSQL cluster (scripts/fault/cluster.ts) and the production
// build (`npm run build` first). Rerunnable; everything they make is removed afterwards.
//
//   npm run fault:restart    two app instances (each with its mail worker) under casts, payments
//                            and page loads; PostgreSQL is stopped for DOWNTIME seconds in the
//                            middle and started again. While it is away every answer must be 503
//                            (never 500, never a dropped connection or a hang); afterwards both
//                            instances must serve again without being restarted; and the database
//                            must hold exactly the ballots and payments the clients were told of.
//   npm run fault:instances  one fixed workload (casts, payments, their receipt mails) run on one
//                            instance with its in-process worker, then on two instances and two
//                            separate workers: the final state must be the same, every mail sent once.
//
// Exit code 0 when every check holds, 1 otherwise. Settings: OWNERS (40), UNITS (300), DOWNTIME (4 s),
// STOP_MODE (fast | immediate), KEEP_LOGS=1 to keep the app logs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { sandboxWebhookSecret } from "../../app/payments/provider.server";
import { sandboxEvent, sandboxSession } from "../../app/payments/sandbox.server";
import { startSmtpSink, type SmtpSink } from "../../tests/smtp-sink";
import { createCluster, freePort, type Cluster } from "./cluster";
import {
  Client,
  faultWorld,
  snapshotBuild,
  paidNotice,
  sessionSecret,
  sleep,
  startApp,
  startWorker,
  stopAll,
  toastOf,
  waitHealthy,
  type FaultWorld,
  type Outcome,
  type Owner,
  type Proc,
} from "./world";

const mode = process.argv[2] ?? "restart";
const ownerCount = Number(process.env.OWNERS ?? 40);
const unitCount = Number(process.env.UNITS ?? 300);
const downtimeMs = Number(process.env.DOWNTIME ?? 4) * 1000;
const stopMode = process.env.STOP_MODE === "immediate" ? "immediate" : "fast";
const choices = ["agree", "oppose", "abstain"] as const;

const failures: string[] = [];
const check = (ok: boolean, message: string) => {
  console.log(`  ${ok ? "ok  " : "FAIL"} ${message}`);
  if (!ok) failures.push(message);
};
const t0 = performance.now();
const stamp = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

// ---- one owner's actions ----------------------------------------------------------------

interface CastRecord {
  owner: number;
  choice: string;
  outcome: Outcome["kind"];
  receipt?: string;
  ended: number;
}

interface PaidRecord {
  owner: number;
  checkoutId: string;
  paymentId: string;
  sessionId: string;
}

class Actors {
  readonly client: Client;
  casts: CastRecord[] = [];
  paid: PaidRecord[] = [];
  started: string[] = [];
  /** Bills a first attempt held (checkout started, then the database went away before the answer). */
  heldByLostAttempt = 0;
  webhooks = { delivered: 0, duplicate: 0 };
  private turn = 0;

  constructor(
    readonly world: FaultWorld,
    readonly origins: string[],
  ) {
    this.client = new Client();
  }

  /** The instance for the next request: round robin, as a load balancer would. */
  origin() {
    return this.origins[this.turn++ % this.origins.length];
  }

  async cast(owner: Owner, choice: string): Promise<Outcome> {
    const form = new URLSearchParams({ intent: "cast", voterId: owner.voterId, choice });
    const outcome = await this.client.request(
      "cast",
      this.origin(),
      `/e/${this.world.slug}/proposals/${this.world.proposalId}`,
      { method: "POST", sessionId: owner.sessionId, form },
    );
    const toast = outcome.kind === "ok" ? toastOf(outcome.setCookie) : null;
    const told = outcome.kind === "ok" && outcome.location.endsWith("#ballot") && toast?.key === "voting.ballot.cast";
    this.casts.push({
      owner: owner.index,
      choice,
      outcome: told ? "ok" : outcome.kind === "ok" ? "refused" : outcome.kind,
      receipt: told ? String(toast!.params!.receipt) : undefined,
      ended: Date.now(),
    });
    return outcome;
  }

  /** Casts in a loop until the deadline (fixed: exactly `count` successful casts, no deadline). */
  async castLoop(owner: Owner, until: () => boolean, count = Infinity) {
    let n = owner.index;
    let done = 0;
    while (done < count && !until()) {
      const outcome = await this.cast(owner, choices[n % 3]);
      if (outcome.kind === "ok") {
        n++;
        done++;
      } else await sleep(250);
    }
  }

  async page(owner: Owner, pathname: string) {
    return this.client.request("page", this.origin(), pathname, { sessionId: owner.sessionId });
  }

  /** Pays the owner's bills one at a time through the sandbox checkout, retrying what the outage interrupts. */
  async payLoop(owner: Owner, until: () => boolean, settleBy: () => boolean, bills = Infinity) {
    for (const billId of owner.billIds.slice(0, bills)) {
      if (until()) return;
      let sessionId: string | null = null;
      while (!sessionId && !settleBy()) {
        const outcome = await this.client.request("start", this.origin(), `/e/${this.world.slug}/bills`, {
          method: "POST",
          sessionId: owner.sessionId,
          form: new URLSearchParams({ intent: "pay", billId }),
        });
        if (outcome.kind === "ok") sessionId = /\/pay\/sandbox\/([^/?#]+)$/.exec(outcome.location)?.[1] ?? null;
        else if (outcome.kind === "refused" && outcome.status === 409) {
          // An earlier attempt holds the bill (it reached the database, its answer did not reach us).
          this.heldByLostAttempt++;
          break;
        }
        if (!sessionId) await sleep(300);
      }
      if (!sessionId) continue;
      this.started.push(sessionId);
      let paid = false;
      while (!paid && !settleBy()) {
        const done = await this.client.request("pay", this.origin(), `/pay/sandbox/${sessionId}`, {
          method: "POST",
          sessionId: owner.sessionId,
          form: new URLSearchParams({ intent: "pay", method: "alipay" }),
        });
        if (done.kind === "ok" && done.location.includes("/bills?checkout=")) {
          const back = await this.client.request("receipt", this.origin(), done.location, {
            sessionId: owner.sessionId,
          });
          const paymentId = back.kind === "ok" ? paidNotice(back.body ?? "") : null;
          if (paymentId) {
            paid = true;
            this.paid.push({
              owner: owner.index,
              checkoutId: new URL(done.location, "http://x").searchParams.get("checkout")!,
              paymentId,
              sessionId,
            });
            await this.redeliver(sessionId, settleBy);
            break;
          }
        }
        await sleep(300);
      }
    }
  }

  /** The provider delivers the completed event again to /webhooks/stripe: it must be taken as a duplicate. */
  async redeliver(sessionId: string, settleBy: () => boolean) {
    const row = await sandboxSession(sessionId).catch(() => null);
    if (!row) return;
    const { rawBody, signature } = sandboxEvent(row, "pay", sandboxWebhookSecret(sessionSecret));
    while (!settleBy()) {
      const outcome = await this.client.request("webhook", this.origin(), "/webhooks/stripe", {
        method: "POST",
        body: rawBody,
        headers: { "Stripe-Signature": signature, "Content-Type": "application/json" },
      });
      if (outcome.kind === "ok") {
        this.webhooks.delivered++;
        if (/duplicate/.test(outcome.body ?? "")) this.webhooks.duplicate++;
        return;
      }
      await sleep(500);
    }
  }
}

// ---- the database's account of what happened ----------------------------------------------

interface Ledger {
  ballots: { receipt: string; voterId: string; seq: number; superseded: boolean; choice: string }[];
  chainSeq: number;
  payments: { id: string; checkoutId: string | null; amountFen: number; bills: number; billFen: number }[];
  billsPaidTwice: number;
  paidBills: number;
  paidSessionsWithoutPayment: number;
  paymentsWithoutPaidSession: number;
  receiptMails: number;
  outbox: Record<string, number>;
}

async function ledger(url: string, proposalId: string): Promise<Ledger> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const ballots = await sql<
      Ledger["ballots"]
    >`select receipt, voter_id as "voterId", seq, superseded, choice from ballot where proposal_id = ${proposalId} order by seq`;
    const [{ chain_seq }] = await sql<{ chain_seq: number }[]>`select chain_seq from proposal where id = ${proposalId}`;
    const payments = await sql<Ledger["payments"]>`
      select p.id, p.checkout_id as "checkoutId", p.amount_fen as "amountFen", count(pb.bill_id)::int as bills, coalesce(sum(pb.amount_fen), 0)::int as "billFen"
        from payment p left join payment_bill pb on pb.payment_id = p.id group by p.id`;
    const [counts] = await sql<{ twice: number; paid: number; without: number; phantom: number; receipts: number }[]>`
      select (select count(*) from (select bill_id from payment_bill group by bill_id having count(*) > 1) x)::int as twice,
             (select count(*) from bill where status = 'paid')::int as paid,
             (select count(*) from sandbox_session s where s.status = 'complete' and s.payment_status = 'paid'
                 and not exists (select 1 from payment p where p.checkout_id = (s.metadata->>'checkout_id')::uuid))::int as without,
             (select count(*) from payment p where not exists (select 1 from sandbox_session s where (s.metadata->>'checkout_id')::uuid = p.checkout_id
                 and s.status = 'complete' and s.payment_status = 'paid'))::int as phantom,
             (select count(*) from outbox where template = 'payment-receipt')::int as receipts`;
    const outbox = Object.fromEntries(
      (await sql<{ status: string; n: number }[]>`select status, count(*)::int as n from outbox group by status`).map(
        (r) => [r.status, r.n],
      ),
    );
    return {
      ballots,
      chainSeq: chain_seq,
      payments,
      billsPaidTwice: counts.twice,
      paidBills: counts.paid,
      paidSessionsWithoutPayment: counts.without,
      paymentsWithoutPaidSession: counts.phantom,
      receiptMails: counts.receipts,
      outbox,
    };
  } finally {
    await sql.end();
  }
}

/** Ballots and payments against what the clients were told. */
function reconcile(world: FaultWorld, actors: Actors, book: Ledger) {
  const byReceipt = new Map(book.ballots.map((b) => [b.receipt, b]));
  const told = actors.casts.filter((c) => c.outcome === "ok");
  const lost = told.filter((c) => !byReceipt.has(c.receipt!));
  check(
    lost.length === 0,
    `every ballot a client was told of is in the chain (${told.length} told, ${lost.length} missing)`,
  );
  // A ballot nobody was told of can only come from a request whose answer was lost (a 503 after the commit).
  const toldReceipts = new Set(told.map((c) => c.receipt));
  const ambiguous = new Map<string, number>();
  for (const c of actors.casts)
    if (c.outcome === "unavailable" || c.outcome === "network")
      ambiguous.set(world.owners[c.owner].voterId, (ambiguous.get(world.owners[c.owner].voterId) ?? 0) + 1);
  const untold = new Map<string, number>();
  for (const b of book.ballots)
    if (!toldReceipts.has(b.receipt)) untold.set(b.voterId, (untold.get(b.voterId) ?? 0) + 1);
  const doubled = [...untold].filter(([voter, n]) => n > (ambiguous.get(voter) ?? 0));
  check(
    doubled.length === 0,
    `no ballot beyond what was asked (${book.ballots.length} in the chain, ${told.length} told, ${[...untold.values()].reduce((a, b) => a + b, 0)} from requests whose answer was lost)`,
  );
  const seqs = book.ballots.map((b) => b.seq);
  check(
    book.ballots.length === book.chainSeq && seqs.every((s, i) => s === i + 1),
    `the hash chain is whole: seq 1…${book.chainSeq}, ${book.ballots.length} ballots`,
  );
  const current = new Map<string, number>();
  for (const b of book.ballots) if (!b.superseded) current.set(b.voterId, (current.get(b.voterId) ?? 0) + 1);
  const voters = new Set(book.ballots.map((b) => b.voterId));
  check(
    [...voters].every((v) => current.get(v) === 1),
    `one current ballot for each of the ${voters.size} voters who cast`,
  );
  // Where a voter's last request was answered, their current ballot is the one they were told of last.
  let compared = 0;
  let wrong = 0;
  for (const owner of world.owners) {
    const mine = actors.casts.filter((c) => c.owner === owner.index);
    const last = mine.at(-1);
    if (!last || last.outcome !== "ok") continue;
    compared++;
    const currentBallot = book.ballots.find((b) => b.voterId === owner.voterId && !b.superseded);
    if (!currentBallot || currentBallot.receipt !== last.receipt || currentBallot.choice !== last.choice) wrong++;
  }
  check(wrong === 0, `each voter's current ballot is the last one they were told of (${compared} voters compared)`);

  const paymentsByCheckout = new Map<string, number>();
  for (const p of book.payments)
    if (p.checkoutId) paymentsByCheckout.set(p.checkoutId, (paymentsByCheckout.get(p.checkoutId) ?? 0) + 1);
  const ids = new Set(book.payments.map((p) => p.id));
  const missing = actors.paid.filter((p) => !ids.has(p.paymentId) || paymentsByCheckout.get(p.checkoutId) !== 1);
  check(
    missing.length === 0,
    `every payment a client was told of is recorded once (${actors.paid.length} told, ${missing.length} missing or doubled)`,
  );
  check(
    [...paymentsByCheckout.values()].every((n) => n === 1),
    `one payment per checkout (${book.payments.length} payments)`,
  );
  check(book.billsPaidTwice === 0, "no bill paid twice");
  check(
    book.payments.every((p) => p.amountFen === p.billFen && p.bills > 0),
    "each payment's amount is the sum of its bills",
  );
  check(
    book.paidBills === book.payments.reduce((n, p) => n + p.bills, 0),
    `${book.paidBills} bills marked paid, the same as the payments cover`,
  );
  check(book.paidSessionsWithoutPayment === 0, "no completed checkout session without its payment");
  check(book.paymentsWithoutPaidSession === 0, "no payment without a completed checkout session");
  check(book.receiptMails === book.payments.length, `a receipt mail queued for each payment (${book.receiptMails})`);
}

function statusCounts(actors: Actors, from = 0, to = Infinity) {
  const counts: Record<string, number> = {};
  for (const e of actors.client.exchanges) {
    if (e.started < from || e.ended > to) continue;
    const key =
      e.outcome.kind === "ok"
        ? "2xx/3xx"
        : e.outcome.kind === "unavailable"
          ? "503"
          : e.outcome.kind === "network"
            ? "network"
            : String(e.outcome.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
const show = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k}×${v}`)
    .join(", ") || "none";

// ---- the setups ---------------------------------------------------------------------------

interface Setup {
  buildRoot: string;
  cluster: Cluster;
  sink: SmtpSink;
  logDir: string;
  procs: Proc[];
}

async function setUp(): Promise<Setup> {
  const buildRoot = await snapshotBuild();
  const cluster = await createCluster();
  process.env.DATABASE_URL = cluster.url;
  const sink = await startSmtpSink({ parse: false });
  const logDir = mkdtempSync(path.join(tmpdir(), "yst-fault-logs-"));
  console.log(`PostgreSQL ${cluster.url} (data in ${cluster.dir}); app logs in ${logDir}`);
  return { buildRoot, cluster, sink, logDir, procs: [] };
}

async function tearDown(setup: Setup, world?: FaultWorld) {
  await stopAll(setup.procs);
  await world?.voting.cleanup().catch(() => {});
  await setup.sink.close();
  setup.cluster.destroy();
  rmSync(setup.buildRoot, { recursive: true, force: true });
  logDirs.push(setup.logDir);
}
const logDirs: string[] = [];

async function restart() {
  const setup = await setUp();
  let world: FaultWorld | undefined;
  try {
    world = await faultWorld(unitCount, ownerCount);
    console.log(
      `[${stamp()}] estate: ${unitCount} units, ${ownerCount} owners with sessions and ${world.owners[0].billIds.length}+ bills each, a vote open`,
    );
    const p1 = await freePort(3300);
    const port2 = await freePort(p1 + 1);
    for (const port of [p1, port2])
      setup.procs.push(
        startApp({
          buildRoot: setup.buildRoot,
          port,
          url: world.url,
          smtpPort: setup.sink.port,
          mailWorker: true,
          logDir: setup.logDir,
        }),
      );
    const origins = setup.procs.map((p) => p.origin!);
    await Promise.all(setup.procs.map((p) => waitHealthy(p.origin!, 60_000, p)));
    const pids = setup.procs.map((p) => p.child.pid);
    console.log(`[${stamp()}] two app instances up (${origins.join(", ")}), each with its mail worker`);

    const actors = new Actors(world, origins);
    let stopLoad = false;
    let stopSettle = false;
    const casters = world.owners.filter((o) => o.index % 2 === 0);
    const payers = world.owners.filter((o) => o.index % 2 === 1);
    const readers = world.owners.slice(0, 4);
    const load = [
      ...casters.map((o) => actors.castLoop(o, () => stopLoad)),
      ...payers.map((o) =>
        actors.payLoop(
          o,
          () => stopLoad,
          () => stopSettle,
        ),
      ),
      ...readers.map(async (o, i) => {
        const pages = [
          `/e/${world!.slug}`,
          `/e/${world!.slug}/proposals/${world!.proposalId}`,
          `/e/${world!.slug}/bills`,
        ];
        while (!stopLoad) {
          const outcome = await actors.page(o, pages[i % pages.length]);
          await sleep(outcome.kind === "ok" ? 50 : 250);
        }
      }),
    ];

    await sleep(4_000);
    const stopAt = Date.now();
    console.log(`[${stamp()}] stopping PostgreSQL (pg_ctl stop -m ${stopMode})`);
    await setup.cluster.stop(stopMode);
    const downAt = Date.now();
    console.log(`[${stamp()}] PostgreSQL is down (stopping took ${((downAt - stopAt) / 1000).toFixed(1)} s)`);
    // While it is away: /healthz on both instances says 503.
    const health: Outcome[] = [];
    while (Date.now() - downAt < downtimeMs) {
      for (const origin of origins) health.push(await actors.client.request("page", origin, "/healthz", {}));
      await sleep(300);
    }
    const beforeStart = Date.now();
    await setup.cluster.start();
    const upAt = Date.now();
    console.log(`[${stamp()}] PostgreSQL started again after ${((upAt - stopAt) / 1000).toFixed(1)} s away`);
    await sleep(6_000);
    stopLoad = true;
    console.log(`[${stamp()}] load stopped; payers finish what they started`);
    const settleTimer = setTimeout(() => (stopSettle = true), 30_000);
    await Promise.all(load);
    clearTimeout(settleTimer);
    // Mail in flight settles (the workers poll every second).
    await sleep(3_000);

    console.log(`\nanswers before the stop: ${show(statusCounts(actors, 0, stopAt))}`);
    console.log(
      `answers while PostgreSQL was away (sent after it stopped, answered before it started): ${show(statusCounts(actors, downAt, beforeStart))}`,
    );
    console.log(`answers after it was back: ${show(statusCounts(actors, upAt))}`);
    console.log(
      `casts: ${actors.casts.filter((c) => c.outcome === "ok").length} told ok, ${actors.casts.filter((c) => c.outcome === "unavailable").length} × 503; checkouts started ${actors.started.length}, paid ${actors.paid.length}; webhook redeliveries ${actors.webhooks.delivered} (${actors.webhooks.duplicate} duplicates); bills held by a lost attempt ${actors.heldByLostAttempt}\n`,
    );

    const all = statusCounts(actors);
    const down = statusCounts(actors, downAt, beforeStart);
    check(
      !Object.keys(all).some((k) => k !== "2xx/3xx" && k !== "503" && Number(k) >= 500),
      `no 500 from any request (${show(all)})`,
    );
    check(!all.network, "no dropped connection or timeout (20 s)");
    check(
      (down["503"] ?? 0) > 0 && Object.keys(down).every((k) => k === "503"),
      `while the database was away every answer was 503 (${show(down)})`,
    );
    check(
      actors.client.exchanges
        .filter((e) => e.outcome.kind === "unavailable")
        .every((e) => e.outcome.kind === "unavailable" && e.outcome.retryAfter !== null),
      "every 503 carries Retry-After",
    );
    check(
      health.length > 0 && health.every((h) => h.kind === "unavailable"),
      `/healthz answered 503 on both instances while it was away (${health.length} probes)`,
    );
    const after = actors.client.exchanges.filter((e) => e.started > upAt + 2_000);
    check(
      origins.every((o) => after.some((e) => e.origin === o && e.what === "cast" && e.outcome.kind === "ok")),
      "both instances took casts again within seconds of the restart",
    );
    check(
      setup.procs.every((p, i) => p.child.exitCode === null && p.child.pid === pids[i]),
      "neither instance exited or was restarted",
    );
    for (const origin of origins) {
      const healthz = await actors.client.request("page", origin, "/healthz", {});
      check(healthz.kind === "ok", `${origin}/healthz answers 200`);
    }
    const book = await ledger(world.url, world.proposalId);
    reconcile(world, actors, book);
    const mails = setup.sink.mails.length;
    check(
      mails <= book.receiptMails + (book.outbox.sending ?? 0),
      `mail: ${mails} receipt mails delivered for ${book.receiptMails} queued (${JSON.stringify(book.outbox)})`,
    );
  } finally {
    await tearDown(setup, world);
  }
}

/** The same fixed workload on `instances` app instances (with `workers` separate mail workers); the resulting state. */
async function fixedRun(setup: Setup, instances: number, workers: number) {
  const world = await faultWorld(unitCount, ownerCount);
  const procs: Proc[] = [];
  // Every payer pays their four oldest bills (some owners hold three units, and which owners get
  // accounts differs between the two databases): the same number of payments in both runs.
  const billsEach = 4;
  const asked = world.owners.filter((o) => o.index % 2 === 1).flatMap((o) => o.billIds.slice(0, billsEach));
  try {
    const first = await freePort(3300);
    const ports = [first];
    while (ports.length < instances) ports.push(await freePort(ports.at(-1)! + 1));
    for (const port of ports)
      procs.push(
        startApp({
          buildRoot: setup.buildRoot,
          port,
          url: world.url,
          smtpPort: setup.sink.port,
          mailWorker: workers === 0,
          logDir: setup.logDir,
        }),
      );
    for (let n = 0; n < workers; n++)
      procs.push(startWorker({ n, url: world.url, smtpPort: setup.sink.port, logDir: setup.logDir }));
    const origins = procs.filter((p) => p.origin).map((p) => p.origin!);
    await Promise.all(procs.filter((p) => p.origin).map((p) => waitHealthy(p.origin!, 60_000, p)));
    const received = setup.sink.mails.length;
    const started = performance.now();
    const actors = new Actors(world, origins);
    const never = () => false;
    await Promise.all([
      ...world.owners.filter((o) => o.index % 2 === 0).map((o) => actors.castLoop(o, never, 5)),
      ...world.owners.filter((o) => o.index % 2 === 1).map((o) => actors.payLoop(o, never, never, billsEach)),
    ]);
    const loadSeconds = (performance.now() - started) / 1000;
    // Wait for the workers to send every receipt.
    let book = await ledger(world.url, world.proposalId);
    const until = Date.now() + 90_000;
    while ((book.outbox.sent ?? 0) < book.receiptMails && Date.now() < until) {
      await sleep(500);
      book = await ledger(world.url, world.proposalId);
    }
    await sleep(1_500);
    const mails = setup.sink.mails.slice(received);
    const label = `${instances} instance${instances > 1 ? "s" : ""}${workers ? ` + ${workers} workers` : " (in-process worker)"}`;
    console.log(`\n${label}: load ${loadSeconds.toFixed(1)} s, answers ${show(statusCounts(actors))}`);
    reconcile(world, actors, book);
    const messageIds = new Set(mails.map((m) => /^message-id:\s*(\S+)/im.exec(m.raw)?.[1]));
    check(
      book.outbox.sent === book.receiptMails && mails.length === book.receiptMails && messageIds.size === mails.length,
      `every receipt mail sent exactly once (${book.receiptMails} queued, ${book.outbox.sent ?? 0} marked sent, ${mails.length} received, ${messageIds.size} distinct Message-IDs)`,
    );
    const current = book.ballots.filter((b) => !b.superseded);
    const finalChoice = world.owners
      .filter((o) => o.index % 2 === 0)
      .map((o) => current.find((b) => b.voterId === o.voterId)?.choice ?? "-");
    return {
      label,
      ballots: book.ballots.length,
      tally: Object.fromEntries(choices.map((c) => [c, current.filter((b) => b.choice === c).length])),
      finalChoice: finalChoice.join(","),
      payments: book.payments.length,
      paidBills: book.paidBills,
      paidWhatWasAsked: book.payments.reduce((n, p) => n + p.amountFen, 0) === (await askedFen(world.url, asked)),
      mails: mails.length,
      errors: Object.keys(statusCounts(actors)).filter((k) => k !== "2xx/3xx").length,
    };
  } finally {
    await stopAll(procs);
    await world.voting.cleanup();
  }
}

async function askedFen(url: string, billIds: string[]): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [{ fen }] = await sql<
      { fen: number }[]
    >`select coalesce(sum(amount_fen), 0)::int as fen from bill where id = any(${billIds}::uuid[])`;
    return fen;
  } finally {
    await sql.end();
  }
}

async function instances() {
  const setup = await setUp();
  try {
    const one = await fixedRun(setup, 1, 0);
    const two = await fixedRun(setup, 2, 2);
    console.log("");
    for (const r of [one, two])
      console.log(
        `  ${r.label.padEnd(32)} ${r.ballots} ballots, tally ${JSON.stringify(r.tally)}, ${r.payments} payments, ${r.paidBills} bills paid${r.paidWhatWasAsked ? " (the amounts of the bills asked for)" : " (NOT the amounts asked for)"}, ${r.mails} mails`,
      );
    check(one.errors === 0 && two.errors === 0, "no request failed in either run");
    const { label: _a, ...a } = one;
    const { label: _b, ...b } = two;
    void _a;
    void _b;
    check(one.paidWhatWasAsked && two.paidWhatWasAsked, "each run was paid exactly the bills asked for");
    check(
      JSON.stringify(a) === JSON.stringify(b),
      "two instances and two workers end in the same state as one (ballots, each voter's final choice, tally, payments, bills, mails)",
    );
  } finally {
    await tearDown(setup);
  }
}

try {
  if (mode === "restart") await restart();
  else if (mode === "instances") await instances();
  else throw new Error(`unknown mode ${mode}: restart | instances`);
} catch (error) {
  console.error(error);
  failures.push(String(error));
}
// The app logs stay where something failed (or with KEEP_LOGS=1).
if (failures.length === 0 && process.env.KEEP_LOGS !== "1")
  for (const dir of logDirs) rmSync(dir, { recursive: true, force: true });
else if (logDirs.length) console.log(`app logs: ${logDirs.join(", ")}`);
console.log(`\n${failures.length === 0 ? "PASS" : `FAIL (${failures.length})`} fault:${mode} in ${stamp()}`);
process.exit(failures.length === 0 ? 0 : 1);
