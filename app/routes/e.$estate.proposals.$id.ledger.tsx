import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "#db/client";
import { notFound, requireEstateRole } from "~/auth/guards.server";
import { formatArea } from "~/ui/mask";
import { findProposal } from "~/voting/access.server";
import { myVoters } from "~/voting/ballots.server";
import { normaliseReceipt } from "~/voting/ledger";
import { ledgerEntries } from "~/voting/proposals.server";
import { useShanghaiFormat } from "~/voting/ui";
import { TableWrap } from "~/ui/table-wrap";

const pageSize = 200;

/** The anonymised ballot ledger, public to the estate's members once voting has closed. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user } = await requireEstateRole(request, context, params.estate, "any");
  const p = await findProposal(getDb(), estate.id, params.id ?? "");
  if (!p || p.status === "draft") notFound();
  const base = { estate: { slug: estate.slug, name: estate.name }, proposal: { id: p.id, title: p.title, finalHash: p.finalHash } };
  if (!p.finalHash) return { ...base, closed: false as const };
  const url = new URL(request.url);
  const query = url.searchParams.get("receipt");
  const receipt = query ? normaliseReceipt(query) : null;
  const entries = await ledgerEntries(getDb(), p.id);
  const replaced = new Set(entries.flatMap((e) => (e.replaces ? [e.replaces] : [])));
  const found = receipt ? (entries.find((e) => e.receipt === receipt) ?? null) : null;
  const pages = Math.max(1, Math.ceil(entries.length / pageSize));
  const requested = Number(url.searchParams.get("page") ?? 1);
  const page = found ? Math.ceil(found.seq / pageSize) : Number.isInteger(requested) ? Math.min(Math.max(1, requested), pages) : 1;
  const mine = (await myVoters(estate.id, p.id, user.id)).flatMap((v) => [...(v.current ? [v.current.receipt] : []), ...v.replaced.map((r) => r.receipt)]);
  return {
    ...base,
    closed: true as const,
    total: entries.length,
    page,
    pages,
    query: receipt,
    found: found ? { seq: found.seq, counted: !replaced.has(found.receipt) } : null,
    mine,
    rows: entries.slice((page - 1) * pageSize, page * pageSize).map((e) => ({ ...e, counted: !replaced.has(e.receipt) })),
  };
}

export default function Ledger() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useShanghaiFormat({ dateStyle: "short", timeStyle: "medium" });
  const base = `/e/${d.estate.slug}/proposals/${d.proposal.id}`;
  return (
    <div>
      <p className="no-print">
        <Link to={base}>← {d.proposal.title}</Link>
      </p>
      <h1>{t("voting.ledger.title")}</h1>
      {!d.closed ? (
        <p className="card muted">{t("voting.ledger.notYet")}</p>
      ) : (
        <>
          <p className="muted">{t("voting.ledger.intro")}</p>
          <p>
            {t("voting.result.finalHash")}: <code className="hash">{d.proposal.finalHash}</code>
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
          {d.mine.length ? (
            <p>
              {t("voting.ledger.yours")}:{" "}
              {d.mine.map((r) => (
                <Link key={r} to={`?receipt=${r}`} className="receipt" style={{ marginRight: "0.5rem" }}>
                  {r}
                </Link>
              ))}
            </p>
          ) : null}
          <TableWrap label={t("voting.ledger.title")}>
            <table className="ledger">
              <thead>
                <tr>
                  <th className="num">{t("voting.ledger.columns.seq")}</th>
                  <th>{t("voting.ledger.columns.receipt")}</th>
                  <th>{t("voting.ledger.columns.choice")}</th>
                  <th className="num">{t("voting.ledger.columns.area")}</th>
                  <th className="num">{t("voting.ledger.columns.headcount")}</th>
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
                    <td>{t(`voting.choices.${e.choice}`)}</td>
                    <td className="num">{formatArea(e.areaCentiSqm)}</td>
                    <td className="num">{e.headcount}</td>
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

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.proposal.title} · ${data.estate.name}` : "议事堂" }];
