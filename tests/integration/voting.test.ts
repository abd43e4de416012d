import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { violatedConstraint } from "../../db/errors";
import { castBallot } from "../../app/voting/ballots.server";
import { ledgerCsv, parseLedgerCsv, verifyLedger } from "../../app/voting/ledger";
import {
  addComment,
  closeVoting,
  draftProposal,
  ledgerEntries,
  openComment,
  openVoting,
  publishResult,
  recordCarriedOut,
  tallyFromDb,
  tallyVoterByVoter,
} from "../../app/voting/proposals.server";
import { liveTurnout, remindNonVoters, unitsNotVoted } from "../../app/voting/turnout.server";
import { makeEstate, makeUnits, makeUser, onPostgres } from "../fixtures";
import { day, endQueryPeriod, noticeBefore, ownerAccount, setSettings, votingEstate } from "./voting-helpers";

const db = () => getDb();
const { auditEvents, ballots, proposals, voteUnits, voteVoters } = schema;

/** The constraint a failed statement violated. */
async function violated(query: PromiseLike<unknown>): Promise<string | null> {
  try {
    await query;
  } catch (error) {
    const name = violatedConstraint(error);
    if (name) return name;
    throw error;
  }
  return null;
}

async function ballotRows(proposalId: string) {
  return db().select().from(ballots).where(eq(ballots.proposalId, proposalId)).orderBy(asc(ballots.seq));
}

