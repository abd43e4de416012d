import type { backgroundJobs } from "~/env.server";

/** The start line's account of the background jobs: which run here, which a flag turned off. */
export function describeJobs(jobs: ReturnType<typeof backgroundJobs>): string {
  const parts = [
    ["mail worker", jobs.mailWorker, "MAIL_WORKER"],
    ["fee jobs", jobs.feeJobs, "FEE_JOBS"],
    ["ticket clocks", jobs.ticketClocks, "TICKET_CLOCKS"],
    ["vote reminders", jobs.voteReminders, "VOTE_REMINDERS"],
  ] as const;
  return parts.map(([name, on, flag]) => (on ? name : `${name} off (${flag}=0)`)).join(", ");
}
