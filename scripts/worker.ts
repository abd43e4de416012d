// `npm run worker`: one more copy of the outbox worker, as a process of its own. Run as many
// as you like on one PostgreSQL (they claim rows with FOR UPDATE SKIP LOCKED). The server
// runs one in-process too unless MAIL_WORKER=0. Embedded PGlite has one opener: there the
// worker inside the server is the only one.
import { getHandle } from "#db/client";
import { backgroundJobs, env } from "~/env.server";
import { startFeeJobs } from "~/fees/jobs.server";
import { startTicketJobs } from "~/tickets/jobs.server";
import { startVoteReminders } from "~/voting/reminders.server";
import { startResultClock } from "~/committee/results-jobs.server";
import { describeMailSetup, mailWorkerFromEnv } from "~/notify/worker.server";
import { describeJobs } from "../server/jobs";

const config = env();
if (!config.DATABASE_URL) {
  console.error(
    "The standalone worker needs DATABASE_URL (PostgreSQL). On the embedded database the server runs the worker itself.",
  );
  process.exit(1);
}
const handle = getHandle();
const worker = mailWorkerFromEnv();
worker.start();
// The fee jobs too (reconciliation with the payment provider, overdue reminders): safe in every
// copy; FEE_JOBS=0 turns them off. And the ticket clocks (escalation, auto-close): set-based and
// idempotent, safe in every copy; TICKET_CLOCKS=0 turns them off.
const jobs = backgroundJobs(config);
const feeJobs = jobs.feeJobs ? startFeeJobs() : null;
const ticketJobs = jobs.ticketClocks ? startTicketJobs() : null;
const voteReminders = jobs.voteReminders ? startVoteReminders() : null;
const resultClock = jobs.voteReminders ? startResultClock() : null;
console.log(`mail worker ${worker.id} started: ${describeMailSetup()}; ${describeJobs({ ...jobs, mailWorker: true })}`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await worker.stop();
  await feeJobs?.stop();
  await ticketJobs?.stop();
  await voteReminders?.stop();
  await resultClock?.stop();
  await handle.close();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
