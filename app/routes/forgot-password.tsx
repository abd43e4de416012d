import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { redirect } from "@remix-run/node";
import { sendCodeReply, type CodeSent } from "~/auth/code-request.server";
import { requestPasswordReset, resetPasswordByCode } from "~/auth/password-reset.server";
import { isFormReply } from "~/lib/forms/result";
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

const PhoneResetSchema = (intent: string) =>
  z.object({
    phone: z.string({ required_error: "common.errors.required" }).trim().max(32, "auth.code.invalidPhone"),
    code:
      intent === "sendResetCode"
        ? z.string().optional()
        : z
            .string({ required_error: "common.errors.required" })
            .trim()
            .regex(/^\d{6}$/, "auth.code.invalidCode"),
    password:
      intent === "sendResetCode"
        ? z.string().optional()
        : z
            .string({ required_error: "common.errors.required" })
            .min(8, "auth.signup.passwordTooShort")
            .max(128, "auth.signup.passwordTooLong"),
  });

async function phoneAction(request: Request, ip: string) {
  const form = "phoneReset";
  const hideFields = ["password", "code"];
  const read = await parseForm(request, PhoneResetSchema, { alias: { sendResetCode: form } });
  if (!read.ok) return read.response;
  const { phone, code, password } = read.value;
  if (read.intent === "sendResetCode")
    return sendCodeReply({ form, submission: read.submission, phone, purpose: "reset", ip, hideFields });
  const done = await resetPasswordByCode(phone, code ?? "", password ?? "");
  if (!done.ok)
    return refuse(
      form,
      { error: "auth.reset.invalid", reason: "invalid" },
      { submission: read.submission, hideFields },
    );
  return redirect("/login?by=password&reset=1");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const intent = (await request.clone().formData()).get("intent");
  if (intent === "sendResetCode" || intent === "phoneReset") return phoneAction(request, context.ip);
  const read = await parseForm(request, ForgotSchema, { form: "forgot" });
  if (!read.ok) return read.response;
  const { value, submission } = read;
  if (value.website) return { result: submission.reply({ resetForm: true }), sent: true };
  const outcome = await requestPasswordReset(value.email, context.ip);
  if (!outcome.ok) return refuse("forgot", { error: "notify.forgot.tooMany", reason: "rate_limited" }, { submission });
  // The same answer whether or not the email is registered.
  return { result: submission.reply({ resetForm: true }), sent: true };
}

function PhoneReset() {
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm<{ phone: string; code: string; password: string }>({
    id: "phoneReset",
    lastResult:
      isFormReply(lastResult, "phoneReset") || (lastResult as CodeSent)?.codeSent ? (lastResult as never) : undefined,
    shouldValidate: "onSubmit",
  });
  const errorParams = isFormReply(lastResult) ? lastResult.params : undefined;
  const sentTo = (lastResult as CodeSent | undefined)?.codeSent;
  return (
    <section aria-labelledby="phone-reset-title">
      <h2 id="phone-reset-title">{t("auth.reset.byPhone")}</h2>
      <ConformForm form={form} errorParams={errorParams}>
        <Field meta={fields.phone} label={t("auth.reset.phone")} type="tel" autoComplete="tel" />
        <button className="secondary send-code" type="submit" name="intent" value="sendResetCode" formNoValidate>
          {t("auth.reset.sendCode")}
        </button>
        {sentTo ? (
          <p role="status" className="notice-ok">
            {t("auth.reset.codeSent", { phone: sentTo })}
          </p>
        ) : null}
        <Field meta={fields.code} label={t("auth.reset.code")} autoComplete="one-time-code" />
        <Field meta={fields.password} label={t("auth.reset.password")} type="password" autoComplete="new-password" />
        <button type="submit" name="intent" value="phoneReset" className="primary">
          {t("auth.reset.submit")}
        </button>
      </ConformForm>
    </section>
  );
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const sent = actionData && "sent" in actionData ? actionData : undefined;
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "forgot-password",
    // The phone form's answers are its own.
    lastResult: !actionData
      ? undefined
      : "sent" in actionData
        ? actionData.result
        : isFormReply(actionData, "forgot")
          ? actionData
          : undefined,
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
      <PhoneReset />
    </section>
  );
}
