import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/auth/session.server";
import { getLocale, getT } from "~/i18n/i18n.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const t = await getT(await getLocale(request));
  return { title: t("account.home.title"), email: user.email };
}

export default function AccountHome() {
  const { email } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <section className="card" style={{ maxWidth: 560, margin: "0 auto" }}>
      <h1>{t("account.home.title")}</h1>
      <p className="muted">{t("account.home.signedInAs", { email })}</p>
      <ul className="list-plain">
        <li>
          <Link to="/settings/notifications">{t("account.home.notifications")}</Link>
          <p className="muted">{t("account.home.notificationsHint")}</p>
        </li>
        <li>
          {/* A plain link: the browser saves the file (Content-Disposition), no client-side routing. */}
          <a href="/account/data" download>
            {t("account.home.data")}
          </a>
          <p className="muted">{t("account.home.dataHint")}</p>
        </li>
        <li>
          <Link to="/account/delete">{t("account.home.delete")}</Link>
          <p className="muted">{t("account.home.deleteHint")}</p>
        </li>
      </ul>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · 议事堂` : "议事堂" }];
