import { and, asc, count, desc, eq, gt, inArray, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, schema, type Queryable } from "#db/client";
import type { Role } from "#db/schema/people";
import type { TicketCategory, TicketEventKind, TicketLocation, TicketStatus } from "#db/schema/tickets";
import { isUuid } from "~/lib/ids";
import { withUploads } from "~/lib/uploads/store.server";
import { enqueue, type Notice } from "~/notify/outbox.server";
import { can, rolesFor } from "~/lib/permissions";
import { maskName } from "~/ui/mask";
import type { TicketStep } from "../../emails/ticket-update";
import { allowed, visibility, type TicketAction, type TicketFacts, type Viewer, type Visibility } from "./access";
import { servingCompany, ticketTargets, type Failure, type Ok } from "./company.server";
import { savePhoto, type CleanPhoto } from "./photos.server";
import { autoCloseAt, deadlines, overdueReason, resolutionClock, responseClock } from "./sla";

const {
  buildings,
  memberships,
  owners,
  ownerships,
  residents,
  ticketEvents,
  ticketPhotos,
  ticketSettings,
  ticketUpvotes,
  tickets,
  units,
  users,
} = schema;

export type Ticket = typeof tickets.$inferSelect;

/** An instant as a query parameter (postgres.js takes no Date inside a raw sql template). */
export function ts(at: Date): SQL {
  return sql`${at.toISOString()}::timestamptz`;
}

/** The units a user owns (as a roster owner linked to their account) or lives in, in one estate. */
export async function unitIdsOf(db: Queryable, estateId: string, userId: string): Promise<string[]> {
  const owned = await db
    .select({ unitId: ownerships.unitId })
    .from(ownerships)
    .innerJoin(owners, eq(owners.id, ownerships.ownerId))
    .where(and(eq(ownerships.estateId, estateId), eq(owners.userId, userId)));
  const lived = await db
    .select({ unitId: residents.unitId })
    .from(residents)
    .where(and(eq(residents.estateId, estateId), eq(residents.userId, userId)));
  return [...new Set([...owned, ...lived].map((r) => r.unitId))];
}

export async function viewerOf(
  db: Queryable,
  estateId: string,
  userId: string,
  roles: readonly Role[],
): Promise<Viewer> {
  return { userId, roles, unitIds: can(roles, "tickets:file") ? await unitIdsOf(db, estateId, userId) : [] };
}

/** The homes a filer may file from, labelled "1幢 101". */
export async function filerUnits(estateId: string, userId: string) {
  const db = getDb();
  const ids = await unitIdsOf(db, estateId, userId);
  if (ids.length === 0) return [];
  return db
    .select({ id: units.id, buildingId: units.buildingId, building: buildings.name, number: units.number })
    .from(units)
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(and(eq(units.estateId, estateId), inArray(units.id, ids)))
    .orderBy(buildings.name, units.number);
}

export async function estateBuildings(estateId: string) {
  const rows = await getDb()
    .select({ id: buildings.id, name: buildings.name })
    .from(buildings)
    .where(eq(buildings.estateId, estateId));
  return rows.sort((a, b) => a.name.localeCompare(b.name, "zh-CN", { numeric: true }));
}

/** Users holding a role in the estate (property staff, committee members). */
async function usersWithRole(db: Queryable, estateId: string, role: Role): Promise<string[]> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.estateId, estateId), eq(memberships.role, role)));
  return [...new Set(rows.map((r) => r.userId))];
}

export async function staffOf(estateId: string) {
  const db = getDb();
  const ids = await usersWithRole(db, estateId, "property_staff");
  if (ids.length === 0) return [];
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids));
  return rows.map((r) => ({ id: r.id, name: maskName(r.name) }));
}

/** The first line of the description, shortened: how a ticket is named in lists and mail. */
export function summaryOf(description: string, max = 40): string {
  const line = description.trim().split(/\r?\n/)[0] ?? "";
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : line;
}