describe("the lifecycle of a proposal", () => {
  it("goes draft → comment → voting → closed → published → carried out, with a ledger that verifies", async () => {
    const estate = await makeEstate();
    // 1幢101 and 102 belong to 王; 201 to 李 and 张 together; 202 to 赵; 301 is the developer's.
    const [u101, , u201, u202] = await makeUnits(estate.id, [
      { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳", ref: "W1" }] },
      { building: "1幢", number: "102", area: 8_000, owners: [{ name: "王芳", ref: "W1" }] },
      {
        building: "1幢",
        number: "201",
        area: 12_000,
        owners: [
          { name: "李雷", ref: "L1" },
          { name: "张梅", ref: "Z1" },
        ],
      },
      { building: "2幢", number: "202", area: 9_000, owners: [{ name: "赵强", ref: "ZQ" }] },
      { building: "2幢", number: "301", area: 15_000, developerUnsold: true },
    ]);
    const c1 = await makeUser([{ role: "committee", estateId: estate.id }], "陈委员");
    const wang = await ownerAccount(estate.id, u101.ownerIds[0], "王芳");
    const li = await ownerAccount(estate.id, u201.ownerIds[0], "李雷");
    const zhang = await ownerAccount(estate.id, u201.ownerIds[1], "张梅");
    const zhao = await ownerAccount(estate.id, u202.ownerIds[0], "赵强");
    const t0 = new Date("2026-12-01T02:00:00Z");
    const at = (days: number) => new Date(t0.getTime() + days * day);

    // Dates must be in order and in the future.
    const base = {
      estateId: estate.id,
      userId: c1.id,
      title: "更换物业公司",
      body: "理由……",
      type: "property_company" as const,
      now: t0,
    };
    expect(await draftProposal({ ...base, commentEndsAt: at(-1), votingStartsAt: at(1), votingEndsAt: at(2) })).toEqual(
      { ok: false, error: "voting.errors.datesPast" },
    );
    expect(await draftProposal({ ...base, commentEndsAt: at(5), votingStartsAt: at(4), votingEndsAt: at(9) })).toEqual({
      ok: false,
      error: "voting.errors.datesOrder",
    });
    const draft = await draftProposal({ ...base, commentEndsAt: at(7), votingStartsAt: at(7), votingEndsAt: at(22) });
    expect(draft.ok).toBe(true);
    const proposalId = (draft as { id: string }).id;
    const ids = { estateId: estate.id, proposalId };

    // Comments only in the comment period; voting only after it.
    expect(await addComment({ ...ids, userId: wang.id, body: "早", now: at(0) })).toEqual({
      ok: false,
      error: "voting.errors.notFound",
    });
    expect(await openVoting({ ...ids, userId: c1.id, now: at(1) })).toEqual({
      ok: false,
      error: "voting.errors.wrongStatus",
    });
    expect(await openComment({ ...ids, userId: c1.id, now: at(0) })).toEqual({ ok: true });
    expect(await addComment({ ...ids, userId: wang.id, body: "支持更换", now: at(1) })).toEqual({ ok: true });
    await noticeBefore(estate.id, { kind: "proposal", id: proposalId }, c1.id, at(7));
    expect(await openVoting({ ...ids, userId: c1.id, now: at(6) })).toEqual({
      ok: false,
      error: "voting.errors.notStarted",
    });
    expect(await addComment({ ...ids, userId: wang.id, body: "晚了", now: at(7) })).toEqual({
      ok: false,
      error: "voting.errors.commentClosed",
    });
    expect(await openVoting({ ...ids, userId: c1.id, now: at(7) })).toEqual({ ok: true, voters: 4 });

    // The snapshot: 王 (two units, one voter), 李+张 (co-owners, one voter), 赵, and the developer.
    const snapshot = await db()
      .select()
      .from(voteVoters)
      .where(eq(voteVoters.proposalId, proposalId))
      .orderBy(asc(voteVoters.areaCentiSqm));
    expect(snapshot.map((v) => [v.areaCentiSqm, v.unitIds.length, v.headcount])).toEqual([
      [9_000, 1, 1],
      [12_000, 1, 1],
      [15_000, 1, 1],
      [18_000, 2, 1],
    ]);
    expect(snapshot.find((v) => v.areaCentiSqm === 15_000)!.voterId).toBe("developer");
    const voterOf = (unitId: string) => snapshot.find((v) => v.unitIds.includes(unitId))!.voterId;

    // Casting: each voter once; a change replaces; a co-owner may cast for the shared voter.
    const cast = (userId: string, unitId: string, choice: "agree" | "oppose" | "abstain", days: number) =>
      castBallot({ ...ids, voterId: voterOf(unitId), choice, userId, now: at(days) });
    const first = await cast(wang.id, u101.unitId, "oppose", 8);
    expect(first).toMatchObject({ ok: true, seq: 1, replaced: null, channel: "online" });
    const changed = await cast(wang.id, u101.unitId, "agree", 9);
    expect(changed).toMatchObject({ ok: true, seq: 2, replaced: (first as { receipt: string }).receipt });
    expect(await cast(li.id, u201.unitId, "agree", 9)).toMatchObject({ ok: true, seq: 3 });
    expect(await cast(zhang.id, u201.unitId, "abstain", 10)).toMatchObject({ ok: true, seq: 4 }); // the co-owner's later ballot counts
    // Nobody casts for a voter they are not part of.
    expect(await cast(zhao.id, u201.unitId, "oppose", 10)).toEqual({ ok: false, error: "voting.errors.notYourVoter" });
    expect(await castBallot({ ...ids, voterId: "developer", choice: "agree", userId: zhao.id, now: at(10) })).toEqual({
      ok: false,
      error: "voting.errors.notYourVoter",
    });
    expect(await cast(zhao.id, u202.unitId, "agree", 10)).toMatchObject({ ok: true, seq: 5 });

    // Closing waits for the end of the window; casting stops there.
    expect(await closeVoting({ ...ids, userId: c1.id, now: at(21) })).toEqual({
      ok: false,
      error: "voting.errors.windowNotOver",
    });
    expect(await cast(zhao.id, u202.unitId, "oppose", 22)).toEqual({ ok: false, error: "voting.errors.windowOver" });
    const closed = await closeVoting({ ...ids, userId: c1.id, now: at(22) });
    expect(closed.ok).toBe(true);
    const { tally, finalHash } = closed as Extract<typeof closed, { ok: true }>;
    // 3 of 4 voters took part (≥ 2/3); area 39,000 of 54,000 (≥ 2/3: 117,000 ≥ 108,000).
    // Agree: 王 18,000 + 赵 9,000 = 27,000 of 39,000 (> 1/2); headcount 2 of 3 (> 1/2): passed.
    expect(tally).toEqual({
      totalArea: 54_000,
      totalHeadcount: 4,
      participatingArea: 39_000,
      participatingHeadcount: 3,
      agreeArea: 27_000,
      agreeHeadcount: 2,
      opposeArea: 0,
      opposeHeadcount: 0,
      abstainArea: 12_000,
      abstainHeadcount: 1,
      spoiledArea: 0,
      spoiledHeadcount: 0,
      criteria: {
        quorumArea: {
          threshold: { num: 2, den: 3, inclusive: true },
          whole: 54_000,
          needed: 36_000,
          reached: 39_000,
          met: true,
        },
        quorumHeadcount: { threshold: { num: 2, den: 3, inclusive: true }, whole: 4, needed: 3, reached: 3, met: true },
        approvalArea: {
          threshold: { num: 1, den: 2, inclusive: false },
          whole: 39_000,
          needed: 19_501,
          reached: 27_000,
          met: true,
        },
        approvalHeadcount: {
          threshold: { num: 1, den: 2, inclusive: false },
          whole: 3,
          needed: 2,
          reached: 2,
          met: true,
        },
      },
      quorumMet: true,
      passed: true,
    });
    expect(await tallyVoterByVoter(db(), proposalId, "ordinary")).toEqual(tally);
    const rows = await ballotRows(proposalId);
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => !r.superseded)).toHaveLength(3);
    expect(finalHash).toBe(rows[4].hash);
    expect(await cast(wang.id, u101.unitId, "oppose", 23)).toEqual({ ok: false, error: "voting.errors.notOpen" });

    // The public ledger recomputes to the same chain and the same tally.
    const csv = ledgerCsv(
      {
        proposalId,
        matter: "ordinary",
        totalAreaCentiSqm: tally.totalArea,
        totalHeadcount: tally.totalHeadcount,
        finalHash,
      },
      await ledgerEntries(db(), proposalId),
    );
    const parsed = parseLedgerCsv(csv);
    const verified = verifyLedger(parsed.meta, parsed.entries);
    expect(verified.problems).toEqual([]);
    expect(verified.tally).toEqual(tally);
    expect(verified.counted).toHaveLength(3);
    expect(csv).not.toMatch(/王|李|张|赵|幢/);

    expect(await recordCarriedOut({ ...ids, userId: c1.id, record: "x", now: at(23) })).toEqual({
      ok: false,
      error: "voting.errors.wrongStatus",
    });
    await endQueryPeriod(ids);
    expect(await publishResult({ ...ids, userId: c1.id, publicityDays: 15, now: at(23) })).toEqual({ ok: true });
    expect(await recordCarriedOut({ ...ids, userId: c1.id, record: "2027年1月与新物业签约", now: at(40) })).toEqual({
      ok: true,
    });
    const [final] = await db().select().from(proposals).where(eq(proposals.id, proposalId));
    expect(final.status).toBe("carried_out");
    // Published 24 Dec 10:00 Beijing for 15 days: to 24:00 on Friday 8 Jan 2027 (calendar days, not 15 × 24 hours).
    expect(final.publicityEndsAt).toEqual(new Date("2027-01-08T16:00:00Z"));

    const actions = await db()
      .select({ act: auditEvents.act })
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, proposalId))
      .orderBy(asc(auditEvents.createdAt));
    expect(actions.map((a) => a.act)).toEqual([
      "vote_notice_post", // dated 20 days before the opening by noticeBefore
      "proposal_comment_open",
      "vote_open",
      "vote_close",
      "proposal_publish",
      "proposal_carry_out",
    ]);
  });

  it("fixes major or ordinary by the matter type, in the database too", async () => {
    const estate = await makeEstate();
    const c = await makeUser([{ role: "committee", estateId: estate.id }]);
    const now = new Date();
    const dates = {
      commentEndsAt: new Date(now.getTime() + day),
      votingStartsAt: new Date(now.getTime() + day),
      votingEndsAt: new Date(now.getTime() + 9 * day),
    };
    const made = await draftProposal({
      estateId: estate.id,
      userId: c.id,
      title: "加装电梯",
      body: "",
      type: "rebuild_renovate",
      ...dates,
    });
    const [row] = await db()
      .select()
      .from(proposals)
      .where(eq(proposals.id, (made as { id: string }).id));
    expect(row.matter).toBe("major");
    expect(await violated(db().update(proposals).set({ matter: "ordinary" }).where(eq(proposals.id, row.id)))).toBe(
      "proposal_matter_fixed_by_type",
    );
  });

  it("refuses to open a vote while a unit has no owner on the roster", async () => {
    const estate = await makeEstate();
    await makeUnits(estate.id, [
      { building: "1幢", number: "101", owners: [{ name: "王芳" }] },
      { building: "1幢", number: "102", owners: [] },
    ]);
    const c = await makeUser([{ role: "committee", estateId: estate.id }]);
    const now = Date.now();
    const made = (await draftProposal({
      estateId: estate.id,
      userId: c.id,
      title: "t",
      body: "",
      type: "fund_use",
      commentEndsAt: new Date(now - day),
      votingStartsAt: new Date(now - day),
      votingEndsAt: new Date(now + day),
      now: new Date(now - 2 * day),
    })) as { id: string };
    await openComment({ estateId: estate.id, proposalId: made.id, userId: c.id, now: new Date(now - 2 * day) });
    await noticeBefore(estate.id, { kind: "proposal", id: made.id }, c.id, new Date(now));
    expect(await openVoting({ estateId: estate.id, proposalId: made.id, userId: c.id })).toEqual({
      ok: false,
      error: "voting.errors.ownersMissing",
      params: { count: 1, units: "1幢 102" },
    });
  });
});

