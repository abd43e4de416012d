import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { uuidSchema } from "~/lib/ids";
import { useDateTimeFormat } from "~/lib/time";
import { mailStatuses } from "~/notify/categories";
import { requirePlatformPermission } from "~/auth/guards.server";
import { mailStatusCounts, problemMail, retryMail } from "~/notify/mail-admin.server";
import { redirectWithToast } from "~/ui/toast.server";
import { TableWrap } from "~/ui/table-wrap";
import { parseForm } from "~/lib/forms/action.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePlatformPermission(request, context, "platform:mail");
  const [counts, problems] = await Promise.all([mailStatusCounts(), problemMail()]);
  return { counts, problems };
}

const RetrySchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("retry"), id: uuidSchema }),
  z.object({ intent: z.literal("retryAll") }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  await requirePlatformPermission(request, context, "platform:mail");
  const read = await parseForm(request, RetrySchema);
  if (!read.ok) return read.response;
  const count = await retryMail(read.value.intent === "retryAll" ? "all-failed" : [read.value.id]);
  return redirectWithToast("/admin/mail", { key: "notify.admin.retried", params: { count } });
}

export default function MailAdmin() {
  const { counts, problems } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const time = useDateTimeFormat({ dateStyle: "short", timeStyle: "short" });
  return (
    <section>
      <h1>{t("notify.admin.title")}</h1>
      <h2>{t("notify.admin.counts")}</h2>
      <TableWrap label={t("notify.admin.counts")}>
        <table>
          <tbody>
            {mailStatuses.map((s) => (
              <tr key={s}>
                <th scope="row">{t(`notify.status.${s}`)}</th>
                <td className="num">{counts[s]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <h2>{t("notify.admin.problems")}</h2>
      {counts.failed > 0 ? (
        <Form method="post" className="actions">
          <button type="submit" name="intent" value="retryAll" className="primary">
            {t("notify.admin.retryAll")}
          </button>
        </Form>
      ) : null}
      {problems.length === 0 ? <p className="muted">{t("notify.admin.none")}</p> : null}
      <ul className="list-plain">
        {problems.map((m) => (
          <li key={m.id}>
            <span className="badge">{t(`notify.status.${m.status}`)}</span> <strong>{m.template}</strong> → {m.to}
            <div className="muted">
              {t("notify.admin.created")}: {time.format(new Date(m.createdAt))} · {t("notify.admin.attempts")}:{" "}
              {m.attempts}
            </div>
            {m.lastError ? (
              <div className="muted mail-error">
                {t("notify.admin.lastError")}: {m.lastError}
              </div>
            ) : null}
            <Form method="post" className="inline">
              <input type="hidden" name="id" value={m.id} />
              <button type="submit" name="intent" value="retry" className="secondary">
                {t("notify.admin.retry")}
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </section>
  );
}
