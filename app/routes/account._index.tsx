import { useForm } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { changePhone, phoneOfAccount } from "~/auth/accounts.server";
import { sendCodeReply, type CodeSent } from "~/auth/code-request.server";
import { requireUser } from "~/auth/session.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { ConformForm, Field } from "~/lib/forms/field";
import { isFormReply, refusal } from "~/lib/forms/result";
import { maskPhone } from "~/ui/mask";
import { Form } from "@remix-run/react";
import { useDateTimeFormat } from "~/lib/time";
import { redirectWithToast } from "~/ui/toast.server";
import { bindingOf, unbindUser } from "~/wechat/bindings.server";
import { isWechatBrowser, wechatAppId } from "~/wechat/login-flow.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const t = await getT(await getLocale(request));
  const { phone, verified } = await phoneOfAccount(user.id);
  const appId = wechatAppId();
  const binding = appId ? await bindingOf(user.id, appId) : null;
  return {
    title: t("account.home.title"),
    email: user.email,
    phone: phone ? maskPhone(phone) : null,
    phoneVerified: verified,
    changed: new URL(request.url).searchParams.get("phone") === "changed",
    wechat: appId
      ? { boundAt: binding ? binding.boundAt.toISOString() : null, inWechat: isWechatBrowser(request) }
      : null,
  };
}

const phone = z
  .string({ required_error: "common.errors.required" })
  .trim()
  .max(32, "account.phone.errors.invalidPhone");
const code = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "auth.code.invalidCode");
const PhoneSchema = (intent: string) =>
  intent === "wechat-unbind"
    ? z.object({})
    : intent === "sendNewCode"
      ? z.object({ newPhone: phone })
      : intent === "sendOldCode"
        ? z.object({})
        : z.object({
            newPhone: phone,
            newCode: code,
            password: z.string().max(128, "common.errors.tooLong").optional(),
            oldCode: code.optional(),
          });

const form = "changePhone";
const hideFields = ["password", "newCode", "oldCode"];

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const read = await parseForm(request, PhoneSchema, { alias: { sendNewCode: form, sendOldCode: form } });
  if (!read.ok) return read.response;
  if (read.intent === "wechat-unbind") {
    await unbindUser(user.id);
    return redirectWithToast("/account", { key: "wechat.account.unbound" });
  }
  const value = read.value as { newPhone?: string; newCode?: string; password?: string; oldCode?: string };
  const base = { form, submission: read.submission, ip: context.ip, userId: user.id, hideFields };
  if (read.intent === "sendNewCode")
    return sendCodeReply({ ...base, phone: value.newPhone ?? "", purpose: "change_number" });
  if (read.intent === "sendOldCode") {
    const current = await phoneOfAccount(user.id);
    if (!current.phone || !current.verified)
      return refuse(form, refusal("conflict", "account.phone.errors.oldCode"), { submission: read.submission });
    return sendCodeReply({ ...base, phone: current.phone, purpose: "change_number" });
  }
  const result = await changePhone({
    userId: user.id,
    newPhone: value.newPhone ?? "",
    newCode: value.newCode ?? "",
    password: value.password ?? null,
    oldCode: value.oldCode ?? null,
    keepSessionId: context.session?.id ?? null,
    ip: context.ip,
  });
  if (!result.ok) {
    const reason = result.error === "locked" || result.error === "wait" ? "rate_limited" : "invalid";
    const key = result.error === "wait" ? "locked" : result.error;
    return refuse(form, refusal(reason, `account.phone.errors.${key}`), { submission: read.submission, hideFields });
  }
  return { ...read.submission.reply({ resetForm: true }), phoneChanged: true };
}

