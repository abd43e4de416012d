import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { findNotice, listNotices, postNotice } from "~/board/board.server";
import { dbError, makeEstate, makeUser } from "../fixtures";

const { auditEvents, boardNotices, notifications, outbox, notificationPreferences } = schema;

async function world() {
  const estate = await makeEstate();
  const owner = await makeUser([{ role: "owner", estateId: estate.id }], "王芳");
  const resident = await makeUser([{ role: "resident", estateId: estate.id }], "李四");
  const chair = await makeUser(
    [
      { role: "committee", estateId: estate.id },
      { role: "owner", estateId: estate.id },
    ],
    "张三",
  );
  const staff = await makeUser([{ role: "property_staff", estateId: estate.id }], "物业");
  const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }], "社区");
  const elsewhere = await makeEstate();
  const stranger = await makeUser([{ role: "owner", estateId: elsewhere.id }], "外人");
  return { estate, owner, resident, chair, staff, admin, elsewhere, stranger };
}

describe("posting a notice on the board", () => {
  it("stores it, audits it and tells the owners and residents once each", async () => {
    const w = await world();
    const now = new Date("2026-11-13T15:00:00Z"); // 23:00 Beijing, Friday 13 Nov
    const { id } = await getDb().transaction((tx) =>
      postNotice(tx, {
        estateId: w.estate.id,
        kind: "general",
        title: "  停水通知 ",
        body: "11月15日 9:00–12:00 停水。",
        postedBy: w.staff.id,
        author: "property",
        now,
      }),
    );
    const notice = await findNotice(w.estate.id, id);
    expect(notice).toMatchObject({ title: "停水通知", kind: "general", author: "property", publicityEndsAt: null });
    expect(notice!.postedAt.toISOString()).toBe(now.toISOString());
    expect(await findNotice(w.elsewhere.id, id)).toBeNull();
    expect(await findNotice(w.estate.id, "not-a-uuid")).toBeNull();

    const [audit] = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, "board_notice"), eq(auditEvents.subjectId, id)));
    expect(audit).toMatchObject({ act: "board_notice_post", actorUserId: w.staff.id, estateId: w.estate.id });

    const told = await getDb()
      .select({ userId: notifications.userId, category: notifications.category })
      .from(notifications)
      .where(eq(notifications.idempotencyKey, `board-notice:${id}`));
    expect(told.map((t) => t.userId).sort()).toEqual([w.owner.id, w.resident.id, w.chair.id].sort());
    expect(new Set(told.map((t) => t.category))).toEqual(new Set(["minutes"]));
    const mails = await getDb()
      .select({ userId: outbox.userId })
      .from(outbox)
      .where(and(eq(outbox.idempotencyKey, `board-notice:${id}`), eq(outbox.channel, "mail")));
    expect(mails).toHaveLength(3);
  });

  it("tells the community's admins when asked, and files vote notices under votes", async () => {
    const w = await world();
    await getDb()
      .insert(notificationPreferences)
      .values({ userId: w.owner.id, category: "votes", email: false, sms: false, wechat: false });
    const { id } = await getDb().transaction((tx) =>
      postNotice(tx, {
        estateId: w.estate.id,
        kind: "vote_notice",
        title: "表决公告",
        body: "……",
        postedBy: w.chair.id,
        author: "committee",
        tellCommunity: true,
      }),
    );
    const told = await getDb()
      .select({ userId: notifications.userId, category: notifications.category })
      .from(notifications)
      .where(eq(notifications.idempotencyKey, `board-notice:${id}`));
    expect(told.map((t) => t.userId).sort()).toEqual([w.owner.id, w.resident.id, w.chair.id, w.admin.id].sort());
    expect(new Set(told.map((t) => t.category))).toEqual(new Set(["votes"]));
    // The owner turned votes mail off: in-app only.
    const mails = await getDb()
      .select({ userId: outbox.userId })
      .from(outbox)
      .where(and(eq(outbox.idempotencyKey, `board-notice:${id}`), eq(outbox.channel, "mail")));
    expect(mails.map((m) => m.userId).sort()).toEqual([w.resident.id, w.chair.id, w.admin.id].sort());
  });

  it("starts the publicity clock: 3 days from 23:00 on 13 Nov end at 24:00 on 16 Nov", async () => {
    const w = await world();
    const { id } = await getDb().transaction((tx) =>
      postNotice(tx, {
        estateId: w.estate.id,
        kind: "decision",
        title: "会议决定",
        body: "决定如下",
        postedBy: w.chair.id,
        author: "committee",
        subject: { type: "meeting", id: w.estate.id },
        publicityDays: 3,
        now: new Date("2026-11-13T15:00:00Z"),
      }),
    );
    const notice = await findNotice(w.estate.id, id);
    // 16 Nov 2026 is a Monday, a working day: no move.
    expect(notice!.publicityEndsAt!.toISOString()).toBe("2026-11-16T16:00:00.000Z");
    expect(notice).toMatchObject({ subjectType: "meeting", subjectId: w.estate.id });
  });

  it("is kept forever: the database refuses to change or delete a notice", async () => {
    const w = await world();
    const { id } = await getDb().transaction((tx) =>
      postNotice(tx, {
        estateId: w.estate.id,
        kind: "general",
        title: "公告",
        body: "正文",
        postedBy: w.chair.id,
        author: "committee",
      }),
    );
    // insufficient_privilege, raised by the trigger of the migration.
    expect(
      await dbError(getDb().update(boardNotices).set({ title: "改过" }).where(eq(boardNotices.id, id))),
    ).toMatchObject({ code: "42501" });
    expect(await dbError(getDb().delete(boardNotices).where(eq(boardNotices.id, id)))).toMatchObject({ code: "42501" });
    expect((await findNotice(w.estate.id, id))!.title).toBe("公告");
  });

  it("lists newest first, filters by kind, and never another estate's", async () => {
    const w = await world();
    const post = (kind: "general" | "minutes", title: string, at: string, estateId = w.estate.id) =>
      getDb().transaction((tx) =>
        postNotice(tx, {
          estateId,
          kind,
          title,
          body: "",
          postedBy: w.chair.id,
          author: "committee",
          now: new Date(at),
        }),
      );
    await post("general", "一", "2026-11-01T01:00:00Z");
    await post("minutes", "二", "2026-11-02T01:00:00Z");
    await post("general", "三", "2026-11-03T01:00:00Z");
    await post("general", "别处", "2026-11-04T01:00:00Z", w.elsewhere.id);
    const all = await listNotices(w.estate.id);
    expect(all.notices.map((n) => n.title)).toEqual(["三", "二", "一"]);
    expect(all.total).toBe(3);
    const general = await listNotices(w.estate.id, { kind: "general" });
    expect(general.notices.map((n) => n.title)).toEqual(["三", "一"]);
    const paged = await listNotices(w.estate.id, { page: 2, pageSize: 2 });
    expect(paged.notices.map((n) => n.title)).toEqual(["一"]);
  });
});
