import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import * as proposalRoute from "../../app/routes/e.$estate.proposals.$id._index";
import { postVoteNotice } from "../../app/voting/notice.server";
import { draftProposal, openComment, openVoting } from "../../app/voting/proposals.server";
import { expectStatus, makeEstate, makeUnits, makeUser } from "../fixtures";
import { ownerAccount, setSettings } from "./voting-helpers";

const { boardNotices, notifications, proposals } = schema;

/** A Beijing wall-clock time as an instant. */
const bj = (local: string) => new Date(`${local}+08:00`);

/**
 * An estate of two buildings and a proposal under comment since 20 Nov 2026, voting planned
 * from 16 Dec 00:00 (Beijing), optionally only for building 1幢's owners.
 */
async function commentingProposal(options: { scope?: "1幢" } = {}) {
  const estate = await makeEstate();
  const units = await makeUnits(estate.id, [
    { building: "1幢", number: "101", area: 8937, owners: [{ name: "王芳" }] },
    { building: "1幢", number: "102", area: 10001, owners: [{ name: "李雷" }] },
    { building: "2幢", number: "201", area: 9000, owners: [{ name: "赵强" }] },
  ]);
  const c1 = await makeUser([{ role: "committee", estateId: estate.id }], "陈委员");
  const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }], "居委会");
  const wang = await ownerAccount(estate.id, units[0].ownerIds[0], "王芳");
  const zhao = await ownerAccount(estate.id, units[2].ownerIds[0], "赵强");
  const [b1] = await getDb()
    .select({ id: schema.buildings.id })
    .from(schema.buildings)
    .where(and(eq(schema.buildings.estateId, estate.id), eq(schema.buildings.name, "1幢")));
  const draft = await draftProposal({
    estateId: estate.id,
    userId: c1.id,
    title: "1幢电梯更新",
    body: "电梯已运行二十年。",
    type: "fund_use",
    commentEndsAt: bj("2026-12-10T00:00"),
    votingStartsAt: bj("2026-12-16T00:00"),
    votingEndsAt: bj("2026-12-30T18:00"),
    scopeBuildingIds: options.scope ? [b1.id] : null,
    now: bj("2026-11-20T09:00"),
  });
  if (!draft.ok) throw new Error(draft.error);
  expect(
    await openComment({ estateId: estate.id, proposalId: draft.id, userId: c1.id, now: bj("2026-11-20T09:00") }),
  ).toEqual({ ok: true });
  const ref = { kind: "proposal", id: draft.id } as const;
  return { estate, c1, admin, wang, zhao, ref, ids: { estateId: estate.id, proposalId: draft.id, userId: c1.id } };
}

async function told(userId: string, template: string) {
  return getDb()
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.template, template)));
}

