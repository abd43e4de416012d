import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { parseForm } from "~/lib/forms/action.server";
import { redirectWithToast } from "~/ui/toast.server";
import { bindingOf, unbindUser } from "~/wechat/bindings.server";
import { isWechatBrowser, wechatAppId } from "~/wechat/login-flow.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const t = await getT(await getLocale(request));
  const appId = wechatAppId();
  const binding = appId ? await bindingOf(user.id, appId) : null;
  return {
    title: t("account.home.title"),
    email: user.email,
    wechat: appId
      ? { boundAt: binding ? binding.boundAt.toISOString() : null, inWechat: isWechatBrowser(request) }
      : null,
  };
}

const AccountSchema = z.object({ intent: z.literal("wechat-unbind") });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const read = await parseForm(request, AccountSchema);
  if (!read.ok) return read.response;
  await unbindUser(user.id);
  return redirectWithToast("/account", { key: "wechat.account.unbound" });
}

export default function AccountHome() {
  const { email, wechat } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <section className="card" style={{ maxWidth: 560, margin: "0 auto" }}>
      <h1>{t("account.home.title")}</h1>
      <p className="muted">{t("account.home.signedInAs", { email })}</p>
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
      {wechat ? (
        <section aria-labelledby="account-wechat">
          <h2 id="account-wechat">{t("wechat.account.title")}</h2>
          {wechat.boundAt ? (
            <Form method="post">
              <p>
                {t("wechat.account.bound", {
                  date: new Intl.DateTimeFormat(i18n.language, {
                    dateStyle: "medium",
                    timeZone: "Asia/Shanghai",
                  }).format(new Date(wechat.boundAt)),
                })}
              </p>
              <button type="submit" name="intent" value="wechat-unbind">
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
