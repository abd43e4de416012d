import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireEstateRole, rosterManagers } from "~/auth/guards.server";
import { unitHolders } from "~/claims/access";
import { estateOverview } from "~/estates/estates.server";
import { billPayers, feeStaff, hasAny } from "~/fees/access";
import { estateSize } from "~/roster/roster.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstateRole(request, context, params.estate, "any");
  const [overview, size] = await Promise.all([estateOverview(estate.id), estateSize(estate.id)]);
  return {
    estate: { slug: estate.slug, name: estate.name },
    roles,
    // Each tile shows only to those the linked page lets in: its guard's role list, read here.
    hasUnits: hasAny(roles, unitHolders),
    canManage: roles.some((r) => (rosterManagers as readonly string[]).includes(r)),
    fees: { pay: hasAny(roles, billPayers), ledger: hasAny(roles, feeStaff) },
    ...overview,
    ...size,
  };
}

export default function EstateHome() {
  const { estate, hasUnits, canManage, fees, notices, buildingCount, unitCount } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeZone: "Asia/Shanghai" });
  return (
    <div>
      <h1>{estate.name}</h1>
      <p className="muted">{t("estate.estateHome.stats", { buildings: buildingCount, units: unitCount })}</p>
      <h2>{t("estate.estateHome.links")}</h2>
      <nav className="tiles" aria-label={t("estate.estateHome.links")}>
        {hasUnits ? <Link to={`/e/${estate.slug}/units`}>{t("estate.estateHome.myUnits")}</Link> : null}
        <Link to={`/e/${estate.slug}/proposals`}>{t("voting.title")}</Link>
        <Link to={`/e/${estate.slug}/committee`}>{t("committee.nav.committee")}</Link>
        {fees.pay ? <Link to={`/e/${estate.slug}/bills`}>{t("fees.nav.bills")}</Link> : null}
        <Link to={`/e/${estate.slug}/collection`}>{t("fees.nav.collection")}</Link>
        <Link to={`/e/${estate.slug}/tickets`}>{t("tickets.title")}</Link>
        <Link to={`/e/${estate.slug}/tickets/board`}>{t("tickets.nav.board")}</Link>
        <Link to={`/e/${estate.slug}/scorecard`}>{t("tickets.nav.scorecard")}</Link>
        {fees.ledger ? <Link to={`/e/${estate.slug}/fees`}>{t("fees.nav.ledger")}</Link> : null}
        {canManage ? <Link to={`/e/${estate.slug}/roster`}>{t("estate.estateHome.roster")}</Link> : null}
        {canManage ? <Link to={`/e/${estate.slug}/claims`}>{t("estate.estateHome.claims")}</Link> : null}
        {canManage ? <Link to={`/e/${estate.slug}/settings`}>{t("estate.settings.link")}</Link> : null}
        {canManage ? <Link to={`/e/${estate.slug}/audit`}>{t("audit.nav")}</Link> : null}
      </nav>
      <h2>{t("estate.estateHome.notices")}</h2>
      {notices.length === 0 ? <p className="muted">{t("common.empty")}</p> : null}
      <ul className="list-plain">
        {notices.map((n) => (
          <li key={n.id}>
            <strong>{n.title}</strong>
            <div className="muted">{dateFormat.format(new Date(n.publishedAt))}</div>
            <p style={{ whiteSpace: "pre-line", margin: "0.25rem 0 0" }}>{n.body}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.estate.name} · 议事堂` : "议事堂" }];
