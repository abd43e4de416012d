import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { shortfall } from "~/lib/law";
import { shareText } from "~/lib/law-text";
import { useDateTimeFormat } from "~/lib/time";
import { formatArea } from "~/ui/mask";
import { redirectWithToast } from "~/ui/toast.server";
import { FormError } from "~/lib/forms/form-error";
import { findProposal } from "~/voting/access.server";
import { liveTurnout, remindNonVoters, unitsNotVoted } from "~/voting/turnout.server";
import { ShareBar, StatusBadge } from "~/voting/ui";
import { TableWrap } from "~/ui/table-wrap";
import { refuse } from "~/lib/forms/action.server";
import { can } from "~/lib/permissions";
import { percent } from "~/voting/percent";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "voting:oversee");
  const p = await findProposal(getDb(), estate.id, params.id ?? "");
  if (!p || !p.openedAt) notFound();
  const building = new URL(request.url).searchParams.get("building") || undefined;
  const [turnout, notVoted] = await Promise.all([liveTurnout(p.id), unitsNotVoted(p.id, building)]);
  const o = turnout.overall;
  return {
    estate: { slug: estate.slug, name: estate.name },
    proposal: {
      id: p.id,
      title: p.title,
      status: p.status,
      lastReminderAt: p.lastReminderAt?.toISOString() ?? null,
      votingEndsAt: p.votingEndsAt.toISOString(),
    },
    canRemind: can(roles, "voting:manage") && p.status === "voting" && new Date() < p.votingEndsAt,
    overall: o,
    needArea: shortfall(o.criteria.quorumArea),
    needHead: shortfall(o.criteria.quorumHeadcount),
    byBuilding: turnout.byBuilding,
    building: building ?? "",
    notVoted,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "voting:manage");
  const r = await remindNonVoters({
    estateId: estate.id,
    estateSlug: estate.slug,
    proposalId: params.id ?? "",
    userId: user.id,
  });
  if (!r.ok) return refuse("remind", r, { reasons: { "voting.errors.notFound": "not_found" } });
  return redirectWithToast(`/e/${estate.slug}/proposals/${params.id}/turnout`, {
    key: "voting.turnout.reminded",
    params: { people: r.people },
  });
}

export default function Turnout() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const date = useDateTimeFormat();
  const o = d.overall;
  const base = `/e/${d.estate.slug}/proposals/${d.proposal.id}`;
  return (
    <div>
      <p className="no-print">
        <Link to={base}>← {d.proposal.title}</Link>
      </p>
      <h1>
        {t("voting.turnout.title")}：{d.proposal.title}
      </h1>
      <StatusBadge status={d.proposal.status} />
      <section className="card stack">
        <h2>{t("voting.turnout.overall")}</h2>
        <p className={o.quorumMet ? "notice-ok" : "alert"}>
          {t(o.quorumMet ? "voting.turnout.quorumMet" : "voting.turnout.quorumNotMet", {
            share: shareText(t, o.criteria.quorumArea.threshold),
          })}
          {o.quorumMet ? null : (
            <> — {t("voting.turnout.needMore", { area: formatArea(d.needArea), head: d.needHead })}</>
          )}
        </p>
        <ShareBar label={t("voting.turnout.area")} criterion={o.criteria.quorumArea} />
        <ShareBar label={t("voting.turnout.head")} criterion={o.criteria.quorumHeadcount} />
        <p className="muted">
          {t("voting.result.summaryArea", {
            part: formatArea(o.participatingArea),
            total: formatArea(o.totalArea),
            pct: percent(o.participatingArea, o.totalArea),
            share: shareText(t, o.criteria.quorumArea.threshold),
            needed: formatArea(o.criteria.quorumArea.needed),
          })}{" "}
          {t("voting.result.summaryHead", {
            part: o.participatingHeadcount,
            total: o.totalHeadcount,
            pct: percent(o.participatingHeadcount, o.totalHeadcount),
            share: shareText(t, o.criteria.quorumHeadcount.threshold),
            needed: o.criteria.quorumHeadcount.needed,
          })}
        </p>
        {d.canRemind ? (
          <Form method="post" className="no-print">
            <FormError result={failure} form="remind" />
            <p className="hint">{t("voting.turnout.remindHint")}</p>
            {d.proposal.lastReminderAt ? (
              <p className="hint">
                {t("voting.turnout.lastReminder", { date: date.format(new Date(d.proposal.lastReminderAt)) })}
              </p>
            ) : null}
            <button type="submit" name="intent" value="remind" className="secondary">
              {t("voting.turnout.remind")}
            </button>
          </Form>
        ) : null}
      </section>
      <section className="card">
        <h2>{t("voting.turnout.byBuilding")}</h2>
        <TableWrap label={t("voting.turnout.byBuilding")}>
          <table>
            <thead>
              <tr>
                <th>{t("voting.turnout.building")}</th>
                <th className="num">{t("voting.turnout.units")}</th>
                <th className="num">{t("voting.turnout.area")}</th>
                <th className="num">{t("voting.turnout.head")}</th>
              </tr>
            </thead>
            <tbody>
              {d.byBuilding.map((b) => {
                const areaOk = b.criteria.quorumArea.met;
                const headOk = b.criteria.quorumHeadcount.met;
                return (
                  <tr key={b.building}>
                    <th scope="row">
                      <Link to={`?building=${encodeURIComponent(b.building)}#not-voted`}>{b.building}</Link>
                    </th>
                    <td className="num">
                      {b.votedUnits}/{b.units}
                    </td>
                    <td className={`num ${areaOk ? "ok" : ""}`}>{percent(b.votedAreaCentiSqm, b.areaCentiSqm)}%</td>
                    <td className={`num ${headOk ? "ok" : ""}`}>
                      {percent(b.votedVoters, b.voters)}% ({b.votedVoters}/{b.voters})
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      </section>
      <section className="card printable" id="not-voted">
        <h2>{t("voting.turnout.notVoted")}</h2>
        <p className="hint">{t("voting.turnout.notVotedHint")}</p>
        <Form method="get" className="actions no-print">
          <label htmlFor="building" style={{ margin: 0 }}>
            {t("voting.turnout.filter")}
          </label>
          <select id="building" name="building" defaultValue={d.building} style={{ maxWidth: "12rem" }}>
            <option value="">{t("voting.turnout.all")}</option>
            {d.byBuilding.map((b) => (
              <option key={b.building} value={b.building}>
                {b.building}
              </option>
            ))}
          </select>
          <button type="submit" className="secondary">
            {t("common.actions.search")}
          </button>
          <button type="button" className="secondary" onClick={() => window.print()}>
            {t("voting.turnout.print")}
          </button>
        </Form>
        {d.notVoted.length === 0 ? <p className="muted">{t("voting.turnout.allVoted")}</p> : null}
        <TableWrap label={t("voting.turnout.notVoted")}>
          <table>
            <thead>
              <tr>
                <th>{t("voting.turnout.building")}</th>
                <th>{t("voting.paper.number")}</th>
                <th className="num">{t("voting.ledger.columns.area")}</th>
                <th>{t("common.roles.owner")}</th>
                <th className="print-only">✓</th>
              </tr>
            </thead>
            <tbody>
              {d.notVoted.map((u) => (
                <tr key={`${u.building}/${u.number}`}>
                  <td>{u.building}</td>
                  <td>{u.number}</td>
                  <td className="num">{formatArea(u.areaCentiSqm)}</td>
                  <td>{u.developer ? t("voting.turnout.developer") : u.owners.join("、")}</td>
                  <td className="print-only" />
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.proposal.title} · ${data.estate.name}` : "议事堂" },
];
