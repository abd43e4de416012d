import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { confirmImport, discardImport, getImport } from "~/roster/roster.server";
import { redirectWithToast } from "~/ui/toast.server";
import { TableWrap } from "~/ui/table-wrap";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { FormError } from "~/lib/forms/form-error";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "roster:admin");
  const record = await getImport(estate.id, params.id ?? "");
  if (!record) notFound();
  const t = await getT(await getLocale(request));
  return {
    title: `${t("roster.preview.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    record,
  };
}

const DecisionSchema = z.object({ intent: z.enum(["confirm", "discard"]) });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "roster:admin");
  const read = await parseForm(request, DecisionSchema);
  if (!read.ok) return read.response;
  const { intent } = read.value;
  const importId = params.id ?? "";
  if (intent === "discard") {
    if (await discardImport({ estateId: estate.id, importId })) {
      return redirectWithToast(`/e/${estate.slug}/roster`, { key: "roster.preview.discardedToast" });
    }
    if (!(await getImport(estate.id, importId))) notFound();
    return refuse(intent, "roster.preview.notPending", { submission: read.submission });
  }
  const result = await confirmImport({ estateId: estate.id, importId, userId: user.id });
  if (!result.ok) {
    if (result.error === "notFound") notFound();
    return refuse(intent, "roster.preview.notPending", { submission: read.submission });
  }
  const { unitsNew, unitsUpdated, ownersNew } = result.summary;
  return redirectWithToast(`/e/${estate.slug}/roster/units`, {
    key: "roster.preview.done",
    params: { unitsNew, unitsUpdated, ownersNew },
  });
}

export default function ImportPreview() {
  const { estate, record } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const s = record.summary;
  const counts = [
    ["rows", s.rows],
    ["unitsNew", s.unitsNew],
    ["unitsUpdated", s.unitsUpdated],
    ["unitsUnchanged", s.unitsUnchanged],
    ["unitsNotInFile", s.unitsNotInFile],
    ["buildingsNew", s.buildingsNew],
    ["ownersNew", s.ownersNew],
    ["ownersUpdated", s.ownersUpdated],
    ["ownershipChanged", s.ownershipChanged],
    ["claimedOwnersKept", s.claimedOwnersKept],
  ] as const;
  const nothingChanges = s.unitsNew === 0 && s.unitsUpdated === 0 && s.ownersUpdated === 0;
  return (
    <div>
      <p className="muted">
        <Link to={`/e/${estate.slug}/roster`}>{t("roster.admin.title")}</Link>
      </p>
      <h1>{t("roster.preview.title")}</h1>
      <p className="muted">
        {t("roster.preview.file", { name: record.fileName })} ·{" "}
        {t("roster.preview.encodingNote", { encoding: s.encoding.toUpperCase() })}
      </p>
      <FormError result={actionData} form={["confirm", "discard"]} />
      {record.status === "applied" ? <p className="notice-ok">{t("roster.preview.applied")}</p> : null}
      {record.status === "discarded" ? <p className="alert">{t("roster.preview.discarded")}</p> : null}
      <TableWrap label={t("roster.preview.title")} className="card">
        <table>
          <tbody>
            {counts.map(([key, value]) => (
              <tr key={key}>
                <th scope="row">{t(`roster.preview.${key}`)}</th>
                <td className="num" data-testid={`count-${key}`}>
                  {value}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {nothingChanges ? <p className="notice-ok">{t("roster.preview.noChanges")}</p> : null}
      {s.idNumbers && record.idBasis ? (
        <p data-testid="id-basis">
          {t("roster.preview.idNumbers", {
            count: s.idNumbers,
            basis: t(`roster.import.idBasisOptions.${record.idBasis}`),
          })}
        </p>
      ) : null}
      {s.identityWarnings?.length ? (
        <section className="card" data-testid="identity-warnings">
          <h2 style={{ marginTop: 0 }}>{t("roster.preview.identityWarnings")}</h2>
          <p className="alert">{t("roster.preview.identityWarningsHint")}</p>
          <ul>
            {s.identityWarnings.map((w) => (
              <li key={`${w.lines.join(",")}|${w.tails.join(",")}`}>
                {t("roster.preview.identityWarningLine", {
                  lines: w.lines.join("、"),
                  name: w.name,
                  tails: w.tails.join("、"),
                })}
                {w.onRoster ? t("roster.preview.identityWarningRoster") : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {s.samples.length ? (
        <>
          <h2>{t("roster.preview.changes")}</h2>
          {s.samples.length < s.unitsNew + s.unitsUpdated ? (
            <p className="muted">{t("roster.preview.changesShown", { count: s.samples.length })}</p>
          ) : null}
          <TableWrap label={t("roster.preview.changes")}>
            <table className="compact-table">
              <thead>
                <tr>
                  <th className="num">{t("roster.preview.column.line")}</th>
                  <th>{t("roster.preview.column.unit")}</th>
                  <th>{t("roster.preview.column.status")}</th>
                  <th>{t("roster.preview.column.changes")}</th>
                </tr>
              </thead>
              <tbody>
                {s.samples.map((c) => (
                  <tr key={`${c.building}/${c.unit}`}>
                    <td className="num">{c.line}</td>
                    <td>
                      {c.building} {c.unit}
                    </td>
                    <td>
                      <span className="badge">{t(`roster.preview.status.${c.status}`)}</span>
                    </td>
                    <td className="wrap">
                      {c.changes.map((f) => t(`roster.preview.fields.${f}`)).join("、")}
                      {c.changes.includes("owners") ? (
                        <div className="muted">
                          {t("roster.preview.ownersBefore")}: {c.ownersBefore.join("、") || "—"} →{" "}
                          {t("roster.preview.ownersAfter")}: {c.ownersAfter.join("、") || "—"}
                        </div>
                      ) : c.status === "new" && c.ownersAfter.length ? (
                        <div className="muted">{c.ownersAfter.join("、")}</div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : null}
      {record.status === "preview" ? (
        <Form method="post" className="actions" style={{ marginTop: "1rem" }}>
          <button
            type="submit"
            name="intent"
            value="confirm"
            className="primary"
            disabled={navigation.state !== "idle"}
          >
            {t("roster.preview.confirm")}
          </button>
          <button
            type="submit"
            name="intent"
            value="discard"
            className="secondary"
            disabled={navigation.state !== "idle"}
          >
            {t("roster.preview.discard")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
