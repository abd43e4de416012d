import { and, asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { readUpload } from "~/lib/uploads/store.server";
import { getDb, schema } from "../../db/client";
import { castBallot, myVoters } from "../../app/voting/ballots.server";
import { ledgerEntries, closeVoting, tallyFromDb } from "../../app/voting/proposals.server";
import { confirmPaperBallot, enterPaperBallot, paperOverview } from "../../app/voting/paper.server";
import { authoriseProxy, decideProxy, listProxies } from "../../app/voting/proxies.server";
import { createPetition, listPetitions, signPetition } from "../../app/voting/petitions.server";
import { draftProposal } from "../../app/voting/proposals.server";
import { verifyLedger } from "../../app/voting/ledger";
import { makeEstate, makeUnits, makeUser, tempUploadDir } from "../fixtures";
import { day, ownerAccount, votingEstate } from "./voting-helpers";
import { pngWithText } from "../ticket-photos";
import { loadFile } from "~/voting/vote-files.server";

// A real PNG: uploads must parse as the image they claim to be.
const png = pngWithText(false);
const scan = { name: "scan.png", type: "image/png", bytes: png };
tempUploadDir();

const db = () => getDb();

describe("uploads", () => {
  it("accept PDFs and images by their bytes, refuse other types, empty and oversized files", async () => {
    expect(await readUpload(new File([png], "a.png"))).toMatchObject({ ok: true, type: "image/png" });
    expect(await readUpload(new File([new TextEncoder().encode("%PDF-1.7 …")], "a.pdf"))).toMatchObject({
      ok: true,
      type: "application/pdf",
    });
    expect(await readUpload(new File(["<html>"], "a.pdf", { type: "application/pdf" }))).toEqual({
      ok: false,
      error: "common.uploads.type",
    });
    expect(await readUpload(new File([], "a.png"))).toEqual({ ok: false, error: "common.uploads.missing" });
    expect(await readUpload(null)).toEqual({ ok: false, error: "common.uploads.missing" });
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set(png);
    expect(await readUpload(new File([big], "big.png"))).toEqual({ ok: false, error: "common.uploads.tooBig" });
    expect((await readUpload(new File([png], "../../etc/passwd.png"))) as { name: string }).toMatchObject({
      name: ".._.._etc_passwd.png",
    });
  });
});

describe("proxies", () => {
  it("let an owner authorise a named person; once a committee member approves, the proxy votes for that voter", async () => {
    const v = await votingEstate([
      { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王奶奶", ref: "W" }] },
      { building: "1幢", number: "102", area: 10_000, owners: [{ name: "李雷", ref: "L" }] },
    ]);
    const grandma = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "王奶奶");
    const grandson = await makeUser([{ role: "resident", estateId: v.estate.id }], "王小明");
    const outsider = await makeUser([], "路人");
    const ids = { estateId: v.estate.id, proposalId: v.proposalId };
    const voterId = v.units[0].ownerIds[0];

    // The proxy must be a member of the estate, and not oneself.
    const base = { ...ids, userId: grandma.id, proxyName: "王小明", file: scan };
    expect(await authoriseProxy({ ...base, proxyIdentifier: outsider.email })).toEqual({
      ok: false,
      error: "voting.errors.proxyUnknown",
    });
    expect(await authoriseProxy({ ...base, proxyIdentifier: grandma.email })).toEqual({
      ok: false,
      error: "voting.errors.proxySelf",
    });
    expect(await authoriseProxy({ ...base, userId: grandson.id, proxyIdentifier: grandma.email })).toEqual({
      ok: false,
      error: "voting.errors.notOwner",
    });
    const made = await authoriseProxy({ ...base, proxyIdentifier: grandson.email.toUpperCase() });
    expect(made.ok).toBe(true);
    const proxyId = (made as { id: string }).id;
    expect(await authoriseProxy({ ...base, proxyIdentifier: grandson.email })).toEqual({
      ok: false,
      error: "voting.errors.proxyExists",
    });

    // Before approval the proxy cannot vote.
    expect(await castBallot({ ...ids, voterId, userId: grandson.id, choice: "agree" })).toEqual({
      ok: false,
      error: "voting.errors.notYourVoter",
    });
    // The grantor cannot approve their own authorisation, even as a committee member.
    await db().insert(schema.memberships).values({ userId: grandma.id, estateId: v.estate.id, role: "committee" });
    expect(await decideProxy({ ...ids, proxyId, userId: grandma.id, approve: true })).toEqual({
      ok: false,
      error: "voting.errors.ownProxy",
    });
    expect(await decideProxy({ ...ids, proxyId, userId: v.c1.id, approve: true })).toEqual({ ok: true });
    expect(await decideProxy({ ...ids, proxyId, userId: v.c2.id, approve: false })).toEqual({
      ok: false,
      error: "voting.errors.notPending",
    });

    const cast = await castBallot({ ...ids, voterId, userId: grandson.id, choice: "agree" });
    expect(cast).toMatchObject({ ok: true, channel: "proxy" });
    // Only for the grantor's voter.
    expect(await castBallot({ ...ids, voterId: v.units[1].ownerIds[0], userId: grandson.id, choice: "agree" })).toEqual(
      { ok: false, error: "voting.errors.notYourVoter" },
    );
    const [ballot] = await db().select().from(schema.ballots).where(eq(schema.ballots.proposalId, v.proposalId));
    expect(ballot).toMatchObject({ channel: "proxy", proxyId, castBy: grandson.id, voterId });
    expect(await myVoters(v.estate.id, v.proposalId, grandson.id)).toMatchObject([
      { voterId, via: "proxy", current: { choice: "agree", channel: "proxy", mine: true } },
    ]);
    expect(await myVoters(v.estate.id, v.proposalId, grandma.id)).toMatchObject([
      { voterId, via: "owner", current: { choice: "agree", channel: "proxy", mine: false } },
    ]);

    const audit = await db()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.subjectId, proxyId), eq(schema.auditEvents.act, "proxy_approve")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: v.c1.id,
      estateId: v.estate.id,
      detail: { proposalId: v.proposalId },
    });
    // The authorisation's scan is stored and readable by its id within the estate only.
    const [row] = await db().select().from(schema.proxies).where(eq(schema.proxies.id, proxyId));
    expect((await loadFile(db(), v.estate.id, v.proposalId, row.fileId))!.bytes).toEqual(png);
    const other = await makeEstate();
    expect(await loadFile(db(), other.id, v.proposalId, row.fileId)).toBeNull();
    expect((await listProxies(v.estate.id, v.proposalId, { userId: v.c1.id, committee: true }))[0]).toMatchObject({
      grantorName: "王**",
      proxyName: "王**",
      status: "approved",
    });
  });
});