describe("one current ballot per voter", () => {
  it("lets a voter change their ballot by default, the later one counting", async () => {
    const v = await votingEstate([{ building: "1幢", number: "101", owners: [{ name: "王芳" }] }]);
    const wang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0]);
    const voterId = v.units[0].ownerIds[0];
    const ids = { estateId: v.estate.id, proposalId: v.proposalId, voterId, userId: wang.id };
    expect(await castBallot({ ...ids, choice: "agree" })).toMatchObject({ ok: true });
    expect(await castBallot({ ...ids, choice: "oppose" })).toMatchObject({ ok: true });
    const rows = await ballotRows(v.proposalId);
    expect(rows.map((r) => [r.choice, r.superseded])).toEqual([
      ["agree", true],
      ["oppose", false],
    ]);
    expect((await tallyFromDb(db(), v.proposalId, "ordinary")).opposeHeadcount).toBe(1);
  });

  it("keeps the first ballot when the estate makes ballots final", async () => {
    const v = await votingEstate([{ building: "1幢", number: "101", owners: [{ name: "王芳" }] }], {
      settings: { ballotsChangeable: false },
    });
    const wang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0]);
    const ids = { estateId: v.estate.id, proposalId: v.proposalId, voterId: v.units[0].ownerIds[0], userId: wang.id };
    expect(await castBallot({ ...ids, choice: "agree" })).toMatchObject({ ok: true });
    expect(await castBallot({ ...ids, choice: "oppose" })).toEqual({ ok: false, error: "voting.errors.ballotFinal" });
    expect((await ballotRows(v.proposalId)).map((r) => r.choice)).toEqual(["agree"]);
  });

  it.runIf(onPostgres())(
    "ends 50 concurrent casts by co-owners in exactly one current ballot and an unbroken chain (PostgreSQL only)",
    async () => {
      const names = Array.from({ length: 5 }, (_, i) => ({ name: `共有人${i}`, ref: `CO${i}` }));
      const v = await votingEstate([
        { building: "1幢", number: "101", owners: names },
        { building: "1幢", number: "102", owners: [{ name: "邻居" }] },
      ]);
      const coOwners = await Promise.all(v.units[0].ownerIds.map((id) => ownerAccount(v.estate.id, id)));
      const [voter] = await db()
        .select()
        .from(voteVoters)
        .where(
          and(
            eq(voteVoters.proposalId, v.proposalId),
            sql`${voteVoters.unitIds} @> array[${v.units[0].unitId}]::uuid[]`,
          ),
        );
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          castBallot({
            estateId: v.estate.id,
            proposalId: v.proposalId,
            voterId: voter.voterId,
            userId: coOwners[i % 5].id,
            choice: (["agree", "oppose", "abstain"] as const)[i % 3],
          }),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const rows = await ballotRows(v.proposalId);
      expect(rows).toHaveLength(50);
      expect(rows.filter((r) => !r.superseded)).toHaveLength(1);
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      // Each ballot replaces the one before it, and the chain links.
      for (let i = 1; i < 50; i++) {
        expect(rows[i].replaces).toBe(rows[i - 1].receipt);
        expect(rows[i].prevHash).toBe(rows[i - 1].hash);
      }
      const [p] = await db().select().from(proposals).where(eq(proposals.id, v.proposalId));
      const verified = verifyLedger(
        {
          proposalId: v.proposalId,
          matter: "ordinary",
          totalAreaCentiSqm: 20_000,
          totalHeadcount: 2,
          finalHash: p.chainHead!,
        },
        await ledgerEntries(db(), v.proposalId),
      );
      expect(verified.problems).toEqual([]);
      expect(verified.tally!.participatingHeadcount).toBe(1);
      expect(await tallyFromDb(db(), v.proposalId, "ordinary")).toEqual(
        await tallyVoterByVoter(db(), v.proposalId, "ordinary"),
      );
    },
  );

  it.runIf(onPostgres())(
    "ends 50 concurrent casts in exactly one ballot when ballots are final (PostgreSQL only)",
    async () => {
      const names = Array.from({ length: 5 }, (_, i) => ({ name: `共有人${i}`, ref: `CF${i}` }));
      const v = await votingEstate([{ building: "1幢", number: "101", owners: names }], {
        settings: { ballotsChangeable: false },
      });
      const coOwners = await Promise.all(v.units[0].ownerIds.map((id) => ownerAccount(v.estate.id, id)));
      const [voter] = await db().select().from(voteVoters).where(eq(voteVoters.proposalId, v.proposalId));
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          castBallot({
            estateId: v.estate.id,
            proposalId: v.proposalId,
            voterId: voter.voterId,
            userId: coOwners[i % 5].id,
            choice: "agree",
          }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error === "voting.errors.ballotFinal")).toBe(true);
      expect(await ballotRows(v.proposalId)).toHaveLength(1);
    },
  );

  it("is enforced by the database: a second current ballot, or a ballot from outside the electorate, is refused", async () => {
    const v = await votingEstate([{ building: "1幢", number: "101", owners: [{ name: "王芳" }] }]);
    const wang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0]);
    const voterId = v.units[0].ownerIds[0];
    await castBallot({ estateId: v.estate.id, proposalId: v.proposalId, voterId, userId: wang.id, choice: "agree" });
    const [row] = await ballotRows(v.proposalId);
    const copy = { ...row, id: undefined, receipt: "XXXX-XXXX-XXX1", seq: 2 };
    expect(await violated(db().insert(ballots).values(copy))).toBe("ballot_one_current");
    expect(
      await violated(
        db()
          .insert(ballots)
          .values({ ...copy, voterId: "someone-else", receipt: "XXXX-XXXX-XXX2", seq: 3 }),
      ),
    ).toMatch(/^ballot_voter(_area)?_fk$/);
    // A ballot weighs exactly its voter's snapshot area.
    expect(
      await violated(
        db()
          .insert(ballots)
          .values({ ...copy, superseded: true, areaCentiSqm: row.areaCentiSqm + 1, receipt: "XXXX-XXXX-XXX5", seq: 5 }),
      ),
    ).toBe("ballot_voter_area_fk");
    // Superseded copies may pile up; only current ones are unique.
    await db()
      .insert(ballots)
      .values({ ...copy, superseded: true, receipt: "XXXX-XXXX-XXX3", seq: 4 });
  });
});

