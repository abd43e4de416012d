import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import type { Role } from "#db/schema/people";
import { diskStore, setFileStore } from "~/lib/uploads/store.server";
import { setServingCompany, setTicketTargets } from "~/tickets/company.server";
import { autoCloseResolved, escalateOverdue, runTicketJobs } from "~/tickets/jobs.server";
import { defaultTargets } from "~/tickets/sla";
import {
  actOnTicket,
  board,
  fileTicket,
  listTickets,
  ticketPage,
  upvote,
  viewerOf,
  type ActInput,
} from "~/tickets/tickets.server";
import { action as ticketAction, loader as ticketLoader } from "~/routes/e.$estate.tickets.$id._index";
import { action as newTicketAction } from "~/routes/e.$estate.tickets.new";
import { loader as listLoader } from "~/routes/e.$estate.tickets._index";
import { action as boardAction, loader as boardLoader } from "~/routes/e.$estate.tickets.board";
import { loader as photoLoader } from "~/routes/e.$estate.tickets.$id.photos.$photoId";
import { call, expectStatus, makeEstate, makeUnits, makeUser, statusOf } from "../fixtures";
import { containsText, gpsMarker, phoneJpeg } from "../ticket-photos";

const { outbox, notifications, tickets, ticketEvents, ticketPhotos, ownerships, owners, residents } = schema;

const hour = 3_600_000;
const day = 24 * hour;
let uploads = "";

beforeAll(() => {
  uploads = mkdtempSync(path.join(tmpdir(), "yst-ticket-uploads-"));
  setFileStore(diskStore(uploads));
});
afterAll(() => setFileStore(undefined));

type User = Awaited<ReturnType<typeof makeUser>>;

/**
 * An estate served by 宜居物业, with two homes: 1幢 101 (owner 李, his family member 李家属) and
 * 1幢 102 (owner 王, a tenant 张租户), property staff (吴, 郑), a committee member (陈) and the
 * community admin; and a second estate served by another company with its own staff.
 */
async function world() {
  const db = getDb();
  const estate = await makeEstate({ name: "宜欣花园" });
  const [u101, u102] = await makeUnits(estate.id, [
    { building: "1幢", number: "101", owners: [{ name: "李建国", ref: "L1" }] },
    { building: "1幢", number: "102", owners: [{ name: "王芳", ref: "W1" }] },
  ]);
  await makeUnits(estate.id, [{ building: "2幢", number: "101" }]);
  const link = async (user: User, ownerId: string) =>
    db.update(owners).set({ userId: user.id }).where(eq(owners.id, ownerId));
  const owner = await makeUser([{ role: "owner", estateId: estate.id }], "李建国");
  await link(owner, u101.ownerIds[0]);
  const family = await makeUser([{ role: "resident", estateId: estate.id }], "李家属");
  await db
    .insert(residents)
    .values({ estateId: estate.id, unitId: u101.unitId, userId: family.id, relation: "family" });
  const neighbour = await makeUser([{ role: "owner", estateId: estate.id }], "王芳");
  await link(neighbour, u102.ownerIds[0]);
  const tenant = await makeUser([{ role: "resident", estateId: estate.id }], "张租户");
  await db
    .insert(residents)
    .values({ estateId: estate.id, unitId: u102.unitId, userId: tenant.id, relation: "tenant" });
  const staff = await makeUser([{ role: "property_staff", estateId: estate.id }], "吴物业");
  const staff2 = await makeUser([{ role: "property_staff", estateId: estate.id }], "郑物业");
  const committee = await makeUser([{ role: "committee", estateId: estate.id }], "陈委员");
  const admin = await makeUser([{ role: "community_admin", communityId: estate.communityId }], "周社区");
  await setServingCompany({ estateId: estate.id, name: "苏州宜居物业服务有限公司", userId: admin.id });

  const other = await makeEstate({ name: "康乐苑" });
  const otherStaff = await makeUser([{ role: "property_staff", estateId: other.id }], "孙物业");
  // Set by that estate's own community admin: a company is set by those who administer the estate.
  const otherAdmin = await makeUser([{ role: "community_admin", communityId: other.communityId }], "康社区");
  await setServingCompany({ estateId: other.id, name: "康乐物业管理有限公司", userId: otherAdmin.id });
  return { estate, other, u101, u102, owner, family, neighbour, tenant, staff, staff2, committee, admin, otherStaff };
}

