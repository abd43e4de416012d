import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { castBallot } from "../../app/voting/ballots.server";
import { confirmPaperBallot, enterPaperBallot } from "../../app/voting/paper.server";
import { closeVoting, ledgerEntries } from "../../app/voting/proposals.server";
import { ledgerCsv, parseLedgerCsv, verifyLedger } from "../../app/voting/ledger";
import type { Tally } from "../../app/voting/tally";
import { confirmElectionPaper, electionLedger, enterElectionPaper } from "../../app/committee/election-votes.server";
import { castElectionBallot, closeElection } from "../../app/committee/elections.server";
import { electionLedgerCsv, parseElectionLedgerCsv, verifyElectionLedger } from "../../app/committee/ledger";
import type { ElectionResult } from "../../app/committee/count";
import { loader as resultLoader } from "../../app/routes/e.$estate.proposals.$id.result";
import { call, dbError, tempUploadDir } from "../fixtures";
import { ownerAccount, votingEstate } from "./voting-helpers";
import { byElection } from "./committee-helpers";
import { pngWithText } from "../ticket-photos";

const scan = { name: "scan.png", type: "image/png", bytes: pngWithText(false) };
tempUploadDir();

const three = [
  { building: "1幢", number: "101", area: 10_000, owners: [{ name: "甲", ref: "A" }] },
  { building: "1幢", number: "102", area: 10_000, owners: [{ name: "乙", ref: "B" }] },
  { building: "1幢", number: "103", area: 10_000, owners: [{ name: "丙", ref: "C" }] },
];

/** One spoiled paper ballot (unit 101, entered and confirmed by two members) and one online agree (unit 102). */
async function spoiledVote(spoiledTakesPart?: boolean) {
  const v = await votingEstate(three, spoiledTakesPart === undefined ? {} : { settings: { spoiledTakesPart } });
  const ids = { estateId: v.estate.id, proposalId: v.proposalId };
  const entered = await enterPaperBallot({
    ...ids,
    userId: v.c1.id,
    unitId: v.units[0].unitId,
    choice: "spoiled",
    scan,
  });
  if (!entered.ok) throw new Error(entered.error);
  expect(await confirmPaperBallot({ ...ids, paperBallotId: entered.id, userId: v.c2.id, accept: true })).toMatchObject({
    ok: true,
    outcome: "counted",
  });
  const b = await ownerAccount(v.estate.id, v.units[1].ownerIds[0], "乙");
  expect(await castBallot({ ...ids, voterId: v.units[1].ownerIds[0], userId: b.id, choice: "agree" })).toMatchObject({
    ok: true,
  });
  return { v, ids, b };
}

describe("spoiled proposal ballots (废票)", () => {
  it("are recorded from paper, take part by default and never agree; the result and the ledger show them apart", async () => {
    const { v, ids, b } = await spoiledVote();
    const rows = await getDb().select().from(schema.ballots).where(eq(schema.ballots.proposalId, v.proposalId));
    expect(rows.find((r) => r.channel === "paper")).toMatchObject({ choice: "spoiled" });

    // Only paper may be spoiled: the database refuses it on an online ballot.
    const online = rows.find((r) => r.channel === "online")!;
    expect(
      await dbError(getDb().update(schema.ballots).set({ choice: "spoiled" }).where(eq(schema.ballots.id, online.id))),
    ).toMatchObject({ code: "23514", constraint: "ballot_spoiled_paper" });
    // The cast form's schema offers no "spoiled"; were one to get through, the database stops it.
    expect(
      await dbError(
        castBallot({ ...ids, voterId: v.units[1].ownerIds[0], userId: b.id, choice: "spoiled" as "agree" }),
      ),
    ).toMatchObject({ constraint: "ballot_spoiled_paper" });

    const closed = await closeVoting({ ...ids, userId: v.c1.id, now: v.votingEndsAt });
    if (!closed.ok) throw new Error(closed.error);
    // 2 of 3 took part (the spoiled one with them): quorum met; 1 of 2 agrees, not more than half.
    expect(closed.tally).toMatchObject({
      participatingHeadcount: 2,
      participatingArea: 20_000,
      agreeHeadcount: 1,
      spoiledHeadcount: 1,
      spoiledArea: 10_000,
      quorumMet: true,
      passed: false,
    });

    // The full ledger recounts to the same figures.
    const [p] = await getDb().select().from(schema.proposals).where(eq(schema.proposals.id, v.proposalId));
    const csv = ledgerCsv(
      {
        proposalId: p.id,
        matter: p.matter,
        totalAreaCentiSqm: 30_000,
        totalHeadcount: 3,
        finalHash: p.finalHash!,
        spoiledTakesPart: p.rules!.spoiledTakesPart,
      },
      await ledgerEntries(getDb(), p.id),
    );
    expect(csv).toContain(",spoiled,paper,");
    expect(csv).not.toContain("spoiled_takes_part");
    const parsed = parseLedgerCsv(csv);
    const check = verifyLedger(parsed.meta, parsed.entries);
    expect(check.ok).toBe(true);
    expect(check.tally).toEqual(p.result as Tally);

    const page = (await call(resultLoader, {
      url: "/",
      params: { estate: v.estate.slug, id: v.proposalId },
      user: v.c1,
    })) as { tally: Tally; spoiledTakesPart: boolean };
    expect(page.tally).toMatchObject({ spoiledHeadcount: 1, agreeHeadcount: 1 });
    expect(page.spoiledTakesPart).toBe(true);
  });

  it("where the estate's rule says they do not take part (fixed at opening), they leave the quorum", async () => {
    const { v, ids } = await spoiledVote(false);
    const [p] = await getDb().select().from(schema.proposals).where(eq(schema.proposals.id, v.proposalId));
    expect(p.rules).toMatchObject({ spoiledTakesPart: false, coOwnersNameOne: false });
    const closed = await closeVoting({ ...ids, userId: v.c1.id, now: v.votingEndsAt });
    if (!closed.ok) throw new Error(closed.error);
    expect(closed.tally).toMatchObject({
      participatingHeadcount: 1,
      spoiledHeadcount: 1,
      quorumMet: false,
      passed: false,
    });
    const [after] = await getDb().select().from(schema.proposals).where(eq(schema.proposals.id, v.proposalId));
    const csv = ledgerCsv(
      {
        proposalId: after.id,
        matter: after.matter,
        totalAreaCentiSqm: 30_000,
        totalHeadcount: 3,
        finalHash: after.finalHash!,
        spoiledTakesPart: false,
      },
      await ledgerEntries(getDb(), after.id),
    );
    expect(csv).toContain("# spoiled_takes_part=no");
    const parsed = parseLedgerCsv(csv);
    expect(verifyLedger(parsed.meta, parsed.entries).tally).toEqual(after.result as Tally);
    // Read as if spoiled ballots took part, the same rows give another count: the header line matters.
    const asIf = parseLedgerCsv(csv.replace("# spoiled_takes_part=no\n", ""));
    expect(verifyLedger(asIf.meta, asIf.entries).tally).toMatchObject({ participatingHeadcount: 2 });
  });
});

