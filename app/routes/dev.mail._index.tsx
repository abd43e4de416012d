import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { env } from "~/env.server";
import { requireDevMail } from "~/auth/platform-admin.server";
import { recentMail } from "~/notify/mail-admin.server";
import { useDateTimeFormat } from "~/lib/time";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireDevMail(request, context);
  return { mails: await recentMail(), smtp: !!env().SMTP_URL };
}

export default function DevMailbox() {
  const { mails, smtp } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const time = useDateTimeFormat({ dateStyle: "short", timeStyle: "medium" });
  return (
    <section>
      <h1>{t("notify.dev.title")}</h1>
      <p className="muted">{smtp ? t("notify.dev.smtp") : t("notify.dev.intro")}</p>
      {mails.length === 0 ? <p className="card">{t("common.empty")}</p> : null}
      <ul className="list-plain">
        {mails.map((m) => (
          <li key={m.id}>
            <span className="badge">{t(`notify.status.${m.status}`)}</span>{" "}
            <Link to={`/dev/mail/${m.id}`}>{m.subject}</Link>
            {m.redacted ? <span className="muted"> · {t("notify.dev.redactedShort")}</span> : null}
            <div className="muted">
              {m.to} · {time.format(new Date(m.createdAt))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
