import { getFormProps, useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { emailCategories } from "~/notify/categories";
import { emailPreferences, setEmailPreferences } from "~/notify/preferences.server";
import { redirectWithToast } from "~/ui/toast.server";
import { parseForm } from "~/lib/forms/action.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  return { email: user.email, prefs: await emailPreferences(user.id) };
}

/** A ticked box sends "on"; an unticked one sends nothing, which means off. */
const PreferencesSchema = z.object({
  votes: z.boolean().default(false),
  minutes: z.boolean().default(false),
  bills: z.boolean().default(false),
  tickets: z.boolean().default(false),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const read = await parseForm(request, PreferencesSchema, { form: "preferences" });
  if (!read.ok) return read.response;
  await setEmailPreferences(user.id, read.value);
  return redirectWithToast("/settings/notifications", { key: "notify.prefs.saved" });
}

export default function NotificationSettings() {
  const { email, prefs } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({ id: "notification-settings", lastResult });
  return (
    <section className="card" style={{ maxWidth: 560, margin: "0 auto" }}>
      <h1>{t("notify.prefs.title")}</h1>
      <p>{t("notify.prefs.intro", { email })}</p>
      <Form method="post" {...getFormProps(form)}>
        <fieldset className="checks">
          <legend className="visually-hidden">{t("notify.prefs.title")}</legend>
          {emailCategories.map((category) => (
            <label key={category} className="check">
              <input type="checkbox" name={fields[category].name} defaultChecked={prefs[category]} />
              {t(`notify.categories.${category}`)}
            </label>
          ))}
        </fieldset>
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
