import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { violatedConstraint } from "../../db/errors";
import { confirmElectionPaper, enterElectionPaper } from "../../app/committee/election-votes.server";
import {
  callByElection,
  castElectionBallot,
  closeElection,
  nominate,
  openElectionVoting,
  stand,
} from "../../app/committee/elections.server";
import { vacateSeat } from "../../app/committee/composition.server";
import { castBallot, myVoters } from "../../app/voting/ballots.server";
import { authoriseProxy, decideProxy } from "../../app/voting/proxies.server";
import { draftProposal, openComment, openVoting } from "../../app/voting/proposals.server";
import { electorateUserIds } from "../../app/voting/engine/electorate.server";
import { makeUnits, makeUser } from "../fixtures";
import { noticeBefore, ownerAccount, votingEstate } from "./voting-helpers";
import { buildingIds, byElection, committeeEstate, ownerWithAccount } from "./committee-helpers";

const hour = 3_600_000;
const pdf = { name: "scan.pdf", type: "application/pdf", bytes: new TextEncoder().encode("%PDF-1.4 test") };

/** What a constraint refuses, or null when the statement went through. */
async function refusedBy(query: Promise<unknown>): Promise<string | null> {
  try {
    await query;
    return null;
  } catch (error) {
    const name = violatedConstraint(error);
    if (name) return name;
    throw error;
  }
}

/** A by-election and a proposal on the same estate, both ready to open at `at(2)`. */
async function bothKinds(options: { scope?: (ids: Record<string, string>) => string[] } = {}) {
  const c = await committeeEstate();
  const candidate = await ownerWithAccount(c.estate.id, "2幢", "104", "孙丽");
  expect(
    await vacateSeat({ estateId: c.estate.id, adminId: c.admin.id, memberId: c.memberIds[4], reason: "辞职" }),
  ).toEqual({ ok: true });
  const t0 = Date.now();
  const at = (h: number) => new Date(t0 + h * hour);
  const buildings = await buildingIds(c.estate.id);
  const scopeBuildingIds = options.scope?.(buildings) ?? null;
  const by = await callByElection({
    estateId: c.estate.id,
    userId: c.admin.id,
    title: "二区补选",
    nominationThreshold: 1,
    nominationEndsAt: at(1),
    votingStartsAt: at(1),
    votingEndsAt: at(48),
    scopeBuildingIds,
    now: at(0),
  });
  if (!by.ok) throw new Error(by.error);
  const election = { estateId: c.estate.id, electionId: by.id };
  const stood = await stand({ ...election, userId: candidate.id, seat: "N", zoneId: c.zone("二区"), now: at(0.5) });
  if (!stood.ok) throw new Error(stood.error);
  await nominate({ estateId: c.estate.id, candidateId: stood.id, userId: c.members[3].id, now: at(0.5) });
  const draft = await draftProposal({
    estateId: c.estate.id,
    userId: c.members[0].id,
    title: "更换电梯",
    body: "电梯老化",
    type: "property_company",
    commentEndsAt: at(1),
    votingStartsAt: at(1),
    votingEndsAt: at(48),
    scopeBuildingIds,
    now: at(0),
  });
  if (!draft.ok) throw new Error(draft.error);
  const proposal = { estateId: c.estate.id, proposalId: draft.id };
  expect(await openComment({ ...proposal, userId: c.members[0].id, now: at(0) })).toEqual({ ok: true });
  await noticeBefore(c.estate.id, { kind: "proposal", id: draft.id }, c.members[0].id, at(2));
  await noticeBefore(c.estate.id, { kind: "election", id: by.id }, c.admin.id, at(2));
  return { c, at, election, proposal, candidateId: stood.id };
}

async function toldOfOpening(key: string) {
  const rows = await getDb()
    .select({ userId: schema.notifications.userId })
    .from(schema.notifications)
    .where(and(eq(schema.notifications.idempotencyKey, key), eq(schema.notifications.template, "vote-opened")));
  return rows.map((r) => r.userId).sort();
}

