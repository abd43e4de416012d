import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requirePlatformPermission } from "~/auth/guards.server";
import {
  communitiesWithAdmins,
  grantCommunityAdmin,
  revokeCommunityAdmin,
  grantRefusalReasons,
} from "~/grants/grants.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { redirectWithToast } from "~/ui/toast.server";
import { FormError } from "~/lib/forms/form-error";
import { parseForm, refuse } from "~/lib/forms/action.server";

/** Every community and its admins: platform admins grant and revoke community admins here. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePlatformPermission(request, context, "platform:community-admins");
  const t = await getT(await getLocale(request));
  return { title: t("grants.admins.title"), communities: await communitiesWithAdmins() };
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("grant"), communityId: z.string().uuid(), contact: z.string().trim().min(1).max(200) }),
  z.object({ intent: z.literal("revoke"), communityId: z.string().uuid(), userId: z.string().uuid() }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePlatformPermission(request, context, "platform:community-admins");
  const read = await parseForm(request, ActionSchema);
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  const r =
    v.intent === "grant"
      ? await grantCommunityAdmin({ communityId: v.communityId, actorId: user.id, contact: v.contact })
      : await revokeCommunityAdmin({ communityId: v.communityId, actorId: user.id, userId: v.userId });
  if (!r.ok) return refuse(`${v.intent}:${v.communityId}`, r, { submission, reasons: grantRefusalReasons });
  return redirectWithToast("/admin/communities", {
    key: v.intent === "grant" ? "grants.admins.granted" : "grants.admins.revoked",
  });
}

export default function CommunityAdmins() {
  const { communities } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div>
      <h1>{t("grants.admins.title")}</h1>
      <p className="muted">{t("grants.admins.intro")}</p>
      <p className="hint">{t("grants.admins.lastHint")}</p>
      {communities.map((c) => (
        <section key={c.id} className="card" aria-labelledby={`community-${c.id}`}>
          <h2 id={`community-${c.id}`}>{c.name}</h2>
          <FormError result={failure} form={`revoke:${c.id}`} />
          {c.admins.length === 0 ? <p className="muted">{t("grants.admins.none")}</p> : null}
          <ul className="list-plain">
            {c.admins.map((a) => (
              <li key={a.userId}>
                <Form method="post" className="actions">
                  <span>
                    {a.name} · {a.email}
                  </span>
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="communityId" value={c.id} />
                  <input type="hidden" name="userId" value={a.userId} />
                  <button type="submit" className="secondary" aria-label={`${t("grants.admins.revoke")} ${a.name}`}>
                    {t("grants.admins.revoke")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
          <Form method="post">
            <input type="hidden" name="intent" value="grant" />
            <input type="hidden" name="communityId" value={c.id} />
            <FormError result={failure} form={`grant:${c.id}`} />
            <div className="field">
              <label htmlFor={`contact-${c.id}`}>{t("grants.admins.contact")}</label>
              <input id={`contact-${c.id}`} name="contact" required maxLength={200} autoComplete="off" />
            </div>
            <button type="submit" className="primary">
              {t("grants.admins.grant")}
            </button>
          </Form>
        </section>
      ))}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · 议事堂` : "议事堂" }];