function facts(t: Ticket): TicketFacts {
  return {
    filerId: t.filerId,
    unitId: t.unitId,
    isPublic: t.isPublic,
    status: t.status,
    escalatedAt: t.escalatedAt,
    resolvedAt: t.resolvedAt,
    rating: t.rating,
  };
}

/** Notices about one ticket event to a set of users (the actor is left out: they know). */
function notices(
  t: Ticket,
  slug: string,
  step: TicketStep,
  recipients: Iterable<string>,
  eventId: string,
  note = "",
  actorId?: string | null,
): Notice[] {
  const out: Notice[] = [];
  for (const userId of new Set(recipients)) {
    if (userId === actorId) continue;
    out.push({
      template: "ticket-update",
      userId,
      estateId: t.estateId,
      idempotencyKey: `ticket:${t.id}:${eventId}`,
      props: {
        seq: t.seq,
        category: t.category,
        step,
        summary: summaryOf(t.description),
        note,
        path: `/e/${slug}/tickets/${t.id}`,
      },
    });
  }
  return out;
}

export interface FileInput {
  estateId: string;
  estateSlug: string;
  userId: string;
  roles: readonly Role[];
  unitId: string;
  category: TicketCategory;
  location: TicketLocation;
  buildingId?: string | null;
  place?: string | null;
  description: string;
  isPublic: boolean;
  photos: CleanPhoto[];
  now?: Date;
}

/**
 * An owner or resident files a ticket from one of their homes. The deadlines are fixed from the
 * estate's targets now; the company serving the estate now is the one the ticket counts for.
 * The property staff are told.
 */
export async function fileTicket(input: FileInput): Promise<Ok<{ id: string; seq: number }> | Failure> {
  const now = input.now ?? new Date();
  if (!can(input.roles, "tickets:file")) return { ok: false, error: "tickets.errors.notAllowed" };
  if (!isUuid(input.unitId)) return { ok: false, error: "tickets.errors.notYourUnit" };
  return withUploads(() => fileInTransaction(input, now));
}

async function fileInTransaction(input: FileInput, now: Date): Promise<Ok<{ id: string; seq: number }> | Failure> {
  return getDb().transaction(async (tx) => {
    const mine = await unitIdsOf(tx, input.estateId, input.userId);
    if (!mine.includes(input.unitId)) return { ok: false, error: "tickets.errors.notYourUnit" } as const;
    const [unit] = await tx
      .select({ buildingId: units.buildingId })
      .from(units)
      .where(and(eq(units.id, input.unitId), eq(units.estateId, input.estateId)));
    let buildingId: string | null = null;
    if (input.location === "unit") buildingId = unit.buildingId;
    if (input.location === "building") {
      if (!input.buildingId || !isUuid(input.buildingId))
        return { ok: false, error: "tickets.errors.buildingMissing" } as const;
      const [b] = await tx
        .select({ id: buildings.id })
        .from(buildings)
        .where(and(eq(buildings.id, input.buildingId), eq(buildings.estateId, input.estateId)));
      if (!b) return { ok: false, error: "tickets.errors.buildingMissing" } as const;
      buildingId = b.id;
    }
    const targets = await ticketTargets(tx, input.estateId);
    const [counter] = await tx
      .insert(ticketSettings)
      .values({ estateId: input.estateId, ticketSeq: 1 })
      .onConflictDoUpdate({ target: ticketSettings.estateId, set: { ticketSeq: sql`${ticketSettings.ticketSeq} + 1` } })
      .returning({ seq: ticketSettings.ticketSeq });
    const company = await servingCompany(tx, input.estateId);
    const due = deadlines(now, input.category, targets);
    const [row] = await tx
      .insert(tickets)
      .values({
        estateId: input.estateId,
        seq: counter.seq,
        companyId: company?.id ?? null,
        filerId: input.userId,
        unitId: input.unitId,
        category: input.category,
        location: input.location,
        buildingId,
        place: input.place?.trim() || null,
        description: input.description.trim(),
        isPublic: input.isPublic,
        responseDueAt: due.responseDueAt,
        resolutionDueAt: due.resolutionDueAt,
        createdAt: now,
      })
      .returning();
    const [event] = await tx
      .insert(ticketEvents)
      .values({
        estateId: input.estateId,
        ticketId: row.id,
        kind: "filed",
        actorId: input.userId,
        actorRole: input.roles.includes("owner") ? "owner" : "resident",
        at: now,
      })
      .returning({ id: ticketEvents.id });
    for (const photo of input.photos) await savePhoto(tx, { estateId: input.estateId, ticketId: row.id, photo, now });
    await enqueue(
      tx,
      notices(
        row,
        input.estateSlug,
        "filed",
        await usersWithRole(tx, input.estateId, "property_staff"),
        event.id,
        "",
        input.userId,
      ),
    );
    return { ok: true, id: row.id, seq: row.seq } as const;
  });
}

