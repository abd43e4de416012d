import type { Role } from "#db/schema/people";
import { can, type Permission } from "~/lib/permissions";

/** The catalogue keys of the navigation's labels. */
export type EstateNavLabel =
  | "estate.estateHome.myUnits"
  | "board.nav"
  | "voting.title"
  | "committee.nav.committee"
  | "fees.nav.bills"
  | "fees.nav.collection"
  | "tickets.title"
  | "tickets.nav.board"
  | "tickets.nav.scorecard"
  | "fees.nav.ledger"
  | "estate.estateHome.roster"
  | "estate.estateHome.claims"
  | "estate.settings.link"
  | "audit.nav"
  | "grants.staff.nav"
  | "fees.nav.paymentSettings";

/**
 * The estate's pages, each with the catalogue key of its label and the permission its guard
 * asks, so a link shows only to those the page lets in.
 */
const estatePages: { to: string; label: EstateNavLabel; permission: Permission }[] = [
  { to: "units", label: "estate.estateHome.myUnits", permission: "units:mine" },
  { to: "board", label: "board.nav", permission: "estate:view" },
  { to: "proposals", label: "voting.title", permission: "estate:view" },
  { to: "committee", label: "committee.nav.committee", permission: "estate:view" },
  { to: "bills", label: "fees.nav.bills", permission: "fees:pay" },
  { to: "collection", label: "fees.nav.collection", permission: "estate:view" },
  { to: "tickets", label: "tickets.title", permission: "estate:view" },
  { to: "tickets/board", label: "tickets.nav.board", permission: "estate:view" },
  { to: "scorecard", label: "tickets.nav.scorecard", permission: "estate:view" },
  { to: "fees", label: "fees.nav.ledger", permission: "fees:ledger" },
  { to: "roster", label: "estate.estateHome.roster", permission: "roster:manage" },
  { to: "claims", label: "estate.estateHome.claims", permission: "roster:manage" },
  { to: "settings", label: "estate.settings.link", permission: "estate:settings" },
  { to: "audit", label: "audit.nav", permission: "estate:audit" },
  { to: "staff", label: "grants.staff.nav", permission: "estate:staff" },
  { to: "payments/settings", label: "fees.nav.paymentSettings", permission: "payments:configure" },
];

export function estateNav(slug: string, roles: readonly Role[]): { to: string; label: EstateNavLabel }[] {
  return estatePages.filter((p) => can(roles, p.permission)).map((p) => ({ to: `/e/${slug}/${p.to}`, label: p.label }));
}

/** What the estate layout (app/routes/e.$estate.tsx) gives its pages (`useEstate()`). */
export interface EstateLayoutData {
  estate: { slug: string; name: string };
  roles: Role[];
  nav: { to: string; label: EstateNavLabel }[];
}
