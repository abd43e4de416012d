import { and, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import {
  archiveCommittee,
  recordObserverRole,
  registerCommittee,
  seatMember,
  vacateSeat,
} from "../../app/committee/composition.server";
import {
  publishDecisions,
  recordAttendance,
  recordVotes,
  saveMinutes,
  scheduleMeeting,
  signMinutes,
} from "../../app/committee/meetings.server";
import { committeePage, meetingPage, searchMeetings } from "../../app/committee/pages.server";
import { requireMeeting, signRequisition } from "../../app/committee/requisitions.server";
import { loader as committeeLoader } from "../../app/routes/e.$estate.committee._index";
import { action as meetingAction, loader as meetingLoader } from "../../app/routes/e.$estate.committee.meetings.$id";
import { action as inquiryAction } from "../../app/routes/e.$estate.inquiries";
import { loader as archiveLoader } from "../../app/routes/e.$estate.committee.meetings._index";
import { action as scheduleAction } from "../../app/routes/e.$estate.committee.meetings.new";
import { deadlineWithin } from "../../app/lib/calendar";
import { restDayTable } from "../../app/lib/rest-days.server";
import { call, expectStatus, makeEstate, makeUser, refusalOf, statusOf } from "../fixtures";
import { committeeEstate, day, ownerWithAccount, rolesOf } from "./committee-helpers";

const { auditEvents, committeeMeetings, memberships, minutesSignoffs, outbox } = schema;

async function heldMeeting(
  c: Awaited<ReturnType<typeof committeeEstate>>,
  present: number[],
  opts: { at?: Date; agenda?: Parameters<typeof scheduleMeeting>[0]["agenda"] } = {},
) {
  const at = opts.at ?? new Date(c.now.getTime() - 2 * 3600_000);
  const scheduled = await scheduleMeeting({
    estateId: c.estate.id,
    userId: c.members[0].id,
    title: "第三次业委会会议",
    kind: "regular",
    scheduledAt: at,
    place: "社区活动室",
    agenda: opts.agenda ?? [
      { kind: "motion", title: "续聘物业服务企业" },
      { kind: "information", title: "维修资金使用情况通报" },
    ],
    now: new Date(at.getTime() - 8 * day),
  });
  if (!scheduled.ok) throw new Error(scheduled.error);
  const att = await recordAttendance({
    estateId: c.estate.id,
    meetingId: scheduled.id,
    userId: c.members[0].id,
    present: present.map((i) => c.memberIds[i]),
    now: c.now,
  });
  if (!att.ok) throw new Error(att.error);
  const items = await getDb().select().from(schema.agendaItems).where(eq(schema.agendaItems.meetingId, scheduled.id));
  return { meetingId: scheduled.id, quorate: att.quorate, items: items.sort((a, b) => a.position - b.position) };
}

describe("composition", () => {
  it("registers a committee whose N seats follow the apportionment and seats members who are owners", async () => {
    const c = await committeeEstate();
    const page = await committeePage(c.estate.id);
    if (!page?.committee) throw new Error("no committee");
    expect(page.committee).toMatchObject({ size: 9, nSeats: 7, xSeats: 2 });
    expect(page.zones.map((z) => [z.name, z.households, z.seats, z.filled])).toEqual([
      ["一区", 5, 3, 3],
      ["二区", 3, 2, 2],
      ["三区", 2, 2, 2],
    ]);
    expect(page.members).toHaveLength(9);
    // Names are masked; seat, role and office are shown.
    expect(page.members[0]).toMatchObject({ name: "陈**", building: "1幢", seat: "N", zone: "一区", office: "chair" });
    expect(page.members.find((m) => m.seat === "X")).toMatchObject({ publicRole: "npc", roleTitle: "区人大代表" });
    expect(JSON.stringify(page)).not.toContain("陈志强");
    expect(page.vacancies).toEqual({ n: 0, x: 0 });
    // The committee role follows the seats.
    for (const m of c.members) expect(await rolesOf(m.id, c.estate.id)).toEqual(["committee", "owner"]);
    expect(await rolesOf(c.owner.id, c.estate.id)).toEqual(["owner"]);
  });

  it("refuses a size that is not 5–11 and odd, a term over 5 years, and seats that do not follow the apportionment", async () => {
    const estate = await makeEstate();
    const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }]);
    await ownerWithAccount(estate.id, "1幢", "101", "甲");
    await ownerWithAccount(estate.id, "2幢", "101", "乙");
    const b = Object.fromEntries(
      (await getDb().select().from(schema.buildings).where(eq(schema.buildings.estateId, estate.id))).map((x) => [
        x.name,
        x.id,
      ]),
    );
    const start = new Date("2026-01-01T00:00:00Z");
    const base = {
      estateId: estate.id,
      userId: admin.id,
      title: "第一届",
      termStartsAt: start,
      termEndsAt: new Date("2031-01-01T00:00:00Z"),
      zones: [
        { name: "东", buildingIds: [b["1幢"]], seats: 2 },
        { name: "西", buildingIds: [b["2幢"]], seats: 2 },
      ],
    };
    for (const size of [4, 6, 13])
      expect(await registerCommittee({ ...base, size, xSeats: 1 })).toMatchObject({
        ok: false,
        error: "committee.errors.size",
      });
    expect(
      await registerCommittee({ ...base, size: 5, xSeats: 1, termEndsAt: new Date("2031-01-01T00:00:01Z") }),
    ).toMatchObject({ error: "committee.errors.term" });
    // 4 N seats, two zones of 1 household each: 1 + 1, then 2 by households, 1 each. 3/1 is refused.
    expect(
      await registerCommittee({
        ...base,
        size: 5,
        xSeats: 1,
        zones: [
          { ...base.zones[0], seats: 3 },
          { ...base.zones[1], seats: 1 },
        ],
      }),
    ).toMatchObject({
      error: "committee.errors.seatsNotApportioned",
    });
    // 5 N seats over two equal zones: a tie for the last seat, settled only with a note.
    const tied = {
      ...base,
      size: 5,
      xSeats: 0,
      zones: [
        { ...base.zones[0], seats: 3 },
        { ...base.zones[1], seats: 2 },
      ],
    };
    expect(await registerCommittee(tied)).toMatchObject({ error: "committee.errors.tieNoteMissing" });
    const ok = await registerCommittee({ ...tied, tieNote: "筹备组抽签" });
    expect(ok).toMatchObject({ ok: true });
    const zones = await getDb()
      .select()
      .from(schema.committeeZones)
      .where(eq(schema.committeeZones.estateId, estate.id));
    expect(zones.map((z) => z.tieResolution)).toEqual(["筹备组抽签", "筹备组抽签"]);
    // Every building must be in a zone.
    expect(
      await registerCommittee({ ...base, size: 5, xSeats: 3, zones: [{ ...base.zones[0], seats: 2 }] }),
    ).toMatchObject({ error: "committee.errors.buildingsUncovered" });
  });

  it("seats only owners: N in their zone, X with a verified role; a non-owner deputy only as an observer without the committee role", async () => {
    const c = await committeeEstate();
    await vacateSeat({ estateId: c.estate.id, adminId: c.admin.id, memberId: c.memberIds[8], reason: "迁出" });
    await vacateSeat({ estateId: c.estate.id, adminId: c.admin.id, memberId: c.memberIds[6], reason: "辞职" });
    const seat = (email: string, s: "N" | "X" | "observer", zone: string | null) =>
      seatMember({
        estateId: c.estate.id,
        adminId: c.admin.id,
        committeeId: c.committeeId,
        email,
        seat: s,
        zoneId: zone ? c.zone(zone) : null,
        office: "member",
      });
    // The plain owner lives in 1幢: not in 三区, and 一区 is full.
    expect(await seat(c.owner.email, "N", "三区")).toMatchObject({ error: "committee.errors.notInZone" });
    expect(await seat(c.owner.email, "N", "一区")).toMatchObject({ error: "committee.errors.zoneFull" });
    expect(await seat(c.owner.email, "X", null)).toMatchObject({ error: "committee.errors.roleNotVerified" });
    // A deputy who owns nothing here.
    const deputy = await makeUser([], "钱代表");
    expect(await seat(deputy.email, "X", null)).toMatchObject({ error: "committee.errors.notOwner" });
    expect(
      await recordObserverRole({
        estateId: c.estate.id,
        adminId: c.admin.id,
        email: deputy.email,
        role: "npc",
        title: "市人大代表",
        proofNote: "代表证",
      }),
    ).toMatchObject({ ok: true });
    expect(await seat(deputy.email, "X", null)).toMatchObject({ error: "committee.errors.notOwner" });
    expect(await seat(deputy.email, "observer", null)).toMatchObject({ ok: true });
    // Not the committee role: the observer role, which reads and attends but writes nothing.
    expect(await rolesOf(deputy.id, c.estate.id)).toEqual(["committee_observer"]);
    const page = await committeePage(c.estate.id);
    if (!page?.committee) throw new Error("no committee");
    expect(page.members.find((m) => m.seat === "observer")).toMatchObject({ name: "钱**", roleTitle: "市人大代表" });
    expect(page.vacancies).toEqual({ n: 1, x: 1 });
    expect(page.former).toHaveLength(2);
    // The departed lost the committee role.
    expect(await rolesOf(c.members[8].id, c.estate.id)).toEqual(["owner"]);
  });

  it("archives the committee: records stay readable; members lose the role unless re-elected", async () => {
    const c = await committeeEstate();
    expect(await archiveCommittee({ estateId: c.estate.id, adminId: c.admin.id, committeeId: c.committeeId })).toEqual({
      ok: true,
    });
    for (const m of c.members) expect(await rolesOf(m.id, c.estate.id)).toEqual(["owner"]);
    const archived = await committeePage(c.estate.id, { committeeId: c.committeeId });
    expect(archived?.committee?.status).toBe("archived");
    // A new committee re-elects one of them.
    const again = await registerCommittee({
      estateId: c.estate.id,
      userId: c.admin.id,
      title: "第二届",
      size: 5,
      xSeats: 2,
      termStartsAt: new Date(),
      termEndsAt: new Date(Date.now() + 1000 * day),
      zones: [{ name: "全区", buildingIds: Object.values(c.buildings), seats: 3 }],
    });
    expect(again).toMatchObject({ ok: true });
    if (!again.ok) return;
    expect(
      await seatMember({
        estateId: c.estate.id,
        adminId: c.admin.id,
        committeeId: again.id,
        email: c.members[3].email,
        seat: "N",
        zoneId: null,
        office: "member",
      }),
    ).toMatchObject({
      error: "committee.errors.zoneMissing",
    });
    const zone = (
      await getDb().select().from(schema.committeeZones).where(eq(schema.committeeZones.committeeId, again.id))
    )[0];
    expect(
      await seatMember({
        estateId: c.estate.id,
        adminId: c.admin.id,
        committeeId: again.id,
        email: c.members[3].email,
        seat: "N",
        zoneId: zone.id,
        office: "member",
      }),
    ).toMatchObject({ ok: true });
    expect(await rolesOf(c.members[3].id, c.estate.id)).toEqual(["committee", "owner"]);
    expect(await rolesOf(c.members[0].id, c.estate.id)).toEqual(["owner"]);
    // Registering a committee while one is active archives the old one.
    expect(
      (await getDb().select().from(schema.committees).where(eq(schema.committees.estateId, c.estate.id)))
        .map((x) => x.status)
        .sort(),
    ).toEqual(["active", "archived"]);
  });
});

