import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { bindAndLogIn } from "~/auth/wechat-login.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { FormError } from "~/lib/forms/form-error";
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

const BindSchema = z.object({ intent: z.literal("bind-current") });

export async function action({ request, context }: ActionFunctionArgs) {
  const read = await parseForm(request, BindSchema);
  if (!read.ok) return read.response;
  const pending = await readPendingBinding(request);
  const appId = wechatAppId();
  if (!pending || !appId) return refuse(read.intent, { error: "wechat.bind.expired", reason: "invalid" });
  if (!context.user) throw redirect(`/login?redirectTo=${encodeURIComponent("/wechat/bind")}`);
  const bound = await bindAndLogIn(appId, pending.openid, context.user.id);
  if (!bound.ok) return refuse(read.intent, `wechat.errors.${bound.error}`);
  const headers = new Headers();
  headers.append("Set-Cookie", await clearPendingBindingCookie());
  headers.append("Set-Cookie", bound.setCookie);
  return redirect(pending.returnTo, { headers });
}

export default function WechatBind() {
  const { pending, user } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
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
