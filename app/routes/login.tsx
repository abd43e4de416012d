import { FormProvider, getFormProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { logIn } from "~/auth/accounts.server";
import { startSession } from "~/auth/session.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { Field, FormErrors } from "~/lib/forms/field";

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.user) throw redirect("/");
  return null;
}

const LoginSchema = z.object({
  identifier: z.string({ required_error: "common.errors.required" }).trim().max(254, "common.errors.tooLong"),
  password: z.string({ required_error: "common.errors.required" }).max(128, "common.errors.tooLong"),
  redirectTo: z.string().optional(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const submission = parseWithZod(formData, { schema: LoginSchema });
  if (submission.status !== "success") return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const { identifier, password, redirectTo } = submission.value;
  const result = await logIn(identifier, password, context.ip);
  if (!result.ok) {
    const formErrors =
      result.error === "invalid"
        ? ["auth.login.invalid"]
        : result.error === "wait"
          ? [`auth.login.wait|${Math.max(1, Math.ceil((result.until.getTime() - Date.now()) / 1000))}`]
          : result.justLocked
            ? ["auth.login.justLocked"]
            : [`auth.login.locked|${Math.max(1, Math.ceil((result.until.getTime() - Date.now()) / 60_000))}`];
    return data(submission.reply({ formErrors, hideFields: ["password"] }), { status: result.error === "invalid" ? 400 : 429 });
  }
  return redirect(safeRedirect(redirectTo), { headers: { "Set-Cookie": await startSession(result.userId) } });
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: "login",
    lastResult,
    constraint: getZodConstraint(LoginSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
    shouldRevalidate: "onInput",
  });
  // "auth.login.locked|12": a key with its minutes (or seconds, for auth.login.wait), so the text is in the reader's language.
  const formErrors = form.errors?.map((e) => {
    const [key, count] = e.split("|");
    if (!count) return e;
    return key === "auth.login.wait" ? (t("auth.login.wait", { seconds: count }) as string) : (t(key as "auth.login.locked", { minutes: count }) as string);
  });
  return (
    <section className="card" style={{ maxWidth: 420, margin: "0 auto" }}>
      <h1>{t("auth.login.title")}</h1>
      <FormProvider context={form.context}>
      <Form method="post" {...getFormProps(form)}>
        {searchParams.get("signedUp") === "1" && !formErrors?.length ? (
          <p role="status" className="notice-ok">
            {t("auth.signup.checkMail")}
          </p>
        ) : null}
        <FormErrors id={form.errorId} errors={formErrors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <Field meta={fields.identifier} label={t("auth.login.identifier")} autoComplete="username" />
        <Field meta={fields.password} label={t("auth.login.password")} type="password" autoComplete="current-password" />
        <div className="actions">
          <button type="submit" className="primary">
            {t("auth.login.submit")}
          </button>
          <Link to="/forgot-password">{t("auth.login.forgot")}</Link>
        </div>
      </Form>
      </FormProvider>
      <p>
        {t("auth.login.noAccount")} <Link to={{ pathname: "/signup", search: searchParams.has("redirectTo") ? `?${new URLSearchParams({ redirectTo: searchParams.get("redirectTo")! })}` : "" }}>{t("auth.login.signupLink")}</Link>
      </p>
    </section>
  );
}