const roles = {
  owner: ["owner"] as Role[],
  resident: ["resident"] as Role[],
  staff: ["property_staff"] as Role[],
  committee: ["committee"] as Role[],
  admin: ["community_admin"] as Role[],
};

async function file(w: Awaited<ReturnType<typeof world>>, over: Partial<Parameters<typeof fileTicket>[0]> = {}) {
  const result = await fileTicket({
    estateId: w.estate.id,
    estateSlug: w.estate.slug,
    userId: w.owner.id,
    roles: roles.owner,
    unitId: w.u101.unitId,
    category: "repair",
    location: "unit",
    description: "厨房水管漏水\n已经两天了",
    isPublic: false,
    photos: [],
    ...over,
  });
  if (!result.ok) throw new Error(result.error);
  return result;
}

/** One step's own fields (Omit distributed over the union of steps). */
type Step = ActInput extends infer T
  ? T extends unknown
    ? Omit<T, "estateId" | "estateSlug" | "ticketId" | "userId" | "roles" | "now">
    : never
  : never;

function act(
  w: Awaited<ReturnType<typeof world>>,
  ticketId: string,
  user: User,
  userRoles: Role[],
  rest: Step,
  now?: Date,
) {
  return actOnTicket({
    estateId: w.estate.id,
    estateSlug: w.estate.slug,
    ticketId,
    userId: user.id,
    roles: userRoles,
    now,
    ...rest,
  } as ActInput);
}

async function mailsTo(userId: string) {
  return getDb().select().from(outbox).where(eq(outbox.userId, userId));
}

async function steps(userId: string, ticketId: string) {
  const rows = await mailsTo(userId);
  return rows
    .filter((r) => r.idempotencyKey.startsWith(`ticket:${ticketId}:`))
    .map((r) => (r.props as { step: string }).step)
    .sort();
}

/** A view as JSON without its ids and timestamps, which may contain "101" by chance; what is left must not name the unit. */
function withoutIdsAndTimes(view: unknown): string {
  return JSON.stringify(view)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "")
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, "");
}

