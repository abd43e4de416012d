import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { askQuestion } from "~/committee/inquiries.server";
import { castBallot } from "~/voting/ballots.server";
import { confirmCorrection, listCorrections, requestCorrection } from "~/committee/corrections.server";
import { closeVoting, publishResult } from "~/voting/proposals.server";
import { finaliseDueResults } from "~/committee/results-jobs.server";
import { deadlineWithin } from "~/lib/calendar";
import { restDayTable } from "~/lib/rest-days.server";
import { beijingDate } from "~/lib/time";
import { makeUser } from "../fixtures";
import { ownerAccount, votingEstate } from "./voting-helpers";

const { auditEvents, boardNotices, notifications, proposals } = schema;
const minute = 60_000;

/** A vote of three owners (two vote), closed at the end of its window: the preliminary result is up. */
async function closedVote() {
  const v = await votingEstate([
    { building: "1幢", number: "101", area: 8937, owners: [{ name: "王芳" }] },
    { building: "1幢", number: "102", area: 8937, owners: [{ name: "李强" }] },
    { building: "1幢", number: "103", area: 8937, owners: [{ name: "张伟" }] },
  ]);
  const ids = { estateId: v.estate.id, proposalId: v.proposalId };
  const wang = await ownerAccount(v.estate.id, v.units[0].ownerIds[0], "王芳");
  const li = await ownerAccount(v.estate.id, v.units[1].ownerIds[0], "李强");
  expect(await castBallot({ ...ids, voterId: v.units[0].ownerIds[0], userId: wang.id, choice: "agree" })).toMatchObject(
    { ok: true },
  );
  expect(await castBallot({ ...ids, voterId: v.units[1].ownerIds[0], userId: li.id, choice: "oppose" })).toMatchObject({
    ok: true,
  });
  const closedAt = v.votingEndsAt;
  const closed = await closeVoting({ ...ids, userId: v.c1.id, now: closedAt });
  if (!closed.ok) throw new Error(closed.error);
  const [p] = await getDb().select().from(proposals).where(eq(proposals.id, v.proposalId));
  return { ...v, ids, wang, li, closedAt, queryEndsAt: p.queryEndsAt!, finalHash: closed.finalHash };
}