describe("paper ballots", () => {
  async function paperSetup(settings?: { paperOnlineConflict?: "online" | "paper"; ballotsChangeable?: boolean }) {
    const v = await votingEstate(
      [
        { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳", ref: "W" }] },
        { building: "1幢", number: "102", area: 10_000, owners: [{ name: "李雷", ref: "L" }] },
      ],
      { settings },
    );
    const wang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "王芳");
    return {
      ...v,
      wang,
      ids: { estateId: v.estate.id, proposalId: v.proposalId },
      voterId: v.units[0].ownerIds[0],
      unitId: v.units[0].unitId,
    };
  }

  it("count only once a different committee member confirms them", async () => {
    const s = await paperSetup();
    const entered = await enterPaperBallot({ ...s.ids, userId: s.c1.id, unitId: s.unitId, choice: "oppose", scan });
    expect(entered.ok).toBe(true);
    const id = (entered as { id: string }).id;
    expect(await enterPaperBallot({ ...s.ids, userId: s.c2.id, unitId: s.unitId, choice: "agree", scan })).toEqual({
      ok: false,
      error: "voting.errors.alreadyPaper",
    });
    expect(await tallyFromDb(db(), s.proposalId, "ordinary")).toMatchObject({ participatingHeadcount: 0 });
    // Closing waits for pending paper ballots.
    expect(await closeVoting({ ...s.ids, userId: s.c1.id, now: new Date(s.votingEndsAt.getTime() + 1) })).toEqual({
      ok: false,
      error: "voting.errors.paperPending",
      params: { count: 1 },
    });
    expect(await confirmPaperBallot({ ...s.ids, paperBallotId: id, userId: s.c1.id, accept: true })).toEqual({
      ok: false,
      error: "voting.errors.sameMember",
    });
    // The database refuses it too.
    await expect(
      db()
        .update(schema.paperBallots)
        .set({ status: "counted", confirmedBy: s.c1.id })
        .where(eq(schema.paperBallots.id, id)),
    ).rejects.toThrow();
    const confirmed = await confirmPaperBallot({ ...s.ids, paperBallotId: id, userId: s.c2.id, accept: true });
    expect(confirmed).toMatchObject({ ok: true, outcome: "counted" });
    expect(await tallyFromDb(db(), s.proposalId, "ordinary")).toMatchObject({
      participatingHeadcount: 1,
      opposeArea: 10_000,
    });
    expect(await confirmPaperBallot({ ...s.ids, paperBallotId: id, userId: s.c2.id, accept: true })).toEqual({
      ok: false,
      error: "voting.errors.notPending",
    });
    const actions = await db()
      .select({
        act: schema.auditEvents.act,
        actor: schema.auditEvents.actorUserId,
        proposalId: sql<string>`${schema.auditEvents.detail}->>'proposalId'`,
      })
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.subjectType, "paper_ballot"), eq(schema.auditEvents.subjectId, id)))
      .orderBy(asc(schema.auditEvents.createdAt));
    expect(actions).toEqual([
      { act: "paper_ballot_enter", actor: s.c1.id, proposalId: s.proposalId },
      { act: "paper_ballot_confirm", actor: s.c2.id, proposalId: s.proposalId },
    ]);
  });

  it("refuse units outside the electorate and another estate's ballots", async () => {
    const s = await paperSetup();
    const other = await makeEstate();
    const [stranger] = await makeUnits(other.id, [{ building: "9幢", number: "901", owners: [{ name: "外人" }] }]);
    expect(
      await enterPaperBallot({ ...s.ids, userId: s.c1.id, unitId: stranger.unitId, choice: "agree", scan }),
    ).toEqual({ ok: false, error: "voting.errors.unitNotInElectorate" });
    const entered = (await enterPaperBallot({
      ...s.ids,
      userId: s.c1.id,
      unitId: s.unitId,
      choice: "agree",
      scan,
    })) as { id: string };
    expect(
      await confirmPaperBallot({
        estateId: other.id,
        proposalId: s.proposalId,
        paperBallotId: entered.id,
        userId: s.c2.id,
        accept: true,
      }),
    ).toEqual({ ok: false, error: "voting.errors.notFound" });
  });

  it("lose to an online ballot by default, and the conflict is shown", async () => {
    const s = await paperSetup();
    await castBallot({ ...s.ids, voterId: s.voterId, userId: s.wang.id, choice: "agree" });
    const entered = (await enterPaperBallot({
      ...s.ids,
      userId: s.c1.id,
      unitId: s.unitId,
      choice: "oppose",
      scan,
    })) as { id: string };
    expect(await confirmPaperBallot({ ...s.ids, paperBallotId: entered.id, userId: s.c2.id, accept: true })).toEqual({
      ok: true,
      outcome: "overridden",
      receipt: null,
    });
    expect(await tallyFromDb(db(), s.proposalId, "ordinary")).toMatchObject({ agreeHeadcount: 1, opposeHeadcount: 0 });
    expect(await paperOverview(s.estate.id, s.proposalId, { sealed: true })).toMatchObject([
      { unit: "1幢 101", status: "overridden", conflict: "online" },
    ]);
  });

  it("are replaced by a later online ballot when online wins, even if ballots are final", async () => {
    const s = await paperSetup({ ballotsChangeable: false });
    const entered = (await enterPaperBallot({
      ...s.ids,
      userId: s.c1.id,
      unitId: s.unitId,
      choice: "oppose",
      scan,
    })) as { id: string };
    await confirmPaperBallot({ ...s.ids, paperBallotId: entered.id, userId: s.c2.id, accept: true });
    expect(await castBallot({ ...s.ids, voterId: s.voterId, userId: s.wang.id, choice: "agree" })).toMatchObject({
      ok: true,
    });
    expect(await tallyFromDb(db(), s.proposalId, "ordinary")).toMatchObject({ agreeHeadcount: 1, opposeHeadcount: 0 });
    expect(await paperOverview(s.estate.id, s.proposalId, { sealed: true })).toMatchObject([
      { status: "overridden", conflict: "online" },
    ]);
    // A second online ballot is still final.
    expect(await castBallot({ ...s.ids, voterId: s.voterId, userId: s.wang.id, choice: "oppose" })).toEqual({
      ok: false,
      error: "voting.errors.ballotFinal",
    });
  });

  it("win when the estate says paper wins: online after paper is refused, paper after online replaces it", async () => {
    const s = await paperSetup({ paperOnlineConflict: "paper" });
    await castBallot({ ...s.ids, voterId: s.voterId, userId: s.wang.id, choice: "agree" });
    const entered = (await enterPaperBallot({
      ...s.ids,
      userId: s.c1.id,
      unitId: s.unitId,
      choice: "oppose",
      scan,
    })) as { id: string };
    expect(
      await confirmPaperBallot({ ...s.ids, paperBallotId: entered.id, userId: s.c2.id, accept: true }),
    ).toMatchObject({ ok: true, outcome: "counted" });
    expect(await tallyFromDb(db(), s.proposalId, "ordinary")).toMatchObject({ agreeHeadcount: 0, opposeHeadcount: 1 });
    expect(await castBallot({ ...s.ids, voterId: s.voterId, userId: s.wang.id, choice: "agree" })).toEqual({
      ok: false,
      error: "voting.errors.paperCounts",
    });
    expect(await paperOverview(s.estate.id, s.proposalId, { sealed: true })).toMatchObject([
      { status: "counted", conflict: "paper" },
    ]);
    // The ledger still verifies, with the paper ballot replacing the online one.
    const entries = await ledgerEntries(db(), s.proposalId);
    expect(entries.map((e) => [e.channel, e.replaces === null])).toEqual([
      ["online", true],
      ["paper", false],
    ]);
    const check = verifyLedger(
      {
        proposalId: s.proposalId,
        matter: "ordinary",
        totalAreaCentiSqm: 20_000,
        totalHeadcount: 2,
        finalHash: entries[1].hash,
      },
      entries,
    );
    expect(check.problems).toEqual([]);
  });

  // Issue 12: two members entered and confirmed a paper ballot after votingEndsAt (before closing) and it counted.
  it("paper entry after end refused", async () => {
    const s = await paperSetup();
    const refused = await enterPaperBallot({
      ...s.ids,
      userId: s.c1.id,
      unitId: s.unitId,
      choice: "agree",
      scan,
      now: s.votingEndsAt,
    });
    // Not logged in the ballot box during the window: refused.
    expect(refused).toEqual({ ok: false, error: "voting.errors.paperNotLogged" });
    expect(
      await db().select().from(schema.paperBallots).where(eq(schema.paperBallots.proposalId, s.proposalId)),
    ).toEqual([]);
    // Nothing of the refused entry is kept: no scan, no audit row.
    expect(
      await db()
        .select()
        .from(schema.votingFiles)
        .where(and(eq(schema.votingFiles.proposalId, s.proposalId), eq(schema.votingFiles.kind, "paper"))),
    ).toEqual([]);
    expect(
      await db()
        .select()
        .from(schema.auditEvents)
        .where(and(eq(schema.auditEvents.estateId, s.estate.id), eq(schema.auditEvents.act, "paper_ballot_enter"))),
    ).toEqual([]);
  });

  it("paper confirmation after end refused", async () => {
    const s = await paperSetup();
    const entered = (await enterPaperBallot({
      ...s.ids,
      userId: s.c1.id,
      unitId: s.unitId,
      choice: "agree",
      scan,
    })) as { id: string };
    const late = new Date(s.votingEndsAt.getTime() + 60_000);
    expect(
      await confirmPaperBallot({ ...s.ids, paperBallotId: entered.id, userId: s.c2.id, accept: true, now: late }),
    ).toEqual({ ok: false, error: "voting.errors.paperNotLogged" });
    expect(await tallyFromDb(db(), s.proposalId, "ordinary")).toMatchObject({ participatingHeadcount: 0 });
    expect(await ledgerEntries(db(), s.proposalId)).toEqual([]);
    // It can still be rejected, so the vote can close; it never counts.
    expect(
      await confirmPaperBallot({ ...s.ids, paperBallotId: entered.id, userId: s.c2.id, accept: false, now: late }),
    ).toEqual({ ok: true, outcome: "rejected", receipt: null });
    const closed = await closeVoting({ ...s.ids, userId: s.c1.id, now: late });
    expect(closed).toMatchObject({ ok: true, tally: { participatingHeadcount: 0 } });
  });

  it("can be rejected by the second member, and then do not count", async () => {
    const s = await paperSetup();
    const entered = (await enterPaperBallot({
      ...s.ids,
      userId: s.c1.id,
      unitId: s.unitId,
      choice: "oppose",
      scan,
    })) as { id: string };
    expect(await confirmPaperBallot({ ...s.ids, paperBallotId: entered.id, userId: s.c2.id, accept: false })).toEqual({
      ok: true,
      outcome: "rejected",
      receipt: null,
    });
    expect(await tallyFromDb(db(), s.proposalId, "ordinary")).toMatchObject({ participatingHeadcount: 0 });
    // A corrected ballot may be entered again.
    expect(
      await enterPaperBallot({ ...s.ids, userId: s.c2.id, unitId: s.unitId, choice: "agree", scan }),
    ).toMatchObject({ ok: true });
  });
});