describe("ticket lifecycle, with each role", () => {
  it("owner files with a photo (metadata stripped), staff acknowledge, assign, comment and resolve, the owner confirms and rates; everyone concerned is told", async () => {
    const w = await world();
    // Filed through the route, as the browser posts it: multipart with a phone photo.
    const form = new FormData();
    form.set("unitId", w.u101.unitId);
    form.set("category", "repair");
    form.set("location", "unit");
    form.set("description", "卫生间天花板渗水");
    form.set("visibility", "private");
    form.append("photos", new File([phoneJpeg(6)], "IMG_0001.jpg", { type: "image/jpeg" }));
    const created = (await call(newTicketAction, {
      url: `/e/${w.estate.slug}/tickets/new`,
      params: { estate: w.estate.slug },
      user: w.owner,
      form,
    })) as Response;
    expect(created.status).toBe(302);
    const ticketId = created.headers.get("Location")!.split("/").pop()!;
    const [ticket] = await getDb().select().from(tickets).where(eq(tickets.id, ticketId));
    expect(ticket).toMatchObject({
      status: "open",
      seq: 1,
      filerId: w.owner.id,
      unitId: w.u101.unitId,
      isPublic: false,
      category: "repair",
    });
    expect(ticket.companyId).not.toBeNull();
    expect(ticket.responseDueAt.getTime() - ticket.createdAt.getTime()).toBe(
      defaultTargets.repair.responseHours * hour,
    );

    // The stored photo has no GPS, is served to the filer, and the file on disk is the stripped one.
    const [photo] = await getDb().select().from(ticketPhotos).where(eq(ticketPhotos.ticketId, ticketId));
    const onDisk = readFileSync(path.join(uploads, photo.storageKey));
    expect(containsText(onDisk, gpsMarker)).toBe(false);
    const served = (await call(photoLoader, {
      url: "/x",
      params: { estate: w.estate.slug, id: ticketId, photoId: photo.id },
      user: w.owner,
    })) as Response;
    expect(served.status).toBe(200);
    expect(served.headers.get("Content-Type")).toBe("image/jpeg");
    expect(containsText(new Uint8Array(await served.arrayBuffer()), gpsMarker)).toBe(false);
    expect(readdirSync(path.join(uploads, w.estate.id))).toHaveLength(1);

    // Staff were told of the new ticket.
    expect(await steps(w.staff.id, ticketId)).toEqual(["filed"]);

    const ack = await act(w, ticketId, w.staff, roles.staff, { action: "acknowledge" });
    expect(ack).toEqual({ ok: true });
    expect(await act(w, ticketId, w.staff, roles.staff, { action: "acknowledge" })).toEqual({
      ok: false,
      error: "tickets.errors.notAllowed",
    });
    expect(await act(w, ticketId, w.staff, roles.staff, { action: "assign", assigneeId: w.otherStaff.id })).toEqual({
      ok: false,
      error: "tickets.errors.assigneeNotStaff",
    });
    expect(await act(w, ticketId, w.staff, roles.staff, { action: "assign", assigneeId: w.staff2.id })).toEqual({
      ok: true,
    });
    expect(
      await act(w, ticketId, w.staff2, roles.staff, { action: "staffComment", body: "明天上午九点上门查看" }),
    ).toEqual({ ok: true });
    expect(await act(w, ticketId, w.owner, roles.owner, { action: "filerComment", body: "好的，家里有人" })).toEqual({
      ok: true,
    });
    // Only the filer confirms; only staff resolve.
    expect(await act(w, ticketId, w.owner, roles.owner, { action: "resolve", body: "x" })).toEqual({
      ok: false,
      error: "tickets.errors.notAllowed",
    });
    expect(await act(w, ticketId, w.staff2, roles.staff, { action: "resolve", body: "已更换防水层" })).toEqual({
      ok: true,
    });
    expect(await act(w, ticketId, w.family, roles.resident, { action: "confirm", rating: 5 })).toEqual({
      ok: false,
      error: "tickets.errors.notAllowed",
    });
    expect(await act(w, ticketId, w.owner, roles.owner, { action: "confirm", rating: 6 })).toEqual({
      ok: false,
      error: "tickets.errors.ratingRange",
    });

    // Through the route: the owner confirms with 4 stars.
    const confirmed = await call(ticketAction, {
      url: "/x",
      params: { estate: w.estate.slug, id: ticketId },
      user: w.owner,
      form: { intent: "confirm", rating: "4", body: "师傅很专业" },
    });
    expect(statusOf(confirmed)).toBe(302);
    const [closed] = await getDb().select().from(tickets).where(eq(tickets.id, ticketId));
    expect(closed).toMatchObject({
      status: "closed",
      closedBy: "filer",
      rating: 4,
      ratingComment: "师傅很专业",
      assigneeId: w.staff2.id,
    });
    expect(closed.acknowledgedAt).not.toBeNull();
    expect(closed.firstResolvedAt).not.toBeNull();

    const kinds = (
      await getDb().select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticketId)).orderBy(ticketEvents.at)
    ).map((e) => e.kind);
    expect(kinds).toEqual(["filed", "acknowledged", "assigned", "comment", "comment", "resolved", "confirmed"]);
    // The filer was told at each step the company took (not of their own steps).
    expect(await steps(w.owner.id, ticketId)).toEqual(["acknowledged", "assigned", "comment", "resolved"]);
    // The assignee: assigned to them, the filer's comment, the confirmation.
    expect(await steps(w.staff2.id, ticketId)).toEqual(["assignedToYou", "comment", "confirmed", "filed"].sort());
    // In-app notices too.
    const bell = await getDb().select().from(notifications).where(eq(notifications.userId, w.owner.id));
    expect(bell.length).toBe(4);

    // After closing, nobody can act on it any more.
    expect(await act(w, ticketId, w.staff, roles.staff, { action: "staffComment", body: "x" })).toEqual({
      ok: false,
      error: "tickets.errors.notAllowed",
    });
    expect(await act(w, ticketId, w.owner, roles.owner, { action: "reopen", body: "x" })).toEqual({
      ok: false,
      error: "tickets.errors.notAllowed",
    });
  });

  it("the filer reopens within 7 days; after 7 days it closes by itself and can still be rated once", async () => {
    const w = await world();
    const t0 = new Date("2026-11-02T01:00:00Z");
    const { id } = await file(w, { now: t0 });
    await act(w, id, w.staff, roles.staff, { action: "resolve", body: "已处理" }, new Date(t0.getTime() + 2 * hour));
    // Resolving an unanswered ticket answers it too.
    const [resolved] = await getDb().select().from(tickets).where(eq(tickets.id, id));
    expect(resolved.acknowledgedAt?.getTime()).toBe(t0.getTime() + 2 * hour);
    expect(
      await act(w, id, w.owner, roles.owner, { action: "reopen", body: "还在漏" }, new Date(t0.getTime() + 3 * day)),
    ).toEqual({ ok: true });
    const [reopened] = await getDb().select().from(tickets).where(eq(tickets.id, id));
    expect(reopened).toMatchObject({ status: "acknowledged", reopenCount: 1, resolvedAt: null });
    expect(reopened.firstResolvedAt?.getTime()).toBe(t0.getTime() + 2 * hour);
    expect(await steps(w.staff.id, id)).toContain("reopened");

    const resolvedAgain = new Date(t0.getTime() + 4 * day);
    await act(w, id, w.staff, roles.staff, { action: "resolve", body: "更换了阀门" }, resolvedAgain);
    // Too late to reopen on day 7 after the resolution.
    expect(
      await act(
        w,
        id,
        w.owner,
        roles.owner,
        { action: "reopen", body: "x" },
        new Date(resolvedAgain.getTime() + 7 * day),
      ),
    ).toEqual({ ok: false, error: "tickets.errors.notAllowed" });
    // The job closes it at exactly 7 days, not before.
    expect(await autoCloseResolved(new Date(resolvedAgain.getTime() + 7 * day - 1000))).toBe(0);
    expect(await autoCloseResolved(new Date(resolvedAgain.getTime() + 7 * day))).toBe(1);
    expect(await autoCloseResolved(new Date(resolvedAgain.getTime() + 8 * day))).toBe(0);
    const [auto] = await getDb().select().from(tickets).where(eq(tickets.id, id));
    expect(auto).toMatchObject({ status: "closed", closedBy: "auto", rating: null });
    expect(await steps(w.owner.id, id)).toContain("auto_closed");
    // The filer may still rate it, once.
    expect(await act(w, id, w.owner, roles.owner, { action: "rate", rating: 2, body: "拖了很久" })).toEqual({
      ok: true,
    });
    expect(await act(w, id, w.owner, roles.owner, { action: "rate", rating: 5 })).toEqual({
      ok: false,
      error: "tickets.errors.notAllowed",
    });
    const [rated] = await getDb().select().from(tickets).where(eq(tickets.id, id));
    expect(rated.rating).toBe(2);
  });

  it("an overdue ticket escalates to the committee once; the committee sees its history, comments and presses the company", async () => {
    const w = await world();
    const t0 = new Date("2026-11-10T15:00:00Z"); // 23:00 Beijing time
    const { id } = await file(w, { category: "security", isPublic: true, now: t0 });
    // Security: answer within 1 hour. The committee does not see the ticket whole before it escalates.
    const committeeViewer = await viewerOf(getDb(), w.estate.id, w.committee.id, roles.committee);
    expect((await ticketPage(w.estate.id, id, committeeViewer, t0))?.visibility).toBe("public");
    expect(await act(w, id, w.committee, roles.committee, { action: "press", body: "x" })).toEqual({
      ok: false,
      error: "tickets.errors.notAllowed",
    });
    expect(await escalateOverdue(new Date(t0.getTime() + hour))).toBe(0);
    expect(await escalateOverdue(new Date(t0.getTime() + hour + 60_000))).toBe(1);
    expect(await escalateOverdue(new Date(t0.getTime() + 5 * hour))).toBe(0); // once
    const [t] = await getDb().select().from(tickets).where(eq(tickets.id, id));
    expect(t.escalationReason).toBe("response");
    expect(await steps(w.committee.id, id)).toEqual(["escalated"]);
    expect(await steps(w.owner.id, id)).toEqual(["escalated"]);
    expect(await steps(w.staff.id, id)).toEqual(["escalated", "filed"]);

    const page = await ticketPage(w.estate.id, id, committeeViewer, new Date(t0.getTime() + 2 * hour));
    expect(page?.visibility).toBe("full");
    expect(page?.events.map((e) => e.kind)).toEqual(["filed", "escalated"]);
    expect(page?.actions).toEqual(expect.arrayContaining(["press", "committeeComment"]));
    expect(page?.response).toEqual({ state: "overdue", overdueMs: hour });

    expect(await act(w, id, w.committee, roles.committee, { action: "press", body: "请物业今晚安排人员" })).toEqual({
      ok: true,
    });
    expect(
      await act(w, id, w.committee, roles.committee, { action: "committeeComment", body: "业委会已联系物业经理" }),
    ).toEqual({ ok: true });
    expect(await steps(w.staff2.id, id)).toEqual(expect.arrayContaining(["pressed", "committee_comment"]));
    expect(await steps(w.owner.id, id)).toEqual(["committee_comment", "escalated", "pressed"]);
    // The committee's list of escalated tickets.
    const list = await listTickets({
      estateId: w.estate.id,
      viewer: committeeViewer,
      scope: "escalated",
      filter: "all",
    });
    expect(list.items.map((i) => i.id)).toEqual([id]);
    expect(list.items[0].home).toBeNull(); // no unit numbers for the committee

    // An answered ticket escalates for the resolution target instead.
    const second = await file(w, { category: "cleaning", now: t0 });
    await act(w, second.id, w.staff, roles.staff, { action: "acknowledge" }, new Date(t0.getTime() + hour));
    expect((await runTicketJobs(new Date(t0.getTime() + 24 * hour))).escalated).toBe(0);
    expect((await runTicketJobs(new Date(t0.getTime() + 24 * hour + 1000))).escalated).toBe(1);
    const [s] = await getDb().select().from(tickets).where(eq(tickets.id, second.id));
    expect(s.escalationReason).toBe("resolution");
  });

  it("the estate's own targets set the deadlines of new tickets only", async () => {
    const w = await world();
    const t0 = new Date("2026-11-10T00:00:00Z");
    const before = await file(w, { now: t0 });
    const targets = { ...defaultTargets, repair: { responseHours: 2, resolutionHours: 24 } };
    expect(
      await setTicketTargets({
        estateId: w.estate.id,
        userId: w.committee.id,
        targets: { ...targets, noise: { responseHours: 5, resolutionHours: 1 } },
      }),
    ).toEqual({ ok: false, error: "tickets.errors.targetsInvalid" });
    expect(await setTicketTargets({ estateId: w.estate.id, userId: w.committee.id, targets })).toEqual({ ok: true });
    const after = await file(w, { now: t0 });
    const rows = await getDb().select().from(tickets).where(eq(tickets.estateId, w.estate.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(before.id)!.resolutionDueAt.getTime() - t0.getTime()).toBe(72 * hour);
    expect(byId.get(after.id)!.resolutionDueAt.getTime() - t0.getTime()).toBe(24 * hour);
    expect(byId.get(after.id)!.seq).toBe(2);
  });
});