export type ActInput = {
  estateId: string;
  estateSlug: string;
  ticketId: string;
  userId: string;
  roles: readonly Role[];
  now?: Date;
} & (
  | { action: "acknowledge" }
  | { action: "assign"; assigneeId: string }
  | { action: "staffComment" | "filerComment" | "committeeComment"; body: string }
  | { action: "resolve"; body: string }
  | { action: "confirm"; rating: number; body?: string }
  | { action: "reopen"; body: string }
  | { action: "rate"; rating: number; body?: string }
  | { action: "press"; body: string }
);

function actorRole(roles: readonly Role[], t: Ticket, userId: string, action: TicketAction): string {
  if (action === "committeeComment" || action === "press")
    return roles.find((r) => rolesFor("tickets:oversee").includes(r)) ?? "committee";
  if (can(roles, "tickets:work") && t.filerId !== userId) return "property_staff";
  return roles.includes("owner") ? "owner" : "resident";
}

/**
 * One step in a ticket's life, taken by the filer, the property staff or the committee, in
 * one transaction with the ticket row locked: the state machine (access.ts) decides whether
 * the step is allowed now, the row and its timeline change together, and the people concerned
 * are told through the outbox.
 */
export async function actOnTicket(input: ActInput): Promise<Ok | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.ticketId)) return { ok: false, error: "notFound" };
  return getDb().transaction(async (tx) => {
    const [t] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, input.ticketId), eq(tickets.estateId, input.estateId)))
      .for("update");
    if (!t) return { ok: false, error: "notFound" } as const;
    const viewer = await viewerOf(tx, input.estateId, input.userId, input.roles);
    if (visibility(facts(t), viewer) === null) return { ok: false, error: "notFound" } as const;
    if (!allowed(input.action, facts(t), viewer, now))
      return { ok: false, error: "tickets.errors.notAllowed" } as const;

    const staff = () => usersWithRole(tx, input.estateId, "property_staff");
    const workers = async () => (t.assigneeId ? [t.assigneeId] : await staff());
    const event = async (
      kind: TicketEventKind,
      body: string | null = null,
      detail: Record<string, unknown> | null = null,
    ) => {
      const [e] = await tx
        .insert(ticketEvents)
        .values({
          estateId: input.estateId,
          ticketId: t.id,
          kind,
          actorId: input.userId,
          actorRole: actorRole(input.roles, t, input.userId, input.action),
          body,
          detail,
          at: now,
        })
        .returning({ id: ticketEvents.id });
      return e.id;
    };
    const update = (set: Partial<typeof tickets.$inferInsert>) =>
      tx.update(tickets).set(set).where(eq(tickets.id, t.id));
    const tell = (step: TicketStep, recipients: Iterable<string>, eventId: string, note = "") =>
      enqueue(tx, notices(t, input.estateSlug, step, recipients, eventId, note, input.userId));

    switch (input.action) {
      case "acknowledge": {
        await update({ status: "acknowledged", acknowledgedAt: now });
        await tell("acknowledged", [t.filerId], await event("acknowledged"));
        break;
      }
      case "assign": {
        if (!isUuid(input.assigneeId) || !(await staff()).includes(input.assigneeId))
          return { ok: false, error: "tickets.errors.assigneeNotStaff" } as const;
        const [assignee] = await tx
          .select({ name: users.displayName })
          .from(users)
          .where(eq(users.id, input.assigneeId));
        // Assigning answers the ticket too.
        const firstAnswer = t.status === "open";
        if (firstAnswer) await event("acknowledged");
        await update({
          assigneeId: input.assigneeId,
          ...(firstAnswer ? { status: "acknowledged" as const, acknowledgedAt: now } : {}),
        });
        const id = await event("assigned", null, { assigneeId: input.assigneeId, name: maskName(assignee.name) });
        await tell(firstAnswer ? "acknowledged" : "assigned", [t.filerId], id);
        await tell("assignedToYou", [input.assigneeId], id);
        break;
      }
      case "staffComment": {
        const id = await event("comment", input.body);
        await tell("comment", [t.filerId], id, input.body);
        break;
      }
      case "filerComment": {
        const id = await event("comment", input.body);
        await tell("comment", await workers(), id, input.body);
        break;
      }
      case "resolve": {
        // Resolving an unanswered ticket answers it at the same moment.
        if (t.status === "open") await event("acknowledged");
        await update({
          status: "resolved",
          resolvedAt: now,
          firstResolvedAt: t.firstResolvedAt ?? now,
          acknowledgedAt: t.acknowledgedAt ?? now,
        });
        await tell("resolved", [t.filerId], await event("resolved", input.body), input.body);
        break;
      }
      case "confirm": {
        if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
          return { ok: false, error: "tickets.errors.ratingRange" } as const;
        const body = input.body?.trim() || null;
        await update({
          status: "closed",
          closedAt: now,
          closedBy: "filer",
          rating: input.rating,
          ratingComment: body,
          ratedAt: now,
        });
        await tell("confirmed", await workers(), await event("confirmed", body, { rating: input.rating }), body ?? "");
        break;
      }
      case "rate": {
        if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5)
          return { ok: false, error: "tickets.errors.ratingRange" } as const;
        const body = input.body?.trim() || null;
        await update({ rating: input.rating, ratingComment: body, ratedAt: now });
        await tell(
          "rated",
          await workers(),
          await event("confirmed", body, { rating: input.rating, late: true }),
          body ?? "",
        );
        break;
      }
      case "reopen": {
        await update({ status: "acknowledged", resolvedAt: null, reopenCount: t.reopenCount + 1 });
        await tell("reopened", await workers(), await event("reopened", input.body), input.body);
        break;
      }
      case "committeeComment": {
        const id = await event("committee_comment", input.body);
        await tell("committee_comment", [t.filerId, ...(await workers())], id, input.body);
        break;
      }
      case "press": {
        const id = await event("pressed", input.body);
        await tell("pressed", [...(await staff()), t.filerId], id, input.body);
        break;
      }
    }
    return { ok: true } as const;
  });
}

