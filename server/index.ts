import type { ServerBuild } from "@remix-run/node";
import express from "express";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { getHandle } from "#db/client";
import { demoAccounts, demoPassword, isSeeded, seedDemo } from "#db/seed";
import { backgroundJobs, env } from "~/env.server";
import { startFeeJobs } from "~/fees/jobs.server";
import { startStagedSweep } from "~/lib/uploads/store.server";
import { startTicketJobs } from "~/tickets/jobs.server";
import { startVoteReminders } from "~/voting/reminders.server";
import { startResultClock } from "~/committee/results-jobs.server";
import { describeSmsSetup } from "~/sms/factory.server";
import { describeMailSetup, mailWorkerFromEnv } from "~/notify/worker.server";
import { describeJobs } from "./jobs";
import { createApp } from "./app";

const started = performance.now();
let config: ReturnType<typeof env>;
try {
  config = env();
} catch (error) {
  // A production start without a real SESSION_SECRET (or a bad variable): stop here, before listening.
  console.error(`议事堂 Yishitang will not start: ${(error as Error).message}`);
  process.exit(1);
}
const production = config.NODE_ENV === "production";
const handle = getHandle();

await handle.migrate();
// Demo data only on the embedded default or on request, never by a production start on DATABASE_URL.
const seedWanted = config.SEED_DEMO === "1" || (handle.kind === "pglite" && config.SEED_DEMO !== "0");
if (seedWanted && !(await isSeeded(handle.db))) await seedDemo(handle.db);

let getBuild: () => Promise<ServerBuild>;
let beforeRemix: ((app: express.Express) => void) | undefined;
if (production) {
  const buildDir = path.resolve("build");
  const build = (await import(path.join(buildDir, "server/index.js"))) as ServerBuild;
  getBuild = async () => build;
  beforeRemix = (app) => {
    app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
  };
} else {
  const vite = await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));
  getBuild = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  beforeRemix = (app) => app.use(vite.middlewares);
}

// Background jobs, one flag each (README, Configuration). The outbox worker runs in-process
// (the only way on PGlite, which has one opener); on PostgreSQL, MAIL_WORKER=0 leaves it to
// separate `npm run worker` processes.
const jobs = backgroundJobs(config);
const mailWorker = jobs.mailWorker ? mailWorkerFromEnv() : null;
mailWorker?.start();
// Fee jobs (reconcile checkouts pending over an hour, monthly overdue reminders) every 5 minutes; FEE_JOBS=0 turns them off.
const feeJobs = jobs.feeJobs ? startFeeJobs() : null;
// Ticket clocks (escalate overdue tickets to the committee, close unconfirmed resolutions after 7 days) every minute; TICKET_CLOCKS=0 turns them off.
const ticketJobs = jobs.ticketClocks ? startTicketJobs() : null;
// Vote reminders (two days before a vote closes, to owners who have not voted) every 5 minutes; VOTE_REMINDERS=0 turns them off.
const voteReminders = jobs.voteReminders ? startVoteReminders() : null;
// The final result of a vote or election whose query period has ended, posted every 5 minutes; with VOTE_REMINDERS.
const resultClock = jobs.voteReminders ? startResultClock() : null;
// Uploads staged by a process that died before moving them into place, swept after an hour.
const stagedSweep = startStagedSweep();

const app = createApp({ getBuild, production, publicOrigin: config.APP_URL, beforeRemix });
const server = app.listen(config.PORT, () => {
  const url = config.APP_URL ?? `http://localhost:${config.PORT}`;
  const lines = [
    `议事堂 Yishitang is running at ${url}`,
    `  database: ${handle.kind === "pglite" ? `embedded PGlite (${config.PGLITE_DIR ?? "./.data/pglite"})` : "PostgreSQL (DATABASE_URL)"}`,
    `  mail: ${describeMailSetup()}${mailWorker ? "" : " (worker not in this process: MAIL_WORKER=0)"}`,
    `  sms: ${describeSmsSetup()}`,
    `  jobs: ${describeJobs(jobs)}`,
    `  ready in ${Math.round(performance.now() - started)} ms`,
  ];
  if (seedWanted) {
    lines.push(`  demo accounts (password: ${demoPassword}):`);
    for (const a of demoAccounts) lines.push(`    ${a.role.padEnd(16)} ${a.email}`);
    // The other committee members of 宜欣花园 (db/seed/committee.ts): a second member is
    // needed to confirm a paper ballot or sign minutes.
    lines.push(`    ${"committee".padEnd(16)} member2@demo.yishitang.cn … member9@demo.yishitang.cn`);
  }
  console.log(lines.join("\n"));
});

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  server.close();
  server.closeAllConnections();
  await mailWorker?.stop();
  await feeJobs?.stop();
  await ticketJobs?.stop();
  await voteReminders?.stop();
  await resultClock?.stop();
  stagedSweep.stop();
  await handle.close();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