describe("one voting engine for proposals and elections", () => {
  it("refuses to open both kinds the same way while a unit has no owner, listing the unit", async () => {
    const { c, at, election, proposal } = await bothKinds();
    const [orphan] = await makeUnits(c.estate.id, [{ building: "3幢", number: "909" }]);
    const refusal = { ok: false, error: "voting.errors.ownersMissing", params: { count: 1, units: "3幢 909" } };
    expect(await openVoting({ ...proposal, userId: c.members[0].id, now: at(2) })).toEqual(refusal);
    expect(await openElectionVoting({ ...election, userId: c.admin.id, now: at(2) })).toEqual(refusal);
    // Nothing was snapshotted by either refusal.
    expect(
      await getDb()
        .select()
        .from(schema.electionVoters)
        .where(eq(schema.electionVoters.electionId, election.electionId)),
    ).toEqual([]);
    expect(
      await getDb().select().from(schema.voteVoters).where(eq(schema.voteVoters.proposalId, proposal.proposalId)),
    ).toEqual([]);
    await getDb().delete(schema.units).where(eq(schema.units.id, orphan.unitId));
    expect(await openVoting({ ...proposal, userId: c.members[0].id, now: at(2) })).toMatchObject({ ok: true });
    expect(await openElectionVoting({ ...election, userId: c.admin.id, now: at(2) })).toMatchObject({ ok: true });
  });

  it("tells the same people that voting opened: the snapshot's owners with accounts, not every owner-role account", async () => {
    const { c, at, election, proposal } = await bothKinds();
    // An account holding the owner role but on no unit of the roster is not in the electorate.
    const stray = await makeUser([{ role: "owner", estateId: c.estate.id }], "路人");
    expect(await openVoting({ ...proposal, userId: c.members[0].id, now: at(2) })).toMatchObject({ ok: true });
    expect(await openElectionVoting({ ...election, userId: c.admin.id, now: at(2) })).toMatchObject({ ok: true });
    const forProposal = await toldOfOpening(`vote-opened:${proposal.proposalId}`);
    const forElection = await toldOfOpening(`election-opened:${election.electionId}`);
    expect(forProposal.length).toBeGreaterThan(5);
    expect(forElection).toEqual(forProposal);
    expect(forProposal).toEqual(await electorateUserIds(getDb(), { kind: "proposal", id: proposal.proposalId }));
    expect(forElection).toEqual(await electorateUserIds(getDb(), { kind: "election", id: election.electionId }));
    expect(forElection).not.toContain(stray.id);
  });

  it("scopes both kinds to the chosen buildings: only their owners are snapshotted, told and may cast", async () => {
    const { c, at, election, proposal, candidateId } = await bothKinds({ scope: (b) => [b["2幢"]] });
    expect(await openVoting({ ...proposal, userId: c.members[0].id, now: at(2) })).toMatchObject({ ok: true });
    expect(await openElectionVoting({ ...election, userId: c.admin.id, now: at(2) })).toMatchObject({ ok: true });
    const units = await getDb()
      .select()
      .from(schema.voteUnits)
      .where(eq(schema.voteUnits.proposalId, proposal.proposalId));
    expect(new Set(units.map((u) => u.buildingName))).toEqual(new Set(["2幢"]));
    const electionVoters = await getDb()
      .select()
      .from(schema.electionVoters)
      .where(eq(schema.electionVoters.electionId, election.electionId));
    const proposalVoters = await getDb()
      .select()
      .from(schema.voteVoters)
      .where(eq(schema.voteVoters.proposalId, proposal.proposalId));
    expect(electionVoters.map((v) => v.voterId).sort()).toEqual(proposalVoters.map((v) => v.voterId).sort());
    expect(electionVoters.length).toBe(units.length);
    // 陈志强 owns 1幢 101, outside the scope: not told, and neither kind takes his ballot.
    const outsider = c.members[0];
    expect(await toldOfOpening(`vote-opened:${proposal.proposalId}`)).not.toContain(outsider.id);
    expect(await toldOfOpening(`election-opened:${election.electionId}`)).not.toContain(outsider.id);
    const [own] = await getDb()
      .select({ id: schema.owners.id })
      .from(schema.owners)
      .where(and(eq(schema.owners.estateId, c.estate.id), eq(schema.owners.userId, outsider.id)));
    const voterId = own.id; // what his voter id would be, had 1幢 been in the scope
    expect(await castBallot({ ...proposal, voterId, choice: "agree", userId: outsider.id, now: at(3) })).toEqual({
      ok: false,
      error: "voting.errors.notYourVoter",
    });
    expect(
      await castElectionBallot({
        ...election,
        voterId,
        marks: { [candidateId]: "agree" },
        userId: outsider.id,
        now: at(3),
      }),
    ).toMatchObject({ ok: false, error: "committee.errors.notYourVoter" });
  });

  it("refuses to close an election while a paper ballot waits for its second member, as it does a proposal", async () => {
    const { c, ids, at } = await byElection();
    const entered = await enterElectionPaper({
      ...ids,
      userId: c.admin.id,
      building: "1幢",
      number: "105",
      marks: {},
      scan: pdf,
      now: at(3),
    });
    if (!entered.ok) throw new Error(entered.error);
    expect(await closeElection({ ...ids, userId: c.admin.id, now: at(49) })).toEqual({
      ok: false,
      error: "voting.errors.paperPending",
      params: { count: 1 },
    });
    const [still] = await getDb()
      .select({ status: schema.committeeElections.status })
      .from(schema.committeeElections)
      .where(eq(schema.committeeElections.id, ids.electionId));
    expect(still.status).toBe("voting");
    expect(
      await confirmElectionPaper({
        ...ids,
        paperBallotId: entered.id,
        userId: c.members[0].id,
        accept: false,
        now: at(49),
      }),
    ).toMatchObject({ ok: true, outcome: "rejected" });
    expect(await closeElection({ ...ids, userId: c.admin.id, now: at(49) })).toMatchObject({ ok: true });
  });

  it("ties an election ballot's area to its voter's snapshot area in the database", async () => {
    const { c, ids, voters } = await byElection();
    const voter = voters[0];
    const row = (area: number, seq: number) =>
      getDb()
        .insert(schema.electionBallots)
        .values({
          electionId: ids.electionId,
          estateId: ids.estateId,
          voterId: voter.voterId,
          castBy: c.admin.id,
          channel: "online",
          receipt: `R-${seq}-${voter.voterId.slice(0, 8)}`,
          seq,
          areaCentiSqm: area,
          prevHash: "0".repeat(64),
          hash: "1".repeat(64),
        });
    expect(await refusedBy(row(voter.areaCentiSqm + 1, 901))).toBe("committee_election_ballot_voter_area_fk");
    expect(await refusedBy(row(voter.areaCentiSqm, 902))).toBeNull();
  });

  it("an owner's own ballot beats their proxy's, even where ballots are final; the proxy cannot replace it", async () => {
    const v = await votingEstate(
      [{ building: "1幢", number: "101", area: 10_000, owners: [{ name: "王奶奶", ref: "W" }] }],
      { settings: { ballotsChangeable: false } },
    );
    const grandma = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "王奶奶");
    const grandson = await makeUser([{ role: "resident", estateId: v.estate.id }], "王小明");
    const ids = { estateId: v.estate.id, proposalId: v.proposalId };
    const voterId = v.units[0].ownerIds[0];
    const made = await authoriseProxy({
      ...ids,
      userId: grandma.id,
      proxyName: "王小明",
      proxyIdentifier: grandson.email,
      file: pdf,
    });
    if (!made.ok) throw new Error(made.error);
    expect(await decideProxy({ ...ids, proxyId: made.id, userId: v.c1.id, approve: true })).toEqual({ ok: true });
    expect(await castBallot({ ...ids, voterId, userId: grandson.id, choice: "agree" })).toMatchObject({
      ok: true,
      channel: "proxy",
    });
    expect(await myVoters(v.estate.id, v.proposalId, grandma.id)).toMatchObject([{ mayCast: true }]);
    expect(await castBallot({ ...ids, voterId, userId: grandma.id, choice: "oppose" })).toMatchObject({
      ok: true,
      channel: "online",
    });
    expect(await castBallot({ ...ids, voterId, userId: grandson.id, choice: "agree" })).toEqual({
      ok: false,
      error: "voting.errors.ownBeatsProxy",
    });
    expect(await myVoters(v.estate.id, v.proposalId, grandson.id)).toMatchObject([{ mayCast: false }]);
    expect(await myVoters(v.estate.id, v.proposalId, grandma.id)).toMatchObject([
      { mayCast: false, current: { choice: "oppose", channel: "online" } },
    ]);
  });

  it("names the co-owner whose own online ballot another co-owner replaced", async () => {
    const v = await votingEstate([
      {
        building: "1幢",
        number: "101",
        owners: [
          { name: "张大", ref: "Z1" },
          { name: "张二", ref: "Z2" },
        ],
      },
    ]);
    const [o1, o2] = v.units[0].ownerIds;
    const first = await ownerAccount(v.estate.id, o1, "张大");
    const second = await ownerAccount(v.estate.id, o2, "张二");
    const ids = { estateId: v.estate.id, proposalId: v.proposalId };
    const [voter] = await getDb()
      .select()
      .from(schema.voteVoters)
      .where(eq(schema.voteVoters.proposalId, v.proposalId));
    const a = await castBallot({ ...ids, voterId: voter.voterId, userId: first.id, choice: "agree" });
    expect(a).toMatchObject({ ok: true });
    expect(a).not.toHaveProperty("tellUserId");
    const again = await castBallot({ ...ids, voterId: voter.voterId, userId: first.id, choice: "abstain" });
    expect(again).not.toHaveProperty("tellUserId");
    expect(await castBallot({ ...ids, voterId: voter.voterId, userId: second.id, choice: "oppose" })).toMatchObject({
      ok: true,
      tellUserId: first.id,
    });
  });
});
