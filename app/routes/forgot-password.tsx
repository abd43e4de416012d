import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requestPasswordReset } from "~/auth/password-reset.server";
import { Field, ConformForm } from "~/lib/forms/field";
import { parseForm, refuse } from "~/lib/forms/action.server";

const ForgotSchema = z.object({
  email: z
    .string({ required_error: "common.errors.required" })
    .trim()
    .email("common.errors.invalidEmail")
    .max(254, "common.errors.tooLong"),
  /** A field people never see: a bot that fills it in gets the usual answer and nothing is sent. */
  website: z.string().optional(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const read = await parseForm(request, ForgotSchema, { form: "forgot" });
  if (!read.ok) return read.response;
  const { value, submission } = read;
  if (value.website) return { result: submission.reply({ resetForm: true }), sent: true };
  const outcome = await requestPasswordReset(value.email, context.ip);
  if (!outcome.ok) return refuse("forgot", { error: "notify.forgot.tooMany", reason: "rate_limited" }, { submission });
  // The same answer whether or not the email is registered.
  return { result: submission.reply({ resetForm: true }), sent: true };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const sent = actionData && "sent" in actionData ? actionData : undefined;
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "forgot-password",
    lastResult: !actionData ? undefined : "sent" in actionData ? actionData.result : actionData,
    constraint: getZodConstraint(ForgotSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotSchema }),
    shouldRevalidate: "onInput",
  });
  return (
    <section className="card" style={{ maxWidth: 420, margin: "0 auto" }}>
      <h1>{t("notify.forgot.title")}</h1>
      {sent?.sent ? (
        <p role="status" className="notice-ok">
          {t("notify.forgot.sent")}
        </p>
      ) : (
        <p>{t("notify.forgot.intro")}</p>
      )}
      <ConformForm form={form}>
        <Field meta={fields.email} label={t("notify.forgot.email")} type="email" autoComplete="email" />
        <div className="honeypot" aria-hidden="true">
          <label htmlFor="forgot-website">Website</label>
          <input id="forgot-website" name="website" type="text" tabIndex={-1} autoComplete="off" />
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            {t("notify.forgot.submit")}
          </button>
          <Link to="/login">{t("notify.forgot.back")}</Link>
        </div>
      </ConformForm>
    </section>
  );
}
