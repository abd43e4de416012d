import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { payableUnits, receiptOf } from "~/fees/bills.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { formatFen } from "~/lib/money";
import { useDateTimeFormat } from "~/lib/time";
import { formatArea } from "~/ui/mask";
import { TableWrap } from "~/ui/table-wrap";
import { can } from "~/lib/permissions";

/**
 * A printable receipt. Seen by the payer, by the owners and residents of a unit it paid for,
 * and by the property staff; to anyone else in the estate it does not exist (404).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user, roles } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const receipt = await receiptOf(estate.id, params.paymentId ?? "");
  if (!receipt) notFound();
  if (!can(roles, "fees:ledger") && receipt.payment.payerUserId !== user.id) {
    const mine = new Set((await payableUnits(getDb(), estate.id, user.id)).map((u) => u.unitId));
    if (!receipt.lines.some((l) => mine.has(l.unitId))) notFound();
  }
  const t = await getT(await getLocale(request));
  const { payerUserId: _payer, ...payment } = receipt.payment;
  return {
    title: `${t("fees.receipt.title")} ${payment.receiptNo} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    payment,
    lines: receipt.lines.map(({ unitId: _unit, billId: _bill, ...line }) => line),
    refunds: receipt.refunds,
    isStaff: can(roles, "fees:ledger"),
  };
}

export default function Receipt() {
  const { estate, payment, lines, refunds, isStaff } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const when = useDateTimeFormat({ dateStyle: "long", timeStyle: "short" });
  const refundedAll = payment.refundedFen === payment.amountFen;
  return (
    <div>
      <p className="muted no-print">
        <Link to={isStaff ? `/e/${estate.slug}/fees` : `/e/${estate.slug}/bills`}>
          {isStaff ? t("fees.ledger.title") : t("fees.bills.title")}
        </Link>
      </p>
      <article className="card fee-receipt" aria-labelledby="receipt-title">
        <h1 id="receipt-title">{t("fees.receipt.title")}</h1>
        {payment.sandbox ? (
          <p className="alert receipt-sandbox" role="note">
            <strong>{t("fees.receipt.sandbox")}</strong>
          </p>
        ) : null}
        <dl className="facts">
          <dt>{t("fees.receipt.number")}</dt>
          <dd>
            <strong>{payment.receiptNo}</strong>
          </dd>
          <dt>{t("fees.receipt.estate")}</dt>
          <dd>{estate.name}</dd>
          <dt>{t("fees.receipt.paidAt")}</dt>
          <dd>{when.format(new Date(payment.paidAt))}</dd>
          <dt>{t("fees.receipt.method")}</dt>
          <dd>{t(`fees.methods.${payment.method}`)}</dd>
          {payment.reference ? (
            <>
              <dt>{t("fees.receipt.reference")}</dt>
              <dd>{payment.reference}</dd>
            </>
          ) : null}
        </dl>
        {!payment.applied ? <p className="alert">{t("fees.receipt.unapplied")}</p> : null}
        {refundedAll ? <p className="alert">{t("fees.receipt.refundedAll")}</p> : null}
        <TableWrap label={t("fees.receipt.title")}>
          <table className="receipt-lines">
            <thead>
              <tr>
                <th scope="col">{t("fees.bills.unit")}</th>
                <th scope="col">{t("fees.bills.period")}</th>
                <th scope="col">{t("fees.bills.charge")}</th>
                <th scope="col" className="num">
                  {t("fees.bills.amount")}
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l, i) => (
                <tr key={i}>
                  <td>{t("fees.unitLabel", { building: l.building, number: l.number })}</td>
                  <td>{l.periodKey}</td>
                  <td className="wrap">
                    {t(`fees.charges.${l.charge}`)}
                    <div className="hint">
                      {l.basis === "area"
                        ? t("fees.receipt.basisArea", {
                            rate: formatFen(l.rateFen),
                            area: formatArea(l.areaCentiSqm),
                            months: l.months,
                          })
                        : t("fees.receipt.basisUnit", { rate: formatFen(l.rateFen), months: l.months })}
                    </div>
                  </td>
                  <td className="num">{formatFen(l.amountFen)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  {t("fees.receipt.total")}
                </th>
                <td className="num">
                  <strong>{t("fees.yuan", { amount: formatFen(payment.amountFen) })}</strong>
                </td>
              </tr>
            </tfoot>
          </table>
        </TableWrap>
        {refunds.map((r, i) => (
          <p key={i} className="muted">
            {t("fees.receipt.refunded", { amount: formatFen(r.amountFen) })} · {when.format(new Date(r.createdAt))}
          </p>
        ))}
        <p className="hint">{t("fees.receipt.issuer")}</p>
      </article>
      <p className="no-print">
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t("fees.receipt.print")}
        </button>
      </p>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
