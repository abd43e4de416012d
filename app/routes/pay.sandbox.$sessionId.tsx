import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { notFound } from "~/auth/guards.server";
import { requireUser } from "~/auth/session.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { formatFen } from "~/lib/money";
import { useDateTimeFormat } from "~/lib/time";
import { sandboxMethodTypes } from "~/payments/methods";
import { getPaymentProvider } from "~/payments/factory.server";
import { asSandbox, finishSandboxSession, sandboxSession } from "~/payments/sandbox.server";
import { receiveWebhook } from "~/fees/webhook.server";
import { parseForm } from "~/lib/forms/action.server";

/** The sandbox session of the current user (the one it was made for), or 404. */
async function ownSession(request: Request, context: LoaderFunctionArgs["context"], id: string | undefined) {
  const user = requireUser(request, context);
  // 404 unless the sandbox is the provider (never in production without PAYMENTS_SANDBOX=1 or the embedded demo).
  const provider = getPaymentProvider();
  const sandbox = provider ? asSandbox(provider) : null;
  if (!sandbox || !id) notFound();
  const session = await sandboxSession(id);
  if (!session || session.clientReferenceId !== user.id) notFound();
  return { sandbox, session };
}

/** Only a path on this site: the provider's return URLs were made from this site's origin. */
function localPath(url: string): string {
  const u = new URL(url, "http://local");
  return u.pathname.startsWith("/") && !u.pathname.startsWith("//") ? `${u.pathname}${u.search}` : "/";
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { session } = await ownSession(request, context, params.sessionId);
  const t = await getT(await getLocale(request));
  const open = session.status === "open" && session.expiresAt.getTime() > Date.now();
  return {
    title: `${t("fees.sandbox.title")} · ${t("common.appName")}`,
    id: session.id,
    open,
    amountFen: session.amountTotal,
    lineItems: session.lineItems,
    expiresAt: session.expiresAt.toISOString(),
    back: localPath(session.cancelUrl),
  };
}

const FinishSchema = z.object({ intent: z.enum(["pay", "cancel"]), method: z.enum(sandboxMethodTypes).optional() });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { sandbox, session } = await ownSession(request, context, params.sessionId);
  const read = await parseForm(request, FinishSchema);
  if (!read.ok) return read.response;
  const { intent } = read.value;
  const finished = await finishSandboxSession(session.id, intent, sandbox.webhookSecret);
  if (finished) {
    // The signed event goes through the same handler as a delivery to /webhooks/stripe.
    const result = await receiveWebhook(finished.rawBody, finished.signature, { provider: sandbox });
    if (result.status !== 200) throw new Error(`sandbox event refused: ${result.outcome}`);
  }
  return redirect(localPath(intent === "pay" ? session.successUrl : session.cancelUrl));
}

export default function SandboxCheckout() {
  const { open, amountFen, lineItems, expiresAt, back } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const time = useDateTimeFormat({ timeStyle: "short" }).format(new Date(expiresAt));
  return (
    <div className="sandbox-checkout">
      <p className="sandbox-banner" role="note">
        <strong>{t("fees.sandbox.title")}</strong> · {t("fees.sandbox.banner")}
      </p>
      <h1>{t("fees.sandbox.title")}</h1>
      <section className="card stack">
        <div>
          <div className="muted">{t("fees.sandbox.amount")}</div>
          <div className="sandbox-amount">{t("fees.yuan", { amount: formatFen(amountFen) })}</div>
        </div>
        <h2>{t("fees.sandbox.items")}</h2>
        <ul className="list-plain">
          {lineItems.map((item, i) => (
            <li key={i} className="actions" style={{ justifyContent: "space-between" }}>
              <span>{item.name}</span>
              <span>{t("fees.yuan", { amount: formatFen(item.amount) })}</span>
            </li>
          ))}
        </ul>
      </section>
      {open ? (
        <Form method="post" className="card stack">
          <fieldset className="sandbox-methods">
            <legend>{t("fees.sandbox.method")}</legend>
            {sandboxMethodTypes.map((m, i) => (
              <label key={m} className="sandbox-method">
                <input type="radio" name="method" value={m} defaultChecked={i === 0} /> {t(`fees.sandbox.methods.${m}`)}
              </label>
            ))}
          </fieldset>
          <p className="hint">{t("fees.sandbox.expires", { time })}</p>
          <div className="actions">
            <button type="submit" name="intent" value="pay" className="primary" disabled={busy}>
              {t("fees.sandbox.pay", { amount: formatFen(amountFen) })}
            </button>
            <button type="submit" name="intent" value="cancel" className="secondary" disabled={busy}>
              {t("fees.sandbox.cancel")}
            </button>
          </div>
        </Form>
      ) : (
        <p className="card">
          {t("fees.sandbox.closed")} <a href={back}>{t("fees.sandbox.back")}</a>
        </p>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
