import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { vacateSeat } from "../../app/committee/composition.server";
import { recordAttendance, scheduleMeeting } from "../../app/committee/meetings.server";
import { committeePage } from "../../app/committee/pages.server";
import { requireMeeting, signRequisition } from "../../app/committee/requisitions.server";
import { communityOverview } from "../../app/community/overview.server";
import { committeeEstate, day } from "./committee-helpers";
import { deadlineWithin } from "../../app/lib/calendar";
import { restDayTable } from "../../app/lib/rest-days.server";
import { addDaysToDate, beijingDate } from "../../app/lib/time";

const { committees, notifications, outbox } = schema;

async function requiredNotices(requisitionId: string) {
  const mail = await getDb()
    .select({ userId: outbox.userId })
    .from(outbox)
    .where(eq(outbox.idempotencyKey, `meeting-required:${requisitionId}`));
  const inApp = await getDb()
    .select({ userId: notifications.userId })
    .from(notifications)
    .where(eq(notifications.idempotencyKey, `meeting-required:${requisitionId}`));
  return { mail: mail.map((r) => r.userId), inApp: inApp.map((r) => r.userId) };
}

describe("a meeting required by a third of the members", () => {
  it("tells the chair once, when the third signs, and not before", async () => {
    const c = await committeeEstate();
    const now = new Date();
    const r = await requireMeeting({ estateId: c.estate.id, userId: c.members[4].id, subject: "讨论电梯维修", now });
    if (!r.ok) throw new Error(r.error);
    await signRequisition({ estateId: c.estate.id, userId: c.members[5].id, requisitionId: r.id, now });
    expect(await requiredNotices(r.id)).toEqual({ mail: [], inApp: [] });
    // 3 of 9: exactly a third.
    expect(await signRequisition({ estateId: c.estate.id, userId: c.members[6].id, requisitionId: r.id, now })).toEqual(
      { ok: true, thresholdMet: true },
    );
    expect(await requiredNotices(r.id)).toEqual({ mail: [c.members[0].id], inApp: [c.members[0].id] });
    const [row] = await getDb()
      .select()
      .from(outbox)
      .where(eq(outbox.idempotencyKey, `meeting-required:${r.id}`));
    expect(row.props).toMatchObject({
      subject: "讨论电梯维修",
      signers: 3,
      members: 9,
      // 24:00 Beijing of the 7th day, moved past rest days (no longer now + 7 × 24 hours).
      dueAt: deadlineWithin(now, 7, await restDayTable()).toISOString(),
    });
    // A fourth signature changes nothing.
    await signRequisition({ estateId: c.estate.id, userId: c.members[7].id, requisitionId: r.id, now });
    expect((await requiredNotices(r.id)).mail).toEqual([c.members[0].id]);
  });

  it("tells the vice-chair when there is no chair, and counts a third of the members left", async () => {
    const c = await committeeEstate();
    expect(
      await vacateSeat({ estateId: c.estate.id, adminId: c.admin.id, memberId: c.memberIds[0], reason: "迁出" }),
    ).toEqual({ ok: true });
    const now = new Date();
    const r = await requireMeeting({ estateId: c.estate.id, userId: c.members[4].id, subject: "补选", now });
    if (!r.ok) throw new Error(r.error);
    await signRequisition({ estateId: c.estate.id, userId: c.members[5].id, requisitionId: r.id, now });
    // 2 of 8 is less than a third.
    expect(await requiredNotices(r.id)).toEqual({ mail: [], inApp: [] });
    await signRequisition({ estateId: c.estate.id, userId: c.members[6].id, requisitionId: r.id, now });
    expect((await requiredNotices(r.id)).mail).toEqual([c.members[1].id]);
  });

  it("is flagged on the committee page once 7 days pass without the meeting, and while a meeting held late stays on record", async () => {
    const c = await committeeEstate();
    const at = new Date(Date.now() - 20 * day);
    const r = await requireMeeting({
      estateId: c.estate.id,
      userId: c.members[4].id,
      subject: "讨论地下车库渗水",
      now: at,
    });
    if (!r.ok) throw new Error(r.error);
    for (const i of [5, 6])
      await signRequisition({ estateId: c.estate.id, userId: c.members[i].id, requisitionId: r.id, now: at });
    // Due at 24:00 Beijing of the 7th day (moved past rest days): overdue from that instant, not a millisecond before.
    const due = deadlineWithin(at, 7, await restDayTable());
    expect(beijingDate(new Date(due.getTime() - 1)) >= addDaysToDate(beijingDate(at), 7)).toBe(true);
    expect((await committeePage(c.estate.id, { now: new Date(due.getTime() - 1) }))!.overdueRequisitions).toEqual([]);
    const late = (await committeePage(c.estate.id, { now: due }))!.overdueRequisitions;
    expect(late).toEqual([
      {
        id: r.id,
        subject: "讨论地下车库渗水",
        signers: 3,
        requiredAt: at.toISOString(),
        dueAt: due.toISOString(),
        heldAt: null,
      },
    ]);

    // Scheduled in time and held: no longer flagged.
    const held = new Date(at.getTime() + 5 * day);
    const m = await scheduleMeeting({
      estateId: c.estate.id,
      userId: c.members[0].id,
      title: "委员提议召开的会议",
      kind: "requisitioned",
      requisitionId: r.id,
      scheduledAt: held,
      place: "社区活动室",
      agenda: [{ kind: "motion", title: "车库渗水维修" }],
      now: at,
    });
    if (!m.ok) throw new Error(m.error);
    expect(
      await recordAttendance({
        estateId: c.estate.id,
        meetingId: m.id,
        userId: c.members[0].id,
        present: c.memberIds.slice(0, 6),
        now: held,
      }),
    ).toMatchObject({ ok: true });
    expect((await committeePage(c.estate.id))!.overdueRequisitions).toEqual([]);
  });
});

