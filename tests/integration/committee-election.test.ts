import { noticeBefore } from "./voting-helpers";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { seedDemo } from "../../db/seed";
import { personalData } from "../../app/account/data.server";
import {
  castElectionBallot,
  closeElection,
  nominate,
  openElectionVoting,
  publishElection,
  stand,
  callByElection,
} from "../../app/committee/elections.server";
import type { ElectionResult } from "../../app/committee/count";
import { committeePage } from "../../app/committee/pages.server";
import { action as electionsAction } from "../../app/routes/e.$estate.committee.elections._index";
import { loader as electionLoader } from "../../app/routes/e.$estate.committee.elections.$id";
import { call, statusOf } from "../fixtures";
import { rolesOf } from "./committee-helpers";
import { deadlineWithin } from "../../app/lib/calendar";
import { restDayTable } from "../../app/lib/rest-days.server";
import { endQueryPeriod } from "./voting-helpers";

const {
  buildings,
  committeeElections,
  committeeZones,
  electionVoters,
  memberships,
  outbox,
  owners,
  ownerships,
  units,
  users,
} = schema;
const hour = 3_600_000;

type U = { id: string; email: string; displayName: string };
let estate: { id: string; slug: string };
const accounts: Record<string, U> = {};
/** Owner accounts by building name, for nominations. */
const byBuilding = new Map<string, U[]>();
const userOfOwner = new Map<string, string>();

async function account(email: string): Promise<U> {
  const [u] = await getDb().select().from(users).where(eq(users.email, email));
  return { ...u, email: u.email! };
}