describe("after close: preliminary result, queries, final result", () => {
  it("posts the preliminary result at close and runs the query period to 24:00 Beijing of the 7th day", async () => {
    const v = await closedVote();
    // 7 calendar days from the day after the close, to 24:00 Beijing (moved past rest days).
    expect(v.queryEndsAt.toISOString().slice(11)).toBe("16:00:00.000Z");
    expect(v.queryEndsAt).toEqual(deadlineWithin(v.closedAt, 7, await restDayTable()));
    const closeDay = new Date(`${beijingDate(v.closedAt)}T00:00:00+08:00`).getTime();
    expect(v.queryEndsAt.getTime() - closeDay).toBeGreaterThanOrEqual(8 * 86_400_000);
    const notices = await getDb()
      .select()
      .from(boardNotices)
      .where(and(eq(boardNotices.subjectType, "proposal"), eq(boardNotices.subjectId, v.proposalId)));
    const results = notices.filter((n) => n.kind !== "vote_notice");
    expect(results.map((n) => n.kind)).toEqual(["preliminary_result"]);
    expect(results[0].title).toBe("表决初步结果：续聘物业");
    expect(results[0].body).toContain("参与表决：专有面积 178.74 / 268.11 平方米，人数 2 / 3 人");
    expect(results[0].body).toContain("结果：未通过。");
    expect(results[0].body).toContain(v.finalHash);
  });

  it("takes an owner's query at 23:59 of the last day and refuses it at 00:00", async () => {
    const v = await closedVote();
    const subject = { kind: "vote" as const, id: v.proposalId };
    const ask = (userId: string, at: Date, query: Parameters<typeof askQuestion>[0]["query"]) =>
      askQuestion({ estateId: v.estate.id, subject, query, userId, body: "我的票计入了吗？", now: at });
    const lastMinute = new Date(v.queryEndsAt.getTime() - minute);
    expect(await ask(v.wang.id, lastMinute, { topic: "own_ballot" })).toMatchObject({ ok: true });
    expect(await ask(v.wang.id, v.queryEndsAt, { topic: "own_ballot" })).toEqual({
      ok: false,
      error: "committee.errors.queryClosed",
      params: undefined,
    });
    // A listed unit's eligibility, yes; a unit not on the list, or no topic, no.
    expect(await ask(v.li.id, lastMinute, { topic: "eligibility", unitId: v.units[2].unitId })).toMatchObject({
      ok: true,
    });
    const other = await votingEstate([{ building: "9幢", number: "901", owners: [{ name: "赵六" }] }]);
    expect(await ask(v.li.id, lastMinute, { topic: "eligibility", unitId: other.units[0].unitId })).toMatchObject({
      ok: false,
      error: "committee.errors.unitNotListed",
    });
    expect(await ask(v.li.id, lastMinute, undefined)).toMatchObject({
      ok: false,
      error: "committee.errors.queryTopicMissing",
    });
    // Someone not on the vote's list has no ballot to query.
    const tenant = await makeUser([{ role: "resident", estateId: v.estate.id }], "钱租户");
    expect(await ask(tenant.id, lastMinute, { topic: "own_ballot" })).toMatchObject({
      ok: false,
      error: "committee.errors.notInElectorate",
    });
    const rows = await getDb().select().from(schema.inquiries).where(eq(schema.inquiries.proposalId, v.proposalId));
    expect(rows.map((r) => [r.subjectKind, r.queryTopic, r.queryUnitId])).toEqual([
      ["vote", "own_ballot", null],
      ["vote", "eligibility", v.units[2].unitId],
    ]);
  });

  it("refuses the final result before the period ends, then posts it (button or job) with the final hash", async () => {
    const v = await closedVote();
    const lastMinute = new Date(v.queryEndsAt.getTime() - minute);
    const lastDay = beijingDate(lastMinute);
    expect(await publishResult({ ...v.ids, userId: v.c1.id, publicityDays: 15, now: lastMinute })).toEqual({
      ok: false,
      error: "results.errors.queryPeriodRunning",
      params: { date: lastDay },
    });
    expect(await finaliseDueResults(lastMinute)).toBe(0);
    expect(await finaliseDueResults(v.queryEndsAt)).toBeGreaterThanOrEqual(1);
    const [p] = await getDb().select().from(proposals).where(eq(proposals.id, v.proposalId));
    expect(p.status).toBe("published");
    expect(p.effectiveAt!.toISOString()).toBe(v.queryEndsAt.toISOString());
    // Twice is once: the job (or the button) finds nothing more to post.
    expect(await publishResult({ ...v.ids, userId: v.c1.id, publicityDays: 15, now: v.queryEndsAt })).toEqual({
      ok: false,
      error: "voting.errors.wrongStatus",
    });
    const notices = await getDb()
      .select()
      .from(boardNotices)
      .where(and(eq(boardNotices.subjectType, "proposal"), eq(boardNotices.subjectId, v.proposalId)));
    expect(
      notices
        .map((n) => n.kind)
        .filter((k) => k !== "vote_notice")
        .sort(),
    ).toEqual(["final_result", "preliminary_result"]);
    const final = notices.find((n) => n.kind === "final_result")!;
    expect(final.body).toContain(v.finalHash);
    expect(final.body).toContain("这是最终结果");
    expect(final.postedBy).toBe(v.c1.id);
    // The owners hear the result once (the vote-result message), after the final result only.
    const told = await getDb()
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(eq(notifications.idempotencyKey, `vote-result:${v.proposalId}`));
    expect(told.map((r) => r.userId).sort()).toEqual([v.wang.id, v.li.id].sort());
  });

  it("corrects only through two members with a reason, during the period, and keeps the counts before and after", async () => {
    const v = await closedVote();
    const during = new Date(v.queryEndsAt.getTime() - 60 * minute);
    const asked = await requestCorrection({
      estateId: v.estate.id,
      vote: { kind: "proposal", id: v.proposalId },
      userId: v.c1.id,
      reason: "1幢103 的纸质票已登记但漏录",
      now: during,
    });
    if (!asked.ok) throw new Error(asked.error);
    expect(
      await confirmCorrection({ estateId: v.estate.id, correctionId: asked.id, userId: v.c1.id, now: during }),
    ).toEqual({ ok: false, error: "results.errors.sameMember" });
    expect(
      await confirmCorrection({ estateId: v.estate.id, correctionId: asked.id, userId: v.c2.id, now: v.queryEndsAt }),
    ).toEqual({ ok: false, error: "results.errors.queryPeriodOver" });
    const done = await confirmCorrection({
      estateId: v.estate.id,
      correctionId: asked.id,
      userId: v.c2.id,
      now: during,
    });
    expect(done).toMatchObject({ ok: true });
    expect(
      await confirmCorrection({ estateId: v.estate.id, correctionId: asked.id, userId: v.c2.id, now: during }),
    ).toEqual({ ok: false, error: "results.errors.correctionDone" });
    const [shown] = await listCorrections(v.estate.id, { kind: "proposal", id: v.proposalId }, v.c2.id);
    expect(shown).toMatchObject({ reason: "1幢103 的纸质票已登记但漏录", confirmedAt: during.toISOString() });
    expect(shown.after).toMatchObject({ participatingHeadcount: 2, agreeHeadcount: 1, opposeHeadcount: 1 });
    expect(shown.before).toEqual(shown.after);
    const acts = await getDb()
      .select({ act: auditEvents.act, actor: auditEvents.actorUserId })
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, v.proposalId));
    expect(acts.filter((a) => a.act.startsWith("vote_correction"))).toEqual([
      { act: "vote_correction_request", actor: v.c1.id },
      { act: "vote_correction_confirm", actor: v.c2.id },
    ]);
    // After the period, no new correction.
    expect(
      await requestCorrection({
        estateId: v.estate.id,
        vote: { kind: "proposal", id: v.proposalId },
        userId: v.c1.id,
        reason: "x",
        now: v.queryEndsAt,
      }),
    ).toEqual({ ok: false, error: "results.errors.queryPeriodOver" });
  });
});
