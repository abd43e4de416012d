import type { Role } from "#db/schema/people";
import type { TicketStatus } from "#db/schema/tickets";
import { can } from "~/lib/permissions";
import { withinConfirmWindow } from "./sla";

/*
 * Who sees what of a ticket, and who may do what with it. Pure, so the rules are tested apart
 * from the database; the commands check the same rules inside their transactions.
 *
 * - Property staff (property_staff in the estate, i.e. staff of the company serving it) see
 *   every ticket of the estate and work on them.
 * - The filer, and the owners and residents of the unit it was filed from, see it whole.
 * - The committee (and community and platform admins, who oversee committees) see an
 *   escalated ticket whole, with its history; they comment on it and press the company.
 * - Everyone else in the estate sees a public ticket as the board shows it: no name, no unit,
 *   no photos, no comments (which may name people); a private one not at all.
 */

export interface Viewer {
  userId: string;
  roles: readonly Role[];
  /** The units the viewer owns or lives in, in this estate. */
  unitIds: readonly string[];
}

export interface TicketFacts {
  filerId: string;
  unitId: string;
  isPublic: boolean;
  status: TicketStatus;
  escalatedAt: Date | null;
  resolvedAt: Date | null;
  rating: number | null;
}

/** "full": everything, photos and comments included; "public": the board's view; null: nothing (404). */
export type Visibility = "full" | "public" | null;

export function visibility(t: TicketFacts, v: Viewer): Visibility {
  if (t.filerId === v.userId) return "full";
  if (can(v.roles, "tickets:work")) return "full";
  if (v.unitIds.includes(t.unitId) && can(v.roles, "tickets:file")) return "full";
  if (t.escalatedAt && can(v.roles, "tickets:oversee")) return "full";
  return t.isPublic ? "public" : null;
}

export type TicketAction =
  | "acknowledge"
  | "assign"
  | "staffComment"
  | "resolve"
  | "filerComment"
  | "confirm"
  | "reopen"
  | "rate"
  | "committeeComment"
  | "press"
  | "upvote";

/** Whether the viewer may take the action on the ticket now (the state machine, by role). */
export function allowed(action: TicketAction, t: TicketFacts, v: Viewer, now: Date): boolean {
  const staff = can(v.roles, "tickets:work");
  const filer = t.filerId === v.userId;
  const live = t.status === "open" || t.status === "acknowledged";
  switch (action) {
    case "acknowledge":
      return staff && t.status === "open";
    case "assign":
    case "resolve":
      return staff && live;
    case "staffComment":
      return staff && t.status !== "closed";
    case "filerComment":
      return filer && t.status !== "closed";
    case "confirm":
    case "reopen":
      return filer && t.status === "resolved" && t.resolvedAt !== null && withinConfirmWindow(t.resolvedAt, now);
    case "rate":
      // After an automatic close the filer may still rate, once.
      return filer && t.status === "closed" && t.rating === null;
    case "committeeComment":
      return can(v.roles, "tickets:oversee") && t.escalatedAt !== null && t.status !== "closed";
    case "press":
      return can(v.roles, "tickets:oversee") && t.escalatedAt !== null && live;
    case "upvote":
      return can(v.roles, "tickets:upvote") && !filer && t.isPublic && t.status !== "closed";
  }
}

export interface NavLink {
  to: string;
  key:
    "mine" | "queue" | "escalated" | "board" | "file" | "scorecard" | "settings" | "reports" | "ledgers" | "community";
}

/** The ticket pages a member may use, for the links between them. */
export function navLinks(roles: readonly Role[]): NavLink[] {
  const links: NavLink[] = [];
  if (can(roles, "tickets:file"))
    links.push({ to: "tickets/new", key: "file" }, { to: "tickets?scope=mine", key: "mine" });
  if (can(roles, "tickets:work")) links.push({ to: "tickets?scope=queue", key: "queue" });
  if (can(roles, "tickets:oversee")) links.push({ to: "tickets?scope=escalated", key: "escalated" });
  links.push(
    { to: "tickets/board", key: "board" },
    { to: "scorecard", key: "scorecard" },
    { to: "service-reports", key: "reports" },
    { to: "ledgers", key: "ledgers" },
  );
  if (can(roles, "tickets:targets")) links.push({ to: "tickets/settings", key: "settings" });
  if (can(roles, "estate:community")) links.push({ to: "community", key: "community" });
  return links;
}
