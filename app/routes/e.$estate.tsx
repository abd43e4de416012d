import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import type { Role } from "#db/schema/people";
import { requireEstateRole, rosterManagers } from "~/auth/guards.server";
import { unitHolders } from "~/claims/access";
import { billPayers, feeStaff, hasAny } from "~/fees/access";
import { EstateErrorBoundary } from "~/ui/error-boundary";

/** The catalogue keys of the navigation's labels. */
export type EstateNavLabel =
  | "estate.estateHome.myUnits"
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
  | "audit.nav";

/** The estate's pages, each with the catalogue key of its label; shown to those its guard lets in. */
function estateNav(slug: string, roles: readonly Role[]): { to: string; label: EstateNavLabel }[] {
  const canManage = hasAny(roles, rosterManagers);
  const items: (false | { to: string; label: EstateNavLabel })[] = [
    hasAny(roles, unitHolders) && { to: "units", label: "estate.estateHome.myUnits" },
    { to: "proposals", label: "voting.title" },
    { to: "committee", label: "committee.nav.committee" },
    hasAny(roles, billPayers) && { to: "bills", label: "fees.nav.bills" },
    { to: "collection", label: "fees.nav.collection" },
    { to: "tickets", label: "tickets.title" },
    { to: "tickets/board", label: "tickets.nav.board" },
    { to: "scorecard", label: "tickets.nav.scorecard" },
    hasAny(roles, feeStaff) && { to: "fees", label: "fees.nav.ledger" },
    canManage && { to: "roster", label: "estate.estateHome.roster" },
    canManage && { to: "claims", label: "estate.estateHome.claims" },
    canManage && { to: "settings", label: "estate.settings.link" },
    canManage && { to: "audit", label: "audit.nav" },
  ];
  return items.flatMap((i) => (i ? [{ to: `/e/${slug}/${i.to}`, label: i.label }] : []));
}

/**
 * Every /e/:estate page sits in this layout: the estate, the caller's roles there and the
 * estate's navigation are loaded here once, and pages read them with `useEstate()`
 * (app/estates/use-estate.ts) instead of
 * each returning the same fields. The lookup is the one the page's own guard makes (shared per
 * request, app/auth/estate-access.server.ts), so it costs no second query. It protects nothing:
 * Remix runs this loader beside the page's, so every page still checks access itself.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstateRole(request, context, params.estate, "any");
  return { estate: { slug: estate.slug, name: estate.name }, roles, nav: estateNav(estate.slug, roles) };
}

export default function EstateLayout() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <EstateErrorBoundary />;
}

