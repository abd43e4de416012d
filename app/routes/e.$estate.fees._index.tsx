import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireEstatePermission } from "~/auth/guards.server";
import { ledger, ledgerPageSize, unappliedPayments } from "~/fees/bills.server";
import { ledgerFilter } from "~/fees/ledger-filter";
import { getLocale, getT } from "~/i18n/i18n.server";
import { onlinePayments } from "~/payments/factory.server";
import { formatFen } from "~/lib/money";
import { beijingDate } from "~/lib/time";
import { TableWrap } from "~/ui/table-wrap";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "fees:ledger");
  const { filter, page, query } = ledgerFilter(new URL(request.url));
  const today = beijingDate(new Date());
  const [list, unapplied] = await Promise.all([ledger(estate.id, filter, page, today), unappliedPayments(estate.id)]);
  const t = await getT(await getLocale(request));
  return {
    title: `${t("fees.ledger.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    query,
    page,
    pages: Math.max(1, Math.ceil(list.totals.bills / ledgerPageSize)),
    today,
    unapplied,
    payments: onlinePayments(),
    ...list,
  };
}

export default function Ledger() {
  const { estate, query, page, pages, rows, totals, buildings, periods, today, unapplied, payments } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const link = (extra: Record<string, string>) => `?${new URLSearchParams({ ...query, ...extra })}`;
  const csv = `/e/${estate.slug}/fees/export.csv${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ""}`;
  return (
    <div>
      <h1>{t("fees.ledger.title")}</h1>
      <p className="muted">
        {estate.name} · <Link to={`/e/${estate.slug}/fees/settings`}>{t("fees.ledger.settingsLink")}</Link> ·{" "}
        <Link to={`/e/${estate.slug}/collection`}>{t("fees.nav.collection")}</Link>
      </p>
      {payments === "none" ? (
        <p className="alert" role="note">
          {t("fees.ledger.paymentsOff")}
        </p>
      ) : payments === "sandbox" ? (
        <p className="alert" role="note">
          {t("fees.ledger.paymentsSandbox")}
        </p>
      ) : null}
      {unapplied.length ? (
        <div className="alert">
          {t("fees.ledger.unapplied", { count: unapplied.length })}{" "}
          {unapplied.map((p) => (
            <Link key={p.id} to={`/e/${estate.slug}/receipts/${p.id}`} className="owner-chip">
              {p.receiptNo} ({t("fees.yuan", { amount: formatFen(p.amountFen) })})
            </Link>
          ))}
        </div>
      ) : null}
      <Form method="get" className="card grid" role="search" aria-label={t("fees.ledger.filters")}>
        <div className="field">
          <label htmlFor="f-building">{t("fees.ledger.building")}</label>
          <select id="f-building" name="building" defaultValue={query.building ?? ""}>
            <option value="">{t("fees.ledger.all")}</option>
            {buildings.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-period">{t("fees.ledger.period")}</label>
          <select id="f-period" name="period" defaultValue={query.period ?? ""}>
            <option value="">{t("fees.ledger.all")}</option>
            {periods.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-status">{t("fees.ledger.status")}</label>
          <select id="f-status" name="status" defaultValue={query.status ?? ""}>
            <option value="">{t("fees.ledger.all")}</option>
            {(["unpaid", "pending", "paid", "overdue"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`fees.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-unit">{t("fees.ledger.unit")}</label>
          <input id="f-unit" name="unit" defaultValue={query.unit ?? ""} inputMode="numeric" />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            {t("fees.ledger.apply")}
          </button>
          <a className="button secondary" href={csv} download>
            {t("fees.ledger.export")}
          </a>
        </div>
      </Form>
      <p>
        {t("fees.ledger.totals", {
          count: totals.bills,
          billed: formatFen(totals.billedFen),
          paid: formatFen(totals.paidFen),
        })}
      </p>
      {rows.length === 0 ? (
        <p className="card muted">{t("fees.ledger.none")}</p>
      ) : (
        <TableWrap label={t("fees.ledger.title")}>
          <table className="compact-table">
            <thead>
              <tr>
                <th scope="col">{t("fees.bills.unit")}</th>
                <th scope="col">{t("fees.bills.period")}</th>
                <th scope="col">{t("fees.bills.charge")}</th>
                <th scope="col" className="num">
                  {t("fees.bills.amount")}
                </th>
                <th scope="col">{t("fees.bills.dueDate")}</th>
                <th scope="col">{t("fees.bills.status")}</th>
                <th scope="col">{t("fees.bills.receipt")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => {
                const overdue = b.status !== "paid" && b.dueDate < today;
                return (
                  <tr key={b.id}>
                    <td>
                      <Link to={`/e/${estate.slug}/fees/units/${b.unitId}`}>
                        {t("fees.unitLabel", { building: b.building, number: b.number })}
                      </Link>
                    </td>
                    <td>{b.periodKey}</td>
                    <td>{t(`fees.charges.${b.charge}`)}</td>
                    <td className="num">{formatFen(b.amountFen)}</td>
                    <td>{b.dueDate}</td>
                    <td>
                      <span className={`badge bill-${overdue ? "overdue" : b.status}`}>
                        {t(`fees.status.${overdue ? "overdue" : b.status}`)}
                      </span>
                    </td>
                    <td>
                      {b.paymentId ? <Link to={`/e/${estate.slug}/receipts/${b.paymentId}`}>{b.receiptNo}</Link> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      )}
      {pages > 1 ? (
        <nav className="actions" aria-label={t("fees.ledger.page", { page })}>
          {page > 1 ? (
            <Link className="button secondary" to={link({ page: String(page - 1) })}>
              {t("fees.ledger.prev")}
            </Link>
          ) : null}
          <span>
            {t("fees.ledger.page", { page })} / {pages}
          </span>
          {page < pages ? (
            <Link className="button secondary" to={link({ page: String(page + 1) })}>
              {t("fees.ledger.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
