import type { ReactNode } from "react";
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatArea } from "~/ui/mask";
import { TableWrap } from "~/ui/table-wrap";

/** The published final hash, the CSV download, and the receipt look-up with its answer. */
export function LedgerLookup({
  finalHash,
  csvHref,
  query,
  found,
  full,
}: {
  finalHash: string | null;
  csvHref: string;
  query: string | null;
  found: { counted: boolean } | null;
  /** The full ballot list: its own download; otherwise a link to it when the viewer may inspect it. */
  full: { shown: boolean; allowed: boolean };
}) {
  const { t } = useTranslation();
  return (
    <>
      <p>
        {t("voting.result.finalHash")}: <code className="hash">{finalHash}</code>
      </p>
      <div className="actions no-print">
        <a className="button secondary" href={full.shown ? `${csvHref}?full=1` : csvHref} download>
          {t(full.shown ? "voting.ledger.fullDownload" : "voting.ledger.download")}
        </a>
        {full.shown ? (
          <Link to="?">{t("voting.ledger.public")}</Link>
        ) : full.allowed ? (
          <Link to="?full=1">{t("voting.ledger.fullLink")}</Link>
        ) : null}
      </div>
      {full.shown ? <p className="notice-ok">{t("voting.ledger.fullIntro")}</p> : null}
      <p className="hint">{t("voting.ledger.verifyHint")}</p>
      <Form method="get" className="actions no-print" role="search">
        <label htmlFor="receipt" style={{ margin: 0 }}>
          {t("voting.ledger.search")}
        </label>
        <input
          id="receipt"
          name="receipt"
          defaultValue={query ?? ""}
          style={{ maxWidth: "16rem" }}
          autoComplete="off"
        />
        <button type="submit" className="secondary">
          {t("voting.ledger.searchSubmit")}
        </button>
      </Form>
      {query ? (
        <p role="status" className={found ? "notice-ok" : "alert"}>
          {found
            ? t("voting.ledger.found", {
                counted: t(found.counted ? "voting.ledger.counted" : "voting.ledger.notCounted"),
              })
            : t("voting.ledger.notFound")}
        </p>
      ) : null}
    </>
  );
}

interface LedgerRow {
  seq: number;
  receipt: string;
  channel: "online" | "paper" | "proxy";
  /** Only in the full list: the public ledger has no areas and no hashes. */
  areaCentiSqm?: number;
  replaces: string | null;
  castAt: string;
  hash?: string;
  counted: boolean;
}

/**
 * The chain as a table: sequence and receipt first; then what the ballot says (`ballot`, whose
 * cells come after the receipt), the area, `after` (cells between area and channel); then
 * channel, what it replaces, when, and the hash. A replaced row is struck; the looked-up one lit.
 */
export function LedgerTable<R extends LedgerRow>({
  label,
  rows,
  query,
  date,
  ballot,
  after,
  full,
}: {
  full: boolean;
  label: string;
  rows: R[];
  query: string | null;
  date: Intl.DateTimeFormat;
  ballot: { head: ReactNode; cell(row: R): ReactNode };
  after?: { head: ReactNode; cell(row: R): ReactNode };
}) {
  const { t } = useTranslation();
  return (
    <TableWrap label={label}>
      <table className="ledger">
        <thead>
          <tr>
            <th className="num">{t("voting.ledger.columns.seq")}</th>
            <th>{t("voting.ledger.columns.receipt")}</th>
            <th>{ballot.head}</th>
            {full ? <th className="num">{t("voting.ledger.columns.area")}</th> : null}
            {after ? <th className="num">{after.head}</th> : null}
            <th>{t("voting.ledger.columns.channel")}</th>
            <th>{t("voting.ledger.columns.replaces")}</th>
            <th>{t("voting.ledger.columns.castAt")}</th>
            {full ? <th>{t("voting.ledger.columns.hash")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.seq} className={`${e.counted ? "" : "superseded"} ${query === e.receipt ? "highlight" : ""}`}>
              <td className="num">{e.seq}</td>
              <td>
                <code>{e.receipt}</code>
              </td>
              <td>{ballot.cell(e)}</td>
              {full ? <td className="num">{formatArea(e.areaCentiSqm ?? 0)}</td> : null}
              {after ? <td className="num">{after.cell(e)}</td> : null}
              <td>{t(`voting.channels.${e.channel}`)}</td>
              <td>{e.replaces ? <code>{e.replaces}</code> : ""}</td>
              <td>{date.format(new Date(e.castAt))}</td>
              {full ? (
                <td>
                  <code title={e.hash}>{e.hash?.slice(0, 12)}…</code>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** Page links under a long ledger. */
export function LedgerPager({ page, pages }: { page: number; pages: number }) {
  const { t } = useTranslation();
  if (pages <= 1) return null;
  return (
    <nav className="actions no-print" aria-label={t("voting.ledger.pages")}>
      {Array.from({ length: pages }, (_, i) => i + 1).map((n) =>
        n === page ? (
          <strong key={n}>{n}</strong>
        ) : (
          <Link key={n} to={`?page=${n}`}>
            {n}
          </Link>
        ),
      )}
    </nav>
  );
}
