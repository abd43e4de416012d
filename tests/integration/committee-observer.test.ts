import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { recordObserverRole, seatMember, vacateSeat } from "../../app/committee/composition.server";
import {
  recordAttendance,
  recordVotes,
  saveMinutes,
  scheduleMeeting,
  signMinutes,
} from "../../app/committee/meetings.server";
import { committeePage, meetingPage } from "../../app/committee/pages.server";
import { requireMeeting } from "../../app/committee/requisitions.server";
import { loader as committeeLoader } from "../../app/routes/e.$estate.committee._index";
import { action as meetingAction, loader as meetingLoader } from "../../app/routes/e.$estate.committee.meetings.$id";
import { loader as newMeetingLoader } from "../../app/routes/e.$estate.committee.meetings.new";
import { call, makeUser, statusOf } from "../fixtures";
import { committeeEstate, day, rolesOf } from "./committee-helpers";

/**
 * A deputy who owns nothing in the estate: they sign up (an account with no role anywhere), a
 * community admin records their verified role and seats them as an observer. They then hold
 * the committee_observer role: they read the committee's record and attend, but never count.
 */
async function withObserver() {
  const c = await committeeEstate();
  const deputy = await makeUser([], "马代表");
  const params = { estate: c.estate.slug };
  // Before being seated they have no role here: the estate does not exist for them.
  expect(statusOf(await call(committeeLoader, { url: "/", params, user: deputy }))).toBe(404);
  // Without an account yet, the admin is told to have them sign up first.
  expect(
    await recordObserverRole({
      estateId: c.estate.id,
      adminId: c.admin.id,
      email: "not-yet@deputy.test",
      role: "npc",
      title: "区人大代表",
      proofNote: "代表证 0456",
    }),
  ).toMatchObject({
    error: "committee.errors.observerNoAccount",
  });
  const role = await recordObserverRole({
    estateId: c.estate.id,
    adminId: c.admin.id,
    email: deputy.email,
    role: "npc",
    title: "区人大代表",
    proofNote: "代表证 0456",
  });
  expect(role).toMatchObject({ ok: true });
  expect(
    await seatMember({
      estateId: c.estate.id,
      adminId: c.admin.id,
      committeeId: c.committeeId,
      email: deputy.email,
      seat: "observer",
      office: "chair",
    }),
  ).toMatchObject({ error: "committee.errors.observerOffice" });
  expect(
    await seatMember({
      estateId: c.estate.id,
      adminId: c.admin.id,
      committeeId: c.committeeId,
      email: deputy.email,
      seat: "N",
      office: "member",
    }),
  ).toMatchObject({ error: "committee.errors.notOwner" });
  const seated = await seatMember({
    estateId: c.estate.id,
    adminId: c.admin.id,
    committeeId: c.committeeId,
    email: deputy.email,
    seat: "observer",
    office: "member",
  });
  if (!seated.ok) throw new Error(seated.error);
  return { c, deputy, observerId: seated.id, params };
}

