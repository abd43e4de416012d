import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import {
  authoriseElectionProxy,
  confirmElectionPaper,
  decideElectionProxy,
  electionLedger,
  enterElectionPaper,
} from "../../app/committee/election-votes.server";
import { castElectionBallot, closeElection, electionPage, publishElection } from "../../app/committee/elections.server";
import { electionLedgerCsv } from "../../app/committee/ledger";
import { loader as csvLoader } from "../../app/routes/e.$estate.committee.elections.$id.ledger[.]csv";
import { loader as ledgerLoader } from "../../app/routes/e.$estate.committee.elections.$id.ledger";
import { run as verify } from "../../scripts/verify-ledger";
import { call, statusOf } from "../fixtures";
import { byElection, setConflictRule } from "./committee-helpers";
import { endQueryPeriod } from "./voting-helpers";

const { committeeElections, electionBallots } = schema;
const pdf = { name: "scan.pdf", type: "application/pdf", bytes: new TextEncoder().encode("%PDF-1.4 test") };

describe("an election's ballots: chain, proxies, paper, ledger", () => {
  it("chains every ballot, takes proxies and second-member paper ballots, and the published ledger recounts to the result", async () => {
    const { c, candidate, candidateId, ids, at, voters, voterOf } = await byElection();
    expect(voters).toHaveLength(11);
    const agree = { [candidateId]: "agree" as const };

    // Online ballots: six owners agree, one opposes; a changed ballot replaces the first.
    for (const i of [0, 1, 2, 3, 5, 6]) {
      const r = await castElectionBallot({
        ...ids,
        userId: c.members[i].id,
        voterId: voterOf(c.members[i].id),
        marks: agree,
        now: at(3),
      });
      expect(r).toMatchObject({ ok: true, channel: "online" });
    }
    const first = await castElectionBallot({
      ...ids,
      userId: c.members[7].id,
      voterId: voterOf(c.members[7].id),
      marks: agree,
      now: at(3),
    });
    const changed = await castElectionBallot({
      ...ids,
      userId: c.members[7].id,
      voterId: voterOf(c.members[7].id),
      marks: { [candidateId]: "oppose" },
      now: at(4),
    });
    if (!first.ok || !changed.ok) throw new Error("cast");

    // A proxy: 刘洋 (c.owner) authorises the candidate's neighbour 赵敏 (members[8]); a candidate may not approve it, the admin does.
    const proxy = await authoriseElectionProxy({
      ...ids,
      userId: c.owner.id,
      proxyIdentifier: c.members[8].email,
      proxyName: "赵敏",
      file: pdf,
    });
    if (!proxy.ok) throw new Error(proxy.error);
    expect(
      await castElectionBallot({
        ...ids,
        userId: c.members[8].id,
        voterId: voterOf(c.owner.id),
        marks: agree,
        now: at(5),
      }),
    ).toMatchObject({ error: "committee.errors.notYourVoter" });
    expect(await decideElectionProxy({ ...ids, proxyId: proxy.id, userId: candidate.id, approve: true })).toMatchObject(
      { error: "committee.errors.candidateHandles" },
    );
    expect(await decideElectionProxy({ ...ids, proxyId: proxy.id, userId: c.owner.id, approve: true })).toMatchObject({
      error: "voting.errors.ownProxy",
    });
    expect(await decideElectionProxy({ ...ids, proxyId: proxy.id, userId: c.admin.id, approve: true })).toEqual({
      ok: true,
    });
    const viaProxy = await castElectionBallot({
      ...ids,
      userId: c.members[8].id,
      voterId: voterOf(c.owner.id),
      marks: agree,
      now: at(5),
    });
    expect(viaProxy).toMatchObject({ ok: true, channel: "proxy" });
    // The proxy sees the owner's ballot on the election page, marked as cast by proxy.
    const page = await electionPage(c.estate.id, ids.electionId, { userId: c.members[8].id, overseer: false });
    expect(page!.myVoters.map((v) => v.via).sort()).toEqual(["owner", "proxy"]);

    // The vacated member (黄磊, 2幢 102) votes on paper: entered by one member, confirmed by another.
    const entered = await enterElectionPaper({
      ...ids,
      userId: c.members[0].id,
      building: "2幢",
      number: "102",
      marks: agree,
      scan: pdf,
      now: at(6),
    });
    if (!entered.ok) throw new Error(entered.error);
    expect(
      await enterElectionPaper({
        ...ids,
        userId: c.members[1].id,
        building: "2幢",
        number: "102",
        marks: agree,
        scan: pdf,
        now: at(6),
      }),
    ).toMatchObject({ error: "committee.errors.alreadyPaper" });
    expect(
      await enterElectionPaper({
        ...ids,
        userId: c.members[1].id,
        building: "9幢",
        number: "101",
        marks: agree,
        scan: pdf,
        now: at(6),
      }),
    ).toMatchObject({ error: "committee.errors.unitNotInElectorate" });
    expect(
      await enterElectionPaper({
        ...ids,
        userId: candidate.id,
        building: "1幢",
        number: "105",
        marks: agree,
        scan: pdf,
        now: at(6),
      }),
    ).toMatchObject({ error: "committee.errors.candidateHandles" });
    expect(
      await confirmElectionPaper({
        ...ids,
        userId: c.members[0].id,
        paperBallotId: entered.id,
        accept: true,
        now: at(6),
      }),
    ).toMatchObject({ error: "committee.errors.paperSamePerson" });
    const confirmed = await confirmElectionPaper({
      ...ids,
      userId: c.members[1].id,
      paperBallotId: entered.id,
      accept: true,
      now: at(6),
    });
    expect(confirmed).toMatchObject({ ok: true, outcome: "counted" });
    // A paper ballot for a voter who already voted online is kept, but online wins (the default).
    const twice = await enterElectionPaper({
      ...ids,
      userId: c.members[0].id,
      building: "1幢",
      number: "101",
      marks: { [candidateId]: "oppose" },
      scan: pdf,
      now: at(7),
    });
    if (!twice.ok) throw new Error(twice.error);
    expect(
      await confirmElectionPaper({
        ...ids,
        userId: c.members[2].id,
        paperBallotId: twice.id,
        accept: true,
        now: at(7),
      }),
    ).toEqual({ ok: true, outcome: "overridden", receipt: null });
    // Each of these acts is in the audit log once; the refused attempts above wrote nothing.
    const logged = await getDb()
      .select({ act: schema.auditEvents.act, detail: schema.auditEvents.detail })
      .from(schema.auditEvents)
      .where(eq(schema.auditEvents.estateId, c.estate.id));
    const acts = (act: string) => logged.filter((r) => r.act === act);
    expect(acts("paper_ballot_enter")).toHaveLength(2);
    expect(
      acts("paper_ballot_confirm")
        .map((r) => r.detail.outcome)
        .sort(),
    ).toEqual(["counted", "overridden"]);
    expect(acts("proxy_approve")).toEqual([
      { act: "proxy_approve", detail: { proposalId: null, electionId: ids.electionId } },
    ]);

    // The chain: 1..10 in order, each row linked to the one before.
    const rows = await getDb()
      .select()
      .from(electionBallots)
      .where(eq(electionBallots.electionId, ids.electionId))
      .orderBy(electionBallots.seq);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    expect(rows.find((r) => r.receipt === changed.receipt)!.replaces).toBe(first.receipt);
    expect(rows.map((r) => r.channel).filter((ch) => ch !== "online")).toEqual(["proxy", "paper"]);

    // From the preliminary result on (the query period), owners see the ledger too.
    const closed = await closeElection({ ...ids, userId: c.admin.id, now: at(48) });
    if (!closed.ok) throw new Error(closed.error);
    const [election] = await getDb().select().from(committeeElections).where(eq(committeeElections.id, ids.electionId));
    expect(election.finalHash).toBe(rows.at(-1)!.hash);
    const params = { estate: c.estate.slug, id: ids.electionId };
    expect(((await call(ledgerLoader, { url: "/", params, user: c.owner })) as { closed: boolean }).closed).toBe(true);
    expect(statusOf(await call(csvLoader, { url: "/", params, user: c.owner }))).toBe(200);
    expect((await electionLedger(c.estate.id, ids.electionId, { overseer: true }))!.meta).not.toBeNull();
    await endQueryPeriod(ids);
    expect(await publishElection({ ...ids, userId: c.admin.id, now: at(49) })).toMatchObject({ ok: true, seated: 1 });

    // Published: anyone in the estate downloads the CSV; the script recounts the same seats.
    const res = (await call(csvLoader, { url: "/?full=1", params, user: c.owner })) as Response;
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    const csv = await res.text();
    expect(csv).not.toContain("孙丽");
    const dir = await mkdtemp(path.join(tmpdir(), "election-ledger-"));
    const file = path.join(dir, "ledger.csv");
    await writeFile(file, csv);
    const ok = await verify([file, "--receipt", viaProxy.ok ? viaProxy.receipt : ""]);
    expect(ok.output).toContain("OK: the chain and the count check out.");
    expect(ok.output).toContain(`race ${c.zone("二区")}: 1 seat(s); elected ${candidateId}`);
    expect(ok.output).toMatch(/receipt .*: ballot #9, .* counted/);
    expect(ok.code).toBe(0);
    // The platform's own count and the recount agree.
    const ledger = (await electionLedger(c.estate.id, ids.electionId, { overseer: false }))!;
    expect(electionLedgerCsv(ledger.meta!, ledger.entries)).toBe(csv);

    // A changed mark breaks the chain at that row; a dropped row breaks the sequence and the final hash.
    const tampered = csv.replace(`${candidateId}=o`, `${candidateId}=a`);
    await writeFile(file, tampered);
    const bad = await verify([file]);
    expect(bad.code).toBe(1);
    expect(bad.output).toMatch(/row 8: hash does not match/);
    const lines = csv.trimEnd().split("\n");
    await writeFile(file, [...lines.slice(0, -2), lines.at(-1)].join("\n") + "\n");
    const dropped = await verify([file]);
    expect(dropped.code).toBe(1);
    expect(dropped.output).toMatch(/seq is 10, expected 9/);
  });

  it("keeps a final ballot final, lets a counted paper ballot win where the estate says so, and stops ballots after closing", async () => {
    const { c, candidateId, ids, at, voterOf } = await byElection({ paperOnlineConflict: "paper" });
    const db = getDb();
    await db
      .update(schema.committeeElections)
      .set({ ballotsChangeable: false })
      .where(eq(committeeElections.id, ids.electionId));
    const me = c.members[0];
    expect(
      await castElectionBallot({
        ...ids,
        userId: me.id,
        voterId: voterOf(me.id),
        marks: { [candidateId]: "agree" },
        now: at(3),
      }),
    ).toMatchObject({ ok: true });
    expect(
      await castElectionBallot({
        ...ids,
        userId: me.id,
        voterId: voterOf(me.id),
        marks: { [candidateId]: "oppose" },
        now: at(4),
      }),
    ).toMatchObject({ error: "voting.errors.ballotFinal" });

    const p = await enterElectionPaper({
      ...ids,
      userId: c.members[1].id,
      building: "3幢",
      number: "101",
      marks: { [candidateId]: "oppose" },
      scan: pdf,
      now: at(5),
    });
    if (!p.ok) throw new Error(p.error);
    expect(
      await confirmElectionPaper({ ...ids, userId: c.members[2].id, paperBallotId: p.id, accept: true, now: at(5) }),
    ).toMatchObject({ outcome: "counted" });
    expect(
      await castElectionBallot({
        ...ids,
        userId: c.members[5].id,
        voterId: voterOf(c.members[5].id),
        marks: { [candidateId]: "agree" },
        now: at(6),
      }),
    ).toMatchObject({ error: "voting.errors.paperCounts" });

    await closeElection({ ...ids, userId: c.admin.id, now: at(48) });
    expect(
      await castElectionBallot({
        ...ids,
        userId: c.members[3].id,
        voterId: voterOf(c.members[3].id),
        marks: {},
        now: at(48),
      }),
    ).toMatchObject({ error: "committee.errors.votingClosed" });
    const late = await enterElectionPaper({
      ...ids,
      userId: c.members[1].id,
      building: "2幢",
      number: "101",
      marks: {},
      scan: pdf,
      now: at(49),
    });
    expect(late).toMatchObject({ error: "committee.errors.votingClosed" });
    const kept = await db
      .select()
      .from(schema.electionPaperBallots)
      .where(
        and(
          eq(schema.electionPaperBallots.electionId, ids.electionId),
          eq(schema.electionPaperBallots.status, "counted"),
        ),
      );
    expect(kept).toHaveLength(1);
  });

  // Issue 12: paper ballots entered and confirmed after votingEndsAt, before closing, counted.
  it("paper entry after end refused (elections)", async () => {
    const { c, candidateId, ids, at } = await byElection();
    const late = await enterElectionPaper({
      ...ids,
      userId: c.members[1].id,
      building: "3幢",
      number: "101",
      marks: { [candidateId]: "agree" },
      scan: pdf,
      now: at(48),
    });
    // Not logged in the ballot box during the window: refused.
    expect(late).toMatchObject({ ok: false, error: "voting.errors.paperNotLogged" });
    expect(
      await getDb()
        .select()
        .from(schema.electionPaperBallots)
        .where(eq(schema.electionPaperBallots.electionId, ids.electionId)),
    ).toEqual([]);
  });

  it("paper confirmation after end refused (elections)", async () => {
    const { c, candidateId, ids, at } = await byElection();
    const p = await enterElectionPaper({
      ...ids,
      userId: c.members[1].id,
      building: "3幢",
      number: "101",
      marks: { [candidateId]: "agree" },
      scan: pdf,
      now: at(47),
    });
    if (!p.ok) throw new Error(p.error);
    expect(
      await confirmElectionPaper({ ...ids, userId: c.members[2].id, paperBallotId: p.id, accept: true, now: at(48) }),
    ).toMatchObject({ ok: false, error: "voting.errors.paperNotLogged" });
    expect(await getDb().select().from(electionBallots).where(eq(electionBallots.electionId, ids.electionId))).toEqual(
      [],
    );
    expect(
      await confirmElectionPaper({ ...ids, userId: c.members[2].id, paperBallotId: p.id, accept: false, now: at(48) }),
    ).toEqual({ ok: true, outcome: "rejected", receipt: null });
  });

  it("keeps the paper-or-online rule the estate had when voting opened, whatever the estate changes it to later", async () => {
    // Opened while paper wins; the estate then says online wins: a counted paper ballot still stands.
    const paperFirst = await byElection({ paperOnlineConflict: "paper" });
    const [snap] = await getDb()
      .select()
      .from(committeeElections)
      .where(eq(committeeElections.id, paperFirst.ids.electionId));
    expect(snap.paperOnlineConflict).toBe("paper");
    await setConflictRule(paperFirst.c.estate.id, "online");
    {
      const { c, candidateId, ids, at, voterOf } = paperFirst;
      const p = await enterElectionPaper({
        ...ids,
        userId: c.members[1].id,
        building: "3幢",
        number: "101",
        marks: { [candidateId]: "oppose" },
        scan: pdf,
        now: at(5),
      });
      if (!p.ok) throw new Error(p.error);
      expect(
        await confirmElectionPaper({ ...ids, userId: c.members[2].id, paperBallotId: p.id, accept: true, now: at(5) }),
      ).toMatchObject({ outcome: "counted" });
      expect(
        await castElectionBallot({
          ...ids,
          userId: c.members[5].id,
          voterId: voterOf(c.members[5].id),
          marks: { [candidateId]: "agree" },
          now: at(6),
        }),
      ).toMatchObject({ error: "voting.errors.paperCounts" });
    }

    // Opened while online wins; the estate then says paper wins: an online ballot still replaces a
    // counted paper one, and a paper ballot arriving after an online one is kept but not counted.
    const onlineFirst = await byElection();
    await setConflictRule(onlineFirst.c.estate.id, "paper");
    {
      const { c, candidateId, ids, at, voterOf } = onlineFirst;
      const p = await enterElectionPaper({
        ...ids,
        userId: c.members[1].id,
        building: "3幢",
        number: "101",
        marks: { [candidateId]: "oppose" },
        scan: pdf,
        now: at(5),
      });
      if (!p.ok) throw new Error(p.error);
      expect(
        await confirmElectionPaper({ ...ids, userId: c.members[2].id, paperBallotId: p.id, accept: true, now: at(5) }),
      ).toMatchObject({ outcome: "counted" });
      expect(
        await castElectionBallot({
          ...ids,
          userId: c.members[5].id,
          voterId: voterOf(c.members[5].id),
          marks: { [candidateId]: "agree" },
          now: at(6),
        }),
      ).toMatchObject({ ok: true, channel: "online" });
      expect(
        await castElectionBallot({
          ...ids,
          userId: c.members[0].id,
          voterId: voterOf(c.members[0].id),
          marks: { [candidateId]: "agree" },
          now: at(6),
        }),
      ).toMatchObject({ ok: true });
      const late = await enterElectionPaper({
        ...ids,
        userId: c.members[1].id,
        building: "1幢",
        number: "101",
        marks: { [candidateId]: "oppose" },
        scan: pdf,
        now: at(7),
      });
      if (!late.ok) throw new Error(late.error);
      expect(
        await confirmElectionPaper({
          ...ids,
          userId: c.members[2].id,
          paperBallotId: late.id,
          accept: true,
          now: at(7),
        }),
      ).toEqual({ ok: true, outcome: "overridden", receipt: null });
    }
  });
});
