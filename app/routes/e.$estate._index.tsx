import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireEstatePermission } from "~/auth/guards.server";
import { estateOverview } from "~/estates/estates.server";
import { estateSize } from "~/roster/roster.server";
import { useEstate, useEstateNav } from "~/estates/use-estate";
import { useDateTimeFormat } from "~/lib/time";
import type { loader as layoutLoader } from "./e.$estate";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // The layout (e.$estate.tsx) holds the estate, roles and navigation; this page only checks access.
  const { estate } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const [overview, size] = await Promise.all([estateOverview(estate.id), estateSize(estate.id)]);
  return { ...overview, ...size };
}

export default function EstateHome() {
  const { notices, buildingCount, unitCount } = useLoaderData<typeof loader>();
  const { estate } = useEstate();
  const nav = useEstateNav();
  const { t } = useTranslation();
  const dateFormat = useDateTimeFormat({ dateStyle: "medium" });
  return (
    <div>
      <h1>{estate.name}</h1>
      <p className="muted">{t("estate.estateHome.stats", { buildings: buildingCount, units: unitCount })}</p>
      <h2>{t("estate.estateHome.links")}</h2>
      <nav className="tiles" aria-label={t("estate.estateHome.links")}>
        {nav.map((item) => (
          <Link key={item.to} to={item.to}>
            {item.label}
          </Link>
        ))}
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

export const meta: MetaFunction<typeof loader, { "routes/e.$estate": typeof layoutLoader }> = ({ matches }) => {
  const estate = matches.find((m) => m.id === "routes/e.$estate")?.data?.estate;
  return [{ title: estate ? `${estate.name} · 议事堂` : "议事堂" }];
};
