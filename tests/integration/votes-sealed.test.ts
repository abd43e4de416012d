import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { loader as csvLoader } from "../../app/routes/e.$estate.proposals.$id.ledger[.]csv";
import { loader as ledgerLoader } from "../../app/routes/e.$estate.proposals.$id.ledger";
import { closeVoting } from "../../app/voting/proposals.server";
import { startSession } from "~/auth/session.server";
import { confirmElectionPaper, enterElectionPaper } from "../../app/committee/election-votes.server";
import { castElectionBallot } from "../../app/committee/elections.server";
import { loader as electionLoader } from "../../app/routes/e.$estate.committee.elections.$id";
import { loader as electionPaperLoader } from "../../app/routes/e.$estate.committee.elections.$id.paper";
import { loader as paperLoader } from "../../app/routes/e.$estate.proposals.$id.paper";
import { loader as turnoutLoader } from "../../app/routes/e.$estate.proposals.$id.turnout";
import { castBallot } from "../../app/voting/ballots.server";
import { confirmPaperBallot, enterPaperBallot } from "../../app/voting/paper.server";
import { call, makeUser, statusOf, tempUploadDir } from "../fixtures";
import { startTestApp } from "../remix-app";
import { pngWithText } from "../ticket-photos";
import { byElection } from "./committee-helpers";
import { ownerAccount, setSettings, votingEstate } from "./voting-helpers";

/**
 * Issue 12: while a vote was open the turnout page's data (`…/turnout.data`) carried the live
 * agree/oppose totals. Sealed means sealed: no choice total and no unit's choice of an open vote
 * leaves the database, in any loader or `.data` response.
 */
tempUploadDir();
const scan = { name: "scan.png", type: "image/png", bytes: pngWithText(false) };

/** Every word that would give a choice (or a count of choices) away, as a key or a value. */
const choiceWords = /agree|oppose|abstain|choice|marks|passed|tally|result/i;

/** The keys and string values of a loader's data, all the way down. */
function words(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) words(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      words(v, out);
    }
  } else if (typeof value === "string") out.push(value);
  return out;
}

function expectNoChoiceField(data: unknown) {
  expect(statusOf(data)).toBe(200);
  expect(words(data).filter((w) => choiceWords.test(w))).toEqual([]);
}

let app: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  app = await startTestApp();
}, 60_000);
afterAll(() => app.close());

/** A single-fetch `.data` request through the real server and Remix handler. */
async function dotData(path: string, userId: string) {
  const cookie = (await startSession(userId)).split(";")[0];
  const res = await fetch(`${app.origin}${path}`, { headers: { Cookie: cookie }, redirect: "manual" });
  return { status: res.status, body: await res.text() };
}

describe("sealed until close", () => {
  it("turnout data of an open vote holds no choice field (proposals)", async () => {
    const v = await votingEstate([
      { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳", ref: "W" }] },
      { building: "1幢", number: "102", area: 12_000, owners: [{ name: "李雷", ref: "L" }] },
      { building: "2幢", number: "101", area: 13_000, owners: [{ name: "赵敏", ref: "Z" }] },
    ]);
    const wang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "王芳");
    const ids = { estateId: v.estate.id, proposalId: v.proposalId };
    await castBallot({ ...ids, voterId: v.units[0].ownerIds[0], userId: wang.id, choice: "oppose" });
    // A counted paper ballot, and a pending one the second member has yet to confirm.
    const counted = (await enterPaperBallot({
      ...ids,
      userId: v.c1.id,
      unitId: v.units[1].unitId,
      choice: "agree",
      scan,
    })) as { id: string };
    expect(
      await confirmPaperBallot({ ...ids, paperBallotId: counted.id, userId: v.c2.id, accept: true }),
    ).toMatchObject({ outcome: "counted" });
    const pending = (await enterPaperBallot({
      ...ids,
      userId: v.c1.id,
      unitId: v.units[2].unitId,
      choice: "abstain",
      scan,
    })) as { id: string };
    const admin = await makeUser([{ role: "community_admin", communityId: v.estate.communityId }]);
    const params = { estate: v.estate.slug, id: v.proposalId };
    const path = `/e/${v.estate.slug}/proposals/${v.proposalId}/turnout`;

    for (const user of [v.c1, v.c2, admin]) {
      const data = await call(turnoutLoader, { url: path, params, user });
      expectNoChoiceField(data);
      // Participation is there: two of three voters, against the quorum.
      expect((data as { overall: unknown }).overall).toEqual({
        totalArea: 35_000,
        totalHeadcount: 3,
        participatingArea: 22_000,
        participatingHeadcount: 2,
        criteria: {
          quorumArea: {
            threshold: { num: 2, den: 3, inclusive: true },
            whole: 35_000,
            needed: 23_334,
            reached: 22_000,
            met: false,
          },
          quorumHeadcount: {
            threshold: { num: 2, den: 3, inclusive: true },
            whole: 3,
            needed: 2,
            reached: 2,
            met: true,
          },
        },
        quorumMet: false,
      });
      expect((data as { needArea: number; needHead: number }).needArea).toBe(1_334);
      expect((data as { needArea: number; needHead: number }).needHead).toBe(0);
      // The committee sees who has not voted yet.
      expect((data as { notVoted: { number: string }[] }).notVoted.map((u) => u.number)).toEqual(["101"]);
    }

    // The same through the real handler, as the browser fetches it.
    for (const user of [v.c1, admin]) {
      const res = await dotData(`${path}.data`, user.id);
      expect(res.status).toBe(200);
      expect(res.body).toContain("participatingHeadcount");
      expect(res.body).not.toMatch(choiceWords);
    }

    // The paper list: the member confirming sees the pending ballot's choice; no decided ballot's choice shows.
    const papers = (await call(paperLoader, {
      url: `/e/${v.estate.slug}/proposals/${v.proposalId}/paper`,
      params,
      user: v.c2,
    })) as { papers: { id: string; choice: string | null }[] };
    expect(Object.fromEntries(papers.papers.map((p) => [p.id, p.choice]))).toEqual({
      [counted.id]: null,
      [pending.id]: "abstain",
    });
  });

  it("turnout data of an open vote holds no choice field (elections)", async () => {
    const { c, candidateId, ids, at, voterOf } = await byElection();
    // Voting runs now (the window is at(2)…at(48) from the test's start).
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
    const params = { estate: c.estate.slug, id: ids.electionId };
    const path = `/e/${c.estate.slug}/committee/elections/${ids.electionId}`;

    // The election page of those who run it: no count, no one else's marks (the admin casts for nobody).
    const page = (await call(electionLoader, { url: path, params, user: c.admin })) as {
      page: { result: unknown; myVoters: unknown[] };
    };
    expect(page.page.result).toBeNull();
    expect(page.page.myVoters).toEqual([]);
    const res = await dotData(`${path}.data`, c.admin.id);
    expect(res.status).toBe(200);
    expect(res.body).not.toMatch(/agreeArea|agreeHeadcount|opposeArea|approval|"agree"|"oppose"/);
    // Participation against the quorum is shown (issue 15), the count is not.
    expect(res.body).toContain("participatingHeadcount");

    // The paper list: a confirmed ballot's marks are sealed while voting runs.
    const paper = await call(electionPaperLoader, { url: `${path}/paper`, params, user: c.admin });
    expect((paper as { papers: { marks: unknown }[] }).papers.map((x) => x.marks)).toEqual([null]);
    const paperData = await dotData(`${path}/paper.data`, c.admin.id);
    expect(paperData.status).toBe(200);
    expect(paperData.body).not.toMatch(/"agree"|"oppose"/);
  });
});

