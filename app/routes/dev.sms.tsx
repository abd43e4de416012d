import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireDevMail } from "~/auth/platform-admin.server";
import { useDateTimeFormat } from "~/lib/time";
import { recentSms } from "~/sms/dev.server";
import { describeSmsSetup } from "~/sms/factory.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireDevMail(request, context);
  return { messages: await recentSms(), setup: describeSmsSetup() };
}

export default function DevSms() {
  const { messages, setup } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const time = useDateTimeFormat({ dateStyle: "short", timeStyle: "medium" });
  return (
    <section>
      <h1>{t("notify.smsDev.title")}</h1>
      <p className="muted">{t("notify.smsDev.intro", { setup })}</p>
      {messages.length === 0 ? <p className="card">{t("common.empty")}</p> : null}
      <ul className="list-plain">
        {messages.map((m) => (
          <li key={m.id}>
            <span className="badge">{t(`notify.smsStatus.${m.status}`)}</span> <strong>{m.phone}</strong> · {m.template}
            <p>{m.text}</p>
            <div className="muted">
              {time.format(new Date(m.createdAt))} · {m.provider}
              {m.budgeted ? ` · ${t("notify.smsDev.budgeted")}` : ""}
              {m.error ? ` · ${m.error}` : ""}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
