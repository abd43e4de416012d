import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import QRCode from "qrcode";
import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireEstatePermission } from "~/auth/guards.server";
import { linkOrigin } from "~/lib/public-origin.server";
import { openidOf } from "~/wechat/bindings.server";
import { wechatAppId } from "~/wechat/login-flow.server";
import { billsForUser, checkoutStateForUser } from "~/fees/bills.server";
import { payOptionsFor, startCheckout } from "~/fees/checkout.server";
import { choiceKey } from "~/fees/pay-methods";
import { getProvider } from "~/payments/factory.server";
import type { JsapiParams, PayAction, PayChannel, ProviderName } from "~/payments/provider.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { onlinePayments } from "~/payments/factory.server";
import { formatFen } from "~/lib/money";
import { beijingDate, useDateTimeFormat } from "~/lib/time";
import { FormErrors } from "~/lib/forms/field";
import { TableWrap } from "~/ui/table-wrap";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { refusal } from "~/lib/forms/result";

type Notice =
  | { kind: "completed" | "unapplied"; receiptNo: string; paymentId: string }
  | { kind: "processing" | "cancelled" | "released" };

/** An open checkout paid on this page: a WeChat Pay QR code (as SVG), or WeChat's JSAPI. */
type Paying = { kind: "qr"; svg: string } | { kind: "jsapi"; params: JsapiParams } | null;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "fees:pay");
  const url = new URL(request.url);
  const t = await getT(await getLocale(request));
  const now = new Date();
  const bills = await billsForUser(estate.id, user.id, now);
  let notice: Notice | null = null;
  let paying: Paying = null;
  const checkoutId = url.searchParams.get("checkout");
  if (checkoutId) {
    const state = await checkoutStateForUser(estate.id, user.id, checkoutId);
    const action = state?.action as PayAction | null | undefined;
    if (state && (state.status === "open" || state.status === "creating") && state.expiresAt > now && action) {
      if (action.kind === "qr")
        paying = { kind: "qr", svg: await QRCode.toString(action.codeUrl, { type: "svg", margin: 1, width: 220 }) };
      else if (action.kind === "jsapi") paying = { kind: "jsapi", params: action.params };
    }
    if (state?.status === "completed" && state.receiptNo && state.paymentId) {
      notice = {
        kind: state.applied ? "completed" : "unapplied",
        receiptNo: state.receiptNo,
        paymentId: state.paymentId,
      };
    } else if (state?.status === "expired" || state?.status === "failed") notice = { kind: "released" };
    else if (state) notice = { kind: url.searchParams.has("cancelled") ? "cancelled" : "processing" };
  }
  return {
    title: `${t("fees.bills.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    today: beijingDate(now),
    notice,
    paying,
    payOptions: await payOptionsFor(estate.id, request.headers.get("user-agent")),
    payments: onlinePayments(),
    ...bills,
  };
}

const PaySchema = z.object({
  intent: z.literal("pay"),
  method: z.string().max(40).optional(),
  billId: z
    .array(z.string().uuid("fees.bills.errors.notFound"), { required_error: "fees.bills.errors.none" })
    .min(1, "fees.bills.errors.none")
    .max(36, "fees.bills.errors.tooMany"),
});

const checkoutReasons = {
  none: "invalid",
  tooMany: "invalid",
  notFound: "not_found",
  unavailable: "conflict",
  provider: "unavailable",
  offline: "conflict",
} as const;

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "fees:pay");
  const read = await parseForm(request, PaySchema, { form: "pay" });
  if (!read.ok) return read.response;
  const origin = linkOrigin(request);
  // The way to pay must be one this estate offers on this device (the first when none is named).
  const { choices } = await payOptionsFor(estate.id, request.headers.get("user-agent"));
  const choice = read.value.method ? choices.find((c) => choiceKey(c) === read.value.method) : choices[0];
  if (!choice)
    return refuse("pay", refusal(checkoutReasons.offline, "fees.bills.errors.offline"), {
      submission: read.submission,
    });
  const result = await startCheckout({
    estate,
    user,
    billIds: read.value.billId,
    origin,
    locale: await getLocale(request),
    provider: getProvider(choice.provider as ProviderName),
    channel: choice.channel as PayChannel,
    clientIp: context.ip,
    // JSAPI pays as the WeChat user bound to this account (their login through the official account).
    openid: choice.channel === "jsapi" ? await payerOpenid(user.id) : undefined,
  });
  if (result.ok) return redirect(result.url);
  return refuse("pay", refusal(checkoutReasons[result.error], `fees.bills.errors.${result.error}`), {
    submission: read.submission,
  });
}

async function payerOpenid(userId: string): Promise<string | undefined> {
  const appId = wechatAppId();
  return (appId && (await openidOf(userId, appId))) || undefined;
}

type Bill = ReturnType<typeof useLoaderData<typeof loader>>["open"][number];

function StatusBadge({ bill, today }: { bill: Pick<Bill, "status" | "dueDate">; today: string }) {
  const { t } = useTranslation();
  const overdue = bill.status !== "paid" && bill.dueDate < today;
  return (
    <span className={`badge bill-${overdue ? "overdue" : bill.status}`}>
      {t(`fees.status.${overdue ? "overdue" : bill.status}`)}
    </span>
  );
}

function ReturnNotice({ notice, slug }: { notice: Notice; slug: string }) {
  const { t } = useTranslation();
  if (notice.kind === "completed" || notice.kind === "unapplied") {
    return (
      <div className={notice.kind === "completed" ? "notice-ok" : "alert"} role="status">
        {t(`fees.bills.returned.${notice.kind}`, { receiptNo: notice.receiptNo })}{" "}
        <Link to={`/e/${slug}/receipts/${notice.paymentId}`}>{t("fees.bills.returned.viewReceipt")}</Link>
      </div>
    );
  }
  return (
    <div className={notice.kind === "processing" ? "notice-ok" : "alert"} role="status">
      {t(`fees.bills.returned.${notice.kind}`)}
    </div>
  );
}

type OpenBill = Pick<Bill, "id" | "status" | "dueDate" | "building" | "number" | "periodKey" | "amountFen" | "charge">;

/** The open bills, with a first column to pick them by (`select`) when they can be paid online. */
function OpenBillsTable({
  bills,
  today,
  label,
  select,
}: {
  bills: OpenBill[];
  today: string;
  label: (b: OpenBill) => string;
  select?: { header: ReactNode; cell: (b: OpenBill) => ReactNode };
}) {
  const { t } = useTranslation();
  return (
    <TableWrap label={t("fees.bills.open")}>
      <table className="compact-table">
        <thead>
          <tr>
            {select ? <th scope="col">{select.header}</th> : null}
            <th scope="col">{t("fees.bills.unit")}</th>
            <th scope="col">{t("fees.bills.period")}</th>
            <th scope="col" className="num">
              {t("fees.bills.amount")}
            </th>
            <th scope="col">{t("fees.bills.status")}</th>
            <th scope="col">{t("fees.bills.charge")}</th>
            <th scope="col">{t("fees.bills.dueDate")}</th>
          </tr>
        </thead>
        <tbody>
          {bills.map((b) => (
            <tr key={b.id}>
              {select ? <td>{select.cell(b)}</td> : null}
              <td>{label(b)}</td>
              <td>{b.periodKey}</td>
              <td className="num">{formatFen(b.amountFen)}</td>
              <td>
                <StatusBadge bill={b} today={today} />
              </td>
              <td>{t(`fees.charges.${b.charge}`)}</td>
              <td>{b.dueDate}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** A WeChat Pay QR code to scan; the page asks again every few seconds until the payment is in. */
function PayingPanel({ paying }: { paying: NonNullable<Paying> }) {
  const { t } = useTranslation();
  const revalidator = useRevalidator();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 3_000);
    return () => clearInterval(timer);
  }, [revalidator]);
  const invoke = () => {
    if (paying.kind !== "jsapi") return;
    const bridge = (window as unknown as { WeixinJSBridge?: { invoke: (...args: unknown[]) => void } }).WeixinJSBridge;
    bridge?.invoke("getBrandWCPayRequest", paying.params, (res: { err_msg?: string }) => {
      if (res.err_msg === "get_brand_wcpay_request:ok") revalidator.revalidate();
      else setFailed(true);
    });
  };
  useEffect(() => {
    if (paying.kind !== "jsapi") return;
    const w = window as unknown as { WeixinJSBridge?: unknown };
    if (w.WeixinJSBridge) invoke();
    else document.addEventListener("WeixinJSBridgeReady", invoke, { once: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per checkout
  }, []);
  if (paying.kind === "qr")
    return (
      <section className="card stack pay-qr" aria-label={t("fees.bills.qrLabel")}>
        <p>{t("fees.bills.scan")}</p>
        <div role="img" aria-label={t("fees.bills.qrLabel")} dangerouslySetInnerHTML={{ __html: paying.svg }} />
        <p className="muted" aria-live="polite">
          {t("fees.bills.waiting")}
        </p>
      </section>
    );
  return (
    <section className="card stack">
      <button type="button" className="primary" onClick={invoke}>
        {t("fees.bills.jsapiOpen")}
      </button>
      {failed ? <p className="alert">{t("fees.bills.jsapiFailed")}</p> : null}
      <p className="muted" aria-live="polite">
        {t("fees.bills.waiting")}
      </p>
    </section>
  );
}

export default function Bills() {
  const { estate, units, open, paid, checkouts, notice, today, paying, payOptions } = useLoaderData<typeof loader>();
  const payments = payOptions.choices.length === 0 ? "none" : payOptions.choices[0].provider;
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const [form] = useForm({ id: "pay-bills", lastResult: actionData });
  const payable = open.filter((b) => b.status === "unpaid");
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const owed = open.reduce((sum, b) => sum + b.amountFen, 0);
  const overdue = open.filter((b) => b.dueDate < today).length;
  const selectedFen = payable.filter((b) => selected.has(b.id)).reduce((sum, b) => sum + b.amountFen, 0);
  const time = useDateTimeFormat({ timeStyle: "short" });
  const date = useDateTimeFormat({ dateStyle: "medium" });
  const label = (b: Pick<Bill, "building" | "number">) =>
    t("fees.unitLabel", { building: b.building, number: b.number });

  return (
    <div>
      <h1>{t("fees.bills.title")}</h1>
      <p className="muted">
        {estate.name} · <Link to={`/e/${estate.slug}/collection`}>{t("fees.bills.collectionLink")}</Link>
      </p>
      {paying ? <PayingPanel paying={paying} /> : notice ? <ReturnNotice notice={notice} slug={estate.slug} /> : null}
      <p>{t("fees.bills.intro")}</p>
      {units.length === 0 ? (
        <p className="card muted">{t("fees.bills.noUnits")}</p>
      ) : (
        <>
          <section className="card bill-summary" aria-label={t("fees.bills.arrears")}>
            <div className="muted">{t("fees.bills.arrears")}</div>
            <div className="bill-owed">{t("fees.yuan", { amount: formatFen(owed) })}</div>
            {overdue ? (
              <div className="bill-overdue-note">{t("fees.bills.overdueCount", { count: overdue })}</div>
            ) : null}
          </section>
          {checkouts.map((c) => (
            <div key={c.id} className="notice-ok actions" style={{ justifyContent: "space-between" }} role="status">
              <span>
                {t("fees.bills.inProgress", {
                  amount: formatFen(c.amountFen),
                  time: time.format(new Date(c.expiresAt)),
                })}
              </span>
              {c.url ? (
                <a className="button secondary" href={c.url}>
                  {t("fees.bills.continue")}
                </a>
              ) : null}
            </div>
          ))}
          <h2>{t("fees.bills.open")}</h2>
          {open.length === 0 ? (
            <p className="card">{t("fees.bills.none")}</p>
          ) : payments === "none" ? (
            <>
              <p className="alert" role="note">
                {t("fees.bills.offline")}
              </p>
              <OpenBillsTable bills={open} today={today} label={label} />
            </>
          ) : (
            <Form method="post" {...getFormProps(form)} className="stack">
              <FormErrors id={form.errorId} errors={form.errors} />
              <input type="hidden" name="intent" value="pay" />
              <OpenBillsTable
                bills={open}
                today={today}
                label={label}
                select={{
                  header: (
                    <input
                      type="checkbox"
                      aria-label={t("fees.bills.selectAll")}
                      checked={payable.length > 0 && payable.every((b) => selected.has(b.id))}
                      onChange={(e) =>
                        setSelected(e.currentTarget.checked ? new Set(payable.map((b) => b.id)) : new Set())
                      }
                    />
                  ),
                  cell: (b) => (
                    <input
                      type="checkbox"
                      name="billId"
                      value={b.id}
                      disabled={b.status !== "unpaid"}
                      checked={selected.has(b.id)}
                      onChange={(e) => toggle(b.id, e.currentTarget.checked)}
                      aria-label={t("fees.bills.select", {
                        label: `${label(b)} ${b.periodKey} ${t(`fees.charges.${b.charge}`)}`,
                      })}
                    />
                  ),
                }}
              />
              <p className="hint">{t("fees.bills.payHint")}</p>
              <fieldset className="pay-methods">
                <legend>{t("fees.bills.method")}</legend>
                {payOptions.choices.map((c, i) => (
                  <label key={`${c.provider}_${c.channel}`} className="pay-method">
                    <input type="radio" name="method" value={`${c.provider}_${c.channel}`} defaultChecked={i === 0} />{" "}
                    {t(`fees.bills.methods.${c.provider}_${c.channel}` as "fees.bills.methods.sandbox_hosted")}
                  </label>
                ))}
              </fieldset>
              {payOptions.alipayInWechat ? (
                <p className="hint" role="note">
                  {t("fees.bills.alipayInWechat")}
                </p>
              ) : null}
              {payOptions.choices.some((c) => c.provider === "sandbox") ? (
                <p className="hint" role="note">
                  {t("fees.bills.sandbox")}
                </p>
              ) : null}
              <div className="actions">
                <button type="submit" className="primary" disabled={busy || selected.size === 0}>
                  {t("fees.bills.pay")}
                </button>
                <span aria-live="polite">
                  {selected.size
                    ? t("fees.bills.selected", { count: selected.size, amount: formatFen(selectedFen) })
                    : null}
                </span>
              </div>
            </Form>
          )}
          <h2>{t("fees.bills.history")}</h2>
          {paid.length === 0 ? (
            <p className="card muted">{t("fees.bills.noHistory")}</p>
          ) : (
            <TableWrap label={t("fees.bills.history")}>
              <table className="compact-table">
                <thead>
                  <tr>
                    <th scope="col">{t("fees.bills.unit")}</th>
                    <th scope="col">{t("fees.bills.period")}</th>
                    <th scope="col" className="num">
                      {t("fees.bills.amount")}
                    </th>
                    <th scope="col">{t("fees.bills.receipt")}</th>
                    <th scope="col">{t("fees.bills.status")}</th>
                    <th scope="col">{t("fees.bills.charge")}</th>
                  </tr>
                </thead>
                <tbody>
                  {paid.map((b) => (
                    <tr key={b.id}>
                      <td>{label(b)}</td>
                      <td>{b.periodKey}</td>
                      <td className="num">{formatFen(b.amountFen)}</td>
                      <td>
                        {b.paymentId ? (
                          <Link to={`/e/${estate.slug}/receipts/${b.paymentId}`}>{b.receiptNo}</Link>
                        ) : null}
                      </td>
                      <td>
                        <StatusBadge bill={b} today={today} />{" "}
                        {b.paidAt ? <span className="muted">{date.format(new Date(b.paidAt))}</span> : null}
                      </td>
                      <td>{t(`fees.charges.${b.charge}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
