import { nameField } from "~/lib/text";
import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { signUp } from "~/auth/accounts.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { getLocale } from "~/i18n/i18n.server";
import { Field, ConformForm } from "~/lib/forms/field";
import { parseForm, refuse } from "~/lib/forms/action.server";

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.user) throw redirect("/");
  return null;
}

const SignupSchema = z
  .object({
    email: z
      .string({ required_error: "common.errors.required" })
      .trim()
      .email("common.errors.invalidEmail")
      .max(254, "common.errors.tooLong"),
    displayName: nameField(40),
    phone: z
      .string()
      .trim()
      .regex(/^(\+?86[- ]?)?1[3-9]\d{9}$/, "auth.signup.invalidPhone")
      .optional(),
    password: z
      .string({ required_error: "common.errors.required" })
      .min(8, "auth.signup.passwordTooShort")
      .max(128, "auth.signup.passwordTooLong"),
    confirmPassword: z.string({ required_error: "common.errors.required" }),
    redirectTo: z.string().optional(),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "auth.signup.passwordsDiffer",
  });

export async function action({ request, context }: ActionFunctionArgs) {
  const hideFields = ["password", "confirmPassword"];
  const read = await parseForm(request, SignupSchema, { form: "signup", hideFields });
  if (!read.ok) return read.response;
  const { email, displayName, phone, password, redirectTo } = read.value;
  const result = await signUp({ email, displayName, phone, password, locale: await getLocale(request) }, context.ip);
  if (!result.ok)
    return refuse(
      "signup",
      { error: "auth.signup.tooMany", reason: "rate_limited" },
      { submission: read.submission, hideFields },
    );
  // The same answer whether or not the email was already registered (its owner gets a mail
  // saying someone tried): check your mail, then log in. No session is started here.
  const next = new URLSearchParams({ signedUp: "1" });
  const target = safeRedirect(redirectTo);
  if (target !== "/") next.set("redirectTo", target);
  return redirect(`/login?${next}`);
}

export default function Signup() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "signup",
    lastResult,
    constraint: getZodConstraint(SignupSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignupSchema }),
    shouldRevalidate: "onInput",
  });
  return (
    <section className="card" style={{ maxWidth: 460, margin: "0 auto" }}>
      <h1>{t("auth.signup.title")}</h1>
      <ConformForm form={form}>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <Field meta={fields.email} label={t("auth.signup.email")} type="email" autoComplete="email" />
        <Field
          meta={fields.displayName}
          label={t("auth.signup.displayName")}
          hint={t("auth.signup.displayNameHint")}
          autoComplete="name"
        />
        <Field meta={fields.phone} label={t("auth.signup.phone")} type="tel" autoComplete="tel" />
        <Field meta={fields.password} label={t("auth.signup.password")} type="password" autoComplete="new-password" />
        <Field
          meta={fields.confirmPassword}
          label={t("auth.signup.confirmPassword")}
          type="password"
          autoComplete="new-password"
        />
        <button type="submit" className="primary">
          {t("auth.signup.submit")}
        </button>
      </ConformForm>
      <p>
        {t("auth.signup.haveAccount")}{" "}
        <Link
          to={{
            pathname: "/login",
            search: searchParams.has("redirectTo")
              ? `?${new URLSearchParams({ redirectTo: searchParams.get("redirectTo")! })}`
              : "",
          }}
        >
          {t("auth.signup.loginLink")}
        </Link>
      </p>
    </section>
  );
}
