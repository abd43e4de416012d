import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { emailCategories, notifyChannels, type NotifyChannel } from "~/notify/categories";
import { channelPreferences, channelReach, setChannelPreferences } from "~/notify/preferences.server";
import { redirectWithToast } from "~/ui/toast.server";
import { parseForm } from "~/lib/forms/action.server";
import { maskPhone } from "~/ui/mask";

type Category = (typeof emailCategories)[number];

/** The channels a user can be reached by now: mail with an email, SMS with a verified phone, WeChat when bound. */
function reachable(reach: Awaited<ReturnType<typeof channelReach>>): NotifyChannel[] {
  return notifyChannels.filter(
    (c) =>
      (c === "mail" && reach.email !== null) ||
      (c === "sms" && reach.phoneVerified) ||
      (c === "wechat" && reach.wechatBound),
  );
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const reach = await channelReach(user.id);
  return {
    email: reach.email,
    phone: reach.phoneVerified && reach.phone ? maskPhone(reach.phone) : null,
    channels: reachable(reach),
    prefs: await channelPreferences(user.id),
  };
}

/** A ticked box sends "on"; an unticked one sends nothing, which means off. Fields are `<category>.<channel>`. */
const PreferencesSchema = z.object(
  Object.fromEntries(
    emailCategories.map((category) => [
      category,
      z.object(Object.fromEntries(notifyChannels.map((c) => [c, z.boolean().default(false)]))).default({}),
    ]),
  ) as Record<Category, z.ZodDefault<z.ZodObject<Record<NotifyChannel, z.ZodDefault<z.ZodBoolean>>>>>,
);

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const read = await parseForm(request, PreferencesSchema, { form: "preferences" });
  if (!read.ok) return read.response;
  // Only the channels the page showed are saved; the others keep what they were.
  const channels = reachable(await channelReach(user.id));
  const values = read.value as Record<Category, Record<NotifyChannel, boolean>>;
  await setChannelPreferences(
    user.id,
    Object.fromEntries(
      emailCategories.map((category) => [
        category,
        Object.fromEntries(channels.map((channel) => [channel, values[category]?.[channel] ?? false])),
      ]),
    ),
  );
  return redirectWithToast("/settings/notifications", { key: "notify.prefs.saved" });
}

export default function NotificationSettings() {
  const { email, phone, channels, prefs } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form] = useForm({ id: "notification-settings", lastResult });
  return (
    <section className="card" style={{ maxWidth: 640, margin: "0 auto" }}>
      <h1>{t("notify.prefs.title")}</h1>
      <p>{t("notify.prefsChannels")}</p>
      <ul className="muted">
        {email ? <li>{t("notify.prefs.intro", { email })}</li> : null}
        {phone ? (
          <li>{t("notify.prefs.smsTo", { phone })}</li>
        ) : (
          <li>
            {t("notify.prefs.noPhone")} <Link to="/account">{t("notify.prefs.addPhone")}</Link>
          </li>
        )}
        {channels.includes("wechat") ? null : <li>{t("notify.prefs.noWechat")}</li>}
      </ul>
      <Form method="post" {...getFormProps(form)}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("notify.prefs.category")}</th>
              {channels.map((channel) => (
                <th key={channel} scope="col">
                  {t(`notify.channels.${channel}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {emailCategories.map((category) => (
              <tr key={category}>
                <th scope="row">{t(`notify.categories.${category}`)}</th>
                {channels.map((channel) => (
                  <td key={channel}>
                    <input
                      type="checkbox"
                      name={`${category}.${channel}`}
                      defaultChecked={prefs[category][channel]}
                      aria-label={`${t(`notify.categories.${category}`)} · ${t(`notify.channels.${channel}`)}`}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">{t("notify.prefs.security")}</p>
        <div className="actions">
          <button type="submit" className="primary">
            {t("common.actions.save")}
          </button>
          <Link to="/notices">{t("notify.notices.title")}</Link>
        </div>
      </Form>
    </section>
  );
}
