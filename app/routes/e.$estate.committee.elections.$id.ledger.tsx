import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireEstateRole } from "~/auth/guards.server";
import { electionLedger } from "~/committee/election-votes.server";
import { decodeMarks } from "~/committee/ledger";
import { useShanghai } from "~/committee/ui";
import { maskName, formatArea } from "~/ui/mask";
import { TableWrap } from "~/ui/table-wrap";
import { normaliseReceipt } from "~/voting/ledger";
import { hasAny, voteOverseers } from "~/voting/roles";
import { getDb, schema } from "#db/client";
import { inArray } from "drizzle-orm";

const pageSize = 200;

/**
 * An election's anonymised ballot ledger, public to the estate once the result is published
 * (to those who run the election once it closes): receipts, marks, area, channel and the hash
 * chain, never names or units.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstateRole(request, context, params.estate, "any");
  const ledger = await electionLedger(estate.id, params.id ?? "", { overseer: hasAny(roles, voteOverseers) });
  if (!ledger) notFound();
  const base = { estate: { slug: estate.slug, name: estate.name }, election: { id: ledger.election.id, title: ledger.election.title } };
  if (!ledger.meta) return { ...base, closed: false as const };
  const url = new URL(request.url);
  const query = url.searchParams.get("receipt");
  const receipt = query ? normaliseReceipt(query) : null;
  const entries = ledger.entries;
  const replaced = new Set(entries.flatMap((e) => (e.replaces ? [e.replaces] : [])));
  const found = receipt ? (entries.find((e) => e.receipt === receipt) ?? null) : null;
  const pages = Math.max(1, Math.ceil(entries.length / pageSize));
  const requested = Number(url.searchParams.get("page") ?? 1);
  const page = found ? Math.ceil(found.seq / pageSize) : Number.isInteger(requested) ? Math.min(Math.max(1, requested), pages) : 1;
  // Candidates by masked name, so a row reads as a ballot does.
  const ids = ledger.meta.candidates.map((c) => c.id);
  const names = ids.length
    ? await getDb().select({ id: schema.electionCandidates.id, name: schema.electionCandidates.name }).from(schema.electionCandidates).where(inArray(schema.electionCandidates.id, ids))
    : [];
  const nameOf = new Map(names.map((n) => [n.id, maskName(n.name)]));
  return {
    ...base,
    closed: true as const,
    finalHash: ledger.meta.finalHash,
    total: entries.length,
    page,
    pages,
    query: receipt,
    found: found ? { seq: found.seq, counted: !replaced.has(found.receipt) } : null,
    rows: entries.slice((page - 1) * pageSize, page * pageSize).map((e) => ({
      ...e,
      counted: !replaced.has(e.receipt),
      marks: [...decodeMarks(e.marks)].map(([id, choice]) => ({ name: nameOf.get(id) ?? id.slice(0, 8), choice })),
    })),
  };
}

export default function ElectionLedger() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useShanghai({ dateStyle: "short", timeStyle: "medium" });
  const base = `/e/${d.estate.slug}/committee/elections/${d.election.id}`;
  return (
    <div>
      <p className="no-print">
        <Link to={base}>← {d.election.title}</Link>
      </p>
      <h1>{t("committee.ledger.title")}</h1>
      {!d.closed ? (
        <p className="card muted">{t("committee.ledger.notYet")}</p>
      ) : (
        <>
          <p className="muted">{t("committee.ledger.intro")}</p>
          <p>
            {t("voting.result.finalHash")}: <code className="hash">{d.finalHash}</code>
          </p>
          <div className="actions no-print">
            <a className="button secondary" href={`${base}/ledger.csv`} download>
              {t("voting.ledger.download")}
            </a>
          </div>
          <p className="hint">{t("voting.ledger.verifyHint")}</p>
          <Form method="get" className="actions no-print" role="search">
            <label htmlFor="receipt" style={{ margin: 0 }}>
              {t("voting.ledger.search")}
            </label>
            <input id="receipt" name="receipt" defaultValue={d.query ?? ""} style={{ maxWidth: "16rem" }} autoComplete="off" />
            <button type="submit" className="secondary">
              {t("voting.ledger.searchSubmit")}
            </button>
          </Form>
          {d.query ? (
            <p role="status" className={d.found ? "notice-ok" : "alert"}>
              {d.found ? t("voting.ledger.found", { counted: t(d.found.counted ? "voting.ledger.counted" : "voting.ledger.notCounted") }) : t("voting.ledger.notFound")}
            </p>
          ) : null}
          <TableWrap label={t("committee.ledger.title")}>
            <table className="ledger">
              <thead>
                <tr>
                  <th className="num">{t("voting.ledger.columns.seq")}</th>
                  <th>{t("voting.ledger.columns.receipt")}</th>
                  <th>{t("committee.ledger.marks")}</th>
                  <th className="num">{t("voting.ledger.columns.area")}</th>
                  <th>{t("voting.ledger.columns.channel")}</th>
                  <th>{t("voting.ledger.columns.replaces")}</th>
                  <th>{t("voting.ledger.columns.castAt")}</th>
                  <th>{t("voting.ledger.columns.hash")}</th>
                </tr>
              </thead>
              <tbody>
                {d.rows.map((e) => (
                  <tr key={e.seq} className={`${e.counted ? "" : "superseded"} ${d.query === e.receipt ? "highlight" : ""}`}>
                    <td className="num">{e.seq}</td>
                    <td>
                      <code>{e.receipt}</code>
                    </td>
                    <td>{e.marks.length ? e.marks.map((m) => `${m.name} ${t(`committee.choices.${m.choice}`)}`).join("、") : t("committee.ledger.allAbstain")}</td>
                    <td className="num">{formatArea(e.areaCentiSqm)}</td>
                    <td>{t(`voting.channels.${e.channel}`)}</td>
                    <td>{e.replaces ? <code>{e.replaces}</code> : ""}</td>
                    <td>{date.format(new Date(e.castAt))}</td>
                    <td>
                      <code title={e.hash}>{e.hash.slice(0, 12)}…</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {d.pages > 1 ? (
            <nav className="actions no-print" aria-label={t("voting.ledger.pages")}>
              {Array.from({ length: d.pages }, (_, i) => i + 1).map((n) =>
                n === d.page ? (
                  <strong key={n}>{n}</strong>
                ) : (
                  <Link key={n} to={`?page=${n}`}>
                    {n}
                  </Link>
                ),
              )}
            </nav>
          ) : null}
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.election.title} · ${data.estate.name}` : "议事堂" }];
