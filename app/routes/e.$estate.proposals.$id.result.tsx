import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { useDateTimeFormat } from "~/lib/time";
import { formatArea } from "~/ui/mask";
import { findProposal } from "~/voting/access.server";
import { shareText } from "~/lib/law-text";
import { storedTally } from "~/voting/tally";
import { ShareBar, StatusBadge } from "~/voting/ui";
import { TableWrap } from "~/ui/table-wrap";
import { percent } from "~/voting/percent";
import { shownDeadline } from "~/lib/calendar";
import { asc, eq } from "drizzle-orm";
import { schema } from "#db/client";
import { inquiryViewer, listInquiries } from "~/committee/inquiries.server";
import { InquiryThreads } from "~/committee/inquiries-ui";
import { listCorrections } from "~/committee/corrections.server";
import { lastDayOf } from "~/voting/result-notices.server";
import { mayQuery, resultPhase } from "~/voting/results";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user, roles } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const p = await findProposal(getDb(), estate.id, params.id ?? "");
  if (!p || !p.result || !p.finalHash) notFound();
  const subject = { kind: "vote" as const, id: p.id };
  const [viewer, corrections, units] = await Promise.all([
    inquiryViewer(estate.id, user.id, roles),
    listCorrections(estate.id, { kind: "proposal", id: p.id }, user.id),
    getDb()
      .select({ id: schema.voteUnits.unitId, b: schema.voteUnits.buildingName, n: schema.voteUnits.unitNumber })
      .from(schema.voteUnits)
      .where(eq(schema.voteUnits.proposalId, p.id))
      .orderBy(asc(schema.voteUnits.buildingName), asc(schema.voteUnits.unitNumber)),
  ]);
  const now = new Date();
  const threads = await listInquiries(estate.id, subject, viewer);
  return {
    phase: resultPhase(p, now),
    queryLastDay: p.queryEndsAt ? lastDayOf(p.queryEndsAt) : null,
    effectiveAt: p.effectiveAt?.toISOString() ?? null,
    inquiries: {
      subject,
      threads,
      canAsk: viewer.canAsk && mayQuery(p, now),
      canAnswer: viewer.canAnswer,
      queryClosed: !mayQuery(p, now),
      units: units.map((u) => ({ id: u.id, label: `${u.b} ${u.n}` })),
    },
    corrections: corrections.map((c) => ({
      id: c.id,
      reason: c.reason,
      requestedAt: c.requestedAt,
      confirmedAt: c.confirmedAt,
    })),
    estate: { slug: estate.slug, name: estate.name },
    proposal: {
      id: p.id,
      title: p.title,
      type: p.type,
      matter: p.matter,
      status: p.status,
      closedAt: p.closedAt!.toISOString(),
      publicityEndsAt: p.publicityEndsAt?.toISOString() ?? null,
      carriedOutRecord: p.carriedOutRecord,
      finalHash: p.finalHash,
      ballots: p.chainSeq,
    },
    tally: storedTally(p.matter, p.result),
    spoiledTakesPart: p.rules?.spoiledTakesPart ?? true,
  };
}