describe("a deputy who is not an owner, as a non-voting observer", () => {
  it("gets the observer role with the seat, is shown as observer, and loses the role with the seat", async () => {
    const { c, deputy, observerId, params } = await withObserver();
    expect(await rolesOf(deputy.id, c.estate.id)).toEqual(["committee_observer"]);
    const page = await committeePage(c.estate.id);
    expect(page!.members.find((m) => m.id === observerId)).toMatchObject({
      seat: "observer",
      office: "member",
      name: "马**",
      publicRole: "npc",
    });
    // Not a member: the committee's size and vacancies are unchanged.
    expect(page!.vacancies).toEqual({ n: 0, x: 0 });
    expect(statusOf(await call(committeeLoader, { url: "/", params, user: deputy }))).toBe(200);
    expect(statusOf(await call(newMeetingLoader, { url: "/", params, user: deputy }))).toBe(403);
    expect(await requireMeeting({ estateId: c.estate.id, userId: deputy.id, subject: "列席人员提议" })).toMatchObject({
      error: "committee.errors.notMember",
    });

    expect(
      await vacateSeat({ estateId: c.estate.id, adminId: c.admin.id, memberId: observerId, reason: "任期届满" }),
    ).toEqual({ ok: true });
    expect(await rolesOf(deputy.id, c.estate.id)).toEqual([]);
    expect(statusOf(await call(committeeLoader, { url: "/", params, user: deputy }))).toBe(404);
  });

  it("attends and reads the record as it is written, but never counts for the quorum, a decision or the sign-off", async () => {
    const { c, deputy, observerId, params } = await withObserver();
    const at = new Date(c.now.getTime() - 2 * 3600_000);
    expect(
      await scheduleMeeting({
        estateId: c.estate.id,
        userId: deputy.id,
        title: "x",
        kind: "regular",
        scheduledAt: at,
        place: "会议室",
        agenda: [{ kind: "motion", title: "x" }],
      }),
    ).toMatchObject({ error: "committee.errors.notMember" });
    const m = await scheduleMeeting({
      estateId: c.estate.id,
      userId: c.members[0].id,
      title: "第五次业委会会议",
      kind: "regular",
      scheduledAt: at,
      place: "社区活动室",
      agenda: [{ kind: "motion", title: "增设非机动车充电桩" }],
      now: new Date(at.getTime() - 8 * day),
    });
    if (!m.ok) throw new Error(m.error);
    // 4 of the 9 members with a vote, and the observer: not quorate (the observer is not counted).
    const four = [...c.memberIds.slice(0, 4), observerId];
    expect(
      await recordAttendance({
        estateId: c.estate.id,
        meetingId: m.id,
        userId: c.members[0].id,
        present: four,
        now: c.now,
      }),
    ).toEqual({ ok: true, quorate: false });
    const five = [...c.memberIds.slice(0, 5), observerId];
    expect(
      await recordAttendance({
        estateId: c.estate.id,
        meetingId: m.id,
        userId: c.members[0].id,
        present: five,
        now: c.now,
      }),
    ).toEqual({ ok: true, quorate: true });

    const [item] = await getDb().select().from(schema.agendaItems).where(eq(schema.agendaItems.meetingId, m.id));
    // The observer cannot vote, and their vote is refused even when entered by a member.
    expect(
      await recordVotes({
        estateId: c.estate.id,
        meetingId: m.id,
        itemId: item.id,
        userId: deputy.id,
        resolution: null,
        votes: {},
      }),
    ).toMatchObject({ error: "committee.errors.notMember" });
    expect(
      await recordVotes({
        estateId: c.estate.id,
        meetingId: m.id,
        itemId: item.id,
        userId: c.members[0].id,
        resolution: "同意增设",
        votes: { [observerId]: "agree" },
      }),
    ).toMatchObject({ error: "committee.errors.notPresent" });
    const votes = Object.fromEntries(c.memberIds.slice(0, 5).map((id) => [id, "agree" as const]));
    expect(
      await recordVotes({
        estateId: c.estate.id,
        meetingId: m.id,
        itemId: item.id,
        userId: c.members[0].id,
        resolution: "同意增设",
        votes,
      }),
    ).toMatchObject({ ok: true });
    expect(
      await saveMinutes({
        estateId: c.estate.id,
        meetingId: m.id,
        userId: c.members[0].id,
        markdown: "会议同意增设充电桩。",
      }),
    ).toMatchObject({ ok: true });

    // The observer reads the roll and the draft minutes before anything is published, as a member does.
    const view = (await call(meetingLoader, { url: "/", params: { ...params, id: m.id }, user: deputy })) as {
      insider: boolean;
      page: NonNullable<Awaited<ReturnType<typeof meetingPage>>>;
    };
    expect(view.insider).toBe(true);
    expect(view.page.record).toMatchObject({ members: 9, present: 5, quorate: true });
    expect(view.page.record!.roll.find((r) => r.member.id === observerId)).toMatchObject({
      voting: false,
      present: true,
    });
    expect(view.page.me).toMatchObject({ canWrite: false, attended: false });
    expect(view.page.meeting.minutesDraft).toBe("会议同意增设充电桩。");
    // An owner who is not on the committee sees none of that yet.
    const owner = (await call(meetingLoader, {
      url: "/",
      params: { ...params, id: m.id },
      user: c.owner,
    })) as typeof view;
    expect(owner.page.record).toBeNull();
    expect(owner.page.meeting).toMatchObject({ minutesDraft: null, minutesHtml: null });

    // No sign-off by the observer, and the majority needed counts the 5 members present only.
    expect(await signMinutes({ estateId: c.estate.id, meetingId: m.id, userId: deputy.id })).toMatchObject({
      error: "committee.errors.notAttendee",
    });
    expect(view.page.signoffsNeeded).toBe(3);
    expect(
      statusOf(
        await call(meetingAction, {
          url: "/",
          params: { ...params, id: m.id },
          user: deputy,
          form: { intent: "sign" },
        }),
      ),
    ).toBe(403);
  });
});
