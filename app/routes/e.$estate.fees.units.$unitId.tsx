import { getSelectProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { unitAccount } from "~/fees/bills.server";
import { recordOfflinePayment } from "~/fees/ledger.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { formatFen } from "~/lib/money";
import { beijingDate, useDateTimeFormat } from "~/lib/time";
import { Field, FieldErrors, ConformForm } from "~/lib/forms/field";
import { formatArea } from "~/ui/mask";
import { redirectWithToast } from "~/ui/toast.server";
import { TableWrap } from "~/ui/table-wrap";
import { freeText } from "~/lib/text";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { refusal } from "~/lib/forms/result";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "fees:ledger");
  const account = await unitAccount(estate.id, params.unitId ?? "");
  if (!account) notFound();
  const t = await getT(await getLocale(request));
  const label = t("fees.unitLabel", { building: account.unit.building, number: account.unit.number });
  return {
    title: `${t("fees.account.title", { unit: label })} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    label,
    today: beijingDate(new Date()),
    ...account,
  };
}

const OfflineSchema = z
  .object({
    billId: z
      .array(z.string().uuid("fees.account.errors.notFound"), { required_error: "fees.account.errors.noBills" })
      .min(1, "fees.account.errors.noBills")
      .max(120),
    method: z.enum(["cash", "bank_transfer"], {
      required_error: "common.errors.required",
      invalid_type_error: "common.errors.invalid",
    }),
    reference: freeText(100).optional(),
    paidOn: z
      .string({ required_error: "common.errors.required" })
      .regex(/^\d{4}-\d{2}-\d{2}$/, "common.errors.invalid"),
  })
  .refine((v) => v.method !== "bank_transfer" || Boolean(v.reference), {
    path: ["reference"],
    message: "fees.account.errors.referenceRequired",
  })
  .refine((v) => v.paidOn <= beijingDate(new Date()), { path: ["paidOn"], message: "fees.account.errors.futureDate" });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "fees:ledger");
  const account = await unitAccount(estate.id, params.unitId ?? "");
  if (!account) notFound();
  const read = await parseForm(request, OfflineSchema, { form: "record" });
  if (!read.ok) return read.response;
  const value = read.value;
  const now = new Date();
  // Today: the moment of recording; an earlier day: noon of that day in Beijing.
  const paidAt = value.paidOn === beijingDate(now) ? now : new Date(`${value.paidOn}T12:00:00+08:00`);
  const result = await getDb().transaction((tx) =>
    recordOfflinePayment(tx, {
      estateId: estate.id,
      unitId: account.unit.id,
      billIds: value.billId,
      method: value.method,
      reference: value.reference || null,
      paidAt,
      actorId: user.id,
      now,
    }),
  );
  if (!result.ok) {
    const reason = result.error === "notFound" ? "not_found" : result.error === "noBills" ? "invalid" : "conflict";
    return refuse("record", refusal(reason, `fees.account.errors.${result.error}`), { submission: read.submission });
  }
  return redirectWithToast(`/e/${estate.slug}/fees/units/${account.unit.id}`, {
    key: "fees.account.recorded",
    params: { receiptNo: result.receiptNo },
  });
}

export default function UnitAccount() {
  const { estate, label, unit, bills, payments, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useForm({
    id: "offline-payment",
    lastResult: actionData,
    constraint: getZodConstraint(OfflineSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: OfflineSchema }),
    shouldValidate: "onSubmit",
    defaultValue: { method: "cash", paidOn: today },
  });
  const methodProps = getSelectProps(fields.method);
  const date = useDateTimeFormat({ dateStyle: "medium" });
  const unpaid = bills.filter((b) => b.status === "unpaid");
  return (
    <div>
      <p className="muted">
        <Link to={`/e/${estate.slug}/fees`}>{t("fees.ledger.title")}</Link>
      </p>
      <h1>{t("fees.account.title", { unit: label })}</h1>
      <p className="muted">
        {t("fees.account.facts", { kind: t(`common.unitKinds.${unit.kind}`), area: formatArea(unit.areaCentiSqm) })}
      </p>
      <h2>{t("fees.account.bills")}</h2>
      <TableWrap label={t("fees.account.bills")}>
        <table className="compact-table">
          <thead>
            <tr>
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
            {bills.map((b) => {
              const overdue = b.status !== "paid" && b.dueDate < today;
              return (
                <tr key={b.id}>
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
      {unpaid.length ? (
        <section className="card">
          <h2>{t("fees.account.offline")}</h2>
          <p className="hint">{t("fees.account.offlineHint")}</p>
          <ConformForm form={form} className="stack">
            <fieldset>
              <legend>{t("fees.account.bills")}</legend>
              {unpaid.map((b) => (
                <label key={b.id} className="check-row">
                  <input type="checkbox" name={fields.billId.name} value={b.id} /> {b.periodKey} ·{" "}
                  {t(`fees.charges.${b.charge}`)} · {t("fees.yuan", { amount: formatFen(b.amountFen) })}
                </label>
              ))}
              <FieldErrors id={fields.billId.errorId} errors={fields.billId.errors} />
            </fieldset>
            <div className="field">
              <label htmlFor={fields.method.id}>{t("fees.account.method")}</label>
              <select {...methodProps} key={methodProps.key}>
                <option value="cash">{t("fees.methods.cash")}</option>
                <option value="bank_transfer">{t("fees.methods.bank_transfer")}</option>
              </select>
              <FieldErrors id={fields.method.errorId} errors={fields.method.errors} />
            </div>
            <Field meta={fields.reference} label={t("fees.account.reference")} />
            <Field meta={fields.paidOn} label={t("fees.account.paidOn")} type="date" />
            <button type="submit" className="primary" disabled={busy}>
              {t("fees.account.record")}
            </button>
          </ConformForm>
        </section>
      ) : null}
      <h2>{t("fees.account.payments")}</h2>
      {payments.length === 0 ? (
        <p className="card muted">{t("fees.account.noPayments")}</p>
      ) : (
        <ul className="list-plain card">
          {payments.map((p) => (
            <li key={p.id} className="actions" style={{ justifyContent: "space-between" }}>
              <span>
                <Link to={`/e/${estate.slug}/receipts/${p.id}`}>{p.receiptNo}</Link> · {t(`fees.methods.${p.method}`)}
                {p.reference ? ` · ${p.reference}` : ""} ·{" "}
                <span className="muted">{date.format(new Date(p.paidAt))}</span>
                {p.refundedFen ? (
                  <span className="badge bill-overdue">
                    {t("fees.account.refunded", { amount: formatFen(p.refundedFen) })}
                  </span>
                ) : null}
                {!p.applied ? <span className="badge bill-overdue">{t("fees.account.unappliedBadge")}</span> : null}
              </span>
              <strong>{t("fees.yuan", { amount: formatFen(p.amountFen) })}</strong>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