describe("the electorate snapshot", () => {
  it("does not change when the roster changes after opening", async () => {
    const v = await votingEstate([
      { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳", ref: "W" }] },
      { building: "1幢", number: "102", area: 10_000, owners: [{ name: "李雷", ref: "L" }] },
    ]);
    const before = await db()
      .select()
      .from(voteVoters)
      .where(eq(voteVoters.proposalId, v.proposalId))
      .orderBy(asc(voteVoters.voterId));
    // The roster changes: 102 is sold to a newcomer, a unit is added, 101's area is corrected.
    const [newcomer] = await db()
      .insert(schema.owners)
      .values({ estateId: v.estate.id, name: "新业主", identityKey: "ref:NEW" })
      .returning();
    await db().delete(schema.ownerships).where(eq(schema.ownerships.unitId, v.units[1].unitId));
    await db()
      .insert(schema.ownerships)
      .values({ estateId: v.estate.id, unitId: v.units[1].unitId, ownerId: newcomer.id });
    await makeUnits(v.estate.id, [{ building: "2幢", number: "101", area: 50_000, owners: [{ name: "后来者" }] }]);
    await db().update(schema.units).set({ areaCentiSqm: 99_999 }).where(eq(schema.units.id, v.units[0].unitId));

    const after = await db()
      .select()
      .from(voteVoters)
      .where(eq(voteVoters.proposalId, v.proposalId))
      .orderBy(asc(voteVoters.voterId));
    expect(after).toEqual(before);
    expect(await db().select().from(voteUnits).where(eq(voteUnits.proposalId, v.proposalId))).toHaveLength(2);
    // The newcomer is not in this vote's electorate; the seller still is.
    const newUser = await ownerAccount(v.estate.id, newcomer.id);
    expect(
      await castBallot({
        estateId: v.estate.id,
        proposalId: v.proposalId,
        voterId: v.units[1].ownerIds[0],
        userId: newUser.id,
        choice: "agree",
      }),
    ).toEqual({
      ok: false,
      error: "voting.errors.notYourVoter",
    });
    const t = await tallyFromDb(db(), v.proposalId, "ordinary");
    expect([t.totalArea, t.totalHeadcount]).toEqual([20_000, 2]);
  });

  it("counts only the unit kinds the estate's setting names", async () => {
    const v = await votingEstate(
      [
        { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳", ref: "W" }] },
        { building: "车库", number: "P001", area: 1_250, owners: [{ name: "王芳", ref: "W" }] },
        { building: "车库", number: "P002", area: 1_250, owners: [{ name: "车位主", ref: "P" }] },
      ],
      {
        settings: { votingUnitKinds: ["residential", "commercial"] },
        before: async (estateId) => {
          await db()
            .update(schema.units)
            .set({ kind: "parking" })
            .where(and(eq(schema.units.estateId, estateId), sql`${schema.units.number} like 'P%'`));
        },
      },
    );
    const t = await tallyFromDb(db(), v.proposalId, "ordinary");
    expect([t.totalArea, t.totalHeadcount]).toEqual([10_000, 1]);
    const [p] = await db().select().from(proposals).where(eq(proposals.id, v.proposalId));
    expect(p.rules).toEqual({
      ballotsChangeable: true,
      paperOnlineConflict: "online",
      spoiledTakesPart: true,
      coOwnersNameOne: false,
      votingUnitKinds: ["residential", "commercial"],
    });
  });
});

describe("reaching quorum", () => {
  it("shows turnout by building and the units not yet voted, with masked names", async () => {
    const v = await votingEstate([
      { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳芳", ref: "W" }] },
      { building: "1幢", number: "102", area: 10_000, owners: [{ name: "李雷", ref: "L" }] },
      { building: "2幢", number: "101", area: 20_000, owners: [{ name: "王芳芳", ref: "W" }] },
      { building: "2幢", number: "102", area: 5_000, developerUnsold: true },
    ]);
    const wang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0]);
    await castBallot({
      estateId: v.estate.id,
      proposalId: v.proposalId,
      voterId: v.units[0].ownerIds[0],
      userId: wang.id,
      choice: "agree",
    });
    const turnout = await liveTurnout(v.proposalId);
    const quorum = { num: 2, den: 3, inclusive: true };
    // Exactly 2/3 of the area (30,000 of 45,000) meets the quorum by area; 1 of 3 voters does not.
    expect(turnout.overall).toEqual({
      totalArea: 45_000,
      totalHeadcount: 3,
      participatingArea: 30_000,
      participatingHeadcount: 1,
      criteria: {
        quorumArea: { threshold: quorum, whole: 45_000, needed: 30_000, reached: 30_000, met: true },
        quorumHeadcount: { threshold: quorum, whole: 3, needed: 2, reached: 1, met: false },
      },
      quorumMet: false,
    });
    expect(turnout.byBuilding).toEqual([
      {
        building: "1幢",
        units: 2,
        votedUnits: 1,
        areaCentiSqm: 20_000,
        votedAreaCentiSqm: 10_000,
        voters: 2,
        votedVoters: 1,
        criteria: {
          quorumArea: { threshold: quorum, whole: 20_000, needed: 13_334, reached: 10_000, met: false },
          quorumHeadcount: { threshold: quorum, whole: 2, needed: 2, reached: 1, met: false },
        },
      },
      {
        building: "2幢",
        units: 2,
        votedUnits: 1,
        areaCentiSqm: 25_000,
        votedAreaCentiSqm: 20_000,
        voters: 2,
        votedVoters: 1,
        criteria: {
          quorumArea: { threshold: quorum, whole: 25_000, needed: 16_667, reached: 20_000, met: true },
          quorumHeadcount: { threshold: quorum, whole: 2, needed: 2, reached: 1, met: false },
        },
      },
    ]);
    expect(await unitsNotVoted(v.proposalId)).toEqual([
      { building: "1幢", number: "102", areaCentiSqm: 10_000, developer: false, owners: ["李*"] },
      { building: "2幢", number: "102", areaCentiSqm: 5_000, developer: true, owners: [] },
    ]);
  });

  it("reminds the non-voters with accounts through the outbox, once a day", async () => {
    const v = await votingEstate([
      { building: "1幢", number: "101", owners: [{ name: "王芳", ref: "W" }] },
      { building: "1幢", number: "102", owners: [{ name: "李雷", ref: "L" }] },
      { building: "1幢", number: "103", owners: [{ name: "无账号" }] },
    ]);
    const wang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0]);
    const li = await ownerAccount(v.estate.id, v.units[1].ownerIds[0]);
    await castBallot({
      estateId: v.estate.id,
      proposalId: v.proposalId,
      voterId: v.units[0].ownerIds[0],
      userId: wang.id,
      choice: "agree",
    });
    const input = { estateId: v.estate.id, estateSlug: v.estate.slug, proposalId: v.proposalId, userId: v.c1.id };
    expect(await remindNonVoters(input)).toEqual({ ok: true, people: 1, mails: 1 });
    expect(await remindNonVoters(input)).toEqual({ ok: true, people: 1, mails: 0 });
    const queued = await db().select().from(schema.outbox).where(eq(schema.outbox.userId, li.id));
    expect(queued.map((q) => q.idempotencyKey)).toContain(
      `vote-reminder:${v.proposalId}:${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)}`,
    );
    expect(queued.find((q) => q.idempotencyKey.startsWith("vote-reminder"))!.props).toMatchObject({
      path: `/e/${v.estate.slug}/proposals/${v.proposalId}`,
    });
  });
});

describe("settings", () => {
  it("default to changeable ballots and online winning over paper", async () => {
    const estate = await makeEstate();
    const [row] = await db().select().from(schema.estates).where(eq(schema.estates.id, estate.id));
    expect(row.settings).toMatchObject({ ballotsChangeable: true, paperOnlineConflict: "online" });
    await setSettings(estate.id, { paperOnlineConflict: "paper" });
    const [changed] = await db().select().from(schema.estates).where(eq(schema.estates.id, estate.id));
    expect(changed.settings.paperOnlineConflict).toBe("paper");
  });
});
