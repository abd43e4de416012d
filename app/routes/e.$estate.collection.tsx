import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireEstatePermission } from "~/auth/guards.server";
import { formatDelta, formatPermille, type Trend } from "~/fees/collection";
import { collectionByBuilding, collectionByPeriod } from "~/fees/collection.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { formatFen } from "~/lib/money";
import { TableWrap } from "~/ui/table-wrap";
import { can } from "~/lib/permissions";

/** Public to everyone in the estate: the number that says whether the estate is in the virtuous circle. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const periods = await collectionByPeriod(estate.id, 12);
  const asked = new URL(request.url).searchParams.get("period");
  const index = periods.findIndex((p) => p.periodKey === asked);
  const selected = index >= 0 ? index : periods.length - 1;
  const buildings =
    selected >= 0
      ? await collectionByBuilding(
          estate.id,
          periods[selected].periodKey,
          selected > 0 ? periods[selected - 1].periodKey : null,
        )
      : [];
  const t = await getT(await getLocale(request));
  return {
    title: `${t("fees.collection.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    /** The bills page is for those who pay them (its guard's list): nobody else is shown a link that answers 403. */
    canPay: can(roles, "fees:pay"),
    periods,
    selected: selected >= 0 ? periods[selected].periodKey : null,
    buildings,
  };
}

function TrendCell({ trend, delta }: { trend: Trend; delta: number | null }) {
  const { t } = useTranslation();
  if (trend === null) return <span className="muted">—</span>;
  const arrow = trend === "up" ? "▲" : trend === "down" ? "▼" : "＝";
  const text =
    trend === "flat"
      ? t("fees.collection.trendFlat")
      : t(trend === "up" ? "fees.collection.trendUp" : "fees.collection.trendDown", {
          delta: formatDelta(Math.abs(delta ?? 0)).replace(/^\+/, ""),
        });
  return (
    <span className={`trend trend-${trend}`}>
      <span aria-hidden="true">{arrow}</span> {text}
    </span>
  );
}

