import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "../../db/client";
import { startSession } from "~/auth/session.server";
import { findNotice, listNotices, postNotice } from "~/board/board.server";
import { publishSchedule } from "~/fees/bills.server";
import { qrSvg } from "~/lib/qr.server";
import { setPublicOriginConfig } from "~/lib/public-origin.server";
import { action as newAction } from "~/routes/e.$estate.board.new";
import { loader as printLoader } from "~/routes/e.$estate.board.$id.print";
import { call, dbError, makeEstate, makeUser, refusalOf, statusOf } from "../fixtures";
import { startTestApp } from "../remix-app";

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

  it("starts the publicity clock by the calendar: 3 days from 23:00 on 13 Nov end at 24:00 on 16 Nov, past a holiday later", async () => {
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
    // Posted on Mon 28 Sep 2026: the 3rd day, 1 Oct, falls in the National Day holiday (1–7 Oct),
    // so the period runs to the end of the next working day, Thu 8 Oct.
    const { id: holiday } = await getDb().transaction((tx) =>
      postNotice(tx, {
        estateId: w.estate.id,
        kind: "general",
        title: "节前公示",
        body: "……",
        postedBy: w.chair.id,
        author: "committee",
        publicityDays: 3,
        now: new Date("2026-09-28T02:00:00Z"),
      }),
    );
    expect((await findNotice(w.estate.id, holiday))!.publicityEndsAt!.toISOString()).toBe("2026-10-08T16:00:00.000Z");
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

describe("the board's pages", () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    app = await startTestApp();
  }, 60_000);
  afterAll(async () => {
    setPublicOriginConfig(undefined);
    await app.close();
  });

  async function page(user: { id: string }, pathname: string) {
    const cookie = (await startSession(user.id)).split(";")[0];
    const res = await fetch(`${app.origin}${pathname}`, { headers: { Cookie: cookie }, redirect: "manual" });
    return { status: res.status, html: await res.text() };
  }

  it("lists, shows and prints a notice; the poster's QR code is the notice's page at the public origin", async () => {
    const w = await world();
    const { id } = await getDb().transaction((tx) =>
      postNotice(tx, {
        estateId: w.estate.id,
        kind: "general",
        title: "电梯停运检修",
        body: "3幢电梯**停运**一天。<script>alert(1)</script>",
        postedBy: w.staff.id,
        author: "property",
        publicityDays: 3,
        now: new Date("2026-11-13T15:00:00Z"),
      }),
    );
    const home = await page(w.resident, `/e/${w.estate.slug}`);
    expect(home.status).toBe(200);
    expect(home.html).toContain(`href="/e/${w.estate.slug}/board/${id}"`);
    const list = await page(w.owner, `/e/${w.estate.slug}/board?kind=general`);
    expect(list.status).toBe(200);
    expect(list.html).toContain("电梯停运检修");
    expect((await page(w.owner, `/e/${w.estate.slug}/board?kind=minutes`)).html).not.toContain("电梯停运检修");
    const shown = await page(w.owner, `/e/${w.estate.slug}/board/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("<strong>停运</strong>");
    expect(shown.html).not.toContain("<script>alert");
    expect(shown.html).toContain("2026年11月16日 24:00");
    expect(shown.html).toContain(`/e/${w.estate.slug}/board/${id}/print`);
    // Another estate's notice is not found.
    expect((await page(w.stranger, `/e/${w.estate.slug}/board/${id}`)).status).toBe(404);

    setPublicOriginConfig({
      NODE_ENV: "production",
      DATABASE_URL: "postgres://db.internal/yst",
      APP_URL: "https://yst.example.org",
    });
    const url = `https://yst.example.org/e/${w.estate.slug}/board/${id}`;
    const poster = await call(printLoader, {
      url: `/e/${w.estate.slug}/board/${id}/print`,
      params: { estate: w.estate.slug, id },
      user: w.owner,
    });
    const p = (poster as { poster: { url: string; qr: string; publicity: string } }).poster;
    expect(p.url).toBe(url);
    expect(p.qr).toBe(await qrSvg(url));
    expect(p.publicity).toBe("公示期：2026年11月13日 至 2026年11月16日 24:00");
    const printed = await page(w.owner, `/e/${w.estate.slug}/board/${id}/print`);
    expect(printed.status).toBe(200);
    expect(printed.html).toContain(`data-url="${url}"`);
    expect(printed.html).toContain("<svg");

    // Without a public address the poster is refused, not printed with a link nobody can open.
    setPublicOriginConfig({ NODE_ENV: "production", DATABASE_URL: "postgres://db.internal/yst", APP_URL: undefined });
    const refused = await call(printLoader, {
      url: `/e/${w.estate.slug}/board/${id}/print`,
      params: { estate: w.estate.slug, id },
      user: w.owner,
    });
    expect(statusOf(refused)).toBe(503);
    setPublicOriginConfig(undefined);
  });

  it("lets staff post a general notice in the property company's name only, and renders the form", async () => {
    const w = await world();
    const url = `/e/${w.estate.slug}/board/new`;
    const params = { estate: w.estate.slug };
    const form = await page(w.staff, url);
    expect(form.status).toBe(200);
    expect(form.html).toContain('name="title"');
    expect(form.html).toContain('value="property"');
    expect(form.html).not.toContain('value="committee"');
    expect((await page(w.owner, url)).status).toBe(403);

    const asCommittee = await call(newAction, {
      url,
      params,
      user: w.staff,
      form: { as: "committee", title: "冒名", body: "……" },
    });
    expect(statusOf(asCommittee)).toBe(403);
    expect(refusalOf(asCommittee).error).toBe("board.errors.notAuthor");
    const blank = await call(newAction, { url, params, user: w.staff, form: { as: "property", title: " ", body: "" } });
    expect(statusOf(blank)).toBe(400);
    expect((await listNotices(w.estate.id)).total).toBe(0);

    const posted = await call(newAction, {
      url,
      params,
      user: w.staff,
      form: { as: "property", title: "停水通知", body: "周六停水", tellCommunity: "on" },
    });
    expect(statusOf(posted)).toBe(302);
    const { notices } = await listNotices(w.estate.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ title: "停水通知", author: "property", kind: "general", postedBy: w.staff.id });
    expect((posted as Response).headers.get("location")).toBe(`/e/${w.estate.slug}/board/${notices[0].id}`);
    const told = await getDb()
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(eq(notifications.idempotencyKey, `board-notice:${notices[0].id}`));
    expect(told.map((t) => t.userId)).toContain(w.admin.id);
  });
});

