import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "#db/client";
import { membershipsOf } from "~/auth/guards.server";
import { myEstates } from "~/estates/estates.server";
import { missingYears } from "~/calendar/rest-days-admin.server";
import { can, platformRoles } from "~/lib/permissions";

export async function loader({ context }: LoaderFunctionArgs) {
  if (!context.user) return { estates: null, may: null, calendarMissing: [] };
  const [estates, rows] = await Promise.all([myEstates(context.user.id), membershipsOf(getDb(), context.user.id)]);
  // The platform's pages, shown only to those their guards let in.
  const platform = platformRoles(rows);
  const calendar = can(platform, "platform:calendar");
  return {
    estates,
    may: { communityAdmins: can(platform, "platform:community-admins"), calendar },
    // The clocks need this year's holidays (and next year's from October): ask until entered.
    calendarMissing: calendar ? await missingYears() : [],
  };
}

export default function Home() {
  const { estates, may, calendarMissing } = useLoaderData<typeof loader>();
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
      {calendarMissing.map((y) => (
        <p key={y} role="alert" className="alert">
          {t("calendar.admin.missing", { year: y })}{" "}
          <Link to={`/admin/calendar?year=${y}`}>{t("calendar.admin.missingLink", { year: y })}</Link>
        </p>
      ))}
      {may?.communityAdmins || may?.calendar ? (
        <nav aria-label={t("calendar.admin.platformNav")}>
          <ul className="list-plain">
            {may.communityAdmins ? (
              <li>
                <Link to="/admin/communities">{t("grants.admins.nav")}</Link>
              </li>
            ) : null}
            {may.calendar ? (
              <li>
                <Link to="/admin/calendar">{t("calendar.admin.nav")}</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </section>
  );
}