/** An owner's "+1" on a public ticket; a second one by the same owner changes nothing. */
export async function upvote(input: {
  estateId: string;
  ticketId: string;
  userId: string;
  roles: readonly Role[];
  now?: Date;
}): Promise<Ok<{ added: boolean }> | Failure> {
  const now = input.now ?? new Date();
  if (!isUuid(input.ticketId)) return { ok: false, error: "notFound" };
  const db = getDb();
  const [t] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, input.ticketId), eq(tickets.estateId, input.estateId)));
  if (!t) return { ok: false, error: "notFound" };
  const viewer = await viewerOf(db, input.estateId, input.userId, input.roles);
  if (visibility(facts(t), viewer) === null) return { ok: false, error: "notFound" };
  if (!allowed("upvote", facts(t), viewer, now)) return { ok: false, error: "tickets.errors.notAllowed" };
  const added = await db
    .insert(ticketUpvotes)
    .values({ ticketId: t.id, userId: input.userId, estateId: input.estateId, createdAt: now })
    .onConflictDoNothing()
    .returning({ ticketId: ticketUpvotes.ticketId });
  return { ok: true, added: added.length > 0 };
}

// ------------------------------------------------------------------ queries

export interface TicketListItem {
  id: string;
  seq: number;
  category: TicketCategory;
  status: TicketStatus;
  summary: string;
  isPublic: boolean;
  createdAt: string;
  overdue: boolean;
  escalated: boolean;
  /** The building the ticket is about (null: a common area). */
  building: string | null;
  /** The filer's home, "1幢 101": for the staff and the household only. */
  home: string | null;
}

