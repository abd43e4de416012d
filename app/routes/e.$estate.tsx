import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { requireEstatePermission } from "~/auth/guards.server";
import { estateNav, type EstateLayoutData } from "~/estates/nav";
import { EstateErrorBoundary } from "~/ui/error-boundary";

/**
 * Every /e/:estate page sits in this layout: the estate, the caller's roles there and the
 * estate's navigation are loaded here once, and pages read them with `useEstate()`
 * (app/estates/use-estate.ts) instead of
 * each returning the same fields. The lookup is the one the page's own guard makes (shared per
 * request, app/auth/estate-access.server.ts), so it costs no second query. It protects nothing:
 * Remix runs this loader beside the page's, so every page still checks access itself.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "estate:view");
  return {
    estate: { slug: estate.slug, name: estate.name },
    roles,
    nav: estateNav(estate.slug, roles),
  } satisfies EstateLayoutData;
}

export default function EstateLayout() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <EstateErrorBoundary />;
}
