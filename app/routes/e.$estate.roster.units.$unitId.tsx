import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { useDateTimeFormat } from "~/lib/time";
import { formatClaimCode } from "~/roster/claim-code";
import { reissueClaimCode, unitDetail } from "~/roster/roster.server";
import { formatArea } from "~/ui/mask";
import { redirectWithToast } from "~/ui/toast.server";
import { TableWrap } from "~/ui/table-wrap";
import { can } from "~/lib/permissions";
import { parseForm } from "~/lib/forms/action.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "roster:manage");
  const isAdmin = can(roles, "roster:admin");
  // Admins reissue codes to a person in front of them: they see the roster in full (audited).
  const unit = await unitDetail(estate.id, params.unitId ?? "", isAdmin ? user.id : undefined);
  if (!unit) notFound();
  const { claimCode, claimCodeIssuedAt, ...rest } = unit;
  const t = await getT(await getLocale(request));
  return {
    title: `${t("roster.unit.title", { building: unit.building, unit: unit.number })} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    isAdmin,
    // The code is a credential: only the admins who print letters see it.
    unit: {
      ...rest,
      claimCode: isAdmin ? formatClaimCode(claimCode) : null,
      claimCodeIssuedAt: isAdmin ? claimCodeIssuedAt : null,
    },
  };
}

const ReissueSchema = z.object({ intent: z.literal("reissue") });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "roster:admin");
  const read = await parseForm(request, ReissueSchema);
  if (!read.ok) return read.response;
  const unit = await unitDetail(estate.id, params.unitId ?? "");
  if (!unit || !(await reissueClaimCode({ estateId: estate.id, unitId: unit.id, actorId: user.id }))) notFound();
  return redirectWithToast(`/e/${estate.slug}/roster/units/${unit.id}`, {
    key: "roster.unit.reissued",
    params: { building: unit.building, unit: unit.number },
  });
}

export default function RosterUnit() {
  const { estate, isAdmin, unit } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium", timeStyle: "short" });
  return (
    <div>
      <p className="muted">
        <Link to={`/e/${estate.slug}/roster/units`}>{t("roster.units.title")}</Link>
      </p>
      <h1>{t("roster.unit.title", { building: unit.building, unit: unit.number })}</h1>
      <TableWrap label={t("roster.unit.title", { building: unit.building, unit: unit.number })} className="card">
        <table>
          <tbody>
            <tr>
              <th scope="row">{t("roster.unit.floor")}</th>
              <td>{unit.floor}</td>
            </tr>
            <tr>
              <th scope="row">{t("roster.unit.kind")}</th>
              <td>{t(`common.unitKinds.${unit.kind}`)}</td>
            </tr>
            <tr>
              <th scope="row">{t("roster.unit.area")}</th>
              <td>{t("common.areaUnit", { area: formatArea(unit.areaCentiSqm) })}</td>
            </tr>
            <tr>
              <th scope="row">{t("roster.unit.owners")}</th>
              <td>
                {unit.developerUnsold ? t("roster.units.unsold") : null}
                {!unit.developerUnsold && unit.owners.length === 0 ? t("roster.unit.noOwners") : null}
                <ul className="list-plain">
                  {unit.owners.map((o, i) => (
                    <li key={i}>
                      {o.name}
                      {o.phoneTail ? (
                        <span className="muted"> {t("roster.unit.phoneTail", { tail: o.phoneTail })}</span>
                      ) : null}
                      {o.idTail ? <span className="muted"> {t("roster.unit.idTail", { tail: o.idTail })}</span> : null}{" "}
                      <span className="badge">{o.claimed ? t("roster.unit.claimed") : t("roster.unit.unclaimed")}</span>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
            {unit.claimCode ? (
              <tr>
                <th scope="row">{t("roster.unit.claimCode")}</th>
                <td>
                  <code className="claim-code">{unit.claimCode}</code>
                  {unit.claimCodeIssuedAt ? (
                    <div className="muted">
                      {t("roster.unit.issuedAt")}: {date.format(new Date(unit.claimCodeIssuedAt))}
                    </div>
                  ) : null}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </TableWrap>
      {isAdmin && !unit.developerUnsold ? (
        <div className="card stack">
          <Link className="button secondary" to={`/e/${estate.slug}/roster/letters?unit=${unit.id}`}>
            {t("roster.unit.printLetter")}
          </Link>
          <Form method="post">
            <p className="hint">{t("roster.unit.reissueHint")}</p>
            <button type="submit" name="intent" value="reissue" className="secondary">
              {t("roster.unit.reissue")}
            </button>
          </Form>
        </div>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
