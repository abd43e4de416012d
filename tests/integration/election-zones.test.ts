import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { confirmElectionPaper, enterElectionPaper } from "../../app/committee/election-votes.server";
import { castElectionBallot, closeElection, findElection } from "../../app/committee/elections.server";
import { zonesAtRisk } from "../../app/committee/zone-voting.server";
import { action as electionAction, loader as electionLoader } from "../../app/routes/e.$estate.committee.elections.$id";
import { setSettings } from "./voting-helpers";
import { call, statusOf } from "../fixtures";
import { byElection } from "./committee-helpers";

/**
 * Election zones and unmarked candidates (issue 15): the estate's `electionZoneVoting`, fixed at
 * opening, enforced in online casts, paper entry and the count; the ballot's confirm step.
 * The by-election fills one 二区 seat; 二区 (2幢) has 4 of the 11 households.
 */
const hour = 3_600_000;
const pdf = { name: "scan.pdf", type: "application/pdf", bytes: new TextEncoder().encode("%PDF-1.4 test") };

describe("election zone voting", () => {
  it("under `own`: only 二区's owners vote on 二区's candidate, online and on paper, and decide it alone", async () => {
    const { c, candidateId, candidate, ids, at, voters, voterOf } = await byElection({ electionZoneVoting: "own" });
    // The setting is fixed on the election: changing the estate's setting afterwards changes nothing.
    await setSettings(c.estate.id, { electionZoneVoting: "all" });
    const election = (await findElection(getDb(), c.estate.id, ids.electionId))!;
    expect(election.zoneVoting).toBe("own");
    const zoneOf = (voterId: string) => Object.keys(voters.find((v) => v.voterId === voterId)!.zoneAreas ?? {});
    expect(zoneOf(voterOf(candidate.id))).toEqual([c.zone("二区")]);

    const agree = { [candidateId]: "agree" as const };
    // 陈志强 (1幢) may not mark 二区's candidate.
    expect(
      await castElectionBallot({
        ...ids,
        userId: c.members[0].id,
        voterId: voterOf(c.members[0].id),
        marks: agree,
        now: at(3),
      }),
    ).toMatchObject({ ok: false, error: "committee.errors.notYourZone" });
    // Nor on paper.
    expect(
      await enterElectionPaper({
        ...ids,
        userId: c.members[2].id,
        building: "1幢",
        number: "105",
        marks: agree,
        scan: pdf,
        now: at(3),
      }),
    ).toMatchObject({ ok: false, error: "committee.errors.notYourZone" });
    // 2幢's owners may: three online, one on paper (entered by one member, confirmed by another).
    for (const user of [c.members[3], c.members[4], candidate]) {
      expect(
        await castElectionBallot({ ...ids, userId: user.id, voterId: voterOf(user.id), marks: agree, now: at(3) }),
      ).toMatchObject({ ok: true });
    }
    const paper = await enterElectionPaper({
      ...ids,
      userId: c.members[0].id,
      building: "2幢",
      number: "103",
      marks: agree,
      scan: pdf,
      now: at(4),
    });
    if (!paper.ok) throw new Error(paper.error);
    expect(
      await confirmElectionPaper({
        ...ids,
        paperBallotId: paper.id,
        userId: c.members[1].id,
        accept: true,
        now: at(4),
      }),
    ).toMatchObject({ ok: true, outcome: "counted" });
    // 1幢 and 3幢 owners return ballots without marking 二区 (they may not).
    for (const i of [0, 1, 2, 5, 6]) {
      const user = c.members[i];
      expect(
        await castElectionBallot({ ...ids, userId: user.id, voterId: voterOf(user.id), marks: {}, now: at(5) }),
      ).toMatchObject({ ok: true });
    }
    const closed = await closeElection({ ...ids, userId: c.admin.id, now: at(49) });
    if (!closed.ok) throw new Error(closed.error);
    const [result] = closed.result.candidates;
    // Decided by 二区's 4 households alone: all four took part and agreed.
    expect(result.tally).toMatchObject({ totalHeadcount: 4, participatingHeadcount: 4, agreeHeadcount: 4 });
    expect(result.approved).toBe(true);
    expect(closed.result.races[0].elected).toEqual([candidateId]);
  });

  it("under `all` (the default), the same ballots elect nobody, and the committee was warned", async () => {
    const { c, candidateId, candidate, ids, at, voterOf } = await byElection();
    const election = (await findElection(getDb(), c.estate.id, ids.electionId))!;
    expect(election.zoneVoting).toBe("all");
    // 二区 (the zone with a seat in this by-election) holds 4 of the 11 households: it would elect nobody alone.
    expect(await zonesAtRisk(getDb(), election)).toEqual([{ zoneId: c.zone("二区"), name: "二区" }]);
    const page = (await call(electionLoader, {
      url: "/",
      params: { estate: c.estate.slug, id: ids.electionId },
      user: c.admin,
    })) as { zonesAtRisk: string[] };
    expect(page.zonesAtRisk).toEqual(["二区"]);
    // An owner who is not on the committee is not shown the warning.
    const ownerPage = (await call(electionLoader, {
      url: "/",
      params: { estate: c.estate.slug, id: ids.electionId },
      user: c.owner,
    })) as { zonesAtRisk: string[] };
    expect(ownerPage.zonesAtRisk).toEqual([]);

    const agree = { [candidateId]: "agree" as const };
    // 1幢's owner may mark 二区's candidate under `all`.
    for (const user of [c.members[3], c.members[4], candidate]) {
      expect(
        await castElectionBallot({ ...ids, userId: user.id, voterId: voterOf(user.id), marks: agree, now: at(3) }),
      ).toMatchObject({ ok: true });
    }
    for (const i of [0, 1, 2, 5, 6, 7, 8]) {
      const user = c.members[i];
      expect(
        await castElectionBallot({ ...ids, userId: user.id, voterId: voterOf(user.id), marks: {}, now: at(5) }),
      ).toMatchObject({ ok: true });
    }
    const closed = await closeElection({ ...ids, userId: c.admin.id, now: at(49) });
    if (!closed.ok) throw new Error(closed.error);
    const [result] = closed.result.candidates;
    // 10 of 11 took part; 3 agree, 7 abstain (unmarked): not more than half.
    expect(result.tally).toMatchObject({ totalHeadcount: 11, participatingHeadcount: 10, agreeHeadcount: 3 });
    expect(result.approved).toBe(false);
  });

  it("warns before casting a ballot with unmarked candidates, and casts it when the owner submits anyway", async () => {
    const { c, candidateId, ids, voterOf } = await byElection();
    // The route casts at the real time: move the window to run now.
    await getDb()
      .update(schema.committeeElections)
      .set({ nominationEndsAt: new Date(Date.now() - 2 * hour), votingStartsAt: new Date(Date.now() - hour) })
      .where(eq(schema.committeeElections.id, ids.electionId));
    const params = { estate: c.estate.slug, id: ids.electionId };
    const voterId = voterOf(c.members[0].id);
    const first = await call(electionAction, {
      url: "/",
      params,
      user: c.members[0],
      form: { intent: "cast", voterId },
    });
    expect(statusOf(first)).toBe(200);
    expect((first as { data: unknown }).data).toEqual({
      unmarked: { voterId, candidateIds: [candidateId], marks: {} },
    });
    const ballots = () =>
      getDb().select().from(schema.electionBallots).where(eq(schema.electionBallots.electionId, ids.electionId));
    expect(await ballots()).toEqual([]);
    // A fully marked ballot goes straight through.
    const marked = await call(electionAction, {
      url: "/",
      params,
      user: c.members[1],
      form: { intent: "cast", voterId: voterOf(c.members[1].id), [`mark.${candidateId}`]: "oppose" },
    });
    expect(statusOf(marked), JSON.stringify((marked as { data?: unknown }).data)).toBe(302);
    // "Submit anyway": cast, the candidate an abstention.
    const anyway = await call(electionAction, {
      url: "/",
      params,
      user: c.members[0],
      form: { intent: "cast", voterId, confirmUnmarked: "1" },
    });
    expect(statusOf(anyway)).toBe(302);
    expect((await ballots()).map((b) => b.voterId).sort()).toEqual([voterId, voterOf(c.members[1].id)].sort());
  });
});
