import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireEstatePermission } from "~/auth/guards.server";
import { estateStaff, grantPropertyStaff, revokePropertyStaff, grantRefusalReasons } from "~/grants/grants.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { redirectWithToast } from "~/ui/toast.server";
import { FormError } from "~/lib/forms/form-error";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { useDateTimeFormat } from "~/lib/time";

/** The estate's property staff: the community admins (and platform admins) grant and revoke them. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "estate:staff");
  const t = await getT(await getLocale(request));
  return {
    title: `${t("grants.staff.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    staff: await estateStaff(estate.id),
  };
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("grant"), contact: z.string().trim().min(1).max(200) }),
  z.object({ intent: z.literal("revoke"), userId: z.string().uuid() }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "estate:staff");
  const read = await parseForm(request, ActionSchema);
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  const r =
    v.intent === "grant"
      ? await grantPropertyStaff({ estate, actorId: user.id, contact: v.contact })
      : await revokePropertyStaff({ estate, actorId: user.id, userId: v.userId });
  if (!r.ok) return refuse(v.intent, r, { submission, reasons: grantRefusalReasons });
  return redirectWithToast(`/e/${estate.slug}/staff`, {
    key: v.intent === "grant" ? "grants.staff.granted" : "grants.staff.revoked",
  });
}

export default function EstateStaff() {
  const { staff } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium" });
  return (
    <div>
      <h1>{t("grants.staff.title")}</h1>
      <p className="muted">{t("grants.staff.intro")}</p>
      <section className="card">
        <FormError result={failure} form="revoke" />
        {staff.length === 0 ? (
          <p className="muted">{t("grants.staff.empty")}</p>
        ) : (
          <ul className="list-plain">
            {staff.map((s) => (
              <li key={s.userId}>
                <Form method="post" className="actions">
                  <span>
                    <strong>{s.name}</strong> · {s.email}
                    <span className="muted">
                      {" "}
                      · {t("grants.staff.since")} {date.format(new Date(s.since))}
                    </span>
                  </span>
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="userId" value={s.userId} />
                  <button type="submit" className="secondary" aria-label={`${t("grants.staff.revoke")} ${s.name}`}>
                    {t("grants.staff.revoke")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card">
        <h2>{t("grants.staff.grantTitle")}</h2>
        <Form method="post">
          <input type="hidden" name="intent" value="grant" />
          <FormError result={failure} form="grant" />
          <div className="field">
            <label htmlFor="staff-contact">{t("grants.staff.contact")}</label>
            <input
              id="staff-contact"
              name="contact"
              required
              maxLength={200}
              autoComplete="off"
              aria-describedby="staff-contact-hint"
            />
            <p id="staff-contact-hint" className="hint">
              {t("grants.staff.contactHint")}
            </p>
          </div>
          <button type="submit" className="primary">
            {t("grants.staff.grant")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