describe("meetings: quorum and decisions at their boundaries (9 members)", () => {
  it("4 present is not quorate: nothing can be decided", async () => {
    const c = await committeeEstate();
    const m = await heldMeeting(c, [0, 1, 2, 3]);
    expect(m.quorate).toBe(false);
    const r = await recordVotes({
      estateId: c.estate.id,
      meetingId: m.meetingId,
      itemId: m.items[0].id,
      userId: c.members[0].id,
      resolution: "续聘",
      votes: { [c.memberIds[0]]: "agree" },
    });
    expect(r).toMatchObject({ ok: false, error: "committee.errors.notQuorate" });
    expect(await publishDecisions({ estateId: c.estate.id, meetingId: m.meetingId, userId: c.members[0].id })).toEqual({
      ok: true,
    });
    const page = await meetingPage(c.estate.id, m.meetingId, { userId: c.owner.id, insider: false });
    expect(page?.record).toMatchObject({ members: 9, present: 4, quorate: false });
    expect(page?.items[0].outcome).toMatchObject({ passed: false, agree: 0, members: 9 });
  });

  it("5 present is quorate; 4 of them agreeing does not pass (a majority of those present, not of all)", async () => {
    const c = await committeeEstate();
    const m = await heldMeeting(c, [0, 1, 2, 3, 4]);
    expect(m.quorate).toBe(true);
    const votes = {
      [c.memberIds[0]]: "agree",
      [c.memberIds[1]]: "agree",
      [c.memberIds[2]]: "agree",
      [c.memberIds[3]]: "agree",
      [c.memberIds[4]]: "oppose",
    } as const;
    expect(
      await recordVotes({
        estateId: c.estate.id,
        meetingId: m.meetingId,
        itemId: m.items[0].id,
        userId: c.members[0].id,
        resolution: "续聘",
        votes,
      }),
    ).toEqual({ ok: true });
    expect(await publishDecisions({ estateId: c.estate.id, meetingId: m.meetingId, userId: c.members[1].id })).toEqual({
      ok: true,
    });
    const page = await meetingPage(c.estate.id, m.meetingId, { userId: c.owner.id, insider: false });
    expect(page?.items[0].outcome).toEqual({ passed: false, agree: 4, oppose: 1, abstain: 0, members: 9 });
    expect(page?.items[1].outcome).toBeNull(); // information: no vote
  });

  it("5 of 9 agreeing passes", async () => {
    const c = await committeeEstate();
    const m = await heldMeeting(c, [0, 1, 2, 3, 4, 5]);
    const votes = {
      [c.memberIds[0]]: "agree",
      [c.memberIds[1]]: "agree",
      [c.memberIds[2]]: "agree",
      [c.memberIds[3]]: "agree",
      [c.memberIds[4]]: "agree",
      [c.memberIds[5]]: "abstain",
    } as const;
    expect(
      await recordVotes({
        estateId: c.estate.id,
        meetingId: m.meetingId,
        itemId: m.items[0].id,
        userId: c.members[0].id,
        resolution: "续聘",
        votes,
      }),
    ).toEqual({ ok: true });
    expect(await publishDecisions({ estateId: c.estate.id, meetingId: m.meetingId, userId: c.members[0].id })).toEqual({
      ok: true,
    });
    const page = await meetingPage(c.estate.id, m.meetingId, { userId: c.owner.id, insider: false });
    expect(page?.items[0].outcome).toEqual({ passed: true, agree: 5, oppose: 0, abstain: 1, members: 9 });
    expect(page?.items[0].votes).toHaveLength(6);
  });

  it("no proxies: an absent member cannot vote, and votes are refused once the decisions are published", async () => {
    const c = await committeeEstate();
    const m = await heldMeeting(c, [0, 1, 2, 3, 4]);
    const absent = await recordVotes({
      estateId: c.estate.id,
      meetingId: m.meetingId,
      itemId: m.items[0].id,
      userId: c.members[0].id,
      resolution: null,
      votes: { [c.memberIds[7]]: "agree" },
    });
    expect(absent).toMatchObject({ ok: false, error: "committee.errors.notPresent" });
    expect(
      await recordVotes({
        estateId: c.estate.id,
        meetingId: m.meetingId,
        itemId: m.items[1].id,
        userId: c.members[0].id,
        resolution: null,
        votes: {},
      }),
    ).toMatchObject({
      error: "committee.errors.noVoteOnInformation",
    });
    await publishDecisions({ estateId: c.estate.id, meetingId: m.meetingId, userId: c.members[0].id });
    expect(
      await recordVotes({
        estateId: c.estate.id,
        meetingId: m.meetingId,
        itemId: m.items[0].id,
        userId: c.members[0].id,
        resolution: null,
        votes: { [c.memberIds[0]]: "agree" },
      }),
    ).toMatchObject({
      error: "committee.errors.frozen",
    });
    expect(
      await recordAttendance({ estateId: c.estate.id, meetingId: m.meetingId, userId: c.members[0].id, present: [] }),
    ).toMatchObject({ error: "committee.errors.frozen" });
  });

  it("flags decisions published more than 3 days after the meeting on the committee page", async () => {
    const c = await committeeEstate();
    const at = new Date(c.now.getTime() - 5 * day);
    const m = await heldMeeting(c, [0, 1, 2, 3, 4], { at });
    const before = await committeePage(c.estate.id, { now: c.now });
    expect(before?.late.map((l) => [l.id, l.publishedAt])).toEqual([[m.meetingId, null]]);
    await publishDecisions({ estateId: c.estate.id, meetingId: m.meetingId, userId: c.members[0].id, now: c.now });
    const after = await committeePage(c.estate.id, { now: c.now });
    expect(after?.late).toHaveLength(1);
    expect(after?.late[0].publishedAt).toBe(c.now.toISOString());
    // On time: within 3 days, not flagged.
    const m2 = await heldMeeting(c, [0, 1, 2, 3, 4], { at: new Date(c.now.getTime() - 2 * day) });
    await publishDecisions({ estateId: c.estate.id, meetingId: m2.meetingId, userId: c.members[0].id, now: c.now });
    const last = await committeePage(c.estate.id, { now: c.now });
    expect(last?.late.map((l) => l.id)).toEqual([m.meetingId]);
  });

  it("elects the chair at the first meeting by more than half of all members", async () => {
    const c = await committeeEstate();
    const m = await heldMeeting(c, [0, 1, 2, 3, 4, 5, 6], {
      agenda: [
        { kind: "elect_chair", title: "选举主任", candidateMemberId: c.memberIds[3] },
        { kind: "elect_vice_chair", title: "选举副主任", candidateMemberId: c.memberIds[4] },
      ],
    });
    const agreeFrom = (n: number) => Object.fromEntries(c.memberIds.slice(0, n).map((id) => [id, "agree" as const]));
    await recordVotes({
      estateId: c.estate.id,
      meetingId: m.meetingId,
      itemId: m.items[0].id,
      userId: c.members[0].id,
      resolution: null,
      votes: agreeFrom(5),
    });
    await recordVotes({
      estateId: c.estate.id,
      meetingId: m.meetingId,
      itemId: m.items[1].id,
      userId: c.members[0].id,
      resolution: null,
      votes: agreeFrom(4),
    });
    await publishDecisions({ estateId: c.estate.id, meetingId: m.meetingId, userId: c.members[0].id });
    const page = await committeePage(c.estate.id);
    if (!page?.committee) throw new Error("no committee");
    const office = (id: string) => page.members.find((x) => x.id === id)!.office;
    expect(office(c.memberIds[3])).toBe("chair");
    expect(office(c.memberIds[0])).toBe("member"); // the former chair
    expect(office(c.memberIds[4])).toBe("member"); // 4 of 9 is not enough
    expect(office(c.memberIds[1])).toBe("vice_chair");

    // The decisions are posted on the notice board once, with each outcome and its counts.
    const posted = await getDb()
      .select()
      .from(schema.boardNotices)
      .where(and(eq(schema.boardNotices.subjectId, m.meetingId), eq(schema.boardNotices.kind, "decision")));
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ author: "committee", postedBy: c.members[0].id, subjectType: "meeting" });
    expect(posted[0].body).toContain("1. 选举主任：通过（同意 5，反对 0，弃权 0）");
    expect(posted[0].body).toContain("2. 选举副主任：未通过（同意 4，反对 0，弃权 0）");
    expect(
      await publishDecisions({ estateId: c.estate.id, meetingId: m.meetingId, userId: c.members[0].id }),
    ).toMatchObject({ ok: false });
    const again = await getDb()
      .select()
      .from(schema.boardNotices)
      .where(eq(schema.boardNotices.subjectId, m.meetingId));
    expect(again).toHaveLength(1);
  });
});

