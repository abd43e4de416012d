import { formatFen } from "~/lib/money";
import { freeText, nameField } from "~/lib/text";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireEstatePermission } from "~/auth/guards.server";
import { inquiryViewer, listInquiries } from "~/committee/inquiries.server";
import { InquiryThreads } from "~/committee/inquiries-ui";
import { getLocale, getT } from "~/i18n/i18n.server";
import { navLinks } from "~/tickets/access";
import { useDateTimeFormat } from "~/lib/time";
import { listReports, publishReport } from "~/tickets/ledgers.server";
import { parseReportLines, quarterOf } from "~/tickets/money";
import { TicketNav } from "~/tickets/ui";
import { redirectWithToast } from "~/ui/toast.server";
import { TableWrap } from "~/ui/table-wrap";
import { can } from "~/lib/permissions";
import { FormError } from "~/lib/forms/form-error";
import { parseForm, refuse } from "~/lib/forms/action.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const t = await getT(await getLocale(request));
  const viewer = await inquiryViewer(estate.id, user.id, roles);
  const threads = await listInquiries(estate.id, { kind: "service_report" }, viewer);
  return {
    title: `${t("tickets.reports.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    nav: navLinks(roles),
    canPublish: can(roles, "reports:publish"),
    quarter: quarterOf(new Date()),
    reports: (await listReports(estate.id)).map((r) => ({
      ...r,
      threads: threads.filter((q) => q.subjectId === r.id),
    })),
    canAsk: viewer.canAsk,
    canAnswer: viewer.canAnswer,
  };
}

const ReportSchema = z.object({
  intent: z.literal("publish"),
  quarter: z.string().regex(/^\d{4}-Q[1-4]$/, "common.errors.invalid"),
  title: nameField(120),
  body: freeText(20_000).pipe(z.string().min(1, "common.errors.required")),
  lines: z.string({ required_error: "tickets.reports.noLines" }).max(20_000, "common.errors.tooLong"),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "reports:publish");
  const read = await parseForm(request, ReportSchema, { form: "publish" });
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  const lines = parseReportLines(v.lines);
  if (!lines.ok)
    return refuse("publish", { error: lines.error, params: { line: lines.line }, reason: "invalid" }, { submission });
  const result = await publishReport({
    estateId: estate.id,
    userId: user.id,
    quarter: v.quarter,
    title: v.title,
    body: v.body,
    lines: lines.lines,
  });
  if (!result.ok) return refuse("publish", result, { submission });
  return redirectWithToast(`/e/${estate.slug}/service-reports#r-${result.id}`, { key: "tickets.reports.published" });
}

export default function ServiceReports() {
  const { estate, nav, canPublish, quarter, reports, canAsk, canAnswer } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium" });
  return (
    <div>
      <TicketNav slug={estate.slug} links={nav} />
      <h1>{t("tickets.reports.title")}</h1>
      <p className="muted">{t("tickets.reports.intro")}</p>
      {reports.length === 0 ? <p className="muted">{t("tickets.reports.none")}</p> : null}
      {reports.map((r) => (
        <article key={r.id} id={`r-${r.id}`} className="card">
          <h2>
            {r.quarter} · {r.title}
          </h2>
          <p className="muted">{date.format(new Date(r.publishedAt))}</p>
          <p className="ticket-body">{r.body}</p>
          <TableWrap label={`${r.quarter} · ${r.title}`}>
            <table className="money-table">
              <thead>
                <tr>
                  <th>{t("tickets.reports.item")}</th>
                  <th>{t("tickets.reports.income")}</th>
                  <th>{t("tickets.reports.spending")}</th>
                </tr>
              </thead>
              <tbody>
                {r.lines.map((l, i) => (
                  <tr key={i}>
                    <td>{l.label}</td>
                    <td className="num">{l.kind === "income" ? formatFen(l.amountFen) : ""}</td>
                    <td className="num">{l.kind === "spending" ? formatFen(l.amountFen) : ""}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th>
                    {t("tickets.reports.totalIncome")} / {t("tickets.reports.totalSpending")}
                  </th>
                  <td className="num">{formatFen(r.totals.incomeFen)}</td>
                  <td className="num">{formatFen(r.totals.spendingFen)}</td>
                </tr>
                <tr>
                  <th>{t("tickets.reports.balance")}</th>
                  <td className="num" colSpan={2}>
                    {formatFen(r.totals.balanceFen)}
                  </td>
                </tr>
              </tfoot>
            </table>
          </TableWrap>
          <InquiryThreads
            slug={estate.slug}
            subject={{ kind: "service_report", id: r.id }}
            threads={r.threads}
            canAsk={canAsk}
            canAnswer={canAnswer}
          />
        </article>
      ))}
      {canPublish ? (
        <section className="card">
          <h2>{t("tickets.reports.publish")}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="publish" />
            <FormError result={failure} form="publish" />
            <div className="field">
              <label htmlFor="quarter">{t("tickets.reports.quarter")}</label>
              <input id="quarter" name="quarter" required pattern="\d{4}-Q[1-4]" defaultValue={quarter} />
            </div>
            <div className="field">
              <label htmlFor="report-title">{t("tickets.reports.reportTitle")}</label>
              <input id="report-title" name="title" required maxLength={120} />
            </div>
            <div className="field">
              <label htmlFor="report-body">{t("tickets.reports.body")}</label>
              <textarea id="report-body" name="body" rows={6} required maxLength={20000} />
            </div>
            <div className="field">
              <label htmlFor="report-lines">{t("tickets.reports.lines")}</label>
              <textarea id="report-lines" name="lines" rows={6} required placeholder={t("tickets.reports.linesHint")} />
              <p className="hint">{t("tickets.reports.linesHint")}</p>
            </div>
            <button type="submit" className="primary">
              {t("tickets.reports.publish")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