describe("who sees what", () => {
  it("a resident cannot see another unit's private ticket; the household can; a public one shows without names, units or photos", async () => {
    const w = await world();
    const jpeg = (await import("~/lib/uploads/images")).stripMetadata(phoneJpeg(1));
    if (!jpeg.ok) throw new Error("sample photo");
    const priv = await file(w, { isPublic: false, photos: [{ type: jpeg.type, bytes: jpeg.bytes }] });
    const pub = await file(w, {
      isPublic: true,
      photos: [{ type: jpeg.type, bytes: jpeg.bytes }],
      description: "楼道灯坏了",
    });
    const [photo] = await getDb()
      .select()
      .from(ticketPhotos)
      .where(and(eq(ticketPhotos.ticketId, pub.id)));
    const params = (id: string) => ({ estate: w.estate.slug, id });

    // The tenant of 102: the private ticket of 101 does not exist for them.
    await expectStatus(ticketLoader, { url: "/x", params: params(priv.id), user: w.tenant }, 404);
    await expectStatus(
      ticketAction,
      { url: "/x", params: params(priv.id), user: w.tenant, form: { intent: "filerComment", body: "看看" } },
      404,
    );
    const tenantView = await viewerOf(getDb(), w.estate.id, w.tenant.id, roles.resident);
    expect(
      (await listTickets({ estateId: w.estate.id, viewer: tenantView, scope: "mine", filter: "all" })).items,
    ).toEqual([]);
    // The public one: the board's view, no filer, no unit, no photos (the photo URL is a 404 too).
    const seen = (await call(ticketLoader, { url: "/x", params: params(pub.id), user: w.tenant })) as Awaited<
      ReturnType<typeof ticketLoader>
    >;
    expect(seen.visibility).toBe("public");
    expect(seen.ticket).toMatchObject({ filer: null, unit: null, assignee: null });
    expect(seen.photos).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain("李");
    expect(withoutIdsAndTimes(seen)).not.toContain("101");
    await expectStatus(
      photoLoader,
      { url: "/x", params: { ...params(pub.id), photoId: photo.id }, user: w.tenant },
      404,
    );

    // The owner's family member (resident of 101) sees both whole, photos included.
    const familyView = (await call(ticketLoader, { url: "/x", params: params(priv.id), user: w.family })) as Awaited<
      ReturnType<typeof ticketLoader>
    >;
    expect(familyView.visibility).toBe("full");
    expect(familyView.ticket.filer).toBe("李**");
    expect(familyView.ticket.unit).toBe("1幢 101");
    expect(familyView.photos).toHaveLength(1);
    await expectStatus(
      photoLoader,
      { url: "/x", params: { ...params(pub.id), photoId: photo.id }, user: w.family },
      200,
    );
    const familyList = await listTickets({
      estateId: w.estate.id,
      viewer: await viewerOf(getDb(), w.estate.id, w.family.id, roles.resident),
      scope: "mine",
      filter: "all",
    });
    expect(familyList.items.map((i) => i.id).sort()).toEqual([priv.id, pub.id].sort());

    // The committee: public view of the public one, nothing of the private one (not escalated).
    await expectStatus(ticketLoader, { url: "/x", params: params(priv.id), user: w.committee }, 404);
    // Staff see everything.
    await expectStatus(ticketLoader, { url: "/x", params: params(priv.id), user: w.staff }, 200);
    await expectStatus(
      photoLoader,
      { url: "/x", params: { ...params(priv.id), photoId: photo.id }, user: w.staff },
      404,
    ); // the photo belongs to the other ticket
  });

  it("staff of another company cannot see this estate's tickets, by list, by id or by photo", async () => {
    const w = await world();
    const { id } = await file(w, { isPublic: true });
    const [photo] = await getDb().select().from(ticketPhotos).where(eq(ticketPhotos.ticketId, id));
    // Through this estate's address: they have no role here, so the estate does not exist for them.
    await expectStatus(
      listLoader,
      { url: `/e/${w.estate.slug}/tickets?scope=queue`, params: { estate: w.estate.slug }, user: w.otherStaff },
      404,
    );
    await expectStatus(ticketLoader, { url: "/x", params: { estate: w.estate.slug, id }, user: w.otherStaff }, 404);
    await expectStatus(
      ticketAction,
      { url: "/x", params: { estate: w.estate.slug, id }, user: w.otherStaff, form: { intent: "acknowledge" } },
      404,
    );
    await expectStatus(boardLoader, { url: "/x", params: { estate: w.estate.slug }, user: w.otherStaff }, 404);
    // Through their own estate's address with this estate's ticket id: not found either.
    await expectStatus(ticketLoader, { url: "/x", params: { estate: w.other.slug, id }, user: w.otherStaff }, 404);
    await expectStatus(
      ticketAction,
      {
        url: "/x",
        params: { estate: w.other.slug, id },
        user: w.otherStaff,
        form: { intent: "resolve", body: "done" },
      },
      404,
    );
    if (photo)
      await expectStatus(
        photoLoader,
        { url: "/x", params: { estate: w.other.slug, id, photoId: photo.id }, user: w.otherStaff },
        404,
      );
    const queue = (await call(listLoader, {
      url: `/e/${w.other.slug}/tickets?scope=queue`,
      params: { estate: w.other.slug },
      user: w.otherStaff,
    })) as Awaited<ReturnType<typeof listLoader>>;
    expect(queue.items).toEqual([]);
    // The command refuses it too.
    const r = await actOnTicket({
      estateId: w.other.id,
      estateSlug: w.other.slug,
      ticketId: id,
      userId: w.otherStaff.id,
      roles: roles.staff,
      action: "acknowledge",
    });
    expect(r).toEqual({ ok: false, error: "notFound" });
    const [t] = await getDb().select().from(tickets).where(eq(tickets.id, id));
    expect(t.status).toBe("open");
    // And this estate's own staff see it in their queue.
    const own = (await call(listLoader, {
      url: `/e/${w.estate.slug}/tickets?scope=queue`,
      params: { estate: w.estate.slug },
      user: w.staff,
    })) as Awaited<ReturnType<typeof listLoader>>;
    expect(own.items.map((i) => i.id)).toEqual([id]);
  });

  it("a filer can file only from their own home, and only an owner or resident files", async () => {
    const w = await world();
    await expect(file(w, { unitId: w.u102.unitId })).rejects.toThrow("tickets.errors.notYourUnit");
    const r = await fileTicket({
      estateId: w.estate.id,
      estateSlug: w.estate.slug,
      userId: w.staff.id,
      roles: roles.staff,
      unitId: w.u101.unitId,
      category: "other",
      location: "common",
      description: "x",
      isPublic: true,
      photos: [],
    });
    expect(r).toEqual({ ok: false, error: "tickets.errors.notAllowed" });
    await expect(file(w, { location: "building", buildingId: null })).rejects.toThrow("tickets.errors.buildingMissing");
    // A building of another estate is refused.
    const [otherUnit] = await makeUnits(w.other.id, [{ building: "9幢", number: "901" }]);
    const [b] = await getDb().select().from(schema.units).where(eq(schema.units.id, otherUnit.unitId));
    await expect(file(w, { location: "building", buildingId: b.buildingId })).rejects.toThrow(
      "tickets.errors.buildingMissing",
    );
  });

  it("refuses a photo that is not a JPEG or PNG, and more than six, changing nothing", async () => {
    const w = await world();
    const post = async (files: File[]) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({
        unitId: w.u101.unitId,
        category: "repair",
        location: "unit",
        description: "门锁坏了",
        visibility: "public",
      }))
        form.set(k, v);
      for (const f of files) form.append("photos", f);
      return call(newTicketAction, { url: "/x", params: { estate: w.estate.slug }, user: w.owner, form });
    };
    const svg = new File(["<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"], "a.jpg", {
      type: "image/jpeg",
    });
    expect(statusOf(await post([svg]))).toBe(400);
    expect(
      statusOf(
        await post(Array.from({ length: 7 }, (_, i) => new File([phoneJpeg(1)], `${i}.jpg`, { type: "image/jpeg" }))),
      ),
    ).toBe(400);
    const truncated = new File([phoneJpeg(1).subarray(0, 400)], "t.jpg", { type: "image/jpeg" });
    expect(statusOf(await post([truncated]))).toBe(400);
    expect(await getDb().select().from(tickets).where(eq(tickets.estateId, w.estate.id))).toEqual([]);
  });
});

