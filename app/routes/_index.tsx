import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "#db/client";
import { membershipsOf } from "~/auth/guards.server";
import { myEstates } from "~/estates/estates.server";
import { can, platformRoles } from "~/lib/permissions";

export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.user) return { estates: null, may: null };
  const [estates, rows] = await Promise.all([myEstates(context.user.id), membershipsOf(getDb(), context.user.id)]);
  // The platform's pages, shown only to those their guards let in.
  return { estates, may: { communityAdmins: can(platformRoles(rows), "platform:community-admins") } };
}

export default function Home() {
  const { estates, may } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  if (!estates) {
    return (
      <section className="card stack">
        <h1>{t("estate.home.welcome")}</h1>
        <p>{t("estate.home.intro")}</p>
        <div className="actions">
          <Link className="button" to="/login">
            {t("common.nav.login")}
          </Link>
          <Link className="button secondary" to="/signup">
            {t("common.nav.signup")}
          </Link>
        </div>
      </section>
    );
  }
  return (
    <section>
      <h1>{t("estate.home.title")}</h1>
      {estates.length === 0 ? <p className="card">{t("estate.home.none")}</p> : null}
      <ul className="list-plain">
        {estates.map((e) => (
          <li key={e.slug}>
            <Link to={`/e/${e.slug}`} style={{ fontWeight: 600, fontSize: "1.1rem" }}>
              {e.name}
            </Link>
            <div className="muted">
              {e.community} · {t("estate.home.yourRoles")}: {e.roles.map((r) => t(`common.roles.${r}`)).join("、")}
            </div>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/claim">{t("estate.home.claimLink")}</Link>
      </p>
      {may?.communityAdmins ? (
        <p>
          <Link to="/admin/communities">{t("grants.admins.nav")}</Link>
        </p>
      ) : null}
    </section>
  );
}
