import { count, eq } from "drizzle-orm";
import { hashPassword } from "~/auth/password.server";
import { claimCodeAlphabet } from "~/roster/claim-code";
import { seedDemoCommittee } from "./seed/committee";
import { seedDemoFees } from "./seed/fees";
import { seedDemoTickets } from "./seed/tickets";
import { ownerIdentityKey } from "~/roster/identity";
import { seedDemoVotes } from "./seed/voting";
import type { Db } from "./client";
import * as s from "./schema/index";
import type { Role } from "./schema/people";

export const demoPassword = "yishitang-demo";

export const demoAccounts: { email: string; displayName: string; role: Role; estate?: "yixin" | "kangle" }[] = [
  { email: "platform@demo.yishitang.cn", displayName: "平台管理员", role: "platform_admin" },
  { email: "community@demo.yishitang.cn", displayName: "周社区", role: "community_admin" },
  { email: "committee@demo.yishitang.cn", displayName: "陈委员", role: "committee", estate: "yixin" },
  { email: "staff@demo.yishitang.cn", displayName: "吴物业", role: "property_staff", estate: "yixin" },
  { email: "owner@demo.yishitang.cn", displayName: "李业主", role: "owner", estate: "yixin" },
  { email: "resident@demo.yishitang.cn", displayName: "李家属", role: "resident", estate: "yixin" },
  { email: "owner2@demo.yishitang.cn", displayName: "赵业主", role: "owner", estate: "kangle" },
];

/** An unclaimed unit whose letter a newcomer can try: 宜欣花园 2幢 101, owner 王秀英. */
export const demoClaim = { estate: "yixin", building: "2幢", unit: "101", ownerName: "王秀英", code: "WXY2K7P4MQ" };

// mulberry32: a small deterministic PRNG, so the demo estate is the same on every run.
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

const surnames =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const given = [
  "伟",
  "芳",
  "娜",
  "秀英",
  "敏",
  "静",
  "丽",
  "强",
  "磊",
  "军",
  "洋",
  "勇",
  "艳",
  "杰",
  "娟",
  "涛",
  "明",
  "超",
  "秀兰",
  "霞",
  "平",
  "刚",
  "桂英",
  "建华",
  "文",
  "华",
  "建国",
  "玉兰",
  "志强",
  "海燕",
  "晓东",
  "丹",
  "鹏",
  "宇",
  "欣怡",
  "子涵",
  "浩然",
  "梓萱",
  "俊杰",
  "雨桐",
];

interface UnitSpec {
  building: string;
  number: string;
  floor: number;
  areaCentiSqm: number;
  developerUnsold: boolean;
  owners: SeedOwner[];
}

/** A roster owner as the seed writes it; `personKey` stands in for the HMAC of an ID number. */
interface SeedOwner {
  name: string;
  phone: string | null;
  registerRef: string | null;
  personKey?: string;
  idTail?: string;
}

function estatePlan(
  rand: () => number,
  buildings: number,
  floors: number,
  perFloor: number,
  multiOwners: number,
  unsold: number,
) {
  const pick = <T>(list: readonly T[] | string) => list[Math.floor(rand() * list.length)] as T;
  const person = (i: number) => ({
    name: pick<string>(surnames) + pick(given),
    phone: rand() < 0.85 ? `13${Math.floor(rand() * 10)}${String(Math.floor(rand() * 1e8)).padStart(8, "0")}` : null,
    registerRef: rand() < 0.3 ? `SZ${String(100000 + i)}` : null,
  });
  const units: UnitSpec[] = [];
  let personIndex = 0;
  for (let b = 1; b <= buildings; b++) {
    for (let f = 1; f <= floors; f++) {
      for (let u = 1; u <= perFloor; u++) {
        const owners = [person(personIndex++)];
        if (rand() < 0.06) owners.push(person(personIndex++)); // co-owned (spouses)
        units.push({
          building: `${b}幢`,
          number: `${f}${String(u).padStart(2, "0")}`,
          floor: f,
          areaCentiSqm: 6000 + Math.floor(rand() * 12000),
          developerUnsold: false,
          owners,
        });
      }
    }
  }
  // Some owners hold several units: the same person (same ID number) on 2–3 units.
  for (let i = 0; i < multiOwners; i++) {
    const holder = { ...person(personIndex++), personKey: `seed-${i}`, idTail: String(1000 + i) };
    const n = 2 + Math.floor(rand() * 2);
    for (let k = 0; k < n; k++) units[Math.floor(rand() * units.length)].owners = [holder];
  }
  // The developer's unsold units have no owners on the roster.
  for (let i = 0; i < unsold; i++) {
    const unit = units[units.length - 1 - i * 7];
    unit.developerUnsold = true;
    unit.owners = [];
  }
  return units;
}

