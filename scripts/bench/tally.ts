// `npm run bench:tally`: the tally of a 10,000-unit estate's vote, read from the database
// (snapshot + current ballots) and counted by the rule engine. Target: under 50 ms.
// Needs DATABASE_URL; works in a scratch database that is dropped afterwards.
import { cpus, loadavg } from "node:os";
import postgres from "postgres";
import { performance } from "node:perf_hooks";
import { tallyFromDb } from "../../app/voting/proposals.server";
import { quantile, votingWorld } from "./voting-world";

const units = Number(process.env.UNITS ?? 10_000);
const runs = Number(process.env.RUNS ?? 30);
const world = await votingWorld({ units, accounts: 0 });
try {
  // Ballots from about 3 voters in 4 (some changed once, so superseded rows are there too).
  const sql = postgres(world.url, { max: 1, onnotice: () => {} });
  await sql`
    insert into ballot (estate_id, proposal_id, voter_id, choice, channel, cast_by, receipt, seq, replaces, area_centi_sqm, headcount, cast_at, prev_hash, hash, superseded)
    select v.estate_id, v.proposal_id, v.voter_id, (array['agree','oppose','abstain']::choice[])[1 + n % 3], 'online',
           (select id from "user" limit 1), 'R' || n, n, null, v.area_centi_sqm, 1, now(), md5(n::text), md5((n + 1)::text), n % 10 = 0
      from (select *, row_number() over (order by voter_id) as n from vote_voter where proposal_id = ${world.proposalId}) v
     where n % 4 <> 0`;
  await sql`
    insert into ballot (estate_id, proposal_id, voter_id, choice, channel, cast_by, receipt, seq, replaces, area_centi_sqm, headcount, cast_at, prev_hash, hash)
    select b.estate_id, b.proposal_id, b.voter_id, 'agree', 'online', b.cast_by, 'S' || b.seq, 100000 + b.seq, b.receipt, b.area_centi_sqm, 1, now(), b.hash, md5(b.hash)
      from ballot b where b.proposal_id = ${world.proposalId} and b.superseded`;
  await sql`analyze`;
  const [{ voters }] = await sql<
    { voters: number }[]
  >`select count(*)::int as voters from vote_voter where proposal_id = ${world.proposalId}`;
  const [{ ballots }] = await sql<
    { ballots: number }[]
  >`select count(*)::int as ballots from ballot where proposal_id = ${world.proposalId}`;
  await sql.end();

  const times: number[] = [];
  let last;
  for (let i = 0; i < runs + 3; i++) {
    const t = performance.now();
    last = await tallyFromDb(world.handle.db, world.proposalId, "ordinary");
    if (i >= 3) times.push(performance.now() - t); // the first runs warm the connection and the plan
  }
  times.sort((a, b) => a - b);
  const median = quantile(times, 0.5);
  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} (other processes share them)`,
  );
  console.log(
    `Tally benchmark: ${units} units, ${voters} voters, ${ballots} ballot rows (current and superseded), ${runs} runs`,
  );
  console.log(
    `  result: participating ${last!.participatingHeadcount}/${last!.totalHeadcount} voters, quorum ${last!.quorumMet}, passed ${last!.passed}`,
  );
  console.log(
    `  tally from the database: median ${median.toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`,
  );
  console.log(`  target < 50 ms: ${median < 50 ? "met" : "NOT met"}`);
  if (median >= 50) process.exitCode = 1;
} finally {
  await world.cleanup();
}
