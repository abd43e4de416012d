import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db, Queryable } from "#db/client";
import * as s from "#db/schema/index";
import { recordAudit } from "~/audit/audit.server";
import { hashPassword } from "~/auth/password.server";
import { sha256 } from "~/committee/meetings.server";
import { decisionPasses } from "~/committee/rules";

/**
 * The demo estate's committee: 第三届业主委员会 of 宜欣花园, 9 members (7 N seats over four
 * zones by households, 2 X seats held by owners who are deputies), chaired by the demo
 * committee account; its first meeting (which elected the chair) and a recent meeting, both
 * with decisions and signed minutes published. Deterministic: fixed units, names and times.
 */
export async function seedDemoCommittee(db: Db, estateSlug: string, password: string) {
  const [estate] = await db.select().from(s.estates).where(eq(s.estates.slug, estateSlug));
  const buildings = await db.select().from(s.buildings).where(eq(s.buildings.estateId, estate.id));
  const building = (name: string) => buildings.find((b) => b.name === name)!;
  const email = (e: string) =>
    db
      .select()
      .from(s.users)
      .where(eq(s.users.email, e))
      .then((r) => r[0]);
  const chairUser = await email("committee@demo.yishitang.cn");
  const admin = await email("community@demo.yishitang.cn");
  const passwordHash = await hashPassword(password);

  /** The first unit (from the top floor down) of a building whose single owner has no account yet. */
  // Read inside the seeding transaction: PGlite has one connection, so a query outside it would wait forever.
  async function freeOwner(q: Queryable, buildingName: string) {
    const b = building(buildingName);
    const rows = await q
      .select({
        unitId: s.units.id,
        number: s.units.number,
        ownerId: s.owners.id,
        name: s.owners.name,
        userId: s.owners.userId,
      })
      .from(s.units)
      .innerJoin(s.ownerships, eq(s.ownerships.unitId, s.units.id))
      .innerJoin(s.owners, eq(s.owners.id, s.ownerships.ownerId))
      .where(and(eq(s.units.buildingId, b.id), eq(s.units.developerUnsold, false), isNull(s.owners.userId)))
      .orderBy(asc(s.units.floor), asc(s.units.number));
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.unitId, (counts.get(r.unitId) ?? 0) + 1);
    const pick = rows.reverse().find((r) => counts.get(r.unitId) === 1)!;
    return { ...pick, building: b };
  }

  const t = (iso: string) => new Date(iso);
  await db.transaction(async (tx) => {
    const zonePlan = [
      { name: "一区（1–3幢）", buildings: ["1幢", "2幢", "3幢"], seats: 2 },
      { name: "二区（4–6幢）", buildings: ["4幢", "5幢", "6幢"], seats: 2 },
      { name: "三区（7–8幢）", buildings: ["7幢", "8幢"], seats: 1 },
      { name: "四区（9–12幢）", buildings: ["9幢", "10幢", "11幢", "12幢"], seats: 2 },
    ];
    const [committee] = await tx
      .insert(s.committees)
      .values({
        estateId: estate.id,
        title: "第三届业主委员会",
        status: "active",
        size: 9,
        nSeats: 7,
        xSeats: 2,
        origin: "registered",
        termStartsAt: t("2021-11-30T16:00:00Z"),
        termEndsAt: t("2026-11-29T16:00:00Z"),
        firstMeetingDueAt: t("2021-12-07T16:00:00Z"),
        createdBy: admin.id,
        createdAt: t("2021-12-01T02:00:00Z"),
      })
      .returning();
    const households = await tx
      .select({ buildingId: s.units.buildingId })
      .from(s.units)
      .where(and(eq(s.units.estateId, estate.id), eq(s.units.kind, "residential")));
    const zones = await tx
      .insert(s.committeeZones)
      .values(
        zonePlan.map((z, i) => {
          const ids = z.buildings.map((n) => building(n).id);
          return {
            estateId: estate.id,
            committeeId: committee.id,
            name: z.name,
            position: i,
            buildingIds: ids,
            households: households.filter((h) => ids.includes(h.buildingId)).length,
            seats: z.seats,
          };
        }),
      )
      .returning();
    const zoneId = (i: number) => zones.find((z) => z.position === i)!.id;

    // Members: the demo committee account (陈志强, 1幢 201) chairs; the others are roster owners given accounts.
    const [chairOwner] = await tx
      .select()
      .from(s.owners)
      .where(and(eq(s.owners.estateId, estate.id), eq(s.owners.userId, chairUser.id)));
    const seats: {
      b: string;
      seat: "N" | "X";
      zone: number | null;
      office: "chair" | "vice_chair" | "member";
      role?: { role: "npc" | "cppcc"; title: string };
    }[] = [
      { b: "2幢", seat: "N", zone: 0, office: "member" },
      { b: "4幢", seat: "N", zone: 1, office: "vice_chair" },
      { b: "6幢", seat: "N", zone: 1, office: "member" },
      { b: "7幢", seat: "N", zone: 2, office: "member" },
      { b: "9幢", seat: "N", zone: 3, office: "member" },
      { b: "11幢", seat: "N", zone: 3, office: "member" },
      { b: "3幢", seat: "X", zone: null, office: "member", role: { role: "npc", title: "虎丘区人大代表" } },
      { b: "10幢", seat: "X", zone: null, office: "member", role: { role: "cppcc", title: "苏州高新区政协委员" } },
    ];
    const memberRows: { id: string; userId: string }[] = [];
    const [chair] = await tx
      .insert(s.committeeMembers)
      .values({
        estateId: estate.id,
        committeeId: committee.id,
        userId: chairUser.id,
        ownerId: chairOwner.id,
        name: chairOwner.name,
        building: "1幢",
        seat: "N",
        zoneId: zoneId(0),
        office: "chair",
        seatedAt: t("2021-12-01T02:00:00Z"),
      })
      .returning();
    memberRows.push({ id: chair.id, userId: chairUser.id });
    for (const [i, spec] of seats.entries()) {
      const o = await freeOwner(tx, spec.b);
      const [user] = await tx
        .insert(s.users)
        .values({ email: `member${i + 2}@demo.yishitang.cn`, passwordHash, displayName: o.name })
        .returning();
      await tx
        .update(s.owners)
        .set({ userId: user.id, claimedAt: t("2021-11-20T02:00:00Z") })
        .where(eq(s.owners.id, o.ownerId));
      await tx.insert(s.memberships).values([
        { userId: user.id, estateId: estate.id, role: "owner" },
        { userId: user.id, estateId: estate.id, role: "committee" },
      ]);
      let declarationId: string | null = null;
      if (spec.role) {
        const [d] = await tx
          .insert(s.roleDeclarations)
          .values({
            estateId: estate.id,
            userId: user.id,
            role: spec.role.role,
            title: spec.role.title,
            proofNote: "代表证已查验",
            status: "verified",
            decidedBy: admin.id,
            decidedAt: t("2021-11-15T02:00:00Z"),
            createdAt: t("2021-11-10T02:00:00Z"),
          })
          .returning();
        declarationId = d.id;
      }
      const [m] = await tx
        .insert(s.committeeMembers)
        .values({
          estateId: estate.id,
          committeeId: committee.id,
          userId: user.id,
          ownerId: o.ownerId,
          name: o.name,
          building: spec.b,
          seat: spec.seat,
          zoneId: spec.zone === null ? null : zoneId(spec.zone),
          declarationId,
          office: spec.office,
          // A second apart, so the members keep one order on every page.
          seatedAt: new Date(t("2021-12-01T02:00:00Z").getTime() + (i + 1) * 1000),
        })
        .returning();
      memberRows.push({ id: m.id, userId: user.id });
    }

    async function meeting(spec: {
      title: string;
      kind: "first" | "regular";
      at: string;
      noticedAt: string;
      place: string;
      absent: number[];
      items: {
        kind: "motion" | "information" | "elect_chair" | "elect_vice_chair";
        title: string;
        description?: string;
        resolution?: string;
        candidate?: number;
        votes?: ("agree" | "oppose" | "abstain")[];
      }[];
      minutes: string;
      signers: number[];
      publishedAt: string;
    }) {
      const [m] = await tx
        .insert(s.committeeMeetings)
        .values({
          estateId: estate.id,
          committeeId: committee.id,
          title: spec.title,
          kind: spec.kind,
          scheduledAt: t(spec.at),
          place: spec.place,
          scheduledBy: chairUser.id,
          noticedAt: t(spec.noticedAt),
          shortNotice: t(spec.at).getTime() - t(spec.noticedAt).getTime() < 7 * 86_400_000,
          status: "held",
          attendanceRecordedAt: t(spec.at),
          minutes: spec.minutes,
          minutesUpdatedAt: t(spec.at),
          minutesUpdatedBy: chairUser.id,
          minutesPublishedAt: t(spec.publishedAt),
          decisionsPublishedAt: t(spec.publishedAt),
          decisionsPublishedBy: chairUser.id,
        })
        .returning();
      await tx.insert(s.meetingAttendance).values(
        memberRows.map((r, i) => ({
          meetingId: m.id,
          memberId: r.id,
          estateId: estate.id,
          voting: true,
          present: !spec.absent.includes(i),
          recordedBy: chairUser.id,
          recordedAt: t(spec.at),
        })),
      );
      const present = memberRows.filter((_, i) => !spec.absent.includes(i));
      for (const [pos, item] of spec.items.entries()) {
        const votes = item.votes ?? [];
        const agree = votes.filter((v) => v === "agree").length;
        const [row] = await tx
          .insert(s.agendaItems)
          .values({
            estateId: estate.id,
            meetingId: m.id,
            position: pos + 1,
            kind: item.kind,
            title: item.title,
            description: item.description ?? null,
            candidateMemberId: item.candidate === undefined ? null : memberRows[item.candidate].id,
            resolution: item.resolution ?? null,
            agreeCount: item.kind === "information" ? null : agree,
            opposeCount: item.kind === "information" ? null : votes.filter((v) => v === "oppose").length,
            abstainCount: item.kind === "information" ? null : votes.filter((v) => v === "abstain").length,
            memberCount: item.kind === "information" ? null : memberRows.length,
            passed: item.kind === "information" ? null : decisionPasses(agree, memberRows.length),
          })
          .returning();
        if (votes.length) {
          await tx.insert(s.memberVotes).values(
            votes.map((choice, i) => ({
              itemId: row.id,
              memberId: present[i].id,
              meetingId: m.id,
              estateId: estate.id,
              choice,
              recordedBy: chairUser.id,
              recordedAt: t(spec.at),
            })),
          );
        }
      }
      await tx.insert(s.minutesSignoffs).values(
        spec.signers.map((i, n) => ({
          meetingId: m.id,
          memberId: memberRows[i].id,
          estateId: estate.id,
          userId: memberRows[i].userId,
          minutesSha256: sha256(spec.minutes),
          signedAt: new Date(t(spec.publishedAt).getTime() - (spec.signers.length - 1 - n) * 3_600_000),
        })),
      );
      await recordAudit(tx, {
        estateId: estate.id,
        actorUserId: chairUser.id,
        act: "minutes_publish",
        subjectType: "meeting",
        subjectId: m.id,
        detail: { signed: spec.signers.length, attendees: present.length, sha256: sha256(spec.minutes) },
        at: t(spec.publishedAt),
      });
      return m;
    }

    await meeting({
      title: "第三届业委会第一次会议",
      kind: "first",
      at: "2021-12-05T11:00:00Z",
      noticedAt: "2021-12-01T03:00:00Z",
      place: "白马涧社区党群服务中心二楼会议室",
      absent: [],
      items: [
        {
          kind: "elect_chair",
          title: "选举业委会主任",
          candidate: 0,
          resolution: "选举 1幢 委员为第三届业委会主任。",
          votes: ["agree", "agree", "agree", "agree", "agree", "agree", "agree", "agree", "abstain"],
        },
        {
          kind: "elect_vice_chair",
          title: "选举业委会副主任",
          candidate: 2,
          resolution: "选举 4幢 委员为第三届业委会副主任。",
          votes: ["agree", "agree", "abstain", "agree", "agree", "agree", "agree", "agree", "agree"],
        },
        { kind: "information", title: "社区介绍“先交费、后议事，有事通过业委会反映”的工作机制" },
      ],
      minutes:
        "# 第三届业委会第一次会议纪要\n\n- 时间：2021年12月5日 19:00\n- 地点：白马涧社区党群服务中心二楼会议室\n- 出席：全体 9 名委员\n\n## 一、选举主任、副主任\n\n经表决，选举 1幢 委员为主任（同意 8 票，弃权 1 票），选举 4幢 委员为副主任（同意 8 票，弃权 1 票）。\n\n## 二、工作机制\n\n社区介绍了“业主先交费，问题通过业委会反映”的做法，委员一致同意在本届推行。",
      signers: [0, 1, 2, 3, 4, 5],
      publishedAt: "2021-12-07T02:00:00Z",
    });
    await meeting({
      title: "第三届业委会2026年第四次会议",
      kind: "regular",
      at: "2026-11-10T11:00:00Z",
      noticedAt: "2026-11-02T02:00:00Z",
      place: "宜欣花园物业服务中心会议室",
      absent: [5],
      items: [
        {
          kind: "motion",
          title: "续聘苏州宜居物业服务有限公司",
          description: "物业服务合同将于2026年12月31日到期。根据本年度服务评分，提请续聘三年，提交业主大会表决。",
          resolution: "同意将续聘方案提交业主大会表决。",
          votes: ["agree", "agree", "agree", "agree", "agree", "agree", "agree", "abstain"],
        },
        {
          kind: "motion",
          title: "小区东门门禁系统改造",
          description: "东门门禁设备老化，报价 48,600 元，拟从公共收益中列支。",
          resolution: "同意改造，费用从公共收益中列支，完工后公示账目。",
          votes: ["agree", "agree", "agree", "agree", "agree", "agree", "oppose", "abstain"],
        },
        { kind: "information", title: "三季度维修资金使用情况通报" },
      ],
      minutes:
        "# 第三届业委会2026年第四次会议纪要\n\n- 时间：2026年11月10日 19:00\n- 地点：宜欣花园物业服务中心会议室\n- 出席：8 名委员（1 名请假）\n\n## 一、续聘物业服务企业\n\n委员审阅了本年度物业服务评分（报修响应、满意度、收费率）。表决：同意 7 票，弃权 1 票，**通过**。续聘方案将提交业主大会表决。\n\n## 二、东门门禁系统改造\n\n表决：同意 6 票，反对 1 票，弃权 1 票，**通过**。费用 48,600 元从公共收益中列支，完工后公示账目。\n\n## 三、维修资金使用情况\n\n物业通报了三季度 5 至 8 幢地下管道维修支出，详见公示栏。",
      signers: [0, 1, 2, 3, 4],
      publishedAt: "2026-11-12T09:00:00Z",
    });
    await recordAudit(tx, {
      estateId: estate.id,
      actorUserId: admin.id,
      act: "committee_register",
      subjectType: "committee",
      subjectId: committee.id,
      detail: { size: committee.size, nSeats: committee.nSeats, xSeats: committee.xSeats },
      at: t("2021-12-01T02:00:00Z"),
    });
  });
}