function code(rand: () => number) {
  let c = "";
  for (let i = 0; i < 10; i++) c += claimCodeAlphabet[Math.floor(rand() * claimCodeAlphabet.length)];
  return c;
}

async function insertEstate(
  db: Db,
  communityId: string,
  slug: string,
  name: string,
  plan: UnitSpec[],
  rand: () => number,
) {
  const [estate] = await db.insert(s.estates).values({ communityId, slug, name }).returning();
  const buildingNames = [...new Set(plan.map((u) => u.building))];
  const buildingRows = await db
    .insert(s.buildings)
    .values(buildingNames.map((n) => ({ estateId: estate.id, name: n })))
    .returning();
  const buildingId = new Map(buildingRows.map((b) => [b.name, b.id]));

  const unitIds = new Map<string, string>();
  for (let i = 0; i < plan.length; i += 500) {
    const rows = await db
      .insert(s.units)
      .values(
        plan.slice(i, i + 500).map((u) => ({
          estateId: estate.id,
          buildingId: buildingId.get(u.building)!,
          number: u.number,
          floor: u.floor,
          kind: "residential" as const,
          areaCentiSqm: u.areaCentiSqm,
          developerUnsold: u.developerUnsold,
          claimCode:
            slug === demoClaim.estate && u.building === demoClaim.building && u.number === demoClaim.unit
              ? demoClaim.code
              : code(rand),
        })),
      )
      .returning({ id: s.units.id, buildingId: s.units.buildingId, number: s.units.number });
    for (const r of rows) unitIds.set(`${r.buildingId}/${r.number}`, r.id);
  }

  const owners = new Map<string, SeedOwner>();
  const links: { unitKey: string; identityKey: string }[] = [];
  for (const u of plan) {
    const unitKey = `${buildingId.get(u.building)}/${u.number}`;
    for (const o of u.owners) {
      const identityKey = ownerIdentityKey(o, `${u.building}/${u.number}`);
      owners.set(identityKey, o);
      links.push({ unitKey, identityKey });
    }
  }
  const ownerIds = new Map<string, string>();
  const ownerList = [...owners.entries()];
  for (let i = 0; i < ownerList.length; i += 500) {
    const rows = await db
      .insert(s.owners)
      .values(
        ownerList.slice(i, i + 500).map(([identityKey, o]) => ({
          estateId: estate.id,
          identityKey,
          name: o.name,
          phone: o.phone,
          registerRef: o.registerRef,
          idTail: o.idTail ?? null,
        })),
      )
      .returning({ id: s.owners.id, identityKey: s.owners.identityKey });
    for (const r of rows) ownerIds.set(r.identityKey, r.id);
  }
  for (let i = 0; i < links.length; i += 1000) {
    await db.insert(s.ownerships).values(
      links.slice(i, i + 1000).map((l) => ({
        estateId: estate.id,
        unitId: unitIds.get(l.unitKey)!,
        ownerId: ownerIds.get(l.identityKey)!,
      })),
    );
  }
  return { estate, unitIds, buildingId, ownerIds };
}

export async function isSeeded(db: Db) {
  const [row] = await db.select({ n: count() }).from(s.subDistricts);
  return row.n > 0;
}

