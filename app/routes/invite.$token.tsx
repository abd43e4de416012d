import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { acceptInvite, inviteForToken, type InviteView } from "~/claims/residents.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { redirectWithToast } from "~/ui/toast.server";

/** Not found for a link that never existed, gone for a spent or stale one, conflict for the unit's own owner. */
const statusOf: Record<InviteView["state"], number> = {
  valid: 200,
  already: 200,
  unknown: 404,
  expired: 410,
  used: 410,
  ownUnit: 409,
};

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const view = await inviteForToken(params.token ?? "", user.id);
  const t = await getT(await getLocale(request));
  return data(
    { view, title: `${t("claims.invite.title")} · ${t("common.appName")}` },
    { status: statusOf[view.state] },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const view = await acceptInvite(params.token ?? "", user.id);
  if (view.state === "valid") {
    return redirectWithToast(`/e/${view.estate.slug}/units`, {
      key: "claims.invite.accepted",
      params: { estate: view.estate.name, unit: `${view.building} ${view.number}` },
    });
  }
  return data({ view }, { status: statusOf[view.state] });
}

export default function Invite() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const view = acted?.view ?? loaded.view;
  const { t } = useTranslation();
  return (
    <section className="card stack" style={{ maxWidth: 460, margin: "0 auto" }}>
      <h1>{t("claims.invite.title")}</h1>
      {view.state === "unknown" ? (
        <p className="alert">{t("claims.invite.unknown")}</p>
      ) : (
        <>
          <p>
            {t("claims.invite.intro", {
              estate: view.estate.name,
              unit: t("claims.unitLabel", { building: view.building, number: view.number }),
              relation: t(`common.relations.${view.relation}`),
            })}
          </p>
          {view.state === "valid" ? (
            <Form method="post">
              <button type="submit" className="primary">
                {t("claims.invite.accept")}
              </button>
            </Form>
          ) : (
            <p className={view.state === "already" ? "notice-ok" : "alert"}>{t(`claims.invite.${view.state}`)}</p>
          )}
          {view.state === "already" || view.state === "ownUnit" ? (
            <Link to={`/e/${view.estate.slug}/units`}>{t("claims.invite.goToUnits")}</Link>
          ) : null}
        </>
      )}
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
