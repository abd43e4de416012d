import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { signUpByPhone } from "~/auth/accounts.server";
import { requestCode } from "~/auth/sms-codes.server";
import { bindAndLogIn } from "~/auth/wechat-login.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { FormError } from "~/lib/forms/form-error";
import { refusal } from "~/lib/forms/result";
import { clearPendingBindingCookie, readPendingBinding, wechatAppId } from "~/wechat/login-flow.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const t = await getT(await getLocale(request));
  const pending = await readPendingBinding(request);
  return {
    title: t("wechat.bind.title"),
    pending: pending !== null && wechatAppId() !== null,
    user: context.user ? { displayName: context.user.displayName } : null,
  };
}

const phoneField = z
  .string({ required_error: "common.errors.required" })
  .trim()
  .regex(/^(\+?86)?1\d{10}$/, "wechat.bind.badPhone");
const schemaFor = (intent: string) =>
  intent === "send-code"
    ? z.object({ intent: z.literal("send-code"), phone: phoneField })
    : intent === "verify"
      ? z.object({
          intent: z.literal("verify"),
          phone: phoneField,
          code: z.string({ required_error: "common.errors.required" }).trim().max(12, "common.errors.tooLong"),
          displayName: z.string().trim().max(40, "common.errors.tooLong").optional(),
        })
      : z.object({ intent: z.literal("bind-current") });

/**
 * Binds the openid WeChat vouched for (in the signed pending cookie, never from the form) to an
 * account: the logged-in one, or the one a phone and an SMS code prove (a registered number
 * logs in, a new one signs up; the same code purpose and answer either way).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const read = await parseForm(request, schemaFor, { alias: { "send-code": "verify" } });
  if (!read.ok) return read.response;
  const pending = await readPendingBinding(request);
  const appId = wechatAppId();
  if (!pending || !appId) return refuse(read.intent, { error: "wechat.bind.expired", reason: "invalid" });
  const value = read.value;
  let userId: string;
  if (value.intent === "send-code") {
    const sent = await requestCode({ phone: value.phone, purpose: "signup", ip: context.ip });
    if (!sent.ok && sent.error === "invalidPhone")
      return refuse("verify", { error: "wechat.bind.badPhone", reason: "invalid" });
    if (!sent.ok && sent.error !== "sendFailed")
      return refuse("verify", refusal("rate_limited", "wechat.bind.tooMany"));
    return data({ codeSent: true, phone: value.phone });
  } else if (value.intent === "verify") {
    const locale = await getLocale(request);
    const fallbackName = `${locale === "en" ? "Owner" : "业主"} ${value.phone.slice(-4)}`;
    const result = await signUpByPhone(
      { phone: value.phone, code: value.code, displayName: value.displayName || fallbackName, locale },
      context.ip,
    );
    if (!result.ok)
      return result.error === "tooMany"
        ? refuse("verify", refusal("rate_limited", "wechat.bind.tooMany"))
        : refuse("verify", { error: "wechat.bind.badCode", reason: "invalid" });
    userId = result.userId;
  } else {
    if (!context.user) throw redirect(`/login?redirectTo=${encodeURIComponent("/wechat/bind")}`);
    userId = context.user.id;
  }
  const bound = await bindAndLogIn(appId, pending.openid, userId);
  if (!bound.ok) return refuse(read.intent, `wechat.errors.${bound.error}`);
  const headers = new Headers();
  headers.append("Set-Cookie", await clearPendingBindingCookie());
  headers.append("Set-Cookie", bound.setCookie);
  return redirect(pending.returnTo, { headers });
}

export default function WechatBind() {
  const { pending, user } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation();
  const sent = result && "codeSent" in result ? result : null;
  return (
    <section className="card" style={{ maxWidth: 420, margin: "0 auto" }}>
      <h1>{t("wechat.bind.title")}</h1>
      {!pending ? (
        <>
          <p>{t("wechat.bind.noPending")}</p>
          <Link to="/">{t("wechat.bind.home")}</Link>
        </>
      ) : user ? (
        <Form method="post">
          <FormError result={result} form="bind-current" />
          <p>{t("wechat.bind.intro")}</p>
          <button type="submit" name="intent" value="bind-current" className="primary">
            {t("wechat.bind.bindCurrent", { name: user.displayName })}
          </button>
        </Form>
      ) : (
        <>
          <p>{t("wechat.bind.intro")}</p>
          <p className="muted">{t("wechat.bind.phoneIntro")}</p>
          <Form method="post" className="stack">
            <FormError result={result} form="verify" />
            {sent ? (
              <p role="status" className="notice-ok">
                {t("wechat.bind.codeSent")}
              </p>
            ) : null}
            <label>
              {t("wechat.bind.phone")}
              <input
                name="phone"
                type="tel"
                inputMode="numeric"
                autoComplete="tel-national"
                required
                defaultValue={sent?.phone ?? ""}
              />
            </label>
            <button
              className="secondary send-code"
              type="submit"
              name="intent"
              value="send-code"
              formNoValidate
              disabled={navigation.state !== "idle"}
            >
              {t("wechat.bind.sendCode")}
            </button>
            <label>
              {t("wechat.bind.code")}
              <input name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </label>
            <label>
              {t("wechat.bind.displayName")}
              <input name="displayName" autoComplete="name" maxLength={40} />
            </label>
            <button type="submit" name="intent" value="verify" className="primary">
              {t("wechat.bind.submit")}
            </button>
          </Form>
          <p>
            <Link to={`/login?${new URLSearchParams({ redirectTo: "/wechat/bind" })}`}>
              {t("wechat.bind.passwordInstead")}
            </Link>
          </p>
        </>
      )}
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · 议事堂` : "议事堂" }];
