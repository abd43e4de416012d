import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { getLocale } from "~/i18n/i18n.server";
import { uuidSchema } from "~/lib/ids";
import { useDateTimeFormat } from "~/lib/time";
import { listNotices, markRead } from "~/notify/notices.server";
import { parseForm } from "~/lib/forms/action.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  return { notices: await listNotices(user.id, await getLocale(request)) };
}

const MarkSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("read"), id: uuidSchema }),
  z.object({ intent: z.literal("readAll") }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const read = await parseForm(request, MarkSchema);
  if (!read.ok) return read.response;
  await markRead(user.id, read.value.intent === "readAll" ? "all" : [read.value.id]);
  return { ok: true };
}

export default function Notices() {
  const { notices } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const time = useDateTimeFormat({ dateStyle: "medium", timeStyle: "short" });
  const anyUnread = notices.some((n) => !n.read);
  return (
    <section>
      <h1>{t("notify.notices.title")}</h1>
      <div className="actions">
        {anyUnread ? (
          <Form method="post">
            <button type="submit" name="intent" value="readAll" className="secondary">
              {t("notify.notices.markAllRead")}
            </button>
          </Form>
        ) : null}
        <Link to="/settings/notifications">{t("notify.notices.settings")}</Link>
      </div>
      {notices.length === 0 ? <p className="card">{t("notify.notices.empty")}</p> : null}
      <ul className="list-plain">
        {notices.map((n) => (
          <li key={n.id} className={n.read ? "notice-item" : "notice-item unread"}>
            {n.read ? null : <span className="badge">{t("notify.notices.unread")}</span>}{" "}
            <Link to={n.path} style={{ fontWeight: n.read ? 400 : 700 }}>
              {n.title}
            </Link>
            <div className="muted">
              {t(`notify.categories.${n.category}`)} · {time.format(new Date(n.createdAt))}
            </div>
            {n.read ? null : (
              <Form method="post" className="inline">
                <input type="hidden" name="id" value={n.id} />
                <button type="submit" name="intent" value="read" className="link-button">
                  {t("notify.notices.markRead")}
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
