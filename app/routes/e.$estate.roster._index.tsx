import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { useDateTimeFormat } from "~/lib/time";
import { recentImports, rosterStats } from "~/roster/roster.server";
import { can } from "~/lib/permissions";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "roster:manage");
  const isAdmin = can(roles, "roster:admin");
  const t = await getT(await getLocale(request));
  const [stats, imports] = await Promise.all([
    rosterStats(estate.id),
    isAdmin ? recentImports(estate.id) : Promise.resolve([]),
  ]);
  return {
    title: `${t("roster.admin.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    isAdmin,
    stats,
    imports,
  };
}

export default function RosterAdmin() {
  const { estate, isAdmin, stats, imports } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium", timeStyle: "short" });
  const base = `/e/${estate.slug}/roster`;
  return (
    <div>
      <p className="muted no-print">
        <Link to={`/e/${estate.slug}`}>{estate.name}</Link>
      </p>
      <h1>{t("roster.admin.title")}</h1>
      <p className="muted">{t("roster.admin.intro")}</p>
      <p>
        {t("roster.admin.stats", {
          units: stats.units,
          claimed: stats.claimedUnits,
          unsold: stats.unsoldUnits,
          owners: stats.owners,
        })}
      </p>
      <nav className="tiles" aria-label={t("roster.admin.title")}>
        {isAdmin ? <Link to={`${base}/import`}>{t("roster.admin.import")}</Link> : null}
        <Link to={`${base}/units`}>{t("roster.admin.units")}</Link>
        {isAdmin ? <Link to={`${base}/letters`}>{t("roster.admin.letters")}</Link> : null}
        <Link to={`/e/${estate.slug}/claims`}>
          {t("roster.admin.claims")}
          {stats.pendingClaims > 0 ? (
            <>
              {" "}
              <span className="badge">{t("roster.admin.pendingClaims", { count: stats.pendingClaims })}</span>
            </>
          ) : null}
        </Link>
      </nav>
      {isAdmin ? (
        <>
          <h2>{t("roster.admin.recentImports")}</h2>
          {imports.length === 0 ? <p className="muted">{t("roster.admin.noImports")}</p> : null}
          <ul className="list-plain">
            {imports.map((i) => (
              <li key={i.id}>
                <Link to={`${base}/import/${i.id}`}>{i.fileName}</Link>{" "}
                <span className="badge">{t(`roster.admin.status.${i.status as "preview"}`)}</span>
                <div className="muted">
                  {date.format(new Date(i.createdAt))} ·{" "}
                  {t("roster.admin.rowsCount", { rows: i.rows, unitsNew: i.unitsNew, unitsUpdated: i.unitsUpdated })}
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