describe("petitions", () => {
  it("become due once the signers hold 20% of the area AND 20% of the headcount", async () => {
    const estate = await makeEstate();
    // Ten voters of 100.00 m² each, and one big unit of 1,000.00 m²: total 2,000.00 m², headcount 11.
    const specs = Array.from({ length: 10 }, (_, i) => ({
      building: "1幢",
      number: `10${i}`,
      area: 10_000,
      owners: [{ name: `业主${i}`, ref: `P${i}` }],
    }));
    const units = await makeUnits(estate.id, [
      ...specs,
      { building: "2幢", number: "101", area: 100_000, owners: [{ name: "大户", ref: "BIG" }] },
    ]);
    const people = await Promise.all(units.map((u) => ownerAccount(estate.id, u.ownerIds[0])));
    const resident = await makeUser([{ role: "resident", estateId: estate.id }]);
    const t0 = new Date("2026-12-01T00:00:00Z");
    expect(await createPetition({ estateId: estate.id, userId: resident.id, title: "x", body: "y" })).toEqual({
      ok: false,
      error: "voting.errors.notOwner",
    });
    const made = (await createPetition({
      estateId: estate.id,
      userId: people[0].id,
      title: "召开临时业主大会",
      body: "讨论停车费",
      now: t0,
    })) as { id: string };
    const sign = (i: number) =>
      signPetition({ estateId: estate.id, petitionId: made.id, userId: people[i].id, now: t0 });
    // Three small owners: headcount 3/11 ≥ 20% but area 300/2000 = 15%.
    await sign(1);
    expect(await sign(2)).toEqual({ ok: true, due: false });
    // The big owner: area 1,300/2,000, headcount 4/11: due.
    expect(await sign(10)).toEqual({ ok: true, due: true });
    const [listed] = await listPetitions(estate.id, people[0].id, new Date(t0.getTime() + 5 * day));
    expect(listed).toMatchObject({
      signed: { area: 130_000, headcount: 4 },
      total: { area: 200_000, headcount: 11 },
      daysWaiting: 5,
      signedByMe: true,
    });
    // The committee schedules it by drafting a proposal from it.
    const c = await makeUser([{ role: "committee", estateId: estate.id }]);
    const later = new Date(t0.getTime() + 6 * day);
    const draft = await draftProposal({
      estateId: estate.id,
      userId: c.id,
      title: "x",
      body: "y",
      type: "other_major",
      petitionId: made.id,
      commentEndsAt: new Date(later.getTime() + day),
      votingStartsAt: new Date(later.getTime() + day),
      votingEndsAt: new Date(later.getTime() + 9 * day),
      now: later,
    });
    expect(draft.ok).toBe(true);
    const [scheduled] = await listPetitions(estate.id, people[0].id, later);
    expect(scheduled).toMatchObject({ daysWaiting: null, proposalId: (draft as { id: string }).id });
    expect(await sign(3)).toEqual({ ok: false, error: "voting.errors.petitionScheduled" });
  });

  it("is not due with the area but not the headcount", async () => {
    const estate = await makeEstate();
    const specs = Array.from({ length: 9 }, (_, i) => ({
      building: "1幢",
      number: `10${i}`,
      area: 1_000,
      owners: [{ name: `业主${i}`, ref: `Q${i}` }],
    }));
    const units = await makeUnits(estate.id, [
      ...specs,
      { building: "2幢", number: "101", area: 100_000, owners: [{ name: "大户", ref: "BIG2" }] },
    ]);
    const big = await ownerAccount(estate.id, units[9].ownerIds[0]);
    // 1 of 10 voters (10% < 20%) with 100,000 of 109,000 area.
    const made = await createPetition({ estateId: estate.id, userId: big.id, title: "t", body: "b" });
    expect(made.ok).toBe(true);
    const [listed] = await listPetitions(estate.id, big.id);
    expect(listed).toMatchObject({ signed: { headcount: 1 }, dueAt: null });
    const second = await ownerAccount(estate.id, units[0].ownerIds[0]);
    expect(
      await signPetition({ estateId: estate.id, petitionId: (made as { id: string }).id, userId: second.id }),
    ).toEqual({ ok: true, due: true });
  });
});
