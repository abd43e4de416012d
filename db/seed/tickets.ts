import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "#db/client";
import * as s from "#db/schema/index";
import type { TicketCategory } from "#db/schema/tickets";
import { addMonths, monthStart } from "~/tickets/scorecard";
import { deadlines, defaultTargets } from "~/tickets/sla";

/** mulberry32: the demo's history is the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const texts: Record<TicketCategory, string[]> = {
  repair: [
    "单元门门禁刷卡没反应",
    "楼道声控灯不亮",
    "电梯运行时有异响",
    "地下车库顶部渗水",
    "卫生间楼板渗水到楼下",
    "消防栓箱门损坏",
  ],
  cleaning: ["楼道里堆放的杂物没人清理", "垃圾桶满了没有及时清运", "地库入口有积水和落叶"],
  security: ["北门门岗夜间无人值守", "小区围墙边有陌生人翻越", "监控探头被树枝挡住"],
  greenery: ["中心花园草坪大片枯黄", "香樟树枝压到三楼窗户", "绿化带被踩出小路"],
  parking: ["消防通道被车辆长期占用", "地面车位划线看不清", "道闸识别不了车牌"],
  noise: ["晚上十点后广场舞音响太大", "装修工人早上七点就开始电钻", "空调外机噪音很大"],
  other: ["快递柜故障取不出件", "小区公告栏信息过期", "健身器材螺丝松动"],
};
const notes = [
  "已安排维修师傅处理完毕",
  "已清理完毕，并加强巡查",
  "已联系相关住户整改",
  "配件已更换，测试正常",
  "已协调有关部门处理",
];
const categories = [
  "repair",
  "repair",
  "repair",
  "cleaning",
  "security",
  "greenery",
  "parking",
  "noise",
  "other",
] as const;

/**
 * The feedback loop's demo history for 宜欣花园: 苏州宜居物业服务有限公司 serving it (and 康乐物业
 * serving 康乐苑), eleven months of tickets (December 2025 to October 2026) whose response
 * times, punctuality and ratings improve month by month as the fee collection rate rises, two
 * tickets from October still not resolved (so they escalate to the committee), a quarterly
 * service report and the committee's two ledgers. Tickets are filed by the demo owner, the
 * resident and the committee member (an owner of 1幢 201); the current month is left empty so a
 * new ticket shows on its own in this month's scorecard.
 */
