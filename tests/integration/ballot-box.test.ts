import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { confirmElectionPaper, enterElectionPaper } from "../../app/committee/election-votes.server";
import { closeElection } from "../../app/committee/elections.server";
import { ballotBox, logBallot, witnessEntry, withdrawEntry } from "../../app/voting/ballot-box.server";
import { confirmPaperBallot, enterPaperBallot } from "../../app/voting/paper.server";
import { closeVoting } from "../../app/voting/proposals.server";
import { dbError, tempUploadDir } from "../fixtures";
import { pngWithText } from "../ticket-photos";
import { byElection } from "./committee-helpers";
import { day, ownerAccount, votingEstate } from "./voting-helpers";

tempUploadDir();
const scan = { name: "scan.png", type: "image/png", bytes: pngWithText(false) };
const hour = 3_600_000;

/** A proposal whose window ends at 24:00 Beijing time of its last day (00:00 Beijing the next day). */
async function proposalEndingAtMidnight() {
  const v = await votingEstate([
    { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳", ref: "W" }] },
    { building: "1幢", number: "102", area: 12_000, owners: [{ name: "李雷", ref: "L" }] },
    { building: "2幢", number: "101", area: 13_000, owners: [{ name: "赵敏", ref: "Z" }] },
  ]);
  const t = Date.now() + 2 * day;
  const endsAt = new Date(Math.ceil((t + 8 * hour) / day) * day - 8 * hour);
  await getDb().update(schema.proposals).set({ votingEndsAt: endsAt }).where(eq(schema.proposals.id, v.proposalId));
  const ref = { kind: "proposal", id: v.proposalId } as const;
  return { ...v, endsAt, ref, ids: { estateId: v.estate.id, proposalId: v.proposalId } };
}

describe("ballot-box log (proposals)", () => {
  it("a ballot logged at 23:59:59 of the last day is entered and confirmed after the end; one not logged is refused; closing waits for logged ones", async () => {
    const v = await proposalEndingAtMidnight();
    const lastSecond = new Date(v.endsAt.getTime() - 1000);
    // 23:59:59 Beijing of the last day.
    expect(new Date(lastSecond.getTime() + 8 * hour).toISOString().slice(11, 19)).toBe("23:59:59");
    const logged = await logBallot({
      estateId: v.estate.id,
      ref: v.ref,
      userId: v.c1.id,
      building: "1幢",
      number: "101",
      now: lastSecond,
    });
    if (!logged.ok) throw new Error(logged.error);
    // Same member cannot witness; a second member can, still within the window.
    expect(
      await witnessEntry({ estateId: v.estate.id, ref: v.ref, entryId: logged.id, userId: v.c1.id, now: lastSecond }),
    ).toMatchObject({ ok: false, error: "voting.errors.boxSameMember" });
    expect(
      await witnessEntry({ estateId: v.estate.id, ref: v.ref, entryId: logged.id, userId: v.c2.id, now: lastSecond }),
    ).toEqual({ ok: true });
    // At 00:00 nothing more is logged.
    expect(
      await logBallot({
        estateId: v.estate.id,
        ref: v.ref,
        userId: v.c1.id,
        building: "1幢",
        number: "102",
        now: v.endsAt,
      }),
    ).toMatchObject({ ok: false, error: "voting.errors.boxWindowOver" });

    const after = new Date(v.endsAt.getTime() + hour);
    // Closing refuses while the logged ballot has no confirmed or rejected paper ballot.
    expect(await closeVoting({ ...v.ids, userId: v.c1.id, now: after })).toEqual({
      ok: false,
      error: "voting.errors.boxUnsettled",
      params: { count: 1 },
    });
    // A ballot never logged is refused after the end.
    expect(
      await enterPaperBallot({
        ...v.ids,
        userId: v.c1.id,
        unitId: v.units[1].unitId,
        choice: "oppose",
        scan,
        now: after,
      }),
    ).toEqual({ ok: false, error: "voting.errors.paperNotLogged" });
    // The logged one is entered and confirmed after the end, and counts.
    const entered = await enterPaperBallot({
      ...v.ids,
      userId: v.c1.id,
      unitId: v.units[0].unitId,
      choice: "agree",
      scan,
      now: after,
    });
    if (!entered.ok) throw new Error(entered.error);
    expect(await closeVoting({ ...v.ids, userId: v.c1.id, now: after })).toMatchObject({
      ok: false,
      error: "voting.errors.paperPending",
    });
    expect(
      await confirmPaperBallot({ ...v.ids, paperBallotId: entered.id, userId: v.c2.id, accept: true, now: after }),
    ).toMatchObject({ ok: true, outcome: "counted" });
    const closed = await closeVoting({ ...v.ids, userId: v.c1.id, now: after });
    expect(closed).toMatchObject({ ok: true, tally: { participatingHeadcount: 1, participatingArea: 10_000 } });
    // Every step is in the audit log.
    const acts = await getDb()
      .select({ act: schema.auditEvents.act })
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.estateId, v.estate.id), eq(schema.auditEvents.subjectType, "ballot_box_entry")));
    expect(acts.map((a) => a.act).sort()).toEqual(["ballot_box_log", "ballot_box_witness"]);
  });

  it("a witness after the end does not count: the ballot can only be rejected", async () => {
    const v = await proposalEndingAtMidnight();
    const logged = await logBallot({
      estateId: v.estate.id,
      ref: v.ref,
      userId: v.c1.id,
      building: "2幢",
      number: "101",
      now: new Date(v.endsAt.getTime() - 1000),
    });
    if (!logged.ok) throw new Error(logged.error);
    expect(
      await witnessEntry({ estateId: v.estate.id, ref: v.ref, entryId: logged.id, userId: v.c2.id, now: v.endsAt }),
    ).toMatchObject({ ok: false, error: "voting.errors.boxWindowOver" });
    const after = new Date(v.endsAt.getTime() + hour);
    expect(
      await enterPaperBallot({
        ...v.ids,
        userId: v.c2.id,
        unitId: v.units[2].unitId,
        choice: "agree",
        scan,
        now: after,
      }),
    ).toEqual({ ok: false, error: "voting.errors.paperNotLogged" });
    // An unwitnessed entry holds nothing up.
    expect(await closeVoting({ ...v.ids, userId: v.c1.id, now: after })).toMatchObject({ ok: true });
  });

  it("entering a paper ballot during the window logs it; a second member deciding it witnesses the entry", async () => {
    const v = await proposalEndingAtMidnight();
    const entered = await enterPaperBallot({
      ...v.ids,
      userId: v.c1.id,
      unitId: v.units[1].unitId,
      choice: "oppose",
      scan,
    });
    if (!entered.ok) throw new Error(entered.error);
    let box = await ballotBox(v.estate.id, v.ref, v.c2.id);
    expect(box).toMatchObject([{ unit: "1幢 102", witnessedByName: null, paper: "pending", withdrawn: false }]);
    // No choice in the log.
    expect(JSON.stringify(box)).not.toMatch(/agree|oppose|abstain|choice/);
    expect(
      await confirmPaperBallot({ ...v.ids, paperBallotId: entered.id, userId: v.c2.id, accept: true }),
    ).toMatchObject({ ok: true, outcome: "counted" });
    box = await ballotBox(v.estate.id, v.ref, v.c2.id);
    expect(box).toMatchObject([{ unit: "1幢 102", paper: "settled" }]);
    expect(box[0].witnessedByName).not.toBeNull();
    // One entry per voter.
    expect(
      await logBallot({ estateId: v.estate.id, ref: v.ref, userId: v.c2.id, building: "1幢", number: "102" }),
    ).toMatchObject({ ok: false, error: "voting.errors.boxAlreadyLogged" });
  });

  it("an unwitnessed entry is withdrawn (and kept); a witnessed one is not; the owner of the unit cannot witness it", async () => {
    const v = await proposalEndingAtMidnight();
    const e = { estateId: v.estate.id, ref: v.ref };
    const first = await logBallot({ ...e, userId: v.c1.id, building: "1幢", number: "101" });
    if (!first.ok) throw new Error(first.error);
    expect(await withdrawEntry({ ...e, entryId: first.id, userId: v.c1.id })).toEqual({ ok: true });
    expect(await witnessEntry({ ...e, entryId: first.id, userId: v.c2.id })).toMatchObject({
      error: "voting.errors.boxWithdrawn",
    });
    const again = await logBallot({ ...e, userId: v.c1.id, building: "1幢", number: "101" });
    if (!again.ok) throw new Error(again.error);
    // 王芳, owner of 1幢 101, may not witness her own household's ballot.
    const wang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "王芳");
    expect(await witnessEntry({ ...e, entryId: again.id, userId: wang.id })).toMatchObject({
      error: "voting.errors.paperOwnVoter",
    });
    expect(await witnessEntry({ ...e, entryId: again.id, userId: v.c2.id })).toEqual({ ok: true });
    expect(await withdrawEntry({ ...e, entryId: again.id, userId: v.c2.id })).toMatchObject({
      error: "voting.errors.boxWitnessed",
    });
    const rows = await getDb()
      .select()
      .from(schema.ballotBoxEntries)
      .where(eq(schema.ballotBoxEntries.proposalId, v.proposalId));
    expect(rows.map((r) => r.withdrawnAt !== null).sort()).toEqual([false, true]);
    // The database holds the second member too.
    expect(
      await dbError(
        getDb()
          .update(schema.ballotBoxEntries)
          .set({ witnessedBy: v.c1.id, witnessedAt: new Date() })
          .where(eq(schema.ballotBoxEntries.id, again.id)),
      ),
    ).toEqual({ code: "23514", constraint: "ballot_box_second_member" });
  });
});