describe("meeting → minutes → sign-offs → publication → notice", () => {
  it("publishes once more than half of the attendees signed, notifies every owner, logs it, and then takes questions", async () => {
    const c = await committeeEstate();
    const m = await heldMeeting(c, [0, 1, 2, 3, 4]);
    const ids = { estateId: c.estate.id, meetingId: m.meetingId };
    expect(await signMinutes({ ...ids, userId: c.members[0].id })).toMatchObject({
      error: "committee.errors.minutesMissing",
    });
    expect(
      await saveMinutes({
        ...ids,
        userId: c.members[1].id,
        markdown: "# 纪要\n\n续聘物业，**通过**。<script>alert(1)</script>",
      }),
    ).toEqual({ ok: true });
    // Only attendees sign: an absent member and an owner cannot.
    expect(await signMinutes({ ...ids, userId: c.members[7].id })).toMatchObject({
      error: "committee.errors.notAttendee",
    });
    expect(await signMinutes({ ...ids, userId: c.owner.id })).toMatchObject({ error: "committee.errors.notAttendee" });
    expect(await signMinutes({ ...ids, userId: c.members[0].id, now: new Date("2026-11-20T03:00:00Z") })).toEqual({
      ok: true,
      published: false,
    });
    expect(await signMinutes({ ...ids, userId: c.members[0].id })).toMatchObject({
      error: "committee.errors.alreadySigned",
    });
    // Frozen at the first sign-off.
    expect(await saveMinutes({ ...ids, userId: c.members[1].id, markdown: "改过的纪要" })).toMatchObject({
      error: "committee.errors.frozen",
    });
    // Owners see nothing of the draft yet.
    const ownerView = await meetingPage(c.estate.id, m.meetingId, { userId: c.owner.id, insider: false });
    expect(ownerView?.meeting.minutesHtml).toBeNull();
    expect(ownerView?.record).toBeNull();
    expect(await signMinutes({ ...ids, userId: c.members[1].id })).toEqual({ ok: true, published: false });
    const third = await signMinutes({ ...ids, userId: c.members[2].id });
    expect(third).toEqual({ ok: true, published: true });
    // A fourth attendee may still sign; publication happens once.
    expect(await signMinutes({ ...ids, userId: c.members[3].id })).toEqual({ ok: true, published: false });

    const [meeting] = await getDb().select().from(committeeMeetings).where(eq(committeeMeetings.id, m.meetingId));
    expect(meeting.minutesPublishedAt).not.toBeNull();
    expect(meeting.decisionsPublishedAt).not.toBeNull();
    const signoffs = await getDb().select().from(minutesSignoffs).where(eq(minutesSignoffs.meetingId, m.meetingId));
    expect(signoffs).toHaveLength(4);
    expect(signoffs.find((s) => s.userId === c.members[0].id)?.signedAt.toISOString()).toBe("2026-11-20T03:00:00.000Z");
    expect(new Set(signoffs.map((s) => s.minutesSha256)).size).toBe(1);

    // On the notice board: the decisions (frozen with the minutes) and the minutes, each telling
    // the owners once (10 owners, the 9 members among them).
    const posted = await getDb()
      .select()
      .from(schema.boardNotices)
      .where(eq(schema.boardNotices.subjectId, m.meetingId))
      .orderBy(schema.boardNotices.kind);
    expect(posted.map((n) => [n.kind, n.author, n.subjectType])).toEqual([
      ["decision", "committee", "meeting"],
      ["minutes", "committee", "meeting"],
    ]);
    const minutes = posted.find((n) => n.kind === "minutes")!;
    expect(minutes.title).toContain("第三次业委会会议");
    expect(minutes.body).toContain("续聘物业，**通过**。");
    const mails = await getDb()
      .select()
      .from(outbox)
      .where(and(eq(outbox.idempotencyKey, `board-notice:${minutes.id}`), eq(outbox.channel, "mail")));
    expect(mails).toHaveLength(10);
    expect(mails.every((x) => x.template === "board-notice" && x.category === "minutes")).toBe(true);
    expect(mails[0].props).toMatchObject({ path: `/e/${c.estate.slug}/board/${minutes.id}` });
    // The meeting's page links to both.
    const view = (await call(meetingLoader, {
      url: `/e/${c.estate.slug}/committee/meetings/${m.meetingId}`,
      params: { estate: c.estate.slug, id: m.meetingId },
      user: c.owner,
    })) as { onBoard: { id: string; kind: string }[] };
    expect(view.onBoard.map((n) => n.id).sort()).toEqual(posted.map((n) => n.id).sort());
    const notices = await getDb()
      .select()
      .from(outbox)
      .where(like(outbox.idempotencyKey, `meeting-notice:${m.meetingId}`));
    expect(notices).toHaveLength(9); // every member was told of the meeting
    const logged = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, m.meetingId), eq(auditEvents.act, "minutes_publish")));
    expect(logged).toHaveLength(1);

    const published = await meetingPage(c.estate.id, m.meetingId, { userId: c.owner.id, insider: false });
    expect(published?.meeting.minutesHtml).toContain("<h2>纪要</h2>");
    expect(published?.meeting.minutesHtml).not.toContain("<script");
    expect(published?.signoffs.map((s) => s.member)).toEqual(["陈**", "王*", "李*", "杨*"]);
  });

  it("the same flow through the routes: only members write, only attendees sign, owners ask and the committee answers", async () => {
    const c = await committeeEstate();
    const url = `/e/${c.estate.slug}/committee/meetings/new`;
    const params = { estate: c.estate.slug };
    const when = new Date(Date.now() - 3600_000 + 8 * 3600_000).toISOString().slice(0, 16); // an hour ago, Beijing time
    const form = {
      title: "第四次会议",
      kind: "regular",
      scheduledAt: when,
      place: "会议室",
      "agenda[0].title": "更换门禁",
      "agenda[0].kind": "motion",
    };
    await expectStatus(scheduleAction, { url, params, user: c.owner, form }, 403);
    const created = (await call(scheduleAction, { url, params, user: c.members[0], form })) as Response;
    expect(created.status).toBe(302);
    const path = created.headers.get("Location")!;
    const meetingId = path.split("/").pop()!;
    const mp = { estate: c.estate.slug, id: meetingId };
    const post = (user: typeof c.owner, f: Record<string, string> | FormData) =>
      call(meetingAction, { url: path, params: mp, user, form: f });
    const inquire = (user: typeof c.owner, f: Record<string, string>) =>
      call(inquiryAction, {
        url: `/e/${c.estate.slug}/inquiries`,
        params: { estate: c.estate.slug },
        user,
        form: { subjectKind: "minutes", subjectId: meetingId, ...f },
      });

    expect(statusOf(await post(c.owner, { intent: "attendance" }))).toBe(403);
    const attendance = new FormData();
    attendance.set("intent", "attendance");
    for (const i of [0, 1, 2, 3, 4, 5]) attendance.append("present", c.memberIds[i]);
    expect(statusOf(await post(c.members[1], attendance))).toBe(302);
    const [item] = await getDb().select().from(schema.agendaItems).where(eq(schema.agendaItems.meetingId, meetingId));
    const votes: Record<string, string> = { intent: "votes", itemId: item.id, resolution: "同意更换门禁" };
    for (const i of [0, 1, 2, 3, 4]) votes[`vote.${c.memberIds[i]}`] = "agree";
    votes[`vote.${c.memberIds[5]}`] = "oppose";
    expect(statusOf(await post(c.members[0], votes))).toBe(302);
    // A vote for an absent member is refused (no proxies), nothing changes.
    const proxy = await post(c.members[0], { intent: "votes", itemId: item.id, [`vote.${c.memberIds[8]}`]: "agree" });
    expect(statusOf(proxy)).toBe(409);
    expect(refusalOf(proxy).error).toBe("committee.errors.notPresent");
    expect(statusOf(await post(c.members[0], { intent: "minutes", markdown: "会议同意更换门禁。" }))).toBe(302);
    // Only attendees sign: an absent member gets 403.
    expect(statusOf(await post(c.members[8], { intent: "sign" }))).toBe(403);
    for (const i of [0, 1]) expect(statusOf(await post(c.members[i], { intent: "sign" }))).toBe(302);
    // Not yet published (2 of 6): owners cannot ask, and see no minutes.
    expect(statusOf(await inquire(c.owner, { intent: "ask", body: "费用多少？" }))).toBe(409);
    const signed = (await post(c.members[2], { intent: "sign" })) as Response;
    expect(signed.status).toBe(302);
    expect(statusOf(await post(c.members[3], { intent: "sign" }))).toBe(302);
    const third = await getDb().select().from(committeeMeetings).where(eq(committeeMeetings.id, meetingId));
    expect(third[0].minutesPublishedAt).not.toBeNull();

    const asked = (await inquire(c.owner, { intent: "ask", body: "门禁费用从哪里出？" })) as Response;
    expect(asked.headers.get("Location")).toBe(`${path}#inquiries`);
    const view = (await call(meetingLoader, { url: path, params: mp, user: c.owner })) as {
      inquiries: { id: string; asker: string; body: string }[];
      canAsk: boolean;
    };
    expect(view.canAsk).toBe(true);
    expect(view.inquiries).toMatchObject([{ asker: "刘*", body: "门禁费用从哪里出？" }]);
    const inquiryId = view.inquiries[0].id;
    // Another owner cannot write in someone else's thread; a committee member answers.
    const other = await ownerWithAccount(c.estate.id, "3幢", "109", "孙丽");
    expect(statusOf(await inquire(other, { intent: "reply", inquiryId, body: "我也想知道" }))).toBe(403);
    expect(
      statusOf(await inquire(c.members[1], { intent: "reply", inquiryId, body: "从公共收益中支出，详见财务公示。" })),
    ).toBe(302);
    expect(statusOf(await inquire(c.owner, { intent: "reply", inquiryId, body: "谢谢" }))).toBe(302);
    const answered = (await call(meetingLoader, { url: path, params: mp, user: other })) as {
      inquiries: { answeredAt: string | null; replies: { author: string; byCommittee: boolean; body: string }[] }[];
    };
    expect(answered.inquiries[0].answeredAt).not.toBeNull();
    expect(answered.inquiries[0].replies).toMatchObject([
      { author: "王*", byCommittee: true, body: "从公共收益中支出，详见财务公示。" },
      { author: "刘*", byCommittee: false, body: "谢谢" },
    ]);
  });

  it("owners of other estates see nothing; another estate's meeting id is not found", async () => {
    const c = await committeeEstate();
    const m = await heldMeeting(c, [0, 1, 2, 3, 4]);
    const other = await makeEstate();
    const stranger = await ownerWithAccount(other.id, "9幢", "101", "外人");
    const strangerCommittee = await makeUser([{ role: "committee", estateId: other.id }], "外委员");
    const mp = { estate: c.estate.slug, id: m.meetingId };
    const url = `/e/${c.estate.slug}/committee/meetings/${m.meetingId}`;
    await expectStatus(meetingLoader, { url, params: mp, user: stranger }, 404);
    await expectStatus(meetingAction, { url, params: mp, user: strangerCommittee, form: { intent: "sign" } }, 404);
    await expectStatus(
      committeeLoader,
      { url: `/e/${c.estate.slug}/committee`, params: { estate: c.estate.slug }, user: stranger },
      404,
    );
    await expectStatus(
      archiveLoader,
      { url: `/e/${c.estate.slug}/committee/meetings`, params: { estate: c.estate.slug }, user: stranger },
      404,
    );
    // The meeting's id under the other estate's slug: not found, and nothing written.
    const otherParams = { estate: other.slug, id: m.meetingId };
    await expectStatus(meetingLoader, { url, params: otherParams, user: stranger }, 404);
    await expectStatus(
      meetingAction,
      { url, params: otherParams, user: strangerCommittee, form: { intent: "minutes", markdown: "篡改" } },
      404,
    );
    const [meeting] = await getDb().select().from(committeeMeetings).where(eq(committeeMeetings.id, m.meetingId));
    expect(meeting.minutes).toBeNull();
    // And the committee page of the other estate shows none of this committee.
    const page = await committeePage(other.id);
    expect(page?.committee).toBeNull();
  });

  it("flags short notice and refuses attendance before the meeting starts", async () => {
    const c = await committeeEstate();
    const now = new Date();
    const soon = await scheduleMeeting({
      estateId: c.estate.id,
      userId: c.members[2].id,
      title: "临时",
      kind: "regular",
      scheduledAt: new Date(now.getTime() + 2 * day),
      onlineLink: "https://meet.example.org/x",
      agenda: [{ kind: "motion", title: "议题" }],
      now,
    });
    const later = await scheduleMeeting({
      estateId: c.estate.id,
      userId: c.members[2].id,
      title: "例会",
      kind: "regular",
      scheduledAt: new Date(now.getTime() + 7 * day),
      place: "会议室",
      agenda: [{ kind: "motion", title: "议题" }],
      now,
    });
    if (!soon.ok || !later.ok) throw new Error("not scheduled");
    const rows = await getDb().select().from(committeeMeetings).where(eq(committeeMeetings.estateId, c.estate.id));
    expect(Object.fromEntries(rows.map((r) => [r.title, r.shortNotice]))).toEqual({ 临时: true, 例会: false });
    expect(
      await recordAttendance({ estateId: c.estate.id, meetingId: soon.id, userId: c.members[0].id, present: [] }),
    ).toMatchObject({ error: "committee.errors.notYetHeld" });
    expect(
      await scheduleMeeting({
        estateId: c.estate.id,
        userId: c.owner.id,
        title: "x",
        kind: "regular",
        scheduledAt: now,
        place: "x",
        agenda: [{ kind: "motion", title: "x" }],
      }),
    ).toMatchObject({
      error: "committee.errors.notMember",
    });
    expect(
      await scheduleMeeting({
        estateId: c.estate.id,
        userId: c.members[0].id,
        title: "x",
        kind: "regular",
        scheduledAt: now,
        onlineLink: "javascript:alert(1)",
        agenda: [{ kind: "motion", title: "x" }],
      }),
    ).toMatchObject({
      error: "committee.errors.linkInvalid",
    });
    // The agenda is posted to owners at once.
    const ownerView = await meetingPage(c.estate.id, later.id, { userId: c.owner.id, insider: false });
    expect(ownerView?.items.map((i) => i.title)).toEqual(["议题"]);
  });
});