/** The demo world: Fengqiao sub-district, two communities, 宜欣花园 (1,200 units) and 康乐苑. */
export async function seedDemo(db: Db) {
  const rand = prng(20160501);
  const yixinPlan = estatePlan(rand, 12, 25, 4, 15, 20);
  // The demo claim unit: one owner, no account yet.
  const claimUnit = yixinPlan.find((u) => u.building === demoClaim.building && u.number === demoClaim.unit)!;
  claimUnit.developerUnsold = false;
  claimUnit.owners = [{ name: demoClaim.ownerName, phone: "13900000101", registerRef: null }];
  // The demo owner holds two units in building 1.
  const demoOwner = { name: "李建国", phone: "13900000001", registerRef: "SZDEMO001" };
  for (const n of ["101", "102"]) yixinPlan.find((u) => u.building === "1幢" && u.number === n)!.owners = [demoOwner];
  const committeeOwner = { name: "陈志强", phone: "13900000002", registerRef: "SZDEMO002" };
  yixinPlan.find((u) => u.building === "1幢" && u.number === "201")!.owners = [committeeOwner];
  const kanglePlan = estatePlan(rand, 3, 10, 4, 3, 4);
  const kangleOwner = { name: "赵丽", phone: "13900000003", registerRef: "KLDEMO001" };
  kanglePlan[0].owners = [kangleOwner];
  kanglePlan[0].developerUnsold = false;

  const passwordHash = await hashPassword(demoPassword);
  await db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const [sub] = await db.insert(s.subDistricts).values({ name: "枫桥街道" }).returning();
    const [baimajian, kangjia] = await db
      .insert(s.communities)
      .values([
        { subDistrictId: sub.id, name: "白马涧社区" },
        { subDistrictId: sub.id, name: "康佳社区" },
      ])
      .returning();
    const yixin = await insertEstate(db, baimajian.id, "yixin", "宜欣花园", yixinPlan, rand);
    const kangle = await insertEstate(db, kangjia.id, "kangle", "康乐苑", kanglePlan, rand);
    // Whom owners ask about a claim letter, printed on every letter (app/estates/claim-contact.ts).
    await db
      .update(s.estates)
      .set({ settings: { ...yixin.estate.settings, claimContact: "宜欣花园物业服务中心 0512-6888 0000（3幢底商）" } })
      .where(eq(s.estates.id, yixin.estate.id));

    // The demo accounts' phones come from the roster (the admin's data), so they count as verified.
    const users = await db
      .insert(s.users)
      .values(
        demoAccounts.map((a, i) => ({
          email: a.email,
          displayName: a.displayName,
          passwordHash,
          phone: `1390000100${i}`,
          phoneVerifiedAt: new Date(),
        })),
      )
      .returning({ id: s.users.id, email: s.users.email });
    const userId = (email: string) => users.find((u) => u.email === email)!.id;
    const estateOf = { yixin: yixin.estate.id, kangle: kangle.estate.id };
    await db.insert(s.memberships).values(
      demoAccounts.map((a) => ({
        userId: userId(a.email),
        role: a.role,
        estateId: a.estate ? estateOf[a.estate] : null,
        communityId: a.role === "community_admin" ? baimajian.id : null,
      })),
    );
    // The committee member is an owner too; owners' accounts are linked to their roster entries.
    await db
      .insert(s.memberships)
      .values({ userId: userId("committee@demo.yishitang.cn"), role: "owner", estateId: yixin.estate.id });
    const link = async (
      identity: { name: string; phone: string; registerRef: string },
      ids: Map<string, string>,
      email: string,
    ) => {
      const ownerId = ids.get(ownerIdentityKey(identity, ""))!;
      await db
        .update(s.owners)
        .set({ userId: userId(email), claimedAt: new Date("2026-01-01T00:00:00Z") })
        .where(eq(s.owners.id, ownerId));
    };
    await link(demoOwner, yixin.ownerIds, "owner@demo.yishitang.cn");
    await link(committeeOwner, yixin.ownerIds, "committee@demo.yishitang.cn");
    await link(kangleOwner, kangle.ownerIds, "owner2@demo.yishitang.cn");
    await db.insert(s.residents).values({
      estateId: yixin.estate.id,
      unitId: yixin.unitIds.get(`${yixin.buildingId.get("1幢")}/101`)!,
      userId: userId("resident@demo.yishitang.cn"),
      relation: "family",
      invitedBy: userId("owner@demo.yishitang.cn"),
    });
    // General notices on the boards (the committee's, the property company's); posted directly,
    // so seeding mails nobody. Minutes, decisions and fee schedules post their own (the hooks).
    await db.insert(s.boardNotices).values([
      {
        estateId: yixin.estate.id,
        kind: "general",
        title: "业委会换届选举筹备通知",
        body: "第三届业主委员会任期将满，筹备组现接受各楼栋业主推荐候选人。",
        postedAt: new Date("2026-11-20T02:00:00Z"),
        postedBy: userId("committee@demo.yishitang.cn"),
        author: "committee",
      },
      {
        estateId: yixin.estate.id,
        kind: "general",
        title: "冬季供暖管道检修",
        body: "12月1日至3日，物业将对5至8幢地下管道进行检修，请业主提前做好准备。",
        postedAt: new Date("2026-11-24T01:00:00Z"),
        postedBy: userId("staff@demo.yishitang.cn"),
        author: "property",
      },
      {
        estateId: kangle.estate.id,
        kind: "general",
        title: "欢迎使用议事堂",
        body: "康乐苑业主可在此认领房屋、参与议事。",
        postedAt: new Date("2026-11-01T00:00:00Z"),
        postedBy: null,
        author: "platform",
      },
    ]);
  });
  // The N+X committee of 宜欣花园, with two published meetings.
  await seedDemoCommittee(db, "yixin", demoPassword);
  // A vote running and a proposal open for comment, made through the voting commands.
  await seedDemoVotes(db, "yixin", "committee@demo.yishitang.cn");
  // Four months of property fee bills, most of them paid (the collection rate has a history).
  await seedDemoFees(db, "yixin", "staff@demo.yishitang.cn");
  // The property company, eleven months of tickets (a scorecard with a trend), a service report and the fund ledgers.
  await seedDemoTickets(db, {
    owner: "owner@demo.yishitang.cn",
    resident: "resident@demo.yishitang.cn",
    committee: "committee@demo.yishitang.cn",
    staff: "staff@demo.yishitang.cn",
  });
}