describe("the public board and +1", () => {
  it("lists public tickets without names or units; an owner +1s once; a resident, the filer and closed tickets cannot", async () => {
    const w = await world();
    const pub = await file(w, {
      isPublic: true,
      location: "common",
      place: "北门停车场",
      category: "parking",
      description: "北门道闸坏了",
    });
    await file(w, { isPublic: false, description: "私密" });
    const inside = await file(w, { isPublic: true, description: "户内漏水" });
    const items = await board(w.estate.id, w.neighbour.id);
    expect(items.map((i) => i.id).sort()).toEqual([pub.id, inside.id].sort());
    const gate = items.find((i) => i.id === pub.id)!;
    expect(gate.where).toEqual({ location: "common", building: null, place: "北门停车场" });
    expect(items.find((i) => i.id === inside.id)!.where).toEqual({ location: "unit", building: null, place: null });
    expect(withoutIdsAndTimes(items)).not.toContain("101");

    const params = { estate: w.estate.slug };
    expect(
      statusOf(
        await call(boardAction, { url: "/x", params, user: w.neighbour, form: { intent: "upvote", ticketId: pub.id } }),
      ),
    ).toBe(302);
    expect(
      statusOf(
        await call(boardAction, { url: "/x", params, user: w.neighbour, form: { intent: "upvote", ticketId: pub.id } }),
      ),
    ).toBe(302);
    expect((await board(w.estate.id, w.neighbour.id)).find((i) => i.id === pub.id)).toMatchObject({
      plusOnes: 1,
      mine: true,
    });
    expect(
      await upvote({ estateId: w.estate.id, ticketId: pub.id, userId: w.neighbour.id, roles: roles.owner }),
    ).toEqual({ ok: true, added: false });
    await expectStatus(
      boardAction,
      { url: "/x", params, user: w.tenant, form: { intent: "upvote", ticketId: pub.id } },
      403,
    );
    expect(await upvote({ estateId: w.estate.id, ticketId: pub.id, userId: w.owner.id, roles: roles.owner })).toEqual({
      ok: false,
      error: "tickets.errors.notAllowed",
    });
    expect(
      statusOf(
        await call(boardAction, { url: "/x", params, user: w.owner, form: { intent: "upvote", ticketId: pub.id } }),
      ),
    ).toBe(409);
    // Another estate's owner cannot +1 it, even with the id.
    const outsider = await makeUser([{ role: "owner", estateId: w.other.id }]);
    await expectStatus(
      boardAction,
      { url: "/x", params: { estate: w.other.slug }, user: outsider, form: { intent: "upvote", ticketId: pub.id } },
      404,
    );
    const count = await getDb().select().from(schema.ticketUpvotes).where(eq(schema.ticketUpvotes.ticketId, pub.id));
    expect(count).toHaveLength(1);
  });
});

describe("ownership data used by the ticket rules", () => {
  it("a co-owner of the unit sees its private tickets too", async () => {
    const w = await world();
    const { id } = await file(w);
    const coOwner = await makeUser([{ role: "owner", estateId: w.estate.id }], "李太太");
    const [o] = await getDb()
      .insert(owners)
      .values({ estateId: w.estate.id, name: "李太太", identityKey: `co-${coOwner.id}`, userId: coOwner.id })
      .returning();
    await getDb().insert(ownerships).values({ estateId: w.estate.id, unitId: w.u101.unitId, ownerId: o.id });
    await expectStatus(ticketLoader, { url: "/x", params: { estate: w.estate.slug, id }, user: coOwner }, 200);
  });
});
