import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { resetLinkValid, resetPassword } from "~/auth/password-reset.server";
import { Field, ConformForm } from "~/lib/forms/field";
import { redirectWithToast } from "~/ui/toast.server";
import { parseForm, refuse } from "~/lib/forms/action.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const valid = await resetLinkValid(params.token ?? "");
  return data({ valid }, { status: valid ? 200 : 410, headers: { "Referrer-Policy": "no-referrer" } });
}

const ResetSchema = z
  .object({
    password: z
      .string({ required_error: "common.errors.required" })
      .min(8, "auth.signup.passwordTooShort")
      .max(128, "auth.signup.passwordTooLong"),
    confirmPassword: z.string({ required_error: "common.errors.required" }),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "auth.signup.passwordsDiffer",
  });

export async function action({ request, params }: ActionFunctionArgs) {
  const hideFields = ["password", "confirmPassword"];
  const read = await parseForm(request, ResetSchema, { form: "reset", hideFields });
  if (!read.ok) return read.response;
  const result = await resetPassword(params.token ?? "", read.value.password);
  if (!result.ok)
    return refuse(
      "reset",
      { error: "notify.reset.invalid", reason: "gone" },
      { submission: read.submission, hideFields },
    );
  return redirectWithToast("/login", { key: "notify.reset.done" });
}

export default function ResetPassword() {
  const { valid } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "reset-password",
    lastResult,
    constraint: getZodConstraint(ResetSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetSchema }),
    shouldRevalidate: "onInput",
  });
  if (!valid) {
    return (
      <section className="card" style={{ maxWidth: 420, margin: "0 auto" }}>
        <h1>{t("notify.reset.title")}</h1>
        <p className="alert">{t("notify.reset.invalid")}</p>
        <Link to="/forgot-password">{t("notify.reset.again")}</Link>
      </section>
    );
  }
  return (
    <section className="card" style={{ maxWidth: 420, margin: "0 auto" }}>
      <h1>{t("notify.reset.title")}</h1>
      <ConformForm form={form}>
        <Field meta={fields.password} label={t("notify.reset.password")} type="password" autoComplete="new-password" />
        <Field
          meta={fields.confirmPassword}
          label={t("notify.reset.confirmPassword")}
          type="password"
          autoComplete="new-password"
        />
        <button type="submit" className="primary">
          {t("notify.reset.submit")}
        </button>
      </ConformForm>
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: "议事堂 Yishitang" }, { name: "referrer", content: "no-referrer" }];
