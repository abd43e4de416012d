import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { estateAdmins, requireEstateRole } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import type { RosterIssue } from "~/roster/roster-csv";
import { requiredRosterFields, rosterFields, rosterLimits } from "~/roster/roster-fields";
import { previewImport } from "~/roster/roster.server";
import { RosterIssues } from "~/roster/roster-issues";
import { FieldErrors } from "~/ui/field";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstateRole(request, context, params.estate, estateAdmins);
  const t = await getT(await getLocale(request));
  return { title: `${t("roster.import.title")} · ${estate.name}`, estate: { slug: estate.slug, name: estate.name } };
}

const ImportSchema = z.object({
  file: z.custom<File>((value) => typeof value === "object" && value !== null && "arrayBuffer" in value && (value as File).size > 0, {
    message: "roster.import.fileRequired",
  }),
});

/** At most this many problems travel to the page; the total is given. */
const shownIssues = 500;

function refused(issues: RosterIssue[], status: number) {
  return data({ issues: issues.slice(0, shownIssues), issueCount: issues.length, result: undefined }, { status });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstateRole(request, context, params.estate, estateAdmins);
  const tooLarge = [{ line: null, code: "fileTooLarge" as const, params: { maxMb: rosterLimits.maxBytes / 1024 / 1024 } }];
  // Refuse an oversized upload before reading it (the form's other fields are a few bytes).
  if (Number(request.headers.get("Content-Length") ?? 0) > rosterLimits.maxBytes + 64 * 1024) return refused(tooLarge, 413);
  let formData: FormData;
  try {
    formData = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: rosterLimits.maxBytes }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return refused(tooLarge, 413);
    if (error instanceof TypeError) return data({ issues: [], issueCount: 0, result: undefined }, { status: 400 });
    throw error;
  }
  const submission = parseWithZod(formData, { schema: ImportSchema });
  if (submission.status !== "success") return data({ issues: [], issueCount: 0, result: submission.reply() }, { status: 400 });
  const { file } = submission.value;
  const outcome = await previewImport({
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
              <span className="muted">({requiredRosterFields.includes(f) ? t("roster.import.required") : t("roster.import.optional")})</span>
            </li>
          ))}
        </ul>
        <p>{t("roster.import.help")}</p>
        <p style={{ marginBottom: 0 }}>{t("roster.import.example")}</p>
        <pre className="csv-example">
          {t("roster.import.exampleCsv")}
        </pre>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