describe("publishers post on the board", () => {
  it("a fee schedule posts its rates as a fee_schedule notice in the publisher's name, filed under bills", async () => {
    const w = await world();
    const published = await publishSchedule({
      estateId: w.estate.id,
      actorId: w.staff.id,
      name: "2027 年收费标准",
      effectiveFrom: "2027-01-01",
      rates: [
        { charge: "property", unitKind: "residential", rateFen: 185 },
        { charge: "parking", unitKind: "parking", rateFen: 15000 },
      ],
    });
    expect(published.ok).toBe(true);
    const { notices } = await listNotices(w.estate.id, { kind: "fee_schedule" });
    expect(notices).toHaveLength(1);
    const [n] = notices;
    expect(n).toMatchObject({
      title: "收费标准公告：2027 年收费标准",
      author: "property",
      subjectType: "fee_schedule",
      subjectId: published.ok ? published.scheduleId : "",
    });
    expect(n.body).toContain("2027年1月1日");
    expect(n.body).toContain("住宅物业费（元/平方米/月）：1.85");
    expect(n.body).toContain("车位管理费（元/个/月）：150.00");
    const told = await getDb()
      .select({ category: notifications.category })
      .from(notifications)
      .where(eq(notifications.idempotencyKey, `board-notice:${n.id}`));
    expect(told.length).toBe(3);
    expect(told.every((t) => t.category === "bills")).toBe(true);
    // A refused schedule (same date again) posts nothing.
    const again = await publishSchedule({
      estateId: w.estate.id,
      actorId: w.staff.id,
      name: "重复",
      effectiveFrom: "2027-01-01",
      rates: [{ charge: "property", unitKind: "residential", rateFen: 200 }],
    });
    expect(again.ok).toBe(false);
    expect((await listNotices(w.estate.id)).total).toBe(1);
  });
});