export type ListScope = "mine" | "queue" | "escalated";
export type ListFilter = "all" | TicketStatus | "overdue" | "escalated";

const pageSize = 30;

/**
 * A list of tickets: "mine" (filed by me or from one of my homes), "queue" (every ticket, for
 * the property staff), "escalated" (for the committee and admins). Newest first, 30 a page,
 * by keyset on (created_at, id).
 */
export async function listTickets(input: {
  estateId: string;
  viewer: Viewer;
  scope: ListScope;
  filter: ListFilter;
  before?: { at: Date; id: string } | null;
  now?: Date;
}) {
  const now = input.now ?? new Date();
  const db = getDb();
  const conds: SQL[] = [eq(tickets.estateId, input.estateId)];
  if (input.scope === "mine") {
    const mine = input.viewer.unitIds.length
      ? or(eq(tickets.filerId, input.viewer.userId), inArray(tickets.unitId, [...input.viewer.unitIds]))
      : eq(tickets.filerId, input.viewer.userId);
    conds.push(mine!);
  }
  if (input.scope === "escalated") conds.push(isNotNull(tickets.escalatedAt));
  if (input.filter === "overdue") {
    conds.push(
      sql`${tickets.status} in ('open', 'acknowledged') and ((${tickets.status} = 'open' and ${tickets.responseDueAt} < ${ts(now)}) or ${tickets.resolutionDueAt} < ${ts(now)})`,
    );
  } else if (input.filter === "escalated") conds.push(isNotNull(tickets.escalatedAt));
  else if (input.filter !== "all") conds.push(eq(tickets.status, input.filter));
  if (input.before)
    conds.push(sql`(${tickets.createdAt}, ${tickets.id}) < (${ts(input.before.at)}, ${input.before.id}::uuid)`);
  const homeBuilding = alias(buildings, "home_building");
  const rows = await db
    .select({ t: tickets, building: buildings.name, unit: units.number, unitBuilding: homeBuilding.name })
    .from(tickets)
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .innerJoin(units, eq(units.id, tickets.unitId))
    .innerJoin(homeBuilding, eq(homeBuilding.id, units.buildingId))
    .where(and(...conds))
    .orderBy(desc(tickets.createdAt), desc(tickets.id))
    .limit(pageSize + 1);
  const [{ n }] = await db
    .select({ n: count() })
    .from(tickets)
    .where(and(...conds.slice(0, input.before ? -1 : undefined)));
  const showHome = input.scope !== "escalated" || can(input.viewer.roles, "tickets:work");
  const items: TicketListItem[] = rows.slice(0, pageSize).map(({ t, building, unit, unitBuilding }) => ({
    id: t.id,
    seq: t.seq,
    category: t.category,
    status: t.status,
    summary: summaryOf(t.description),
    isPublic: t.isPublic,
    createdAt: t.createdAt.toISOString(),
    overdue: overdueReason(t, now) !== null,
    escalated: t.escalatedAt !== null,
    building,
    home: showHome ? `${unitBuilding} ${unit}` : null,
  }));
  const last = rows.length > pageSize ? rows[pageSize - 1].t : null;
  return { items, total: n, next: last ? { at: last.createdAt.toISOString(), id: last.id } : null };
}

export interface BoardItem {
  id: string;
  seq: number;
  category: TicketCategory;
  status: TicketStatus;
  summary: string;
  where: { location: TicketLocation; building: string | null; place: string | null };
  createdAt: string;
  ageMs: number;
  plusOnes: number;
  /** The viewer has +1'd it. */
  mine: boolean;
  /** The viewer filed it (a filer cannot +1 their own ticket). */
  own: boolean;
  overdue: boolean;
}

