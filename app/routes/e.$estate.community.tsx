import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { useDateTimeFormat } from "~/lib/time";
import { navLinks } from "~/tickets/access";
import { CompareBars } from "~/tickets/charts";
import { communityOverview, type EstateRow } from "~/community/overview.server";
import { formatHours, formatPermille, formatTenths } from "~/tickets/scorecard";
import { TicketNav } from "~/tickets/ui";
import { TableWrap } from "~/ui/table-wrap";

const sortKeys = ["name", "collection", "open", "overdue", "response", "satisfaction", "drifting"] as const;
type SortKey = (typeof sortKeys)[number];

const sortValue: Record<SortKey, (r: EstateRow) => number | string | null> = {
  name: (r) => r.name,
  collection: (r) => r.collectionRate,
  open: (r) => r.openTickets,
  overdue: (r) => r.overdueTickets,
  response: (r) => r.medianResponseMin,
  satisfaction: (r) => r.satisfaction,
  drifting: (r) => (r.drifting ? 1 : 0),
};

/**
 * The community's view ("one core, many parties"): every estate of this estate's community side
 * by side, for the community's admins (and platform admins).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "estate:community");
  const url = new URL(request.url);
  const sort = (sortKeys as readonly string[]).includes(url.searchParams.get("sort") ?? "")
    ? (url.searchParams.get("sort") as SortKey)
    : "drifting";
  const dir = url.searchParams.get("dir") === "asc" ? "asc" : "desc";
  const overview = await communityOverview(estate.communityId);
  const rows = [...overview.estates].sort((a, b) => {
    const x = sortValue[sort](a);
    const y = sortValue[sort](b);
    // Estates without data go last whichever way the column is sorted.
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    const c = typeof x === "string" ? x.localeCompare(String(y), "zh-CN", { numeric: true }) : x - (y as number);
    return dir === "asc" ? c : -c;
  });
  const t = await getT(await getLocale(request));
  return {
    title: `${t("tickets.community.title")} · ${overview.community?.name ?? ""}`,
    estate: { slug: estate.slug },
    nav: navLinks(roles),
    community: overview.community?.name ?? "",
    rows,
    sort,
    dir,
  };
}

export default function Community() {
  const { estate, nav, community, rows, sort, dir } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium" });
  const arrow = (d: EstateRow["collectionDirection"]) =>
    d === "up" ? "↑" : d === "down" ? "↓" : d === "flat" ? "→" : "";
  const head = (key: SortKey, label: string) => (
    <th aria-sort={sort === key ? (dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link to={`?sort=${key}&dir=${sort === key && dir === "desc" ? "asc" : "desc"}`}>
        {label}
        {sort === key ? (dir === "asc" ? " ▲" : " ▼") : ""}
      </Link>
    </th>
  );
  return (
    <div>
      <TicketNav slug={estate.slug} links={nav} />
      <h1>{t("tickets.community.title")}</h1>
      <p className="muted">{t("tickets.community.intro", { community })}</p>
      <section className="card">
        <TableWrap label={t("tickets.community.title")}>
          <table className="community-table">
            <thead>
              <tr>
                {head("name", t("tickets.community.estate"))}
                {head("collection", t("tickets.community.collection"))}
                {head("open", t("tickets.community.openTickets"))}
                {head("overdue", t("tickets.community.overdueTickets"))}
                {head("response", t("tickets.community.medianResponse"))}
                {head("satisfaction", t("tickets.community.satisfaction"))}
                <th>{t("tickets.community.committee")}</th>
                <th>{t("tickets.community.votes")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.slug} className={r.drifting ? "drifting" : undefined}>
                  <th scope="row">
                    <Link to={`/e/${r.slug}`}>{r.name}</Link>
                    {r.drifting ? <div className="badge ticket-overdue">{t("tickets.community.drifting")}</div> : null}
                  </th>
                  <td>
                    {formatPermille(r.collectionRate)} {arrow(r.collectionDirection)}
                    {r.collectionPeriod ? <div className="hint">{r.collectionPeriod}</div> : null}
                  </td>
                  <td>{r.openTickets}</td>
                  <td>{r.overdueTickets}</td>
                  <td>
                    {r.medianResponseMin === null
                      ? "—"
                      : t("tickets.scorecard.hours", { value: formatHours(r.medianResponseMin) })}
                  </td>
                  <td>
                    {formatTenths(r.satisfaction)} {arrow(r.satisfactionDirection)}
                    {r.satisfactionBefore !== null ? (
                      <div className="hint">{`${t("tickets.community.satisfactionTrend")} ${formatTenths(r.satisfactionBefore)}`}</div>
                    ) : null}
                  </td>
                  <td>
                    {r.committee ? (
                      <>
                        {r.committee.termEndsAt
                          ? t("tickets.community.termEnds", { date: date.format(new Date(r.committee.termEndsAt)) })
                          : ""}
                        {r.committee.termState ? (
                          <div className="ticket-late" data-testid="term-flag">
                            {t(
                              r.committee.termState === "ended"
                                ? "tickets.community.termEnded"
                                : "tickets.community.termEnding",
                            )}
                          </div>
                        ) : null}
                        {r.committee.firstMeetingLate ? (
                          <div className="ticket-late">{t("tickets.community.firstMeetingLate")}</div>
                        ) : null}
                        {r.committee.overdueRequisitions ? (
                          <div className="ticket-late">
                            {t("tickets.community.requisitionsOverdue", { count: r.committee.overdueRequisitions })}
                          </div>
                        ) : null}
                        {r.committee.vacancies ? (
                          <div>{t("tickets.community.vacancies", { count: r.committee.vacancies })}</div>
                        ) : null}
                        {r.committee.lateDecisions ? (
                          <div className="ticket-late">
                            {t("tickets.community.lateMinutes", { count: r.committee.lateDecisions })}
                          </div>
                        ) : null}
                      </>
                    ) : (
                      t("tickets.community.noCommittee")
                    )}
                  </td>
                  <td>
                    {r.votes.length === 0
                      ? t("tickets.community.noVotes")
                      : r.votes.map((v) => (
                          <div key={v.id}>
                            {t("tickets.community.turnout", {
                              title: v.title,
                              turnout: `${formatPermille(v.turnoutArea)} / ${formatPermille(v.turnoutHeadcount)}`,
                            })}
                          </div>
                        ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
      <section className="card">
        <h2>{t("tickets.community.chart")}</h2>
        <div className="chart-grid">
          <CompareBars
            title={t("tickets.community.collection")}
            items={rows.map((r) => ({
              label: r.name,
              value: r.collectionRate,
              warn: r.collectionDirection === "down",
            }))}
            format={formatPermille}
            max={1000}
          />
          <CompareBars
            title={t("tickets.community.satisfaction")}
            items={rows.map((r) => ({
              label: r.name,
              value: r.satisfaction,
              warn: r.satisfactionDirection === "down",
            }))}
            format={formatTenths}
            max={50}
          />
          <CompareBars
            title={t("tickets.community.openTickets")}
            items={rows.map((r) => ({ label: r.name, value: r.openTickets }))}
            format={String}
          />
          <CompareBars
            title={t("tickets.community.overdueTickets")}
            items={rows.map((r) => ({ label: r.name, value: r.overdueTickets, warn: r.overdueTickets > 0 }))}
            format={String}
          />
          <CompareBars
            title={t("tickets.community.medianResponse")}
            items={rows.map((r) => ({ label: r.name, value: r.medianResponseMin }))}
            format={(v) => t("tickets.scorecard.hours", { value: formatHours(v) })}
          />
        </div>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