function PhoneSection({ phone, verified }: { phone: string | null; verified: boolean }) {
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation();
  const [phoneForm, fields] = useForm<{ newPhone: string; newCode: string; password: string; oldCode: string }>({
    id: form,
    lastResult: lastResult as never,
    shouldValidate: "onSubmit",
  });
  const errorParams = isFormReply(lastResult) ? lastResult.params : undefined;
  const sentTo = (lastResult as CodeSent | undefined)?.codeSent;
  const changed = !!(lastResult as { phoneChanged?: boolean } | undefined)?.phoneChanged;
  return (
    <section aria-labelledby="phone-title">
      <h2 id="phone-title">{t("account.phone.title")}</h2>
      <p>
        {phone ? t("account.phone.current", { phone }) : t("account.phone.none")}
        {phone && !verified ? ` ${t("account.phone.unverified")}` : null}
      </p>
      {changed ? (
        <p role="status" className="notice-ok">
          {t("account.phone.changed")}
        </p>
      ) : null}
      <ConformForm form={phoneForm} errorParams={errorParams}>
        <Field meta={fields.newPhone} label={t("account.phone.newPhone")} type="tel" autoComplete="tel" />
        <button className="secondary send-code" type="submit" name="intent" value="sendNewCode" formNoValidate>
          {t("account.phone.sendNewCode")}
        </button>
        {sentTo ? (
          <p role="status" className="notice-ok">
            {t("account.phone.codeSent", { phone: sentTo })}
          </p>
        ) : null}
        <Field meta={fields.newCode} label={t("account.phone.newCode")} autoComplete="one-time-code" />
        <Field
          meta={fields.password}
          label={t("account.phone.password")}
          type="password"
          autoComplete="current-password"
        />
        {phone && verified ? (
          <>
            <button className="secondary send-code" type="submit" name="intent" value="sendOldCode" formNoValidate>
              {t("account.phone.sendOldCode")}
            </button>
            <Field meta={fields.oldCode} label={t("account.phone.oldCode")} autoComplete="off" />
          </>
        ) : null}
        <button type="submit" name="intent" value="changePhone" className="primary">
          {t("account.phone.submit")}
        </button>
      </ConformForm>
    </section>
  );
}

export default function AccountHome() {
  const { email, phone, phoneVerified, wechat } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium" });
  return (
    <section className="card" style={{ maxWidth: 560, margin: "0 auto" }}>
      <h1>{t("account.home.title")}</h1>
      <p className="muted">
        {email ? t("account.home.signedInAs", { email }) : t("account.home.signedInAsPhone", { phone: phone ?? "" })}
      </p>
      <ul className="list-plain">
        <li>
          <Link to="/settings/notifications">{t("account.home.notifications")}</Link>
          <p className="muted">{t("account.home.notificationsHint")}</p>
        </li>
        <li>
          {/* A plain link: the browser saves the file (Content-Disposition), no client-side routing. */}
          <a href="/account/data" download>
            {t("account.home.data")}
          </a>
          <p className="muted">{t("account.home.dataHint")}</p>
        </li>
        <li>
          <Link to="/account/delete">{t("account.home.delete")}</Link>
          <p className="muted">{t("account.home.deleteHint")}</p>
        </li>
      </ul>
      <PhoneSection phone={phone} verified={phoneVerified} />
      {wechat ? (
        <section aria-labelledby="account-wechat">
          <h2 id="account-wechat">{t("wechat.account.title")}</h2>
          {wechat.boundAt ? (
            <Form method="post">
              <p>{t("wechat.account.bound", { date: date.format(new Date(wechat.boundAt)) })}</p>
              <button className="secondary" type="submit" name="intent" value="wechat-unbind">
                {t("wechat.account.unbind")}
              </button>
            </Form>
          ) : (
            <>
              <p>{t("wechat.account.notBound")}</p>
              {wechat.inWechat ? (
                <a href="/wechat/start?returnTo=/account">{t("wechat.account.bindHere")}</a>
              ) : (
                <p className="muted">{t("wechat.account.bindHint")}</p>
              )}
            </>
          )}
        </section>
      ) : null}
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · 议事堂` : "议事堂" }];