beforeAll(async () => {
  const db = getDb();
  await seedDemo(db);
  [estate] = await db.select().from(schema.estates).where(eq(schema.estates.slug, "yixin"));
  for (const e of ["community", "committee", "owner", ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `member${n}`)])
    accounts[e] = await account(`${e}@demo.yishitang.cn`);
  // Every roster owner without an account gets one, so the whole estate can vote.
  const free = await db
    .select()
    .from(owners)
    .where(and(eq(owners.estateId, estate.id), isNull(owners.userId)));
  for (let i = 0; i < free.length; i += 500) {
    const chunk = free.slice(i, i + 500);
    const made = await db
      .insert(users)
      .values(chunk.map((o, k) => ({ email: `bulk-${i + k}@owners.test`, passwordHash: "x", displayName: o.name })))
      .returning();
    await db
      .insert(memberships)
      .values(made.map((u) => ({ userId: u.id, estateId: estate.id, role: "owner" as const })));
    for (const [k, o] of chunk.entries())
      await db.update(owners).set({ userId: made[k].id, claimedAt: new Date() }).where(eq(owners.id, o.id));
  }
  const linked = await db
    .select({
      ownerId: owners.id,
      userId: owners.userId,
      email: sql<string>`${users.email}`,
      displayName: users.displayName,
      building: buildings.name,
    })
    .from(owners)
    .innerJoin(users, eq(users.id, owners.userId))
    .innerJoin(ownerships, eq(ownerships.ownerId, owners.id))
    .innerJoin(units, eq(units.id, ownerships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(eq(owners.estateId, estate.id));
  const buildingsOf = new Map<string, Set<string>>();
  for (const l of linked) {
    userOfOwner.set(l.ownerId, l.userId!);
    buildingsOf.set(l.userId!, (buildingsOf.get(l.userId!) ?? new Set()).add(l.building));
  }
  // Nominators: owners whose units are all in one building.
  for (const l of linked) {
    if (!l.email.startsWith("bulk-") || buildingsOf.get(l.userId!)!.size !== 1) continue;
    const list = byBuilding.get(l.building) ?? [];
    if (!list.some((u) => u.id === l.userId)) list.push({ id: l.userId!, email: l.email, displayName: l.displayName });
    byBuilding.set(l.building, list);
  }
}, 180_000);

describe("the whole election on the seeded estate", () => {
  it("calls, nominates, votes, counts, publishes and seats the new committee; reports what stays vacant", async () => {
    const db = getDb();
    const t0 = Date.now();
    const at = (h: number) => new Date(t0 + h * hour);
    const local = (d: Date) => new Date(d.getTime() + 8 * hour).toISOString().slice(0, 16);

    // A community admin calls the election through the page: 9 members, 2 X seats, the four zones of the seed.
    const zonesText = [
      "一区: 1幢, 2幢, 3幢",
      "二区: 4幢, 5幢, 6幢",
      "三区: 7幢, 8幢",
      "四区: 9幢, 10幢, 11幢, 12幢",
    ].join("\n");
    const form = {
      intent: "general",
      title: "第四届业主委员会",
      size: "9",
      xSeats: "2",
      termMonths: "60",
      zones: zonesText,
      nominationThreshold: "3",
      nominationEndsAt: local(at(24)),
      votingStartsAt: local(at(24)),
      votingEndsAt: local(at(24 * 15)),
    };
    const params = { estate: "yixin" };
    expect(
      statusOf(
        await call(electionsAction, { url: "/e/yixin/committee/elections", params, user: accounts.owner, form }),
      ),
    ).toBe(403);
    const called = (await call(electionsAction, {
      url: "/e/yixin/committee/elections",
      params,
      user: accounts.community,
      form,
    })) as Response;
    expect(called.status).toBe(302);
    const electionId = called.headers.get("Location")!.split("/").pop()!;
    const [election] = await db.select().from(committeeElections).where(eq(committeeElections.id, electionId));
    const zones = await db.select().from(committeeZones).where(eq(committeeZones.committeeId, election.committeeId));
    const zone = (prefix: string) => zones.find((z) => z.name.startsWith(prefix))!;
    // 1,200 households in 12 buildings of 100: 7 N seats are 2/2/1/2 by largest remainder.
    expect(zones.sort((a, b) => a.position - b.position).map((z) => [z.households, z.seats])).toEqual([
      [300, 2],
      [300, 2],
      [200, 1],
      [400, 2],
    ]);

    // Candidates stand. An owner cannot stand outside their zone, nor for X without a verified role.
    const ids = { estateId: estate.id, electionId };
    const now = at(1);
    expect(await stand({ ...ids, userId: accounts.owner.id, seat: "N", zoneId: zone("二区").id, now })).toMatchObject({
      error: "committee.errors.notInZone",
    });
    expect(await stand({ ...ids, userId: accounts.owner.id, seat: "X", now })).toMatchObject({
      error: "committee.errors.roleNotVerified",
    });
    const c8 = byBuilding.get("8幢")![0];
    const standing: [string, U, "N" | "X", string | null][] = [
      ["A1", accounts.committee, "N", "一区"],
      ["A2", accounts.member2, "N", "一区"],
      ["A3", accounts.owner, "N", "一区"],
      ["B1", accounts.member3, "N", "二区"],
      ["B2", accounts.member4, "N", "二区"],
      ["C1", accounts.member5, "N", "三区"],
      ["C2", c8, "N", "三区"],
      ["D1", accounts.member6, "N", "四区"],
      ["X1", accounts.member8, "X", null],
      ["X2", accounts.member9, "X", null],
    ];
    const cand: Record<string, string> = {};
    for (const [key, user, seat, z] of standing) {
      const r = await stand({ ...ids, userId: user.id, seat, zoneId: z ? zone(z).id : null, now });
      if (!r.ok) throw new Error(`${key}: ${r.error}`);
      cand[key] = r.id;
    }
    expect(
      await stand({ ...ids, userId: accounts.committee.id, seat: "N", zoneId: zone("一区").id, now }),
    ).toMatchObject({ error: "committee.errors.alreadyStanding" });

    // Households of each zone nominate (co-owners of one flat are one household); B2 gets only two
    // households (short of three) and is left off the ballot.
    const nominators = (buildingName: string) => byBuilding.get(buildingName)!.slice(1);
    const nominateBy = async (key: string, buildingName: string, households: number) => {
      let reached = 0;
      for (const u of nominators(buildingName)) {
        const r = await nominate({ estateId: estate.id, candidateId: cand[key], userId: u.id, now });
        if (!r.ok) throw new Error(r.error);
        reached = r.households;
        if (reached >= households) break;
      }
      expect(reached).toBe(households);
    };
    await nominateBy("A1", "1幢", 3);
    await nominateBy("A2", "2幢", 3);
    await nominateBy("A3", "3幢", 4);
    await nominateBy("B1", "4幢", 3);
    await nominateBy("B2", "5幢", 2);
    await nominateBy("C1", "7幢", 3);
    await nominateBy("C2", "8幢", 3);
    await nominateBy("D1", "9幢", 3);
    // Nobody nominates themselves.
    expect(
      await nominate({ estateId: estate.id, candidateId: cand.A1, userId: accounts.committee.id, now }),
    ).toMatchObject({ error: "committee.errors.selfNomination" });
    // A household of another zone cannot nominate.
    expect(
      await nominate({ estateId: estate.id, candidateId: cand.A1, userId: nominators("9幢")[0].id, now }),
    ).toMatchObject({ error: "committee.errors.notInZone" });
    expect(await openElectionVoting({ ...ids, userId: accounts.community.id, now })).toMatchObject({
      error: "committee.errors.nominationsOpen",
    });

    // No election notice, no opening (物业管理条例 Art. 14).
    expect(await openElectionVoting({ ...ids, userId: accounts.community.id, now: at(25) })).toMatchObject({
      error: "voteNotice.errors.notPosted",
    });
    await noticeBefore(estate.id, { kind: "election", id: ids.electionId }, accounts.community.id, at(25));
    const opened = await openElectionVoting({ ...ids, userId: accounts.community.id, now: at(25) });
    if (!opened.ok) throw new Error(opened.error);
    expect(opened.candidates).toBe(9); // B2 short of nominations
    expect(await stand({ ...ids, userId: c8.id, seat: "N", zoneId: zone("三区").id, now: at(25) })).toMatchObject({
      error: "committee.errors.nominationsClosed",
    });
    const notices = await db
      .select()
      .from(outbox)
      .where(eq(outbox.idempotencyKey, `election-opened:${electionId}`));
    expect(notices.length).toBeGreaterThan(1000);

    // The electorate snapshot: one voter per set of owners, the developer's unsold units as one.
    const voters = await db.select().from(electionVoters).where(eq(electionVoters.electionId, electionId));
    expect(voters.length).toBe(opened.voters);
    expect(voters.filter((v) => v.voterId === "developer")).toHaveLength(1);

    // Ballot rules: no more agrees than seats in a race; only one's own voter; unknown candidates refused.
    const ownVoter = voters.find((v) => v.ownerIds.some((o) => userOfOwner.get(o) === accounts.owner.id))!;
    const castAt = at(30);
    const cast = (userId: string, voterId: string, marks: Record<string, "agree" | "oppose" | "abstain">) =>
      castElectionBallot({ ...ids, userId, voterId, marks, now: castAt });
    expect(
      await cast(accounts.owner.id, ownVoter.voterId, { [cand.A1]: "agree", [cand.A2]: "agree", [cand.A3]: "agree" }),
    ).toMatchObject({ error: "committee.errors.tooManyAgrees" });
    expect(await cast(accounts.member2.id, ownVoter.voterId, { [cand.A1]: "agree" })).toMatchObject({
      error: "committee.errors.notYourVoter",
    });
    expect(await cast(accounts.owner.id, ownVoter.voterId, { [cand.B2]: "agree" })).toMatchObject({
      error: "committee.errors.notACandidate",
    });

    // 80% of the voters return a ballot (every voter but the developer has an account now).
    const people = voters.filter((v) => v.voterId !== "developer").sort((a, b) => (a.voterId < b.voterId ? -1 : 1));
    const returning = people.slice(0, Math.ceil(people.length * 0.8));
    for (const [i, v] of returning.entries()) {
      const r = i % 100;
      const marks: Record<string, "agree" | "oppose" | "abstain"> = {};
      // 一区 (2 seats): A1 70%, A2 60%, A3 30% — never three agrees on one ballot.
      marks[cand.A1] = r < 70 ? "agree" : "oppose";
      marks[cand.A2] = r >= 10 && r < 70 ? "agree" : "abstain";
      if (r >= 70) marks[cand.A3] = "agree";
      // 二区: B1 62%.
      marks[cand.B1] = r < 62 ? "agree" : "oppose";
      // 三区 (1 seat): C1 60%, C2 35%.
      if (r < 60) marks[cand.C1] = "agree";
      else if (r >= 65) marks[cand.C2] = "agree";
      // 四区: D1 80%.
      marks[cand.D1] = r < 80 ? "agree" : "abstain";
      // X (2 seats): X1 65%, X2 60%.
      if (r < 65) marks[cand.X1] = "agree";
      if (r >= 40) marks[cand.X2] = "agree";
      const userId = userOfOwner.get(v.ownerIds[0])!;
      const res = await cast(userId, v.voterId, marks);
      if (!res.ok) throw new Error(`${v.voterId}: ${res.error}`);
    }
    // A changed ballot replaces the earlier one (the estate allows changes by default).
    const first = returning[0];
    const again = await cast(userOfOwner.get(first.ownerIds[0])!, first.voterId, {
      [cand.A1]: "agree",
      [cand.A2]: "agree",
      [cand.B1]: "agree",
      [cand.C1]: "agree",
      [cand.D1]: "agree",
      [cand.X1]: "agree",
      [cand.X2]: "oppose",
    });
    expect(again).toMatchObject({ ok: true });
    // The voter's data download holds both ballots, the current one with its marks by candidate.
    const download = await personalData(userOfOwner.get(first.ownerIds[0])!);
    const current = download!.electionBallots.filter((b) => b.replacedAt === null);
    expect(download!.electionBallots).toHaveLength(2);
    expect(current).toHaveLength(1);
    const nameOf = async (key: string) =>
      (
        await db
          .select({ name: schema.electionCandidates.name })
          .from(schema.electionCandidates)
          .where(eq(schema.electionCandidates.id, cand[key]))
      )[0].name;
    expect(current[0].marks).toContainEqual({ candidate: await nameOf("A1"), seat: "N", choice: "agree" });
    expect(current[0].marks).toContainEqual({ candidate: await nameOf("X2"), seat: "X", choice: "oppose" });

    expect(await closeElection({ ...ids, userId: accounts.community.id, now: castAt })).toMatchObject({
      error: "voting.errors.windowNotOver",
    });
    const closed = await closeElection({ ...ids, userId: accounts.community.id, now: at(24 * 15) });
    if (!closed.ok) throw new Error(closed.error);
    // Calling, the notice, opening and closing are in the audit log once each; the refused early close wrote nothing.
    const logged = await db
      .select({ act: schema.auditEvents.act, actor: schema.auditEvents.actorUserId })
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.subjectId, electionId));
    expect(logged.map((r) => r.act).sort()).toEqual([
      "election_call",
      "election_close",
      "election_open",
      "vote_notice_post",
    ]);
    expect(logged.every((r) => r.actor === accounts.community.id)).toBe(true);
    const result: ElectionResult = closed.result;
    expect(result.ballots).toBe(returning.length);
    const of = (key: string) => result.candidates.find((c) => c.id === cand[key])!;
    expect(of("A1").tally.quorumMet).toBe(true);
    expect(["A1", "A2", "B1", "C1", "D1", "X1", "X2"].filter((k) => of(k).approved)).toEqual([
      "A1",
      "A2",
      "B1",
      "C1",
      "D1",
      "X1",
      "X2",
    ]);
    expect(["A3", "C2"].filter((k) => of(k).approved)).toEqual([]);
    expect(result.candidates.some((c) => c.id === cand.B2)).toBe(false);
    const race = (name: string | "X") => result.races.find((r) => r.race === (name === "X" ? "X" : zone(name).id))!;
    expect(race("一区")).toMatchObject({ elected: [cand.A1, cand.A2], unfilled: 0, tied: [] });
    expect(race("二区")).toMatchObject({ elected: [cand.B1], unfilled: 1 });
    expect(race("三区")).toMatchObject({ elected: [cand.C1], unfilled: 0 });
    expect(race("四区")).toMatchObject({ elected: [cand.D1], unfilled: 1 });
    expect(race("X")).toMatchObject({ elected: [cand.X1, cand.X2], unfilled: 0 });
    expect(result.constituted).toBe(true);

    // Owners see the (preliminary) result from the close on, so that they can query it.
    const ownerView = (await call(electionLoader, {
      url: "/",
      params: { estate: "yixin", id: electionId },
      user: accounts.owner,
    })) as { page: { result: unknown } };
    expect(ownerView.page.result).toEqual(result);

    await endQueryPeriod(ids);
    const published = await publishElection({ ...ids, userId: accounts.community.id, now: at(24 * 16) });
    expect(published).toEqual({ ok: true, constituted: true, seated: 7 });
    const page = await committeePage(estate.id, { now: at(24 * 16) });
    expect(page?.committee).toMatchObject({ title: "第四届业主委员会", status: "active", size: 9 });
    expect(page?.committee?.termStartsAt).toBe(at(24 * 16).toISOString());
    expect(page?.members).toHaveLength(7);
    expect(page?.vacancies).toEqual({ n: 2, x: 0 });
    expect(page?.history.map((h) => [h.title, h.status])).toEqual([
      ["第四届业主委员会", "active"],
      ["第三届业主委员会", "archived"],
    ]);
    // Re-elected members keep the committee role; those not re-elected lose it.
    expect(await rolesOf(accounts.committee.id, estate.id)).toContain("committee");
    expect(await rolesOf(accounts.member4.id, estate.id)).not.toContain("committee");
    expect(await rolesOf(accounts.member7.id, estate.id)).not.toContain("committee");
    // The first meeting, to elect the chair, is due within 7 days.
    // (24:00 Beijing of the 7th day after the result, moved past rest days.)
    expect(page?.committee?.firstMeetingDueAt).toBe(deadlineWithin(at(24 * 16), 7, await restDayTable()).toISOString());

    // A by-election for the two vacant N seats.
    const by = await callByElection({
      estateId: estate.id,
      userId: accounts.community.id,
      title: "第四届补选",
      nominationThreshold: 3,
      nominationEndsAt: at(24 * 20),
      votingStartsAt: at(24 * 20),
      votingEndsAt: at(24 * 30),
      now: at(24 * 17),
    });
    if (!by.ok) throw new Error(by.error);
    const races = await db.select().from(schema.electionRaces).where(eq(schema.electionRaces.electionId, by.id));
    const newZones = await db
      .select()
      .from(committeeZones)
      .where(
        inArray(
          committeeZones.id,
          races.map((r) => r.zoneId!),
        ),
      );
    expect(races.map((r) => [newZones.find((z) => z.id === r.zoneId)!.name, r.seats]).sort()).toEqual([
      ["二区", 1],
      ["四区", 1],
    ]);
  }, 300_000);
});