export async function seedDemoTickets(
  db: Db,
  emails: { owner: string; resident: string; committee: string; staff: string },
) {
  const rand = prng(20161008);
  const [yixin] = await db.select().from(s.estates).where(eq(s.estates.slug, "yixin"));
  const [kangle] = await db.select().from(s.estates).where(eq(s.estates.slug, "kangle"));
  const people = await db
    .select({ id: s.users.id, email: s.users.email })
    .from(s.users)
    .where(inArray(s.users.email, Object.values(emails)));
  const user = (email: string) => people.find((p) => p.email === email)!.id;
  const homes = await db
    .select({ unitId: s.units.id, buildingId: s.units.buildingId, building: s.buildings.name, number: s.units.number })
    .from(s.units)
    .innerJoin(s.buildings, eq(s.buildings.id, s.units.buildingId))
    .where(and(eq(s.units.estateId, yixin.id), eq(s.buildings.name, "1幢"), inArray(s.units.number, ["101", "201"])));
  const home = (n: string) => homes.find((h) => h.number === n)!;
  const buildingRows = await db
    .select({ id: s.buildings.id })
    .from(s.buildings)
    .where(eq(s.buildings.estateId, yixin.id));
  const filers = [
    { id: user(emails.owner), unit: home("101"), role: "owner" },
    { id: user(emails.owner), unit: home("101"), role: "owner" },
    { id: user(emails.resident), unit: home("101"), role: "resident" },
    { id: user(emails.committee), unit: home("201"), role: "owner" },
  ];
  const staffId = user(emails.staff);

  await db.transaction(async (txn) => {
    const tx = txn as unknown as Db;
    const [company, other] = await tx
      .insert(s.propertyCompanies)
      .values([
        { name: "苏州宜居物业服务有限公司", createdAt: new Date("2021-05-20T02:00:00Z") },
        { name: "康乐物业管理有限公司", createdAt: new Date("2021-12-20T02:00:00Z") },
      ])
      .returning();
    await tx.insert(s.companyEstates).values([
      { companyId: company.id, estateId: yixin.id, startedAt: new Date("2021-06-01T00:00:00Z") },
      { companyId: other.id, estateId: kangle.id, startedAt: new Date("2022-01-01T00:00:00Z") },
    ]);

    const ticketRows: (typeof s.tickets.$inferInsert)[] = [];
    const eventRows: (typeof s.ticketEvents.$inferInsert)[] = [];
    let seq = 0;
    const first = "2025-12";
    for (let i = 0; i < 11; i++) {
      const month = addMonths(first, i);
      const progress = i / 10;
      const count = 14 - Math.round(5 * progress);
      for (let k = 0; k < count; k++) {
        const category = categories[Math.floor(rand() * categories.length)];
        const filer = filers[Math.floor(rand() * filers.length)];
        const createdAt = new Date(
          monthStart(month).getTime() +
            Math.floor(rand() * 27) * 86_400_000 +
            (8 + Math.floor(rand() * 12)) * 3_600_000 +
            Math.floor(rand() * 60) * 60_000,
        );
        const due = deadlines(createdAt, category, defaultTargets);
        const target = defaultTargets[category];
        const responseMin = Math.max(
          5,
          Math.round((60 * target.responseHours * (1.6 - 1.1 * progress) * (0.3 + rand())) / 1),
        );
        const inTime = rand() < 0.5 + 0.45 * progress;
        const resolutionMin = Math.max(
          responseMin + 30,
          Math.round(60 * target.resolutionHours * (inTime ? 0.15 + 0.75 * rand() : 1.05 + 1.2 * rand())),
        );
        const reopened = rand() < 0.2 - 0.15 * progress;
        const rating = Math.max(1, Math.min(5, Math.round(2.7 + 1.9 * progress + (rand() - 0.5) * 2)));
        const stillOpen = month === "2026-10" && k < 2;
        const at = (min: number) => new Date(createdAt.getTime() + min * 60_000);
        const location = rand() < 0.3 ? ("unit" as const) : rand() < 0.5 ? ("building" as const) : ("common" as const);
        const id = crypto.randomUUID();
        seq++;
        const description = texts[category][Math.floor(rand() * texts[category].length)];
        const firstResolvedMin = reopened ? Math.round(resolutionMin * 0.4) : resolutionMin;
        ticketRows.push({
          id,
          estateId: yixin.id,
          seq,
          companyId: company.id,
          filerId: filer.id,
          unitId: filer.unit.unitId,
          category,
          location,
          buildingId:
            location === "unit"
              ? filer.unit.buildingId
              : location === "building"
                ? buildingRows[Math.floor(rand() * buildingRows.length)].id
                : null,
          place: location === "common" ? "中心花园" : null,
          description,
          isPublic: location !== "unit" && rand() < 0.8,
          status: stillOpen ? (k === 0 ? "open" : "acknowledged") : "closed",
          assigneeId: stillOpen && k === 0 ? null : staffId,
          responseDueAt: due.responseDueAt,
          resolutionDueAt: due.resolutionDueAt,
          acknowledgedAt: stillOpen && k === 0 ? null : at(responseMin),
          firstResolvedAt: stillOpen ? null : at(firstResolvedMin),
          resolvedAt: stillOpen ? null : at(resolutionMin),
          reopenCount: stillOpen ? 0 : reopened ? 1 : 0,
          closedAt: stillOpen ? null : at(resolutionMin + 600),
          closedBy: stillOpen ? null : "filer",
          rating: stillOpen ? null : rating,
          ratedAt: stillOpen ? null : at(resolutionMin + 600),
          createdAt,
        });
        const event = (
          kind: (typeof s.ticketEventKind.enumValues)[number],
          min: number,
          actorId: string | null,
          actorRole: string | null,
          body: string | null = null,
          detail: unknown = null,
        ) => eventRows.push({ estateId: yixin.id, ticketId: id, kind, actorId, actorRole, body, detail, at: at(min) });
        event("filed", 0, filer.id, filer.role);
        if (stillOpen && k === 0) continue;
        event("acknowledged", responseMin, staffId, "property_staff");
        event("assigned", responseMin, staffId, "property_staff", null, { assigneeId: staffId, name: "吴**" });
        if (stillOpen) continue;
        if (reopened) {
          event("resolved", firstResolvedMin, staffId, "property_staff", notes[Math.floor(rand() * notes.length)]);
          event("reopened", firstResolvedMin + 300, filer.id, filer.role, "问题又出现了");
        }
        event("resolved", resolutionMin, staffId, "property_staff", notes[Math.floor(rand() * notes.length)]);
        event("confirmed", resolutionMin + 600, filer.id, filer.role, null, { rating });
      }
    }
    for (let i = 0; i < ticketRows.length; i += 500) await tx.insert(s.tickets).values(ticketRows.slice(i, i + 500));
    for (let i = 0; i < eventRows.length; i += 1000)
      await tx.insert(s.ticketEvents).values(eventRows.slice(i, i + 1000));
    await tx.insert(s.ticketSettings).values({ estateId: yixin.id, ticketSeq: seq, updatedBy: staffId });
    const openPublic = ticketRows.filter((t) => t.status !== "closed");
    for (const t of openPublic) await tx.update(s.tickets).set({ isPublic: true }).where(eq(s.tickets.id, t.id!));
    if (openPublic[0])
      await tx.insert(s.ticketUpvotes).values({
        ticketId: openPublic[0].id!,
        userId: user(emails.committee),
        estateId: yixin.id,
        createdAt: new Date("2026-10-30T02:00:00Z"),
      });

    // The company's report for the third quarter, and the committee's ledgers.
    const [report] = await tx
      .insert(s.serviceReports)
      .values({
        estateId: yixin.id,
        companyId: company.id,
        quarter: "2026-Q3",
        title: "2026 年第三季度物业服务报告",
        body: "本季度完成 12 部电梯年检、地库照明改造和雨季排水检查；报修 41 件，按时解决率 88%。\n下季度重点：冬季管道防冻、消防设施检测。",
        publishedBy: staffId,
        publishedAt: new Date("2026-10-10T02:00:00Z"),
      })
      .returning();
    const lines = [
      ["income", "物业服务费", 1_554_320_00],
      ["income", "停车管理费", 216_000_00],
      ["spending", "人员工资及社保", 845_000_00],
      ["spending", "保洁绿化外包", 312_500_00],
      ["spending", "电梯维保", 96_000_00],
      ["spending", "公共水电", 138_760_00],
      ["spending", "维修材料", 57_315_50],
    ] as const;
    await tx.insert(s.serviceReportLines).values(
      lines.map(([kind, label, amountFen], i) => ({
        estateId: yixin.id,
        reportId: report.id,
        position: i + 1,
        kind,
        label,
        amountFen,
      })),
    );
    const committeeId = user(emails.committee);
    await tx.insert(s.ledgerEntries).values([
      {
        estateId: yixin.id,
        ledger: "maintenance_fund" as const,
        seq: 1,
        direction: "in",
        occurredOn: "2026-01-01",
        description: "专项维修资金账户结余（住建局对账单）",
        counterparty: "苏州市住房维修资金管理中心",
        amountFen: 6_382_450_00,
        recordedBy: committeeId,
      },
      {
        estateId: yixin.id,
        ledger: "maintenance_fund" as const,
        seq: 2,
        direction: "in",
        occurredOn: "2026-06-30",
        description: "上半年利息",
        counterparty: "苏州市住房维修资金管理中心",
        amountFen: 47_868_37,
        recordedBy: committeeId,
      },
      {
        estateId: yixin.id,
        ledger: "maintenance_fund" as const,
        seq: 3,
        direction: "in",
        occurredOn: "2026-08-20",
        description: "公共收益转入（业主大会决定）",
        counterparty: "本小区公共收益账户",
        amountFen: 50_000_00,
        recordedBy: committeeId,
      },
      {
        estateId: yixin.id,
        ledger: "common_income" as const,
        seq: 1,
        direction: "in",
        occurredOn: "2026-03-31",
        description: "电梯轿厢广告（一季度）",
        counterparty: "分众传媒",
        amountFen: 36_000_00,
        recordedBy: committeeId,
      },
      {
        estateId: yixin.id,
        ledger: "common_income" as const,
        seq: 2,
        direction: "in",
        occurredOn: "2026-06-30",
        description: "电梯轿厢广告（二季度）",
        counterparty: "分众传媒",
        amountFen: 36_000_00,
        recordedBy: committeeId,
      },
      {
        estateId: yixin.id,
        ledger: "common_income" as const,
        seq: 3,
        direction: "in",
        occurredOn: "2026-07-15",
        description: "快递柜场地使用费（全年）",
        counterparty: "丰巢科技",
        amountFen: 12_000_00,
        recordedBy: committeeId,
      },
      {
        estateId: yixin.id,
        ledger: "common_income" as const,
        seq: 4,
        direction: "out",
        occurredOn: "2026-08-20",
        description: "按业主大会决定转入维修资金",
        counterparty: "苏州市住房维修资金管理中心",
        amountFen: 50_000_00,
        recordedBy: committeeId,
      },
    ]);
  });
}