describe("ballot-box log (elections)", () => {
  it("an election close with one logged paper ballot unconfirmed is refused; entered and confirmed after the end, it closes", async () => {
    const { c, candidateId, ids, at } = await byElection();
    const ref = { kind: "election", id: ids.electionId } as const;
    const logged = await logBallot({
      estateId: ids.estateId,
      ref,
      userId: c.members[1].id,
      building: "3幢",
      number: "101",
      now: at(47.9),
    });
    if (!logged.ok) throw new Error(logged.error);
    expect(
      await witnessEntry({ estateId: ids.estateId, ref, entryId: logged.id, userId: c.members[2].id, now: at(47.95) }),
    ).toEqual({ ok: true });
    expect(await closeElection({ ...ids, userId: c.admin.id, now: at(48) })).toEqual({
      ok: false,
      error: "voting.errors.boxUnsettled",
      params: { count: 1 },
    });
    // Not logged: refused after the end.
    expect(
      await enterElectionPaper({
        ...ids,
        userId: c.members[1].id,
        building: "3幢",
        number: "102",
        marks: { [candidateId]: "agree" },
        scan,
        now: at(48),
      }),
    ).toMatchObject({ ok: false, error: "voting.errors.paperNotLogged" });
    const p = await enterElectionPaper({
      ...ids,
      userId: c.members[1].id,
      building: "3幢",
      number: "101",
      marks: { [candidateId]: "agree" },
      scan,
      now: at(48),
    });
    if (!p.ok) throw new Error(p.error);
    // Entered but unconfirmed: still refused.
    expect(await closeElection({ ...ids, userId: c.admin.id, now: at(49) })).toMatchObject({ ok: false });
    expect(
      await confirmElectionPaper({ ...ids, userId: c.members[2].id, paperBallotId: p.id, accept: true, now: at(49) }),
    ).toMatchObject({ ok: true, outcome: "counted" });
    const closed = await closeElection({ ...ids, userId: c.admin.id, now: at(49) });
    expect(closed).toMatchObject({ ok: true });
  });

  it("a rejected paper ballot settles its entry", async () => {
    const { c, candidateId, ids, at } = await byElection();
    const ref = { kind: "election", id: ids.electionId } as const;
    const logged = await logBallot({
      estateId: ids.estateId,
      ref,
      userId: c.members[1].id,
      building: "3幢",
      number: "101",
      now: at(10),
    });
    if (!logged.ok) throw new Error(logged.error);
    expect(
      await witnessEntry({ estateId: ids.estateId, ref, entryId: logged.id, userId: c.members[2].id, now: at(10) }),
    ).toEqual({ ok: true });
    const p = await enterElectionPaper({
      ...ids,
      userId: c.members[1].id,
      building: "3幢",
      number: "101",
      marks: { [candidateId]: "agree" },
      scan,
      now: at(50),
    });
    if (!p.ok) throw new Error(p.error);
    expect(
      await confirmElectionPaper({ ...ids, userId: c.members[2].id, paperBallotId: p.id, accept: false, now: at(50) }),
    ).toMatchObject({ ok: true, outcome: "rejected" });
    expect(await closeElection({ ...ids, userId: c.admin.id, now: at(50) })).toMatchObject({ ok: true });
  });
});