/** Bars of the amount rate per period, drawn as inline SVG (no chart library). */
function RateChart({ periods }: { periods: ReturnType<typeof useLoaderData<typeof loader>>["periods"] }) {
  const { t } = useTranslation();
  const barWidth = 44;
  const gap = 16;
  const left = 40;
  const height = 160;
  const top = 24;
  const width = Math.max(left + periods.length * (barWidth + gap) + gap, 280);
  const y = (permille: number) => top + height - (permille * height) / 1000;
  return (
    <figure className="rate-chart">
      <svg
        viewBox={`0 0 ${width} ${top + height + 28}`}
        role="img"
        aria-labelledby="rate-chart-title"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id="rate-chart-title">{t("fees.collection.chartLabel")}</title>
        {[0, 500, 800, 1000].map((mark) => (
          <g key={mark}>
            <line
              x1={left}
              x2={width}
              y1={y(mark)}
              y2={y(mark)}
              className={mark === 800 ? "rate-chart-target" : "rate-chart-grid"}
            />
            <text x={left - 6} y={y(mark) + 4} textAnchor="end" className="rate-chart-axis">
              {mark / 10}%
            </text>
          </g>
        ))}
        {periods.map((p, i) => {
          const x = left + gap + i * (barWidth + gap);
          const value = p.amountRate ?? 0;
          return (
            <g key={p.periodKey}>
              <rect
                x={x}
                y={y(value)}
                width={barWidth}
                height={top + height - y(value)}
                rx={3}
                className={`rate-chart-bar${value >= 800 ? " rate-chart-bar-good" : ""}`}
              />
              <text x={x + barWidth / 2} y={y(value) - 4} textAnchor="middle" className="rate-chart-value">
                {formatPermille(p.amountRate)}
              </text>
              <text x={x + barWidth / 2} y={top + height + 18} textAnchor="middle" className="rate-chart-axis">
                {p.periodKey}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export default function Collection() {
  const { estate, canPay, periods, selected, buildings } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const latest = periods.at(-1);
  return (
    <div>
      <h1>{t("fees.collection.title")}</h1>
      <p className="muted">
        {estate.name}
        {canPay ? (
          <>
            {" "}
            · <Link to={`/e/${estate.slug}/bills`}>{t("fees.nav.bills")}</Link>
          </>
        ) : null}
      </p>
      <p>{t("fees.collection.intro")}</p>
      {!latest ? (
        <p className="card muted">{t("fees.collection.none")}</p>
      ) : (
        <>
          <p className="card collection-headline" data-testid="collection-headline">
            {t("fees.collection.latest", {
              period: latest.periodKey,
              rate: formatPermille(latest.amountRate),
              paid: latest.paidUnits,
              billed: latest.billedUnits,
            })}
          </p>
          <h2>{t("fees.collection.byPeriod")}</h2>
          <RateChart periods={periods} />
          <TableWrap label={t("fees.collection.byPeriod")}>
            <table className="compact-table">
              <thead>
                <tr>
                  <th scope="col">{t("fees.collection.period")}</th>
                  <th scope="col" className="num">
                    {t("fees.collection.billed")}
                  </th>
                  <th scope="col" className="num">
                    {t("fees.collection.paid")}
                  </th>
                  <th scope="col" className="num">
                    {t("fees.collection.amountRate")}
                  </th>
                  <th scope="col" className="num">
                    {t("fees.collection.units")}
                  </th>
                  <th scope="col" className="num">
                    {t("fees.collection.unitRate")}
                  </th>
                  <th scope="col">{t("fees.collection.trend")}</th>
                </tr>
              </thead>
              <tbody>
                {[...periods].reverse().map((p) => (
                  <tr key={p.periodKey} data-period={p.periodKey}>
                    <th scope="row">
                      <Link to={`?period=${p.periodKey}`}>{p.periodKey}</Link>
                    </th>
                    <td className="num">{formatFen(p.billedFen)}</td>
                    <td className="num">{formatFen(p.paidFen)}</td>
                    <td className="num">{formatPermille(p.amountRate)}</td>
                    <td className="num">
                      {p.paidUnits} / {p.billedUnits}
                    </td>
                    <td className="num">{formatPermille(p.unitRate)}</td>
                    <td>
                      <TrendCell trend={p.trend} delta={p.deltaPermille} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <h2>{t("fees.collection.byBuilding", { period: selected })}</h2>
          <Form method="get" className="actions">
            <label htmlFor="period" className="inline">
              {t("fees.collection.choosePeriod")}
            </label>
            <select id="period" name="period" defaultValue={selected ?? undefined} style={{ width: "auto" }}>
              {[...periods].reverse().map((p) => (
                <option key={p.periodKey} value={p.periodKey}>
                  {p.periodKey}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary">
              {t("fees.collection.show")}
            </button>
          </Form>
          <TableWrap label={t("fees.collection.byBuilding", { period: selected })}>
            <table className="compact-table">
              <thead>
                <tr>
                  <th scope="col">{t("fees.collection.building")}</th>
                  <th scope="col" className="num">
                    {t("fees.collection.amountRate")}
                  </th>
                  <th scope="col" className="num">
                    {t("fees.collection.units")}
                  </th>
                  <th scope="col">{t("fees.collection.trend")}</th>
                </tr>
              </thead>
              <tbody>
                {buildings.map((b) => (
                  <tr key={b.building}>
                    <th scope="row">{b.building}</th>
                    <td className="num">
                      <span className="rate-cell">
                        <span className="rate-meter" aria-hidden="true">
                          <span style={{ width: `${(b.amountRate ?? 0) / 10}%` }} />
                        </span>
                        {formatPermille(b.amountRate)}
                      </span>
                    </td>
                    <td className="num">
                      {b.paidUnits} / {b.billedUnits}
                    </td>
                    <td>
                      <TrendCell trend={b.trend} delta={b.deltaPermille} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
