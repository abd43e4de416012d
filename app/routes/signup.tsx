import { nameField } from "~/lib/text";
import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { signUp, signUpByPhone } from "~/auth/accounts.server";
import { sendCodeReply, type CodeSent } from "~/auth/code-request.server";
import { startSession } from "~/auth/session.server";
import { isFormReply, refusal } from "~/lib/forms/result";
import { safeRedirect } from "~/lib/safe-redirect";
import { getLocale } from "~/i18n/i18n.server";
import { Field, ConformForm } from "~/lib/forms/field";
import { parseForm, refuse } from "~/lib/forms/action.server";

const phoneBrowser = /Mobile|Android|iPhone|MicroMessenger/i;

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.user) throw redirect("/");
  const by = new URL(request.url).searchParams.get("by");
  const byPhone = by === "phone" || (by !== "email" && phoneBrowser.test(request.headers.get("user-agent") ?? ""));
  return { byPhone };
}

const PhoneSignupSchema = (intent: string) =>
  intent === "sendSignupCode"
    ? z.object({
        phone: z.string({ required_error: "common.errors.required" }).trim().max(32, "auth.code.invalidPhone"),
      })
    : z.object({
        phone: z.string({ required_error: "common.errors.required" }).trim().max(32, "auth.code.invalidPhone"),
        code: z
          .string({ required_error: "common.errors.required" })
          .trim()
          .regex(/^\d{6}$/, "auth.code.invalidCode"),
        displayName: nameField(40),
        password: z.string().min(8, "auth.signup.passwordTooShort").max(128, "auth.signup.passwordTooLong").optional(),
        email: z.string().trim().email("common.errors.invalidEmail").max(254, "common.errors.tooLong").optional(),
        redirectTo: z.string().optional(),
      });

async function phoneAction(request: Request, ip: string) {
  const form = "phoneSignup";
  const hideFields = ["password", "code"];
  const read = await parseForm(request, PhoneSignupSchema, { alias: { sendSignupCode: form } });
  if (!read.ok) return read.response;
  const value = read.value as {
    phone: string;
    code?: string;
    displayName?: string;
    password?: string;
    email?: string;
    redirectTo?: string;
  };
  if (read.intent === "sendSignupCode")
    return sendCodeReply({ form, submission: read.submission, phone: value.phone, purpose: "signup", ip, hideFields });
  const result = await signUpByPhone(
    {
      phone: value.phone,
      code: value.code ?? "",
      displayName: value.displayName ?? "",
      password: value.password ?? null,
      email: value.email ?? null,
      locale: await getLocale(request),
    },
    ip,
  );
  const o = { submission: read.submission, hideFields };
  if (!result.ok)
    return result.error === "tooMany"
      ? refuse(form, refusal("rate_limited", "auth.signup.tooMany"), o)
      : refuse(
          form,
          { error: "auth.signup.codeInvalid", fields: { code: ["auth.signup.codeInvalid"] }, reason: "invalid" },
          o,
        );
  // The code proved the number is theirs: they are in (their existing account, if the number had one).
  return redirect(safeRedirect(value.redirectTo), { headers: { "Set-Cookie": await startSession(result.userId) } });
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
  const intent = (await request.clone().formData()).get("intent");
  if (intent === "sendSignupCode" || intent === "phoneSignup") return phoneAction(request, context.ip);
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
  // They chose email and a password: the password tab, whatever the device.
  const next = new URLSearchParams({ signedUp: "1", by: "password" });
  const target = safeRedirect(redirectTo);
  if (target !== "/") next.set("redirectTo", target);
  return redirect(`/login?${next}`);
}

function PhoneSignup() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const [form, fields] = useForm<{
    phone: string;
    code: string;
    displayName: string;
    password: string;
    email: string;
    redirectTo: string;
  }>({ id: "phoneSignup", lastResult: lastResult as never, shouldValidate: "onSubmit" });
  const errorParams = isFormReply(lastResult) ? lastResult.params : undefined;
  const sentTo = (lastResult as CodeSent | undefined)?.codeSent;
  return (
    <ConformForm form={form} errorParams={errorParams}>
      <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
      <Field meta={fields.phone} label={t("auth.signup.phoneMobile")} type="tel" autoComplete="tel" />
      <button className="secondary send-code" type="submit" name="intent" value="sendSignupCode" formNoValidate>
        {t("auth.signup.sendCode")}
      </button>
      {sentTo ? (
        <p role="status" className="notice-ok">
          {t("auth.signup.codeSent", { phone: sentTo })}
        </p>
      ) : null}
      <Field meta={fields.code} label={t("auth.signup.code")} autoComplete="one-time-code" />
      <Field
        meta={fields.displayName}
        label={t("auth.signup.displayName")}
        hint={t("auth.signup.displayNameHint")}
        autoComplete="name"
      />
      <Field
        meta={fields.password}
        label={t("auth.signup.optionalPassword")}
        type="password"
        autoComplete="new-password"
      />
      <Field meta={fields.email} label={t("auth.signup.optionalEmail")} type="email" autoComplete="email" />
      <button type="submit" name="intent" value="phoneSignup" className="primary">
        {t("auth.signup.submit")}
      </button>
    </ConformForm>
  );
}

function tabLink(searchParams: URLSearchParams, by: "phone" | "email") {
  const next = new URLSearchParams(searchParams);
  next.set("by", by);
  return `?${next}`;
}

export default function Signup() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { byPhone } = useLoaderData<typeof loader>();
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
      <nav className="tabs" aria-label={t("auth.signup.title")}>
        <Link to={tabLink(searchParams, "phone")} aria-current={byPhone ? "page" : undefined}>
          {t("auth.signup.byPhone")}
        </Link>{" "}
        <Link to={tabLink(searchParams, "email")} aria-current={byPhone ? undefined : "page"}>
          {t("auth.signup.byEmail")}
        </Link>
      </nav>
      {byPhone ? (
        <PhoneSignup />
      ) : (
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
      )}
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
