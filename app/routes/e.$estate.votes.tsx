import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { useDateTimeFormat } from "~/lib/time";
import { voteArchive, type Shares } from "~/committee/archive.server";
import { resultPhase } from "~/voting/results";

/** The owners' archive of closed votes and elections, with their results as bars (no chart library). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const t = await getT(await getLocale(request));
  return {
    title: `${t("results.archive.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    items: await voteArchive(estate.id),
    now: new Date().toISOString(),
  };
}

const pct = (hundredths: number) => `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}`;

/** One stacked bar: agree, oppose, abstain and did-not-vote as shares of the whole, with its words for screen readers. */
function Bar({ label, shares }: { label: string; shares: Shares }) {
  const { t } = useTranslation();
  const parts = [
    ["agree", shares.agree],
    ["oppose", shares.oppose],
    ["abstain", shares.abstain],
    ["none", shares.none],
  ] as const;
  const words = t("results.archive.chartLabel", {
    label,
    agree: pct(shares.agree),
    oppose: pct(shares.oppose),
    abstain: pct(shares.abstain),
    none: pct(shares.none),
  });
  return (
    <div className="archive-chart">
      <p className="hint" style={{ margin: 0 }}>
        {label}
      </p>
      <svg
        viewBox="0 0 10000 40"
        preserveAspectRatio="none"
        role="img"
        aria-label={words}
        width="100%"
        height="24"
        style={{ display: "block", borderRadius: 4, overflow: "hidden" }}
      >
        {
          parts.reduce<{ x: number; rects: JSX.Element[] }>(
            (acc, [key, w]) => ({
              x: acc.x + w,
              rects: [
                ...acc.rects,
                <rect key={key} x={acc.x} y={0} width={w} height={40} className={`bar-${key}`} fill={fills[key]} />,
              ],
            }),
            { x: 0, rects: [] },
          ).rects
        }
      </svg>
      <p className="hint" style={{ margin: 0 }}>
        {t("results.archive.agree")} {pct(shares.agree)}% · {t("results.archive.oppose")} {pct(shares.oppose)}% ·{" "}
        {t("results.archive.abstain")} {pct(shares.abstain)}% · {t("results.archive.notVoted")} {pct(shares.none)}%
      </p>
    </div>
  );
}

const fills = { agree: "#2e7d32", oppose: "#c62828", abstain: "#9e9e9e", none: "#e0e0e0" } as const;

export default function VoteArchive() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium" });
  const now = new Date(d.now);
  return (
    <div>
      <h1>{t("results.archive.title")}</h1>
      <p className="hint">{t("results.archive.intro")}</p>
      {d.items.length === 0 ? <p className="muted">{t("results.archive.none")}</p> : null}
      <ul className="list-plain stack">
        {d.items.map((item) => {
          const phase = resultPhase(
            { status: item.status, queryEndsAt: item.queryEndsAt ? new Date(item.queryEndsAt) : null },
            now,
          );
          const href =
            item.kind === "proposal"
              ? `/e/${d.estate.slug}/proposals/${item.id}/result`
              : `/e/${d.estate.slug}/committee/elections/${item.id}`;
          return (
            <li key={`${item.kind}-${item.id}`} className="card stack" data-testid="archive-item">
              <p className="hint" style={{ margin: 0 }}>
                {t(item.kind === "proposal" ? "results.archive.proposal" : "results.archive.election")} ·{" "}
                {t("results.archive.closedAt", { date: date.format(new Date(item.closedAt)) })} ·{" "}
                {t(phase === "final" ? "results.page.final" : "results.page.preliminary")}
              </p>
              <h2 style={{ margin: 0 }}>{item.title}</h2>
              {item.kind === "proposal" ? (
                <>
                  <p className={item.passed ? "notice-ok" : "alert"} style={{ margin: 0 }}>
                    <strong>{t(item.passed ? "results.archive.passed" : "results.archive.failed")}</strong>
                  </p>
                  <Bar label={t("results.archive.byArea")} shares={item.byArea} />
                  <Bar label={t("results.archive.byHead")} shares={item.byHead} />
                </>
              ) : (
                <p style={{ margin: 0 }}>{t("results.archive.elected", { count: item.elected })}</p>
              )}
              <p style={{ margin: 0 }}>
                <Link className="button secondary" to={href}>
                  {t(item.kind === "proposal" ? "results.archive.view" : "results.archive.viewElection")}
                </Link>
              </p>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
