import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { env } from "~/env.server";
import { unsubscribe } from "~/notify/preferences.server";
import { verifyUnsubscribeToken } from "~/notify/tokens.server";

// The link in the mail's footer works without logging in: the signed token names the user
// and the category. GET only asks; POST unsubscribes. (Mail providers' one-click POSTs go to
// /unsubscribe/one-click/<token>, the List-Unsubscribe header's URL.)

export async function loader({ params }: LoaderFunctionArgs) {
  const target = verifyUnsubscribeToken(params.token ?? "", env().SESSION_SECRET);
  if (!target) return data({ category: null }, { status: 400 });
  return { category: target.category };
}

export async function action({ params }: ActionFunctionArgs) {
  const target = verifyUnsubscribeToken(params.token ?? "", env().SESSION_SECRET);
  if (!target || !(await unsubscribe(target.userId, target.category)))
    return data({ done: false, category: null }, { status: 400 });
  return { done: true, category: target.category };
}

export default function Unsubscribe() {
  const { category } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  if (!category || (result && !result.done)) {
    return (
      <section className="card" style={{ maxWidth: 480, margin: "0 auto" }}>
        <h1>{t("notify.unsubscribe.title")}</h1>
        <p className="alert">{t("notify.unsubscribe.invalid")}</p>
      </section>
    );
  }
  const name = t(`notify.categories.${category}`);
  return (
    <section className="card" style={{ maxWidth: 480, margin: "0 auto" }}>
      <h1>{t("notify.unsubscribe.title")}</h1>
      {result?.done ? (
        <>
          <p role="status" className="notice-ok">
            {t("notify.unsubscribe.done", { category: name })}
          </p>
          <p>
            {t("notify.unsubscribe.manage")} <Link to="/settings/notifications">{t("notify.prefs.title")}</Link>
          </p>
        </>
      ) : (
        <Form method="post">
          <p>{t("notify.unsubscribe.confirm", { category: name })}</p>
          <button type="submit" className="primary">
            {t("notify.unsubscribe.submit")}
          </button>
        </Form>
      )}
    </section>
  );
}
