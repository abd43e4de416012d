import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { beijingMonth } from "~/lib/time";
import { navLinks } from "~/tickets/access";
import { BarChart, TrendChart } from "~/tickets/charts";
import { servingCompany } from "~/tickets/company.server";
import {
  formatHours,
  formatPermille,
  formatTenths,
  isMonth,
  proposalIntents,
  type MonthFigures,
} from "~/tickets/scorecard";
import {
  companiesOfEstate,
  proposeFromScorecard,
  scorecard,
  scorecardProposalsOf,
  type Scorecard,
} from "~/tickets/scorecard.server";
import { TicketNav } from "~/tickets/ui";
import { redirectWithToast } from "~/ui/toast.server";
import { StatusBadge } from "~/voting/ui";
import { TableWrap } from "~/ui/table-wrap";
import { can } from "~/lib/permissions";
import { FormError } from "~/lib/forms/form-error";
import { parseForm, refuse } from "~/lib/forms/action.server";

/** The scorecard asked for: ?month=2026-11 (default: this month, Beijing time) and ?company= (default: the company serving now). */
async function resolveCard(request: Request, estateId: string, form?: FormData) {
  const url = new URL(request.url);
  const month = String(form?.get("month") ?? url.searchParams.get("month") ?? beijingMonth(new Date()));
  if (!isMonth(month)) notFound();
  const companies = await companiesOfEstate(estateId);
  const asked = form?.get("company") ?? url.searchParams.get("company");
  const serving = await servingCompany(getDb(), estateId);
  const companyId = asked ? String(asked) : (serving?.id ?? companies[0]?.id ?? null);
  if (companyId !== null && !companies.some((c) => c.id === companyId)) notFound();
  return { card: await scorecard({ estateId, companyId, month }), companies };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const t = await getT(await getLocale(request));
  const { card, companies } = await resolveCard(request, estate.id);
  return {
    title: `${t("tickets.scorecard.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    nav: navLinks(roles),
    card,
    companies: companies.map((c) => ({ id: c.id, name: c.name })),
    canPropose: can(roles, "voting:manage"),
    // Drafts are seen by those who oversee votes only, as on the proposals pages.
    proposals: (await scorecardProposalsOf(estate.id))
      .filter((p) => p.status !== "draft" || can(roles, "voting:oversee"))
      .map((p) => ({ ...p, createdAt: p.createdAt.toISOString() })),
  };
}

/** The scorecard as a Markdown table, in the proposer's language: what the owners read with the proposal. */
function scorecardMarkdown(card: Scorecard, t: TFunction) {
  const s = (k: string) => t(`tickets.scorecard.${k}` as "tickets.scorecard.opened");
  const head = [
    s("month"),
    s("opened"),
    s("medianResponse"),
    s("p90Response"),
    s("medianResolution"),
    s("p90Resolution"),
    s("withinTarget"),
    s("reopenRate"),
    s("avgRating"),
    s("collectionRate"),
  ];
  const row = (m: MonthFigures) => [
    m.month,
    String(m.opened),
    formatHours(m.medianResponseMin),
    formatHours(m.p90ResponseMin),
    formatHours(m.medianResolutionMin),
    formatHours(m.p90ResolutionMin),
    formatPermille(m.withinTarget),
    formatPermille(m.reopenRate),
    formatTenths(m.avgRating),
    formatPermille(m.collectionRate),
  ];
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...card.months.map((m) => line(row(m)))].join("\n");
}

const ProposeSchema = z.object({
  intent: z.literal("propose"),
  proposal: z.enum(proposalIntents),
  month: z.string(),
  company: z.string().optional(),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "voting:manage");
  const read = await parseForm(request, ProposeSchema, { form: "propose" });
  if (!read.ok) return read.response;
  const { card } = await resolveCard(request, estate.id, read.formData);
  const t = await getT(await getLocale(request));
  const company = card.company?.name ?? t("tickets.scorecard.propose.thisCompany");
  const path = `/e/${estate.slug}/scorecard?month=${card.month}${card.company ? `&company=${card.company.id}` : ""}`;
  const title = t("tickets.scorecard.propose.proposalTitle", {
    intent: t(`tickets.scorecard.propose.${read.value.proposal}`),
    company,
  });
  const body = [
    t("tickets.scorecard.propose.bodyIntro", { month: card.month }),
    "",
    `**${t("tickets.scorecard.title")}** · ${t("tickets.scorecard.company", { name: company })}`,
    "",
    scorecardMarkdown(card, t),
    "",
    t("tickets.scorecard.propose.bodyLink", { path }),
  ].join("\n");
  const result = await proposeFromScorecard({
    estateId: estate.id,
    userId: user.id,
    card,
    intent: read.value.proposal,
    title,
    body,
  });
  if (!result.ok) return refuse("propose", result, { submission: read.submission });
  return redirectWithToast(`/e/${estate.slug}/proposals/${result.id}`, { key: "tickets.scorecard.propose.created" });
}

export default function ScorecardPage() {
  const { estate, nav, card, companies, canPropose, proposals } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const current = card.months.at(-1)!;
  const points = (pick: (m: MonthFigures) => number | null) =>
    card.months.map((m) => ({ label: m.month, value: pick(m) }));
  const hours = (v: number | null) =>
    v === null ? t("tickets.scorecard.noData") : t("tickets.scorecard.hours", { value: formatHours(v) });
  const tiles: { key: string; label: string; value: string; note?: string }[] = [
    { key: "opened", label: t("tickets.scorecard.opened"), value: String(current.opened) },
    { key: "medianResponse", label: t("tickets.scorecard.medianResponse"), value: hours(current.medianResponseMin) },
    { key: "p90Response", label: t("tickets.scorecard.p90Response"), value: hours(current.p90ResponseMin) },
    {
      key: "medianResolution",
      label: t("tickets.scorecard.medianResolution"),
      value: hours(current.medianResolutionMin),
    },
    { key: "p90Resolution", label: t("tickets.scorecard.p90Resolution"), value: hours(current.p90ResolutionMin) },
    { key: "withinTarget", label: t("tickets.scorecard.withinTarget"), value: formatPermille(current.withinTarget) },
    { key: "reopenRate", label: t("tickets.scorecard.reopenRate"), value: formatPermille(current.reopenRate) },
    {
      key: "avgRating",
      label: t("tickets.scorecard.avgRating"),
      value: formatTenths(current.avgRating),
      note: t("tickets.scorecard.ratings", { count: current.ratings }),
    },
    {
      key: "collectionRate",
      label: t("tickets.scorecard.collectionRate"),
      value: formatPermille(current.collectionRate),
    },
  ];
  return (
    <div>
      <TicketNav slug={estate.slug} links={nav} />
      <h1>{t("tickets.scorecard.title")}</h1>
      <p className="muted">
        {card.company ? t("tickets.scorecard.company", { name: card.company.name }) : t("tickets.scorecard.noCompany")}
      </p>
      <p className="hint">{t("tickets.scorecard.intro")}</p>
      <Form method="get" className="actions">
        <label htmlFor="month">{t("tickets.scorecard.month")}</label>
        <input id="month" name="month" type="month" defaultValue={card.month} required />
        {companies.length > 1 ? (
          <select name="company" defaultValue={card.company?.id ?? ""} aria-label={t("tickets.settings.companyName")}>
            {companies.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        ) : null}
        <button type="submit" className="secondary">
          {t("tickets.scorecard.show")}
        </button>
      </Form>

      <section className="card" aria-labelledby="month-figures">
        <h2 id="month-figures">{card.month}</h2>
        <dl className="score-tiles">
          {tiles.map((tile) => (
            <div key={tile.key} data-figure={tile.key}>
              <dt>{tile.label}</dt>
              <dd>
                {tile.value}
                {tile.note ? <span className="hint"> {tile.note}</span> : null}
              </dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="card">
        <h2>{t("tickets.scorecard.trend")}</h2>
        <div className="chart-grid">
          <BarChart title={t("tickets.scorecard.opened")} points={points((m) => m.opened)} />
          <TrendChart
            title={t("tickets.scorecard.medianResponse")}
            points={points((m) => m.medianResponseMin)}
            format={(v) => hours(v)}
          />
          <TrendChart
            title={t("tickets.scorecard.medianResolution")}
            points={points((m) => m.medianResolutionMin)}
            format={(v) => hours(v)}
          />
          <TrendChart
            title={t("tickets.scorecard.withinTarget")}
            points={points((m) => m.withinTarget)}
            format={formatPermille}
            max={1000}
          />
          <TrendChart
            title={t("tickets.scorecard.reopenRate")}
            points={points((m) => m.reopenRate)}
            format={formatPermille}
          />
          <TrendChart
            title={t("tickets.scorecard.avgRating")}
            points={points((m) => m.avgRating)}
            format={formatTenths}
            max={50}
          />
          <TrendChart
            title={t("tickets.scorecard.collectionRate")}
            points={points((m) => m.collectionRate)}
            format={formatPermille}
            max={1000}
          />
        </div>
      </section>

      <section className="card">
        <h2>{t("tickets.scorecard.table")}</h2>
        <TableWrap label={t("tickets.scorecard.table")}>
          <table className="score-table">
            <thead>
              <tr>
                <th>{t("tickets.scorecard.month")}</th>
                <th>{t("tickets.scorecard.opened")}</th>
                <th>{t("tickets.scorecard.medianResponse")}</th>
                <th>{t("tickets.scorecard.p90Response")}</th>
                <th>{t("tickets.scorecard.medianResolution")}</th>
                <th>{t("tickets.scorecard.p90Resolution")}</th>
                <th>{t("tickets.scorecard.withinTarget")}</th>
                <th>{t("tickets.scorecard.reopenRate")}</th>
                <th>{t("tickets.scorecard.avgRating")}</th>
                <th>{t("tickets.scorecard.collectionRate")}</th>
              </tr>
            </thead>
            <tbody>
              {[...card.months].reverse().map((m) => (
                <tr key={m.month}>
                  <th scope="row">{m.month}</th>
                  <td>{m.opened}</td>
                  <td>{hours(m.medianResponseMin)}</td>
                  <td>{hours(m.p90ResponseMin)}</td>
                  <td>{hours(m.medianResolutionMin)}</td>
                  <td>{hours(m.p90ResolutionMin)}</td>
                  <td>{formatPermille(m.withinTarget)}</td>
                  <td>{formatPermille(m.reopenRate)}</td>
                  <td>{formatTenths(m.avgRating)}</td>
                  <td>{formatPermille(m.collectionRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      {canPropose ? (
        <section className="card">
          <h2>{t("tickets.scorecard.propose.title")}</h2>
          <p className="muted">{t("tickets.scorecard.propose.intro")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="propose" />
            <input type="hidden" name="month" value={card.month} />
            {card.company ? <input type="hidden" name="company" value={card.company.id} /> : null}
            <FormError result={failure} form="propose" />
            <fieldset className="choices">
              <legend>{t("tickets.scorecard.propose.intent")}</legend>
              {proposalIntents.map((p) => (
                <label key={p} className="choice">
                  <input type="radio" name="proposal" value={p} required defaultChecked={p === "renegotiate"} />
                  {t(`tickets.scorecard.propose.${p}`)}
                </label>
              ))}
            </fieldset>
            <button type="submit" className="primary">
              {t("tickets.scorecard.propose.submit")}
            </button>
          </Form>
        </section>
      ) : null}
      {proposals.length ? (
        <section className="card">
          <h2>{t("tickets.scorecard.propose.earlier")}</h2>
          <ul className="list-plain">
            {proposals.map((p) => (
              <li key={p.id}>
                <Link to={`/e/${estate.slug}/proposals/${p.id}`}>{p.title}</Link> <StatusBadge status={p.status} />{" "}
                <span className="muted">{p.month}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
