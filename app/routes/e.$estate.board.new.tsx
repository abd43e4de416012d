import { getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { boardNoticeAuthors } from "#db/values";
import { requireEstatePermission } from "~/auth/guards.server";
import { authorsFor } from "~/board/authors";
import { noticePath, postNotice } from "~/board/board.server";
import { maxBodyLength, maxTitleLength } from "~/board/limits";
import { getLocale, getT } from "~/i18n/i18n.server";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { ConformForm, Field, FieldErrors } from "~/lib/forms/field";
import { freeText, nameField } from "~/lib/text";
import { redirectWithToast } from "~/ui/toast.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "board:post");
  const t = await getT(await getLocale(request));
  return {
    title: `${t("board.new.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    authors: authorsFor(roles),
  };
}

const NoticeSchema = z.object({
  as: z.enum(boardNoticeAuthors, {
    required_error: "common.errors.required",
    invalid_type_error: "common.errors.invalid",
  }),
  title: nameField(maxTitleLength),
  body: freeText(maxBodyLength).pipe(z.string().min(1, "common.errors.required")),
  publicityDays: z.coerce
    .number()
    .int("common.errors.invalid")
    .min(1, "common.errors.invalid")
    .max(90, "common.errors.invalid")
    .optional(),
  tellCommunity: z.literal("on").optional(),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "board:post");
  const read = await parseForm(request, NoticeSchema, { form: "notice" });
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  if (!authorsFor(roles).includes(v.as))
    return refuse("notice", { error: "board.errors.notAuthor", reason: "forbidden" }, { submission });
  const { id } = await getDb().transaction((tx) =>
    postNotice(tx, {
      estateId: estate.id,
      kind: "general",
      title: v.title,
      body: v.body,
      postedBy: user.id,
      author: v.as,
      publicityDays: v.publicityDays,
      tellCommunity: v.tellCommunity === "on",
    }),
  );
  return redirectWithToast(noticePath(estate.slug, id), { key: "board.new.posted" });
}

export default function NewNotice() {
  const { estate, authors } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "new-notice",
    lastResult,
    constraint: getZodConstraint(NoticeSchema),
    defaultValue: { as: authors[0] },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: NoticeSchema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
  return (
    <div>
      <p>
        <Link to={`/e/${estate.slug}/board`}>← {t("board.back")}</Link>
      </p>
      <section className="card">
        <h1>{t("board.new.title")}</h1>
        <p className="muted">{t("board.new.intro")}</p>
        <ConformForm form={form}>
          <div className="field">
            <label htmlFor={fields.as.id}>{t("board.new.as")}</label>
            <select {...getSelectProps(fields.as)} key={fields.as.key}>
              {authors.map((a) => (
                <option key={a} value={a}>
                  {t(`board.authors.${a}`)}
                </option>
              ))}
            </select>
            <FieldErrors id={fields.as.errorId} errors={fields.as.errors} />
          </div>
          <Field meta={fields.title} label={t("board.new.titleField")} />
          <div className="field">
            <label htmlFor={fields.body.id}>{t("board.new.body")}</label>
            <textarea {...getTextareaProps(fields.body)} key={fields.body.key} rows={10} />
            <p className="hint">{t("board.new.bodyHint")}</p>
            <FieldErrors id={fields.body.errorId} errors={fields.body.errors} />
          </div>
          <Field
            meta={fields.publicityDays}
            type="number"
            label={t("board.new.publicityDays")}
            hint={t("board.new.publicityHint")}
          />
          <div className="field">
            <label style={{ fontWeight: 400, display: "flex", gap: "0.5rem", alignItems: "center" }}>
              <input type="checkbox" name={fields.tellCommunity.name} />
              {t("board.new.tellCommunity")}
            </label>
          </div>
          <button type="submit" className="primary">
            {t("board.new.submit")}
          </button>
        </ConformForm>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
