// `npm run bench:election`: casting committee-election ballots one after another through the
// cast command (castElectionBallot: lock the election, check the voter and the marks, append to
// the hash chain), as an estate's owners would over a voting period. A general election on the
// voting benchmarks' estate (scripts/bench/voting-world.ts): one zone of 5 N seats, three
// candidates; each owner with an account casts once, then a tenth of them change their ballot.
// Needs DATABASE_URL (real PostgreSQL): a scratch database is created and dropped.
import { performance } from "node:perf_hooks";
import { cpus, loadavg } from "node:os";
import { eq } from "drizzle-orm";
import { getDb, schema } from "../../db/client";
import {
  callElection,
  castElectionBallot,
  nominate,
  openElectionVoting,
  stand,
} from "../../app/committee/elections.server";
import { quantile, votingWorld } from "./voting-world";
import { postVoteNotice } from "../../app/voting/notice.server";

const units = Number(process.env.UNITS ?? 1_200);
const accounts = Number(process.env.ACCOUNTS ?? 960);
const hour = 3_600_000;

async function main() {
  console.log(`Election cast benchmark: ${units} units, ${accounts} owners with accounts, one caster at a time`);
  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} (other processes share them)`,
  );
  const world = await votingWorld({ units, accounts, pool: 4 });
  try {
    const db = getDb();
    const t0 = Date.now();
    const at = (h: number) => new Date(t0 + h * hour);
    const [admin] = await db
      .insert(schema.users)
      .values({ email: "admin@bench.local", passwordHash: "x", displayName: "社区" })
      .returning();
    const buildings = await db
      .select({ id: schema.buildings.id })
      .from(schema.buildings)
      .where(eq(schema.buildings.estateId, world.estate.id));
    const called = await callElection({
      estateId: world.estate.id,
      userId: admin.id,
      title: "基准选举",
      size: 5,
      xSeats: 0,
      zones: [{ name: "全区", buildingIds: buildings.map((b) => b.id), seats: 5 }],
      nominationThreshold: 1,
      termMonths: 60,
      nominationEndsAt: at(24),
      votingStartsAt: at(24),
      votingEndsAt: at(24 * 15),
      now: at(0),
    });
    if (!called.ok) throw new Error(`call: ${called.error}`);
    const ids = { estateId: world.estate.id, electionId: called.id };
    const [zone] = await db
      .select({ id: schema.committeeZones.id })
      .from(schema.committeeZones)
      .where(eq(schema.committeeZones.estateId, world.estate.id));
    const candidates: string[] = [];
    for (const [i, c] of world.casters.slice(0, 3).entries()) {
      const stood = await stand({ ...ids, userId: c.userId, seat: "N", zoneId: zone.id, now: at(1) });
      if (!stood.ok) throw new Error(`stand: ${stood.error}`);
      const named = await nominate({
        estateId: world.estate.id,
        candidateId: stood.id,
        userId: world.casters[3 + i].userId,
        now: at(1),
      });
      if (!named.ok) throw new Error(`nominate: ${named.error}`);
      candidates.push(stood.id);
    }
    const noticed = await postVoteNotice({
      ...ids,
      ref: { kind: "election", id: called.id },
      userId: admin.id,
      votingStartsAt: at(24),
      votingEndsAt: at(24 * 15),
      now: at(-24 * 20),
    });
    if (!noticed.ok) throw new Error(`notice: ${noticed.error}`);
    const opened = await openElectionVoting({ ...ids, userId: admin.id, now: at(25) });
    if (!opened.ok) throw new Error(`open: ${opened.error}`);

    // Each account's voter in the election (the proposal's voter ids are not the election's).
    const voters = await db.select().from(schema.electionVoters).where(eq(schema.electionVoters.electionId, called.id));
    const owners = await db
      .select({ id: schema.owners.id, userId: schema.owners.userId })
      .from(schema.owners)
      .where(eq(schema.owners.estateId, world.estate.id));
    const userOf = new Map(owners.map((o) => [o.id, o.userId]));
    const casts = world.casters.flatMap((c) => {
      const v = voters.find((x) => x.ownerIds.some((o) => userOf.get(o) === c.userId));
      return v ? [{ userId: c.userId, voterId: v.voterId }] : [];
    });
    const changes = casts.filter((_, i) => i % 10 === 0);
    const times: number[] = [];
    const started = performance.now();
    for (const [i, c] of [...casts, ...changes].entries()) {
      const marks = {
        [candidates[i % 3]]: "agree" as const,
        [candidates[(i + 1) % 3]]: i % 2 ? ("oppose" as const) : ("agree" as const),
      };
      const t = performance.now();
      const r = await castElectionBallot({ ...ids, ...c, marks, now: at(30) });
      times.push(performance.now() - t);
      if (!r.ok) throw new Error(`cast ${c.voterId}: ${r.error}`);
    }
    const total = performance.now() - started;
    times.sort((a, b) => a - b);
    const [{ chainSeq }] = await db
      .select({ chainSeq: schema.committeeElections.chainSeq })
      .from(schema.committeeElections)
      .where(eq(schema.committeeElections.id, called.id));
    console.log(
      `  ${opened.voters} voters; ${casts.length} ballots cast, ${changes.length} changed; chain at ${chainSeq}`,
    );
    console.log(
      `  per ballot: mean ${(total / times.length).toFixed(1)} ms   p50 ${quantile(times, 0.5).toFixed(1)} ms   p99 ${quantile(times, 0.99).toFixed(1)} ms   (aim: mean under 200 ms)`,
    );
    if (chainSeq !== times.length) throw new Error(`chain has ${chainSeq} ballots, expected ${times.length}`);
  } finally {
    await world.cleanup();
  }
}

await main();