/**
 * The public board: the estate's public tickets, open ones and those closed in the last 30
 * days, with status, age and "+1"s. No filer, no unit number, no photos. A ticket inside a home
 * shows no building either (with the category, it could point at the home).
 */
export async function board(estateId: string, userId: string, now: Date = new Date()): Promise<BoardItem[]> {
  const db = getDb();
  const plus = db
    .select({
      ticketId: ticketUpvotes.ticketId,
      n: count().as("n"),
      mine: sql<boolean>`bool_or(${ticketUpvotes.userId} = ${userId})`.as("mine"),
    })
    .from(ticketUpvotes)
    .where(eq(ticketUpvotes.estateId, estateId))
    .groupBy(ticketUpvotes.ticketId)
    .as("plus");
  const rows = await db
    .select({ t: tickets, building: buildings.name, n: plus.n, mine: plus.mine })
    .from(tickets)
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .leftJoin(plus, eq(plus.ticketId, tickets.id))
    .where(
      and(
        eq(tickets.estateId, estateId),
        eq(tickets.isPublic, true),
        or(sql`${tickets.status} <> 'closed'`, gt(tickets.closedAt, new Date(now.getTime() - 30 * 86_400_000))),
      ),
    )
    .orderBy(sql`${tickets.status} = 'closed'`, desc(sql`coalesce(${plus.n}, 0)`), asc(tickets.createdAt))
    .limit(200);
  return rows.map(({ t, building, n, mine }) => ({
    id: t.id,
    seq: t.seq,
    category: t.category,
    status: t.status,
    summary: summaryOf(t.description, 60),
    where: {
      location: t.location,
      building: t.location === "unit" ? null : building,
      place: t.location === "unit" ? null : t.place,
    },
    createdAt: t.createdAt.toISOString(),
    ageMs: (t.closedAt ?? now).getTime() - t.createdAt.getTime(),
    plusOnes: Number(n ?? 0),
    mine: Boolean(mine),
    own: t.filerId === userId,
    overdue: overdueReason(t, now) !== null,
  }));
}

type Clock = ReturnType<typeof responseClock>;

export interface TicketPage {
  visibility: Exclude<Visibility, null>;
  ticket: {
    id: string;
    seq: number;
    category: TicketCategory;
    status: TicketStatus;
    description: string;
    isPublic: boolean;
    location: TicketLocation;
    building: string | null;
    place: string | null;
    createdAt: string;
    escalated: boolean;
    rating: number | null;
    ratingComment: string | null;
    responseDueAt: string;
    resolutionDueAt: string;
    autoCloseAt: string | null;
    /** Full view only: */
    filer: string | null;
    unit: string | null;
    assignee: string | null;
  };
  response: Clock;
  resolution: Clock;
  photos: { id: string }[];
  events: {
    id: string;
    kind: TicketEventKind;
    actor: string | null;
    actorRole: string | null;
    body: string | null;
    detail: Record<string, unknown> | null;
    at: string;
  }[];
  plusOnes: number;
  upvoted: boolean;
  actions: TicketAction[];
  staff: { id: string; name: string }[];
}

const allActions: TicketAction[] = [
  "acknowledge",
  "assign",
  "staffComment",
  "resolve",
  "filerComment",
  "confirm",
  "reopen",
  "rate",
  "committeeComment",
  "press",
  "upvote",
];

