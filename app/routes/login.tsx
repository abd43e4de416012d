import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { logIn, logInByCode } from "~/auth/accounts.server";
import { sendCodeReply, type CodeSent } from "~/auth/code-request.server";
import { startSession } from "~/auth/session.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { Field, ConformForm } from "~/lib/forms/field";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { isFormReply, refusal } from "~/lib/forms/result";

/** On a phone most people log in by code: that tab comes first there (`?by=` chooses either). */
const phoneBrowser = /Mobile|Android|iPhone|MicroMessenger/i;

export async function loader({ context, request }: LoaderFunctionArgs) {
  if (context.user) throw redirect("/");
  const by = new URL(request.url).searchParams.get("by");
  const byCode = by === "code" || (by !== "password" && phoneBrowser.test(request.headers.get("user-agent") ?? ""));
  return { byCode };
}

const phoneField = z.string({ required_error: "common.errors.required" }).trim().max(32, "auth.code.invalidPhone");
const CodeLoginSchema = (intent: string) =>
  z.object({
    phone: phoneField,
    code:
      intent === "sendLoginCode"
        ? z.string().optional()
        : z
            .string({ required_error: "common.errors.required" })
            .trim()
            .regex(/^\d{6}$/, "auth.code.invalidCode"),
    redirectTo: z.string().optional(),
  });

const LoginSchema = z.object({
  identifier: z.string({ required_error: "common.errors.required" }).trim().max(254, "common.errors.tooLong"),
  password: z.string({ required_error: "common.errors.required" }).max(128, "common.errors.tooLong"),
  redirectTo: z.string().optional(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const intent = (await request.clone().formData()).get("intent");
  if (intent === "sendLoginCode" || intent === "codeLogin") return codeAction(request, context.ip);
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

async function codeAction(request: Request, ip: string) {
  const read = await parseForm(request, CodeLoginSchema, { alias: { sendLoginCode: "codeLogin" } });
  if (!read.ok) return read.response;
  const { phone, code, redirectTo } = read.value;
  const form = "codeLogin";
  if (read.intent === "sendLoginCode")
    return sendCodeReply({ form, submission: read.submission, phone, purpose: "login", ip, hideFields: ["code"] });
  const result = await logInByCode(phone, code ?? "", ip);
  if (!result.ok) {
    const o = { submission: read.submission, hideFields: ["code"] };
    if (result.error === "invalid") return refuse(form, { error: "auth.login.codeInvalid", reason: "invalid" }, o);
    if (result.error === "noAccount") return refuse(form, { error: "auth.login.phoneUnknown", reason: "not_found" }, o);
    const left = result.until.getTime() - Date.now();
    if (result.error === "wait")
      return refuse(
        form,
        refusal("rate_limited", "auth.login.wait", { seconds: Math.max(1, Math.ceil(left / 1000)) }),
        o,
      );
    if (result.justLocked) return refuse(form, refusal("rate_limited", "auth.login.justLocked"), o);
    return refuse(
      form,
      refusal("rate_limited", "auth.login.locked", { minutes: Math.max(1, Math.ceil(left / 60_000)) }),
      o,
    );
  }
  return redirect(safeRedirect(redirectTo), { headers: { "Set-Cookie": await startSession(result.userId) } });
}

function CodeLogin() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { t } = useTranslation();
  const [form, fields] = useForm<{ phone: string; code: string; redirectTo: string }>({
    id: "codeLogin",
    lastResult,
    shouldValidate: "onSubmit",
  });
  const errorParams = isFormReply(lastResult) ? lastResult.params : undefined;
  const sentTo = (lastResult as CodeSent | undefined)?.codeSent;
  return (
    <ConformForm form={form} errorParams={errorParams}>
      <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
      <Field meta={fields.phone} label={t("auth.login.phone")} type="tel" autoComplete="tel" />
      <button className="secondary send-code" type="submit" name="intent" value="sendLoginCode" formNoValidate>
        {t("auth.login.sendCode")}
      </button>
      {sentTo ? (
        <p role="status" className="notice-ok">
          {t("auth.login.codeSent", { phone: sentTo })}
        </p>
      ) : null}
      <Field
        meta={fields.code}
        label={t("auth.login.code")}

        autoComplete="one-time-code"
      />
      <div className="actions">
        <button type="submit" name="intent" value="codeLogin" className="primary">
          {t("auth.login.submit")}
        </button>
      </div>
    </ConformForm>
  );
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { byCode } = useLoaderData<typeof loader>();
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
      <nav className="tabs" aria-label={t("auth.login.title")}>
        <Link to={tabLink(searchParams, "code")} aria-current={byCode ? "page" : undefined}>
          {t("auth.login.byCode")}
        </Link>{" "}
        <Link to={tabLink(searchParams, "password")} aria-current={byCode ? undefined : "page"}>
          {t("auth.login.byPassword")}
        </Link>
      </nav>
      {byCode ? (
        <CodeLogin />
      ) : (
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
      )}
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

function tabLink(searchParams: URLSearchParams, by: "code" | "password") {
  const next = new URLSearchParams(searchParams);
  next.set("by", by);
  return `?${next}`;
}
