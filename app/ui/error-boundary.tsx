import { isRouteErrorResponse, Link, useParams, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * What a part of the site shows when its loader, action or page fails: a translated message in
 * the site's header and layout (the root still renders around it), with a way back into the
 * estate, instead of the one app-wide boundary. `area` links to the area's own first page
 * (committee, fees, tickets).
 */
export function EstateErrorBoundary({ area }: { area?: { path: string; label: string } }) {
  const error = useRouteError();
  const { t } = useTranslation();
  const { estate } = useParams();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const which = status === 404 ? "notFound" : status === 403 ? "forbidden" : null;
  return (
    <section className="card" role="alert">
      <h1>{which ? t(`common.errors.${which}Title`) : t("common.errors.unexpectedTitle")}</h1>
      <p>
        {which
          ? t(`common.errors.${which}`)
          : status === 503
            ? t("common.errors.unavailable")
            : t("common.errors.unexpected")}
      </p>
      <p>
        {area && status >= 500 ? (
          <>
            <Link to={`/e/${estate}/${area.path}`}>{area.label}</Link>
            {" · "}
          </>
        ) : null}
        {estate && status !== 404 ? (
          <Link to={`/e/${estate}`}>{t("common.errors.estateHome")}</Link>
        ) : (
          <Link to="/">{t("common.nav.home")}</Link>
        )}
      </p>
    </section>
  );
}
