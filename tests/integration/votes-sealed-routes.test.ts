import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSession } from "~/auth/session.server";
import { confirmElectionPaper, enterElectionPaper } from "../../app/committee/election-votes.server";
import { castElectionBallot } from "../../app/committee/elections.server";
import { loader as electionLoader } from "../../app/routes/e.$estate.committee.elections.$id";
import { loader as proposalLoader } from "../../app/routes/e.$estate.proposals.$id._index";
import { castBallot } from "../../app/voting/ballots.server";
import { confirmPaperBallot, enterPaperBallot } from "../../app/voting/paper.server";
import { call, makeUser, tempUploadDir } from "../fixtures";
import { startTestApp } from "../remix-app";
import { pngWithText } from "../ticket-photos";
import { byElection } from "./committee-helpers";
import { ownerAccount, votingEstate } from "./voting-helpers";

/**
 * Sealed until close, route by route: every page and file of an open proposal and an open
 * election, fetched through the real server as the browser does (Remix single fetch `.data`,
 * and the CSV resource routes), as a committee member, a community admin and an owner, holds
 * no choice total and no unit's choice. Choices were cast by others before each fetch, online
 * and on confirmed paper, so a leak would show.
 */
tempUploadDir();
const scan = { name: "scan.png", type: "image/png", bytes: pngWithText(false) };

/** A choice, or a count of choices, in a response (a key such as `choice: null` on a sealed row is not one). */
const leak = /agree|oppose|abstain|tally|approval/i;

let app: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  app = await startTestApp();
}, 60_000);
afterAll(() => app.close());

async function get(path: string, userId: string) {
  const cookie = (await startSession(userId)).split(";")[0];
  const res = await fetch(`${app.origin}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
  return { status: res.status, body: await res.text() };
}

/** Fetches each path as each viewer; returns the statuses, and fails on any choice in any body. */
async function sweep(paths: string[], viewers: Record<string, { id: string }>) {
  const statuses: Record<string, number> = {};
  for (const [who, user] of Object.entries(viewers))
    for (const path of paths) {
      const res = await get(path, user.id);
      statuses[`${who} ${path}`] = res.status;
      expect(res.status, `${who} ${path}`).toBeLessThan(500);
      expect(res.body.match(leak), `${who} ${path}`).toBeNull();
    }
  return statuses;
}

describe("sealed until close: every route of an open vote", () => {
  it("an open proposal: no choice in any page's .data or CSV, for the committee, an admin or an owner", async () => {
    const v = await votingEstate([
      { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳", ref: "W" }] },
      { building: "1幢", number: "102", area: 12_000, owners: [{ name: "李雷", ref: "L" }] },
      { building: "2幢", number: "101", area: 13_000, owners: [{ name: "赵敏", ref: "Z" }] },
    ]);
    const ids = { estateId: v.estate.id, proposalId: v.proposalId };
    const wang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "王芳");
    const li = await ownerAccount(v.estate.id, v.units[1].ownerIds[0], "李雷");
    const admin = await makeUser([{ role: "community_admin", communityId: v.estate.communityId }]);
    await castBallot({ ...ids, voterId: v.units[0].ownerIds[0], userId: wang.id, choice: "oppose" });
    const paper = await enterPaperBallot({ ...ids, userId: v.c1.id, unitId: v.units[2].unitId, choice: "agree", scan });
    if (!paper.ok) throw new Error(paper.error);
    expect(await confirmPaperBallot({ ...ids, paperBallotId: paper.id, userId: v.c2.id, accept: true })).toMatchObject({
      outcome: "counted",
    });

    const e = `/e/${v.estate.slug}`;
    const p = `${e}/proposals/${v.proposalId}`;
    const statuses = await sweep(
      [
        `${e}/proposals.data`,
        `${e}/ledgers.data`,
        `${p}.data`,
        `${p}/result.data`,
        `${p}/turnout.data`,
        `${p}/paper.data`,
        `${p}/proxies.data`,
        `${p}/ledger.data`,
        `${p}/ledger.data?full=1`,
        `${p}/ledger.csv`,
        `${p}/ledger.csv?full=1`,
      ],
      { committee: v.c1, admin, owner: li },
    );
    // The pages that should answer do, so the sweep read real data.
    expect(statuses[`owner ${p}.data`]).toBe(200);
    expect(statuses[`committee ${p}/turnout.data`]).toBe(200);
    expect(statuses[`committee ${p}/paper.data`]).toBe(200);

    // The owner's page shows participation (two of three voters) and nothing of what they chose.
    const page = (await call(proposalLoader, {
      url: p,
      params: { estate: v.estate.slug, id: v.proposalId },
      user: li,
    })) as {
      participation: { overall: { participatingHeadcount: number; totalHeadcount: number }; byBuilding: unknown[] };
    };
    expect(page.participation.overall).toMatchObject({ participatingHeadcount: 2, totalHeadcount: 3 });
    expect(page.participation.byBuilding).toHaveLength(2);
    expect(JSON.stringify(page.participation)).not.toMatch(leak);
  });

  it("an open election: no choice in any page's .data or CSV, for the committee, an admin or an owner", async () => {
    const { c, candidateId, ids, at, voterOf } = await byElection();
    expect(
      await castElectionBallot({
        ...ids,
        userId: c.members[0].id,
        voterId: voterOf(c.members[0].id),
        marks: { [candidateId]: "oppose" },
        now: at(3),
      }),
    ).toMatchObject({ ok: true });
    const p = await enterElectionPaper({
      ...ids,
      userId: c.members[1].id,
      building: "3幢",
      number: "101",
      marks: { [candidateId]: "agree" },
      scan,
      now: at(3),
    });
    if (!p.ok) throw new Error(p.error);
    expect(
      await confirmElectionPaper({ ...ids, userId: c.members[2].id, paperBallotId: p.id, accept: true, now: at(3) }),
    ).toMatchObject({ outcome: "counted" });

    const e = `/e/${c.estate.slug}`;
    const el = `${e}/committee/elections/${ids.electionId}`;
    const statuses = await sweep(
      [
        `${e}/committee/elections.data`,
        `${e}/ledgers.data`,
        `${el}.data`,
        `${el}/paper.data`,
        `${el}/proxies.data`,
        `${el}/ledger.data`,
        `${el}/ledger.data?full=1`,
        `${el}/ledger.csv`,
        `${el}/ledger.csv?full=1`,
      ],
      { committee: c.members[3], admin: c.admin, owner: c.owner },
    );
    expect(statuses[`owner ${el}.data`]).toBe(200);
    expect(statuses[`admin ${el}/paper.data`]).toBe(200);

    // The election page shows everyone participation by building against the quorum (two voters so far).
    const page = (await call(electionLoader, {
      url: el,
      params: { estate: c.estate.slug, id: ids.electionId },
      user: c.owner,
    })) as {
      participation: { overall: { participatingHeadcount: number; quorumMet: boolean }; byBuilding: unknown[] };
    };
    expect(page.participation.overall).toMatchObject({ participatingHeadcount: 2, quorumMet: false });
    expect(page.participation.byBuilding).toHaveLength(3);
    expect(JSON.stringify(page.participation)).not.toMatch(leak);
  });
});