describe("spoiled races on election paper ballots", () => {
  it("records an over-marked race as spoiled for that race instead of refusing the paper; the count and ledger agree", async () => {
    const e = await byElection({ secondCandidate: true });
    const { c, ids, at, candidateId, rivalId } = e;
    // Two agrees for one seat in 二区: the race is spoiled; the paper is not refused.
    const entered = await enterElectionPaper({
      ...ids,
      userId: c.members[0].id,
      building: "1幢",
      number: "101",
      marks: { [candidateId]: "agree", [rivalId!]: "agree" },
      scan,
      now: at(5),
    });
    expect(entered).toMatchObject({ ok: true, spoiledRaces: [c.zone("二区")] });
    // A race that does not exist cannot be marked spoiled.
    expect(
      await enterElectionPaper({
        ...ids,
        userId: c.members[0].id,
        building: "1幢",
        number: "102",
        marks: {},
        spoiledRaces: ["no-such-race"],
        scan,
        now: at(5),
      }),
    ).toMatchObject({ ok: false, error: "committee.errors.notARace" });
    // Online, over-marking is still refused (the page would not let it through either).
    const owner = c.owner;
    expect(
      await castElectionBallot({
        ...ids,
        userId: owner.id,
        voterId: e.voterOf(owner.id),
        marks: { [candidateId]: "agree", [rivalId!]: "agree" },
        now: at(5),
      }),
    ).toMatchObject({ error: "committee.errors.tooManyAgrees" });
    const confirmed = await confirmElectionPaper({
      ...ids,
      userId: c.members[1].id,
      paperBallotId: (entered as { id: string }).id,
      accept: true,
      now: at(6),
    });
    expect(confirmed).toMatchObject({ ok: true, outcome: "counted" });
    const [ballot] = await getDb()
      .select()
      .from(schema.electionBallots)
      .where(and(eq(schema.electionBallots.electionId, ids.electionId), eq(schema.electionBallots.channel, "paper")));
    expect(ballot.spoiledRaces).toEqual([c.zone("二区")]);
    // Its marks in the spoiled race are not recorded.
    expect(
      await getDb().select().from(schema.electionMarks).where(eq(schema.electionMarks.ballotId, ballot.id)),
    ).toEqual([]);
    // Only paper may spoil a race.
    const online = await castElectionBallot({
      ...ids,
      userId: owner.id,
      voterId: e.voterOf(owner.id),
      marks: { [candidateId]: "agree" },
      now: at(7),
    });
    expect(online).toMatchObject({ ok: true });
    expect(
      await dbError(
        getDb()
          .update(schema.electionBallots)
          .set({ spoiledRaces: ["X"] })
          .where(
            and(eq(schema.electionBallots.electionId, ids.electionId), eq(schema.electionBallots.channel, "online")),
          ),
      ),
    ).toMatchObject({ constraint: "committee_election_ballot_spoiled_paper" });

    const closed = await closeElection({ ...ids, userId: c.admin.id, now: at(48) });
    if (!closed.ok) throw new Error(closed.error);
    const byId = Object.fromEntries(closed.result.candidates.map((x) => [x.id, x]));
    expect(byId[candidateId].tally).toMatchObject({
      participatingHeadcount: 2,
      agreeHeadcount: 1,
      spoiledHeadcount: 1,
    });
    expect(byId[rivalId!].tally).toMatchObject({ agreeHeadcount: 0, spoiledHeadcount: 1, abstainHeadcount: 1 });

    // The ledger carries the spoiled race and recounts to the stored result.
    const ledger = (await electionLedger(c.estate.id, ids.electionId, { overseer: true }))!;
    const csv = electionLedgerCsv(ledger.meta!, ledger.entries);
    expect(csv).toContain(`${c.zone("二区")}=s`);
    const parsed = parseElectionLedgerCsv(csv);
    const check = verifyElectionLedger(parsed.meta, parsed.entries);
    expect(check.problems).toEqual([]);
    expect(check.result!.candidates.map((x) => x.tally)).toEqual(
      (ledger.election.result as ElectionResult).candidates.map((x) => x.tally),
    );
  });
});