describe("a third of the members can require a meeting", () => {
  it("is due once 3 of 9 sign; the chair must hold it within 7 days", async () => {
    const c = await committeeEstate();
    const now = new Date();
    const r = await requireMeeting({ estateId: c.estate.id, userId: c.members[4].id, subject: "讨论电梯维修", now });
    if (!r.ok) throw new Error(r.error);
    expect(r.thresholdMet).toBe(false);
    expect(await signRequisition({ estateId: c.estate.id, userId: c.members[5].id, requisitionId: r.id, now })).toEqual(
      { ok: true, thresholdMet: false },
    );
    expect(
      await signRequisition({ estateId: c.estate.id, userId: c.members[5].id, requisitionId: r.id, now }),
    ).toMatchObject({ error: "committee.errors.alreadySigned" });
    expect(
      await signRequisition({ estateId: c.estate.id, userId: c.owner.id, requisitionId: r.id, now }),
    ).toMatchObject({ error: "committee.errors.notMember" });
    expect(await signRequisition({ estateId: c.estate.id, userId: c.members[6].id, requisitionId: r.id, now })).toEqual(
      { ok: true, thresholdMet: true },
    );
    const [req] = await getDb().select().from(schema.requisitions).where(eq(schema.requisitions.id, r.id));
    // Due at 24:00 Beijing of the 7th day, moved past rest days (no longer now + 7 × 24 hours).
    expect(req.dueAt).toEqual(deadlineWithin(now, 7, await restDayTable()));
    const base = {
      estateId: c.estate.id,
      title: "委员提议会议",
      kind: "requisitioned" as const,
      place: "会议室",
      agenda: [{ kind: "motion" as const, title: "电梯维修" }],
      requisitionId: r.id,
      now,
    };
    expect(
      await scheduleMeeting({ ...base, userId: c.members[4].id, scheduledAt: new Date(now.getTime() + 3 * day) }),
    ).toMatchObject({ error: "committee.errors.chairOnly" });
    expect(await scheduleMeeting({ ...base, userId: c.members[0].id, scheduledAt: req.dueAt! })).toMatchObject({
      error: "committee.errors.requisitionDue",
    });
    const ok = await scheduleMeeting({
      ...base,
      userId: c.members[0].id,
      scheduledAt: new Date(now.getTime() + 3 * day),
    });
    expect(ok).toMatchObject({ ok: true });
    expect(
      await scheduleMeeting({ ...base, userId: c.members[0].id, scheduledAt: new Date(now.getTime() + 4 * day) }),
    ).toMatchObject({ error: "committee.errors.requisitionScheduled" });
  });
});

