import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Role } from "#db/schema/people";
import { auditActs } from "#db/values";
import { listAuditEvents } from "~/audit/audit.server";
import { auditFilter, auditPageSize } from "~/audit/filter";
import { requireEstatePermission } from "~/auth/guards.server";
import { isSettingKey, settingValueText } from "~/estates/procedure-ui";
import { getLocale, getT } from "~/i18n/i18n.server";
import { can, everyRole } from "~/lib/permissions";
import { formatFen } from "~/lib/money";
import { useDateTimeFormat } from "~/lib/time";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "estate:audit");
  const filter = auditFilter(new URL(request.url));
  const isAdmin = can(roles, "estate:audit-names");
  const list = await listAuditEvents({
    estateId: estate.id,
    ...filter,
    pageSize: auditPageSize,
    showActorNames: isAdmin,
  });
  const t = await getT(await getLocale(request));
  return {
    title: `${t("audit.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    query: filter.query,
    error: filter.error,
    page: filter.page,
    pages: Math.max(1, Math.ceil(list.total / auditPageSize)),
    total: list.total,
    events: list.events,
    masked: !isAdmin,
  };
}

/** Detail values worth showing, by key; ids stay out of the table (they mean nothing to a reader). */
const shownDetails = [
  "role",
  "receiptNo",
  "amountFen",
  "totalRefundedFen",
  "method",
  "outcome",
  "voters",
  "units",
  "ballots",
  "candidates",
  "rows",
  "signed",
  "attendees",
  "bills",
  "reopenedBills",
  "votingUnitKinds",
  "ballotsChangeable",
  "paperOnlineConflict",
  "ballotListAccess",
  "format",
] as const;

export default function AuditLog() {
  const { estate, query, error, page, pages, total, events, masked } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const when = useDateTimeFormat({ dateStyle: "medium", timeStyle: "short" });
  const link = (extra: Record<string, string>) => `?${new URLSearchParams({ ...query, ...extra })}`;
  const value = (key: (typeof shownDetails)[number], v: unknown) => {
    if (key === "role" && typeof v === "string" && (everyRole as readonly string[]).includes(v))
      return t(`common.roles.${v as Role}`);
    if (key === "amountFen" || key === "totalRefundedFen") return t("fees.yuan", { amount: formatFen(Number(v)) });
    if (isSettingKey(key)) return settingValueText(t, key, v);
    return String(v);
  };
  return (
    <div>
      <h1>{t("audit.title")}</h1>
      <p className="muted">
        {estate.name} · {t("audit.intro")}
      </p>
      {masked ? <p className="muted">{t("audit.maskedNote")}</p> : null}
      <Form method="get" className="card grid" role="search" aria-label={t("audit.filter.legend")}>
        <div className="field">
          <label htmlFor="f-act">{t("audit.filter.act")}</label>
          <select id="f-act" name="act" defaultValue={query.act ?? ""}>
            <option value="">{t("audit.filter.allActs")}</option>
            {auditActs.map((a) => (
              <option key={a} value={a}>
                {t(`audit.act.${a}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-from">{t("audit.filter.from")}</label>
          <input id="f-from" name="from" type="date" defaultValue={query.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t("audit.filter.to")}</label>
          <input id="f-to" name="to" type="date" defaultValue={query.to ?? ""} />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            {t("audit.filter.apply")}
          </button>
          <Link className="button secondary" to={`/e/${estate.slug}/audit`}>
            {t("audit.filter.clear")}
          </Link>
        </div>
      </Form>
      {error ? (
        <p className="alert" role="alert">
          {t(error)}
        </p>
      ) : null}
      <p>{t("audit.total", { count: total })}</p>
      {events.length === 0 ? (
        <p className="card muted">{t("audit.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="compact-table">
            <thead>
              <tr>
                <th scope="col">{t("audit.columns.when")}</th>
                <th scope="col">{t("audit.columns.act")}</th>
                <th scope="col">{t("audit.columns.actor")}</th>
                <th scope="col">{t("audit.columns.detail")}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{when.format(new Date(e.createdAt))}</td>
                  <td>{t(`audit.act.${e.act}`)}</td>
                  <td>{e.actor.kind === "user" ? e.actor.name : t(`audit.actor.${e.actor.kind}`)}</td>
                  <td>
                    {shownDetails
                      .filter((k) => e.detail[k] !== undefined && e.detail[k] !== null)
                      .map((k) => `${t(`audit.detail.${k}`)}: ${value(k, e.detail[k])}`)
                      .join(" · ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav className="actions" aria-label={t("audit.page", { page })}>
          {page > 1 ? (
            <Link className="button secondary" to={link({ page: String(page - 1) })}>
              {t("audit.previous")}
            </Link>
          ) : null}
          <span>
            {t("audit.page", { page })} / {pages}
          </span>
          {page < pages ? (
            <Link className="button secondary" to={link({ page: String(page + 1) })}>
              {t("audit.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