export default function Result() {
  const {
    estate,
    proposal: p,
    tally: r,
    spoiledTakesPart,
    phase,
    queryLastDay,
    effectiveAt,
    inquiries,
    corrections,
  } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useDateTimeFormat();
  const c = r.criteria;
  const base = `/e/${estate.slug}/proposals/${p.id}`;
  const rows = [
    ["agree", r.agreeArea, r.agreeHeadcount],
    ["oppose", r.opposeArea, r.opposeHeadcount],
    ["abstain", r.abstainArea, r.abstainHeadcount],
    ["spoiled", r.spoiledArea, r.spoiledHeadcount],
  ] as const;
  return (
    <div>
      <p className="no-print">
        <Link to={base}>← {p.title}</Link>
      </p>
      <h1>
        {t("voting.result.title")}：{p.title}
      </h1>
      <div className="actions">
        <StatusBadge status={p.status} />
        <span className={`badge matter-${p.matter}`}>{t(`voting.matter.${p.matter}`)}</span>
        {p.publicityEndsAt ? (
          <span className="muted">
            {t("voting.result.publicity", { date: date.format(shownDeadline(p.publicityEndsAt)) })}
          </span>
        ) : null}
      </div>
      <p className={r.passed ? "notice-ok result-verdict" : "alert result-verdict"}>
        <strong>{t(r.passed ? "voting.result.passed" : "voting.result.failed")}</strong>
        {r.quorumMet ? null : <> — {t("voting.result.noQuorum", { share: shareText(t, c.quorumArea.threshold) })}</>}
      </p>
      <p className="card" data-testid="result-phase">
        <strong>{t(phase === "final" ? "results.page.final" : "results.page.preliminary")}</strong>{" "}
        {phase === "query" && queryLastDay
          ? t("results.page.queryOpen", { date: queryLastDay })
          : phase === "due" && queryLastDay
            ? t("results.page.queryOver", { date: queryLastDay })
            : effectiveAt
              ? t("results.page.effective", { date: date.format(new Date(effectiveAt)) })
              : null}
      </p>
      {p.carriedOutRecord ? (
        <p className="notice-ok">{t("voting.page.carriedOutRecord", { record: p.carriedOutRecord })}</p>
      ) : null}

      <section className="card stack">
        <h2>{t("voting.result.participation")}</h2>
        <p>
          {t("voting.result.summaryArea", {
            part: formatArea(r.participatingArea),
            total: formatArea(r.totalArea),
            pct: percent(r.participatingArea, r.totalArea),
            share: shareText(t, c.quorumArea.threshold),
            needed: formatArea(c.quorumArea.needed),
          })}
        </p>
        <p>
          {t("voting.result.summaryHead", {
            part: r.participatingHeadcount,
            total: r.totalHeadcount,
            pct: percent(r.participatingHeadcount, r.totalHeadcount),
            share: shareText(t, c.quorumHeadcount.threshold),
            needed: c.quorumHeadcount.needed,
          })}
        </p>
        <ShareBar label={t("voting.result.byArea")} criterion={c.quorumArea} />
        <ShareBar label={t("voting.result.byHead")} criterion={c.quorumHeadcount} />
      </section>

      <section className="card stack">
        <h2>{t("voting.result.approval")}</h2>
        <p>
          {t("voting.result.agreeArea", {
            part: formatArea(r.agreeArea),
            pct: percent(r.agreeArea, r.participatingArea),
            share: shareText(t, c.approvalArea.threshold),
            needed: formatArea(c.approvalArea.needed),
          })}
        </p>
        <p>
          {t("voting.result.agreeHead", {
            part: r.agreeHeadcount,
            pct: percent(r.agreeHeadcount, r.participatingHeadcount),
            share: shareText(t, c.approvalHeadcount.threshold),
            needed: c.approvalHeadcount.needed,
          })}
        </p>
        <ShareBar label={t("voting.result.byArea")} criterion={c.approvalArea} />
        <ShareBar label={t("voting.result.byHead")} criterion={c.approvalHeadcount} />
      </section>

      <section className="card">
        <h2>{t("voting.result.figures")}</h2>
        <TableWrap label={t("voting.result.figures")}>
          <table>
            <thead>
              <tr>
                <th />
                <th className="num">{t("voting.ledger.columns.area")}</th>
                <th className="num">{t("voting.ledger.columns.headcount")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([choice, area, head]) => (
                <tr key={choice}>
                  <th scope="row">{t(`voting.choices.${choice}`)}</th>
                  <td className="num">{formatArea(area)}</td>
                  <td className="num">{head}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t("voting.result.participating")}</th>
                <td className="num">{formatArea(r.participatingArea)}</td>
                <td className="num">{r.participatingHeadcount}</td>
              </tr>
              <tr>
                <th scope="row">{t("voting.result.total")}</th>
                <td className="num">{formatArea(r.totalArea)}</td>
                <td className="num">{r.totalHeadcount}</td>
              </tr>
            </tbody>
          </table>
        </TableWrap>
        {r.spoiledHeadcount > 0 ? (
          <p className="hint" data-testid="spoiled-note">
            {t(spoiledTakesPart ? "voting.result.spoiledTakesPart" : "voting.result.spoiledApart", {
              head: r.spoiledHeadcount,
              area: formatArea(r.spoiledArea),
            })}
          </p>
        ) : null}
      </section>

      <section className="card stack">
        <h2>{t("results.correction.title")}</h2>
        <p className="hint">{t("results.correction.intro")}</p>
        {corrections.length === 0 ? <p className="muted">{t("results.correction.none")}</p> : null}
        <ul className="list-plain">
          {corrections.map((c) => (
            <li key={c.id}>
              {c.confirmedAt
                ? t("results.correction.item", { date: date.format(new Date(c.confirmedAt)), reason: c.reason })
                : t("results.correction.pending", { reason: c.reason })}
            </li>
          ))}
        </ul>
      </section>

      <InquiryThreads
        slug={estate.slug}
        subject={inquiries.subject}
        threads={inquiries.threads}
        canAsk={inquiries.canAsk}
        canAnswer={inquiries.canAnswer}
        queryUnits={inquiries.units}
        queryClosed={inquiries.queryClosed}
      />

      <section className="card">
        <h2>{t("voting.result.finalHash")}</h2>
        <p>
          <code className="hash" data-testid="final-hash">
            {p.finalHash}
          </code>
        </p>
        <p className="hint">{t("voting.result.finalHashHint")}</p>
        <p>
          <Link to={`${base}/ledger`}>{t("voting.result.ledgerLink")}</Link>
        </p>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.proposal.title} · ${data.estate.name}` : "议事堂" },
];