describe("term expiry and the first meeting", () => {
  it("flags a term ending within 90 days, and one that has ended, on the committee page and in the community view", async () => {
    const c = await committeeEstate();
    const [committee] = await getDb().select().from(committees).where(eq(committees.id, c.committeeId));
    const ends = committee.termEndsAt!;
    const page = async (now: Date) => (await committeePage(c.estate.id, { now }))!.committee!.termState;
    expect(await page(new Date(ends.getTime() - 91 * day))).toBeNull();
    expect(await page(new Date(ends.getTime() - 90 * day))).toBe("ending");
    expect(await page(ends)).toBe("ended");
    const row = async (now: Date) =>
      (await communityOverview(c.estate.communityId, now)).estates.find((e) => e.slug === c.estate.slug)!.committee!;
    expect((await row(new Date(ends.getTime() - 10 * day))).termState).toBe("ending");
    expect((await row(new Date(ends.getTime() - 200 * day))).termState).toBeNull();
  });

  it("flags a first meeting not held within 7 days, and one held after them", async () => {
    const c = await committeeEstate();
    const [committee] = await getDb().select().from(committees).where(eq(committees.id, c.committeeId));
    const due = committee.firstMeetingDueAt!;
    // The due end is exclusive (24:00 of the last day): overdue from it, not a millisecond before.
    expect((await committeePage(c.estate.id, { now: new Date(due.getTime() - 1) }))!.committee).toMatchObject({
      firstMeetingOverdue: false,
      firstMeetingHeldLate: null,
    });
    expect((await committeePage(c.estate.id, { now: due }))!.committee).toMatchObject({
      firstMeetingOverdue: true,
      firstMeetingHeldLate: null,
    });
    const heldAt = new Date(due.getTime() + 2 * day);
    const m = await scheduleMeeting({
      estateId: c.estate.id,
      userId: c.members[0].id,
      title: "第一次会议",
      kind: "first",
      scheduledAt: heldAt,
      place: "社区活动室",
      agenda: [{ kind: "elect_chair", title: "选举主任", candidateMemberId: c.memberIds[0] }],
      now: new Date(heldAt.getTime() - 8 * day),
    });
    if (!m.ok) throw new Error(m.error);
    await recordAttendance({
      estateId: c.estate.id,
      meetingId: m.id,
      userId: c.members[0].id,
      present: c.memberIds.slice(0, 6),
      now: heldAt,
    });
    const after = (await committeePage(c.estate.id))!;
    expect(after.committee).toMatchObject({ firstMeetingOverdue: false, firstMeetingHeldLate: heldAt.toISOString() });
    expect(
      (await communityOverview(c.estate.communityId)).estates.find((e) => e.slug === c.estate.slug)!.committee!
        .firstMeetingLate,
    ).toBe(true);
  });
});
