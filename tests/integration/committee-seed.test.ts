import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { seedDemo } from "../../db/seed";
import { committeePage, meetingPage, searchMeetings } from "../../app/committee/pages.server";
import { apportion, followsApportionment, isValidSize } from "../../app/committee/rules";

let estateId = "";

beforeAll(async () => {
  await seedDemo(getDb());
  const [estate] = await getDb().select().from(schema.estates).where(eq(schema.estates.slug, "yixin"));
  estateId = estate.id;
}, 120_000);

describe("the demo committee of 宜欣花园", () => {
  it("follows the rules: 9 members, N seats apportioned by households, X seats held by verified deputies, chaired by the demo account", async () => {
    const page = await committeePage(estateId, { now: new Date("2026-11-20T00:00:00Z") });
    if (!page?.committee) throw new Error("no committee");
    expect(isValidSize(page.committee.size)).toBe(true);
    expect(page.members).toHaveLength(9);
    expect(page.vacancies).toEqual({ n: 0, x: 0 });
    const computed = apportion(
      page.zones.map((z) => ({ id: z.id, households: z.households })),
      page.committee.nSeats,
    );
    expect(computed.ties).toEqual([]);
    expect(followsApportionment(computed, Object.fromEntries(page.zones.map((z) => [z.id, z.seats])))).toBe(true);
    expect(page.zones.every((z) => z.filled === z.seats)).toBe(true);
    expect(
      page.members
        .filter((m) => m.seat === "X")
        .map((m) => m.publicRole)
        .sort(),
    ).toEqual(["cppcc", "npc"]);
    expect(page.members.find((m) => m.office === "chair")).toMatchObject({ name: "陈**", building: "1幢" });
    expect(page.late).toEqual([]);
    expect(page.committee.firstMeetingOverdue).toBe(false);
    // The committee role is held by exactly the seated members.
    const roles = await getDb().select().from(schema.memberships).where(eq(schema.memberships.estateId, estateId));
    const committeeUsers = roles
      .filter((r) => r.role === "committee")
      .map((r) => r.userId)
      .sort();
    const seated = (
      await getDb().select().from(schema.committeeMembers).where(eq(schema.committeeMembers.estateId, estateId))
    )
      .map((m) => m.userId)
      .sort();
    expect(committeeUsers).toEqual(seated);
  });

  it("has two meetings with decisions and signed minutes published to owners", async () => {
    const meetings = await searchMeetings(estateId, {}, { insider: false });
    expect(meetings.map((m) => m.kind)).toEqual(["regular", "first"]);
    const [owner] = await getDb().select().from(schema.users).where(eq(schema.users.email, "owner@demo.yishitang.cn"));
    const page = await meetingPage(estateId, meetings[0].id, { userId: owner.id, insider: false });
    expect(page?.record).toMatchObject({ members: 9, present: 8, quorate: true });
    expect(page?.items.map((i) => i.outcome?.passed ?? null)).toEqual([true, true, null]);
    expect(page?.meeting.minutesHtml).toContain("续聘物业服务企业");
    expect(page?.publishable).toBe(true);
  });
});