describe("the archive", () => {
  it("finds meetings by date, topic and keyword, and owners' keyword search does not reach unpublished minutes", async () => {
    const c = await committeeEstate();
    const a = await heldMeeting(c, [0, 1, 2, 3, 4], {
      at: new Date("2026-03-10T02:00:00Z"),
      agenda: [{ kind: "motion", title: "停车收费标准" }],
    });
    const b = await heldMeeting(c, [0, 1, 2, 3, 4], {
      at: new Date("2026-06-10T02:00:00Z"),
      agenda: [{ kind: "motion", title: "绿化改造" }],
    });
    await saveMinutes({
      estateId: c.estate.id,
      meetingId: b.meetingId,
      userId: c.members[0].id,
      markdown: "讨论了香樟树修剪。",
    });
    const find = (q: Parameters<typeof searchMeetings>[1], insider = false) =>
      searchMeetings(c.estate.id, q, { insider }).then((r) => r.map((x) => x.id));
    expect(await find({ topic: "停车" })).toEqual([a.meetingId]);
    expect(await find({ from: new Date("2026-05-01T00:00:00Z") })).toEqual([b.meetingId]);
    expect(await find({ to: new Date("2026-05-01T00:00:00Z") })).toEqual([a.meetingId]);
    expect(await find({ keyword: "香樟" })).toEqual([]);
    expect(await find({ keyword: "香樟" }, true)).toEqual([b.meetingId]);
    expect(await find({ keyword: "100%" })).toEqual([]);
    for (const i of [0, 1, 2])
      await signMinutes({ estateId: c.estate.id, meetingId: b.meetingId, userId: c.members[i].id });
    expect(await find({ keyword: "香樟" })).toEqual([b.meetingId]);
    // Through the route, with the dates a person types.
    const res = (await call(archiveLoader, {
      url: `/e/${c.estate.slug}/committee/meetings?from=2026-06-10&to=2026-06-10`,
      params: { estate: c.estate.slug },
      user: c.owner,
    })) as { meetings: { id: string }[] };
    expect(res.meetings.map((x) => x.id)).toEqual([b.meetingId]);
  });
});

describe("memberships stay in sync", () => {
  it("a committee role granted outside the seats is removed when the seats change", async () => {
    const c = await committeeEstate();
    const stray = await makeUser(
      [
        { role: "committee", estateId: c.estate.id },
        { role: "owner", estateId: c.estate.id },
      ],
      "旧委员",
    );
    await vacateSeat({ estateId: c.estate.id, adminId: c.admin.id, memberId: c.memberIds[8], reason: "辞职" });
    expect(await rolesOf(stray.id, c.estate.id)).toEqual(["owner"]);
    const committeeRoles = await getDb()
      .select()
      .from(memberships)
      .where(and(eq(memberships.estateId, c.estate.id), eq(memberships.role, "committee")));
    expect(committeeRoles).toHaveLength(8);
  });
});
