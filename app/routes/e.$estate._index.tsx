import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireEstatePermission } from "~/auth/guards.server";
import { listNotices } from "~/board/board.server";
import { estateSize } from "~/roster/roster.server";
import { useEstate, useEstateNav } from "~/estates/use-estate";
import { useDateTimeFormat } from "~/lib/time";
import type { loader as layoutLoader } from "./e.$estate";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // The layout (e.$estate.tsx) holds the estate, roles and navigation; this page only checks access.
  const { estate } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const [latest, size] = await Promise.all([listNotices(estate.id, { pageSize: 5 }), estateSize(estate.id)]);
  const notices = latest.notices.map((n) => ({
    id: n.id,
    kind: n.kind,
    title: n.title,
    author: n.author,
    postedAt: n.postedAt.toISOString(),
  }));
  return { notices, total: latest.total, ...size };
}

export default function EstateHome() {
  const { notices, total, buildingCount, unitCount } = useLoaderData<typeof loader>();
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
      <h2>{t("board.latest")}</h2>
      {notices.length === 0 ? <p className="muted">{t("board.empty")}</p> : null}
      <ul className="list-plain board-list">
        {notices.map((n) => (
          <li key={n.id} data-testid="home-notice">
            <Link to={`/e/${estate.slug}/board/${n.id}`} className="board-item">
              <strong>{n.title}</strong>
            </Link>
            <div className="muted">
              {t(`board.kinds.${n.kind}`)} · {t(`board.authors.${n.author}`)} ·{" "}
              {dateFormat.format(new Date(n.postedAt))}
            </div>
          </li>
        ))}
      </ul>
      {total > notices.length ? (
        <p>
          <Link to={`/e/${estate.slug}/board`}>{t("board.all")}</Link>
        </p>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader, { "routes/e.$estate": typeof layoutLoader }> = ({ matches }) => {
  const estate = matches.find((m) => m.id === "routes/e.$estate")?.data?.estate;
  return [{ title: estate ? `${estate.name} · 议事堂` : "议事堂" }];
};
