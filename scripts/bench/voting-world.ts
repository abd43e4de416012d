// A scratch database with a large estate whose vote is open, for the voting benchmarks.
// Needs DATABASE_URL (real PostgreSQL): the database yst_bench_votes_<pid> is created and dropped.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { connectPostgres, setDb, type DbHandle } from "../../db/client";
import * as s from "../../db/schema/index";
import { draftProposal, openComment, openVoting } from "../../app/voting/proposals.server";
import { postVoteNotice } from "../../app/voting/notice.server";

export interface VotingWorld {
  handle: DbHandle;
  url: string;
  estate: { id: string; slug: string };
  proposalId: string;
  /** Accounts linked to owners, each with a session and the voter it casts for. */
  casters: { userId: string; sessionId: string; voterId: string }[];
  cleanup(): Promise<void>;
}

const day = 86_400_000;

/**
 * `units` units in 40 buildings; every 17th unit co-owned by two people, every 500th owner
 * holding 3 units, every 97th unit the developer's. Accounts (with sessions) for `accounts` owners.
 */
export async function votingWorld(options: { units: number; accounts: number; pool?: number }): Promise<VotingWorld> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("The voting benchmarks need DATABASE_URL (a PostgreSQL server).");
  const name = `yst_bench_votes_${process.pid}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const target = new URL(base);
  target.pathname = `/${name}`;
  const url = target.toString();
  const handle = connectPostgres(url, { max: options.pool ?? 10 });
  const cleanup = async () => {
    await handle.close();
    setDb(undefined);
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  try {
    await handle.migrate();
    setDb(handle);
    const db = handle.db;
    const [sub] = await db.insert(s.subDistricts).values({ name: "基准街道" }).returning();
    const [community] = await db.insert(s.communities).values({ subDistrictId: sub.id, name: "基准社区" }).returning();
    const [estate] = await db
      .insert(s.estates)
      .values({ communityId: community.id, slug: "bench", name: "基准小区" })
      .returning();
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    // Units, owners and ownerships in bulk SQL (the roster import is benchmarked elsewhere).
    await sql`insert into building (estate_id, name) select ${estate.id}, g || '幢' from generate_series(1, 40) g`;
    await sql`
      insert into unit (estate_id, building_id, number, floor, kind, area_centi_sqm, developer_unsold, claim_code)
      select ${estate.id}, b.id, (i / 40 / 4 + 1)::text || lpad(((i / 40) % 4 + 1)::text, 2, '0'), i / 40 / 4 + 1, 'residential',
             6000 + (i * 7919) % 12000, i % 97 = 0, 'BENCH' || i
        from generate_series(0, ${options.units - 1}) i
        join building b on b.estate_id = ${estate.id} and b.name = (i % 40 + 1)::text || '幢'`;
    await sql`
      insert into owner (estate_id, name, identity_key)
      select ${estate.id}, '业主' || i, 'ref:BENCH' || i from generate_series(0, ${options.units - 1}) i where i % 97 <> 0 and (i % 500 <> 1 and i % 500 <> 2)`;
    await sql`
      insert into owner (estate_id, name, identity_key)
      select ${estate.id}, '配偶' || i, 'ref:SPOUSE' || i from generate_series(0, ${options.units - 1}) i where i % 17 = 0 and i % 97 <> 0`;
    // Unit i belongs to owner i; units 500k+1 and 500k+2 belong to the owner of unit 500k+3, who holds three.
    await sql`
      insert into ownership (estate_id, unit_id, owner_id)
      select ${estate.id}, u.id, o.id
        from unit u
        join owner o on o.estate_id = u.estate_id
         and o.identity_key = 'ref:BENCH' || (case when substr(u.claim_code, 6)::int % 500 in (1, 2) then substr(u.claim_code, 6)::int - substr(u.claim_code, 6)::int % 500 + 3 else substr(u.claim_code, 6)::int end)
       where u.estate_id = ${estate.id} and not u.developer_unsold`;
    await sql`
      insert into ownership (estate_id, unit_id, owner_id)
      select ${estate.id}, u.id, o.id from unit u join owner o on o.estate_id = u.estate_id and o.identity_key = 'ref:SPOUSE' || substr(u.claim_code, 6)
       where u.estate_id = ${estate.id}`;
    const [committee] = await db
      .insert(s.users)
      .values({ email: "committee@bench.local", passwordHash: "x", displayName: "委员" })
      .returning();
    await db.insert(s.memberships).values({ userId: committee.id, estateId: estate.id, role: "committee" });

    const now = Date.now();
    const draft = await draftProposal({
      estateId: estate.id,
      userId: committee.id,
      title: "基准表决",
      body: "",
      type: "property_company",
      commentEndsAt: new Date(now - day),
      votingStartsAt: new Date(now - day),
      votingEndsAt: new Date(now + 30 * day),
      now: new Date(now - 2 * day),
    });
    if (!draft.ok) throw new Error(draft.error);
    await openComment({
      estateId: estate.id,
      proposalId: draft.id,
      userId: committee.id,
      now: new Date(now - 2 * day),
    });
    const noticed = await postVoteNotice({
      estateId: estate.id,
      ref: { kind: "proposal", id: draft.id },
      userId: committee.id,
      votingStartsAt: new Date(now - day),
      votingEndsAt: new Date(now + 30 * day),
      now: new Date(now - 20 * day),
    });
    if (!noticed.ok) throw new Error(noticed.error);
    const opened = await openVoting({
      estateId: estate.id,
      proposalId: draft.id,
      userId: committee.id,
      now: new Date(now - day / 2),
    });
    if (!opened.ok) throw new Error(`${opened.error} ${JSON.stringify(opened.params ?? {})}`);

    // Accounts for the first `accounts` single-owner voters, each with a session.
    const voters = await sql<{ voter_id: string; owner_id: string }[]>`
      select voter_id, owner_ids[1] as owner_id from vote_voter
       where proposal_id = ${draft.id} and cardinality(owner_ids) = 1 order by voter_id limit ${options.accounts}`;
    const casters: VotingWorld["casters"] = [];
    for (let i = 0; i < voters.length; i += 500) {
      const chunk = voters.slice(i, i + 500);
      const users = await db
        .insert(s.users)
        .values(
          chunk.map((_, k) => ({ email: `owner${i + k}@bench.local`, passwordHash: "x", displayName: `业主${i + k}` })),
        )
        .returning({ id: s.users.id });
      await db
        .insert(s.memberships)
        .values(users.map((u) => ({ userId: u.id, estateId: estate.id, role: "owner" as const })));
      const sessions = users.map((u) => ({
        id: randomBytes(20).toString("hex"),
        userId: u.id,
        expiresAt: new Date(now + 13 * day),
      }));
      await db.insert(s.sessions).values(sessions);
      for (let k = 0; k < chunk.length; k++) {
        await sql`update owner set user_id = ${users[k].id} where id = ${chunk[k].owner_id}`;
        casters.push({ userId: users[k].id, sessionId: sessions[k].id, voterId: chunk[k].voter_id });
      }
    }
    await sql.end();
    return { handle, url, estate: { id: estate.id, slug: estate.slug }, proposalId: draft.id, casters, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

export function quantile(sorted: number[], q: number) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
