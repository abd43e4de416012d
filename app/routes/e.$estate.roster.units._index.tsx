import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { buildingNames, listUnits } from "~/roster/roster.server";
import { formatArea } from "~/ui/mask";
import { TableWrap } from "~/ui/table-wrap";
import { can } from "~/lib/permissions";

const SearchSchema = z.object({
  building: z.string().trim().max(50).optional().catch(undefined),
  q: z.string().trim().max(50).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "roster:manage");
  const search = SearchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [buildings, list] = await Promise.all([
    buildingNames(estate.id),
    listUnits({
      estateId: estate.id,
      building: search.building || undefined,
      q: search.q || undefined,
      page: search.page,
    }),
  ]);
  const t = await getT(await getLocale(request));
  return {
    title: `${t("roster.units.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    /** Admins may tick units and print their claim letters. */
    canPrint: can(roles, "roster:admin"),
    search: { building: search.building ?? "", q: search.q ?? "", page: search.page },
    buildings,
    ...list,
  };
}

export default function RosterUnits() {
  const { estate, canPrint, search, buildings, units, total, pages } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const pageLink = (page: number) => {
    const params = new URLSearchParams();
    if (search.building) params.set("building", search.building);
    if (search.q) params.set("q", search.q);
    params.set("page", String(page));
    return `?${params}`;
  };
  return (
    <div>
      <p className="muted">
        <Link to={`/e/${estate.slug}/roster`}>{t("roster.admin.title")}</Link>
      </p>
      <h1>{t("roster.units.title")}</h1>
      <Form method="get" className="card grid" role="search">
        <div className="field">
          <label htmlFor="building">{t("roster.units.building")}</label>
          <select id="building" name="building" defaultValue={search.building}>
            <option value="">{t("roster.units.allBuildings")}</option>
            {buildings.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q">{t("roster.units.number")}</label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={search.q}
            placeholder={t("roster.units.numberPlaceholder")}
          />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            {t("common.actions.search")}
          </button>
        </div>
      </Form>
      <p className="muted" data-testid="units-total">
        {t("roster.units.total", { count: total })} ·{" "}
        {t("roster.units.page", { page: Math.min(search.page, pages), pages })}
      </p>
      {units.length === 0 ? (
        <p className="card muted">{t("roster.units.none")}</p>
      ) : (
        <>
          <TableWrap label={t("roster.units.title")}>
            <table className="compact-table">
              <thead>
                <tr>
                  {canPrint ? <th>{t("roster.units.column.select")}</th> : null}
                  <th>{t("roster.units.column.unit")}</th>
                  <th className="num">{t("roster.units.column.floor")}</th>
                  <th>{t("roster.units.column.kind")}</th>
                  <th className="num">{t("roster.units.column.area")}</th>
                  <th>{t("roster.units.column.owners")}</th>
                  <th>{t("roster.units.column.claimed")}</th>
                </tr>
              </thead>
              <tbody>
                {units.map((u) => (
                  <tr key={u.id}>
                    {canPrint ? (
                      <td>
                        {u.developerUnsold ? null : (
                          <input
                            type="checkbox"
                            name="unit"
                            value={u.id}
                            form="letters-form"
                            aria-label={t("roster.units.selectUnit", { building: u.building, unit: u.number })}
                          />
                        )}
                      </td>
                    ) : null}
                    <td>
                      <Link to={`/e/${estate.slug}/roster/units/${u.id}`}>
                        {u.building} {u.number}
                      </Link>
                    </td>
                    <td className="num">{u.floor}</td>
                    <td>{t(`common.unitKinds.${u.kind}`)}</td>
                    <td className="num">{formatArea(u.areaCentiSqm)}</td>
                    <td className="wrap">
                      {u.developerUnsold ? (
                        <span className="muted">{t("roster.units.unsold")}</span>
                      ) : (
                        u.owners.join("、")
                      )}
                    </td>
                    <td>
                      {u.developerUnsold ? null : (
                        <span className="badge">
                          {u.claimed ? t("roster.units.claimed") : t("roster.units.unclaimed")}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {canPrint ? (
            <Form
              method="get"
              action={`/e/${estate.slug}/roster/letters`}
              id="letters-form"
              className="actions"
              style={{ marginTop: "0.75rem" }}
            >
              <button type="submit" className="secondary">
                {t("roster.units.printSelected")}
              </button>
            </Form>
          ) : null}
        </>
      )}
      {pages > 1 ? (
        <nav
          className="actions"
          style={{ marginTop: "1rem" }}
          aria-label={t("roster.units.page", { page: search.page, pages })}
        >
          {search.page > 1 ? (
            <Link className="button secondary" to={pageLink(search.page - 1)} rel="prev">
              {t("roster.units.previous")}
            </Link>
          ) : null}
          {search.page < pages ? (
            <Link className="button secondary" to={pageLink(search.page + 1)} rel="next">
              {t("roster.units.next")}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
