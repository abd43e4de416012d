import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import type { RosterIssue } from "~/roster/roster-csv";
import { idBases, requiredRosterFields, rosterFields, rosterLimits } from "~/roster/roster-fields";
import { previewImport } from "~/roster/roster.server";
import { RosterIssues } from "~/roster/roster-issues";
import { FieldErrors } from "~/lib/forms/field";
import { readUploadForm } from "~/lib/forms/form-data.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "roster:admin");
  const t = await getT(await getLocale(request));
  return { title: `${t("roster.import.title")} · ${estate.name}`, estate: { slug: estate.slug, name: estate.name } };
}

const ImportSchema = z.object({
  file: z.custom<File>(
    (value) => typeof value === "object" && value !== null && "arrayBuffer" in value && (value as File).size > 0,
    {
      message: "roster.import.fileRequired",
    },
  ),
  /** Required by the server when the file has ID numbers (known only once it is read). */
  idBasis: z.enum(idBases).optional(),
});

/** At most this many problems travel to the page; the total is given. */
const shownIssues = 500;

function refused(issues: RosterIssue[], status: number) {
  return data({ issues: issues.slice(0, shownIssues), issueCount: issues.length, result: undefined }, { status });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "roster:admin");
  const tooLarge = [
    { line: null, code: "fileTooLarge" as const, params: { maxMb: rosterLimits.maxBytes / 1024 / 1024 } },
  ];
  // Refused by Content-Length before it is read, or as the counted body passes the limit.
  const read = await readUploadForm(request, {
    maxPartBytes: rosterLimits.maxBytes,
    maxRequestBytes: rosterLimits.maxBytes + 64 * 1024,
    tooLarge: "fileTooLarge",
    partTooLarge: "fileTooLarge",
  });
  if (!read.ok && read.error === "fileTooLarge") return refused(tooLarge, 413);
  if (!read.ok) {
    const reply = parseWithZod(new FormData(), { schema: ImportSchema }).reply({ fieldErrors: { file: [read.error] } });
    return data({ issues: [], issueCount: 0, result: reply }, { status: 400 });
  }
  const formData = read.formData;
  const submission = parseWithZod(formData, { schema: ImportSchema });
  if (submission.status !== "success")
    return data({ issues: [], issueCount: 0, result: submission.reply() }, { status: 400 });
  const { file, idBasis } = submission.value;
  const outcome = await previewImport({
    idBasis: idBasis ?? null,
    estateId: estate.id,
    userId: user.id,
    fileName: file.name || "roster.csv",
    bytes: new Uint8Array(await file.arrayBuffer()),
  });
  if (!outcome.ok) return refused(outcome.issues, 422);
  return redirect(`/e/${estate.slug}/roster/import/${outcome.importId}`);
}

export default function RosterImport() {
  const { estate } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "roster-import",
    lastResult: actionData?.result,
    constraint: getZodConstraint(ImportSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ImportSchema }),
  });
  const fileProps = getInputProps(fields.file, { type: "file" });
  return (
    <div>
      <p className="muted">
        <Link to={`/e/${estate.slug}/roster`}>{t("roster.admin.title")}</Link>
      </p>
      <h1>{t("roster.import.title")}</h1>
      <p>{t("roster.import.intro")}</p>
      {actionData?.issueCount ? <RosterIssues issues={actionData.issues} count={actionData.issueCount} /> : null}
      <Form method="post" encType="multipart/form-data" className="card" {...getFormProps(form)}>
        <div className="field">
          <label htmlFor={fields.file.id}>{t("roster.import.file")}</label>
          <input {...fileProps} key={fileProps.key} accept=".csv,text/csv" />
          <FieldErrors id={fields.file.errorId} errors={fields.file.errors} />
        </div>
        <fieldset aria-describedby="id-why">
          <legend>{t("roster.import.idBasis")}</legend>
          <p className="hint" id="id-why">
            {t("roster.import.idSensitive")}
          </p>
          {idBases.map((basis) => (
            <label key={basis} className="check">
              <input type="radio" name={fields.idBasis.name} value={basis} />{" "}
              {t(`roster.import.idBasisOptions.${basis}`)}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
            {t("roster.import.submit")}
          </button>
        </div>
      </Form>
      <section className="card">
        <p style={{ marginTop: 0 }}>{t("roster.import.columnsHelp")}</p>
        <ul>
          {rosterFields.map((f) => (
            <li key={f}>
              {t(`roster.columns.${f}`)}{" "}
              <span className="muted">
                ({requiredRosterFields.includes(f) ? t("roster.import.required") : t("roster.import.optional")})
              </span>
            </li>
          ))}
        </ul>
        <p>{t("roster.import.help")}</p>
        <h2>{t("roster.import.idTitle")}</h2>
        <p>{t("roster.import.idWhy")}</p>
        <p>{t("roster.import.idSensitive")}</p>
        <p style={{ marginBottom: 0 }}>{t("roster.import.example")}</p>
        <pre className="csv-example">{t("roster.import.exampleCsv")}</pre>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
