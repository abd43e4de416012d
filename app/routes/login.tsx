import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { logIn } from "~/auth/accounts.server";
import { startSession } from "~/auth/session.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { Field, ConformForm } from "~/lib/forms/field";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { isFormReply, refusal } from "~/lib/forms/result";

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
  const hideFields = ["password"];
  const read = await parseForm(request, LoginSchema, { form: "login", hideFields });
  if (!read.ok) return read.response;
  const { identifier, password, redirectTo } = read.value;
  const result = await logIn(identifier, password, context.ip);
  if (!result.ok) {
    const o = { submission: read.submission, hideFields };
    if (result.error === "invalid") return refuse("login", { error: "auth.login.invalid", reason: "invalid" }, o);
    const left = result.until.getTime() - Date.now();
    if (result.error === "wait")
      return refuse(
        "login",
        refusal("rate_limited", "auth.login.wait", { seconds: Math.max(1, Math.ceil(left / 1000)) }),
        o,
      );
    if (result.justLocked) return refuse("login", refusal("rate_limited", "auth.login.justLocked"), o);
    return refuse(
      "login",
      refusal("rate_limited", "auth.login.locked", { minutes: Math.max(1, Math.ceil(left / 60_000)) }),
      o,
    );
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
  // A lock's message needs its minutes (or seconds, for auth.login.wait): they come with the refusal.
  const errorParams = isFormReply(lastResult) ? lastResult.params : undefined;
  return (
    <section className="card" style={{ maxWidth: 420, margin: "0 auto" }}>
      <h1>{t("auth.login.title")}</h1>
      <ConformForm form={form} errorParams={errorParams}>
        {searchParams.get("signedUp") === "1" && !form.errors?.length ? (
          <p role="status" className="notice-ok">
            {t("auth.signup.checkMail")}
          </p>
        ) : null}
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <Field meta={fields.identifier} label={t("auth.login.identifier")} autoComplete="username" />
        <Field
          meta={fields.password}
          label={t("auth.login.password")}
          type="password"
          autoComplete="current-password"
        />
        <div className="actions">
          <button type="submit" className="primary">
            {t("auth.login.submit")}
          </button>
          <Link to="/forgot-password">{t("auth.login.forgot")}</Link>
        </div>
      </ConformForm>
      <p>
        {t("auth.login.noAccount")}{" "}
        <Link
          to={{
            pathname: "/signup",
            search: searchParams.has("redirectTo")
              ? `?${new URLSearchParams({ redirectTo: searchParams.get("redirectTo")! })}`
              : "",
          }}
        >
          {t("auth.login.signupLink")}
        </Link>
      </p>
    </section>
  );
}