describe("the vote notice", () => {
  it("is required, and lets voting open 15 calendar days after its date: 1 Dec → 16 Dec 00:00, not 15 Dec 23:59", async () => {
    const { estate, c1, ref, ids } = await commentingProposal();
    expect(await openVoting({ ...ids, now: bj("2026-12-16T00:00") })).toMatchObject({
      ok: false,
      error: "voteNotice.errors.notPosted",
    });
    const window = { votingStartsAt: bj("2026-12-15T23:59"), votingEndsAt: bj("2026-12-30T18:00") };
    const base = {
      estateId: estate.id,
      ref,
      userId: c1.id,
      now: bj("2026-12-01T10:00"),
      origin: "https://yst.example",
    };
    // A notice posted on 1 Dec cannot announce voting from 15 Dec 23:59.
    expect(await postVoteNotice({ ...base, ...window })).toMatchObject({
      ok: false,
      error: "voteNotice.errors.tooLate",
    });
    const posted = await postVoteNotice({ ...base, ...window, votingStartsAt: bj("2026-12-16T00:00") });
    expect(posted.ok).toBe(true);
    expect(await postVoteNotice({ ...base, ...window, votingStartsAt: bj("2026-12-16T00:00") })).toMatchObject({
      error: "voteNotice.errors.posted",
    });
    // Even if the window is moved earlier by hand, opening waits for the notice's 15 days.
    await getDb()
      .update(proposals)
      .set({ votingStartsAt: bj("2026-12-15T00:00") })
      .where(eq(proposals.id, ref.id));
    expect(await openVoting({ ...ids, now: bj("2026-12-15T23:59") })).toMatchObject({
      ok: false,
      error: "voteNotice.errors.tooSoon",
    });
    expect(await openVoting({ ...ids, now: bj("2026-12-16T00:00") })).toMatchObject({ ok: true, voters: 3 });
  });

  it("follows the estate's longer notice: 20 days from 1 Dec opens 21 Dec, not 20 Dec 23:59", async () => {
    const { estate, c1, ref, ids } = await commentingProposal();
    await setSettings(estate.id, { voteNoticeDays: 20 });
    const base = {
      estateId: estate.id,
      ref,
      userId: c1.id,
      now: bj("2026-12-01T10:00"),
      origin: "https://yst.example",
    };
    expect(
      await postVoteNotice({ ...base, votingStartsAt: bj("2026-12-20T23:59"), votingEndsAt: bj("2026-12-30T18:00") }),
    ).toMatchObject({ error: "voteNotice.errors.tooLate" });
    expect(
      await postVoteNotice({ ...base, votingStartsAt: bj("2026-12-21T00:00"), votingEndsAt: bj("2026-12-30T18:00") }),
    ).toMatchObject({ ok: true });
    await getDb()
      .update(proposals)
      .set({ votingStartsAt: bj("2026-12-16T00:00") })
      .where(eq(proposals.id, ref.id));
    expect(await openVoting({ ...ids, now: bj("2026-12-20T23:59") })).toMatchObject({
      error: "voteNotice.errors.tooSoon",
    });
    expect(await openVoting({ ...ids, now: bj("2026-12-21T00:00") })).toMatchObject({ ok: true });
  });

  it("states the scope and its totals, is posted on the board with the window, and tells the scope's owners and the residents' committee", async () => {
    const { estate, c1, admin, wang, zhao, ref } = await commentingProposal({ scope: "1幢" });
    const posted = await postVoteNotice({
      estateId: estate.id,
      ref,
      userId: c1.id,
      votingStartsAt: bj("2026-12-16T09:00"),
      votingEndsAt: bj("2026-12-30T18:00"),
      now: bj("2026-12-01T10:00"),
      origin: "https://yst.example",
    });
    if (!posted.ok) throw new Error(posted.error);
    const [notice] = await getDb().select().from(boardNotices).where(eq(boardNotices.id, posted.noticeId));
    expect(notice).toMatchObject({
      kind: "vote_notice",
      subjectType: "proposal",
      subjectId: ref.id,
      author: "committee",
    });
    expect(notice.title).toBe("关于“1幢电梯更新”的业主表决公告");
    // Building 1幢: two owners, 89.37 + 100.01 m²; 2幢 is outside the scope.
    expect(notice.body).toContain("1幢的业主");
    expect(notice.body).toContain("范围内业主总人数 2 人，专有部分总面积 189.38 平方米。");
    expect(notice.body).toContain("2026年12月16日 09:00");
    expect(notice.body).toContain(`https://yst.example/e/${estate.slug}/proposals/${ref.id}`);
    expect(notice.body).toContain("纸质投票");
    const [p] = await getDb().select().from(proposals).where(eq(proposals.id, ref.id));
    expect(p.noticeId).toBe(posted.noticeId);
    expect(p.noticedAt).toEqual(bj("2026-12-01T10:00"));
    expect(p.votingStartsAt).toEqual(bj("2026-12-16T09:00"));
    // The scope's owner hears of it once, by the vote notice; the owner outside and the
    // residents' committee get the board's notice.
    expect(await told(wang.id, "vote-notice")).toHaveLength(1);
    expect(await told(wang.id, "board-notice")).toHaveLength(0);
    expect(await told(zhao.id, "vote-notice")).toHaveLength(0);
    expect(await told(zhao.id, "board-notice")).toHaveLength(1);
    expect(await told(admin.id, "board-notice")).toHaveLength(1);
  });

  it("is posted by committee members only, from the proposal's page", async () => {
    const { estate, wang, ref } = await commentingProposal();
    const form = () => {
      const f = new FormData();
      f.set("intent", "postNotice");
      f.set("votingStartsAt", "2099-12-16T00:00");
      f.set("votingEndsAt", "2099-12-30T18:00");
      return f;
    };
    const url = `/e/${estate.slug}/proposals/${ref.id}`;
    const params = { estate: estate.slug, id: ref.id };
    await expectStatus(proposalRoute.action, { url, params, user: wang, form: form() }, 403);
    const [p] = await getDb().select().from(proposals).where(eq(proposals.id, ref.id));
    expect(p.noticedAt).toBeNull();
  });
});