describe("the full ballot list", () => {
  it("full ledger refused while open and for non-owners, allowed to verified owners after close, and audited; setting nobody blocks it", async () => {
    const v = await votingEstate([
      { building: "1幢", number: "101", area: 10_000, owners: [{ name: "王芳", ref: "W" }] },
      { building: "1幢", number: "102", area: 12_000, owners: [{ name: "李雷", ref: "L" }] },
    ]);
    const wang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "王芳");
    const resident = await makeUser([{ role: "resident", estateId: v.estate.id }]);
    const staff = await makeUser([{ role: "property_staff", estateId: v.estate.id }]);
    await castBallot({
      estateId: v.estate.id,
      proposalId: v.proposalId,
      voterId: v.units[0].ownerIds[0],
      userId: wang.id,
      choice: "agree",
    });
    const params = { estate: v.estate.slug, id: v.proposalId };
    const url = `/e/${v.estate.slug}/proposals/${v.proposalId}/ledger.csv?full=1`;
    const looks = async () =>
      (
        await getDb()
          .select()
          .from(schema.auditEvents)
          .where(and(eq(schema.auditEvents.estateId, v.estate.id), eq(schema.auditEvents.act, "ballot_list_view")))
      ).length;

    // Open: refused to everyone, the owner too.
    expect(statusOf(await call(csvLoader, { url, params, user: wang }))).toBe(403);
    expect(
      statusOf(
        await call(ledgerLoader, {
          url: `/e/${v.estate.slug}/proposals/${v.proposalId}/ledger?full=1`,
          params,
          user: v.c1,
        }),
      ),
    ).toBe(403);
    expect(
      await closeVoting({
        estateId: v.estate.id,
        proposalId: v.proposalId,
        userId: v.c1.id,
        now: new Date(v.votingEndsAt.getTime() + 1000),
      }),
    ).toMatchObject({ ok: true });
    // Closed: not for residents or staff.
    expect(statusOf(await call(csvLoader, { url, params, user: resident }))).toBe(403);
    expect(statusOf(await call(csvLoader, { url, params, user: staff }))).toBe(403);
    expect(await looks()).toBe(0);
    // A verified owner: the CSV (areas, exact times) and the page, each look audited.
    const csv = await ((await call(csvLoader, { url, params, user: wang })) as Response).text();
    expect(csv).toContain("area_centi_sqm");
    expect(csv).toMatch(/,10000,1,,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,/);
    const page = (await call(ledgerLoader, {
      url: `/e/${v.estate.slug}/proposals/${v.proposalId}/ledger?full=1`,
      params,
      user: wang,
    })) as { rows: { areaCentiSqm?: number }[] };
    expect(page.rows[0].areaCentiSqm).toBe(10_000);
    expect(await looks()).toBe(2);
    // The public page has no area.
    const pub = (await call(ledgerLoader, {
      url: `/e/${v.estate.slug}/proposals/${v.proposalId}/ledger`,
      params,
      user: resident,
    })) as { rows: object[] };
    expect(Object.keys(pub.rows[0])).not.toContain("areaCentiSqm");

    // The estate's rules say nobody: refused, the committee too, and nothing is logged.
    await setSettings(v.estate.id, { ballotListAccess: "nobody" });
    expect(statusOf(await call(csvLoader, { url, params, user: wang }))).toBe(403);
    expect(statusOf(await call(csvLoader, { url, params, user: v.c1 }))).toBe(403);
    expect(await looks()).toBe(2);
  });
});