/** A ticket as the viewer may see it (null: not at all), with the steps they may take now. */
export async function ticketPage(
  estateId: string,
  ticketId: string,
  viewer: Viewer,
  now: Date = new Date(),
): Promise<TicketPage | null> {
  if (!isUuid(ticketId)) return null;
  const db = getDb();
  const homeBuilding = alias(buildings, "home_building");
  const [row] = await db
    .select({ t: tickets, building: buildings.name, unit: units.number, unitBuilding: homeBuilding.name })
    .from(tickets)
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .innerJoin(units, eq(units.id, tickets.unitId))
    .innerJoin(homeBuilding, eq(homeBuilding.id, units.buildingId))
    .where(and(eq(tickets.id, ticketId), eq(tickets.estateId, estateId)));
  if (!row) return null;
  const t = row.t;
  const seen = visibility(facts(t), viewer);
  if (!seen) return null;
  const full = seen === "full";
  const names = new Map<string, string>();
  const nameOf = async (id: string | null) => {
    if (!id) return null;
    if (!names.has(id)) {
      const [u] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, id));
      names.set(id, u ? maskName(u.name) : "");
    }
    return names.get(id) ?? null;
  };
  const eventRows = await db
    .select()
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, t.id))
    .orderBy(asc(ticketEvents.at), asc(ticketEvents.id));
  const events = [];
  for (const e of eventRows) {
    // The public view shows the steps, not who took them or what was written.
    if (!full && (e.kind === "comment" || e.kind === "committee_comment" || e.kind === "assigned")) continue;
    events.push({
      id: e.id,
      kind: e.kind,
      actor: full ? await nameOf(e.actorId) : null,
      actorRole: e.actorRole,
      body: full ? e.body : null,
      detail: full
        ? (e.detail as Record<string, unknown> | null)
        : e.kind === "escalated" || e.kind === "confirmed"
          ? (e.detail as Record<string, unknown> | null)
          : null,
      at: e.at.toISOString(),
    });
  }
  const photos = full
    ? await db
        .select({ id: ticketPhotos.id })
        .from(ticketPhotos)
        .where(eq(ticketPhotos.ticketId, t.id))
        .orderBy(asc(ticketPhotos.createdAt), asc(ticketPhotos.id))
    : [];
  const [plus] = await db
    .select({ n: count(), mine: sql<boolean>`coalesce(bool_or(${ticketUpvotes.userId} = ${viewer.userId}), false)` })
    .from(ticketUpvotes)
    .where(eq(ticketUpvotes.ticketId, t.id));
  const actions = allActions.filter((a) => allowed(a, facts(t), viewer, now));
  return {
    visibility: seen,
    ticket: {
      id: t.id,
      seq: t.seq,
      category: t.category,
      status: t.status,
      description: t.description,
      isPublic: t.isPublic,
      location: t.location,
      building: full || t.location !== "unit" ? row.building : null,
      place: full || t.location !== "unit" ? t.place : null,
      createdAt: t.createdAt.toISOString(),
      escalated: t.escalatedAt !== null,
      rating: t.rating,
      ratingComment: full ? t.ratingComment : null,
      responseDueAt: t.responseDueAt.toISOString(),
      resolutionDueAt: t.resolutionDueAt.toISOString(),
      autoCloseAt: t.status === "resolved" && t.resolvedAt ? autoCloseAt(t.resolvedAt).toISOString() : null,
      filer: full ? await nameOf(t.filerId) : null,
      unit: full ? `${row.unitBuilding} ${row.unit}` : null,
      assignee: full ? await nameOf(t.assigneeId) : null,
    },
    response: responseClock(t, now),
    resolution: resolutionClock(t, now),
    photos,
    events,
    plusOnes: Number(plus?.n ?? 0),
    upvoted: Boolean(plus?.mine),
    actions,
    staff: actions.includes("assign") ? await staffOf(estateId) : [],
  };
}

/** Whether the viewer may see the ticket's photos (its full view). */
export async function canSeeWhole(estateId: string, ticketId: string, viewer: Viewer): Promise<boolean> {
  if (!isUuid(ticketId)) return false;
  const [t] = await getDb()
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), eq(tickets.estateId, estateId)));
  return Boolean(t) && visibility(facts(t), viewer) === "full";
}

/** Count of overdue, not yet escalated tickets (for tests and the home page). */
export async function overdueCount(estateId: string, now: Date = new Date()): Promise<number> {
  const [row] = await getDb()
    .select({ n: count() })
    .from(tickets)
    .where(
      and(
        eq(tickets.estateId, estateId),
        sql`${tickets.status} in ('open', 'acknowledged')`,
        or(and(eq(tickets.status, "open"), lt(tickets.responseDueAt, now)), lt(tickets.resolutionDueAt, now)),
      ),
    );
  return row.n;
}
