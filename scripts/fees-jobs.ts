// `npm run jobs:fees`: one pass of the fee jobs (reconcile checkouts pending over an hour with the
// payment provider; send the month's overdue reminders where the estate's day has come). For
// cron; the server also runs them every 5 minutes unless FEE_JOBS=0.
import { getHandle } from "#db/client";
import { runFeeJobs } from "~/fees/jobs.server";

const handle = getHandle();
await handle.migrate();
try {
  const { reconcile, reminders } = await runFeeJobs();
  console.log(
    `checkouts checked ${reconcile.checked}: paid ${reconcile.paid}, released ${reconcile.released}, awaiting ${reconcile.awaiting}, still open ${reconcile.stillOpen}, errors ${reconcile.errors}`,
  );
  console.log(`overdue reminders: ${reminders.recipients} owners in ${reminders.estates} estates`);
  if (reconcile.errors) process.exitCode = 1;
} finally {
  await handle.close();
}
