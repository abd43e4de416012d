import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import type { TicketTargets } from "#db/schema/tickets";
import { requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { navLinks } from "~/tickets/access";
import { useDateTimeFormat } from "~/lib/time";
import { servingCompany, setServingCompany, setTicketTargets, ticketTargets } from "~/tickets/company.server";
import { defaultTargets, ticketCategoryList } from "~/tickets/sla";
import { TicketNav } from "~/tickets/ui";
import { redirectWithToast } from "~/ui/toast.server";
import { FormError } from "~/lib/forms/form-error";
import { TableWrap } from "~/ui/table-wrap";
import { parseForm, refuse } from "~/lib/forms/action.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "tickets:targets");
  const t = await getT(await getLocale(request));
  const db = getDb();
  const [targets, company] = await Promise.all([ticketTargets(db, estate.id), servingCompany(db, estate.id)]);
  return {
    title: `${t("tickets.settings.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    nav: navLinks(roles),
    targets,
    company: company ? { name: company.name, since: company.since.toISOString() } : null,
  };
}

const hours = z.coerce
  .number({ invalid_type_error: "tickets.errors.targetsInvalid" })
  .int("tickets.errors.targetsInvalid");

const target = z.object({ response: hours, resolution: hours });
const SettingsSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("company"),
    name: z
      .string({ required_error: "tickets.errors.companyName" })
      .trim()
      .min(1, "tickets.errors.companyName")
      .max(100, "tickets.errors.companyName"),
  }),
  // `<category>.response` and `<category>.resolution`, in hours, for every category.
  z.object({ intent: z.literal("targets"), ...Object.fromEntries(ticketCategoryList.map((c) => [c, target])) }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "tickets:targets");
  const read = await parseForm(request, SettingsSchema);
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  if (v.intent === "company") {
    const result = await setServingCompany({ estateId: estate.id, name: v.name, userId: user.id });
    if (!result.ok) return refuse(v.intent, result, { submission, reason: "invalid" });
    return redirectWithToast(`/e/${estate.slug}/tickets/settings`, { key: "tickets.settings.companySaved" });
  }
  const targets = Object.fromEntries(
    ticketCategoryList.map((c) => {
      const t = (v as unknown as Record<string, z.infer<typeof target>>)[c];
      return [c, { responseHours: t.response, resolutionHours: t.resolution }];
    }),
  ) as TicketTargets;
  const result = await setTicketTargets({ estateId: estate.id, userId: user.id, targets });
  if (!result.ok) return refuse(v.intent, result, { submission, reason: "invalid" });
  return redirectWithToast(`/e/${estate.slug}/tickets/settings`, { key: "tickets.settings.saved" });
}

export default function TicketSettings() {
  const { estate, nav, targets, company } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium" });
  return (
    <div>
      <TicketNav slug={estate.slug} links={nav} />
      <h1>{t("tickets.settings.title")}</h1>
      <section className="card">
        <h2>{t("tickets.settings.targetsTitle")}</h2>
        <p className="muted">{t("tickets.settings.targetsIntro")}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="targets" />
          <FormError result={failure} form="targets" />
          <TableWrap label={t("tickets.settings.targetsTitle")}>
            <table>
              <thead>
                <tr>
                  <th>{t("tickets.settings.category")}</th>
                  <th>{t("tickets.settings.responseHours")}</th>
                  <th>{t("tickets.settings.resolutionHours")}</th>
                </tr>
              </thead>
              <tbody>
                {ticketCategoryList.map((c) => (
                  <tr key={c}>
                    <th scope="row">
                      {t(`tickets.categories.${c}`)}
                      <div className="hint">
                        {t("tickets.settings.defaults", {
                          response: defaultTargets[c].responseHours,
                          resolution: defaultTargets[c].resolutionHours,
                        })}
                      </div>
                    </th>
                    <td>
                      <input
                        type="number"
                        name={`${c}.response`}
                        aria-label={`${t(`tickets.categories.${c}`)} ${t("tickets.settings.responseHours")}`}
                        min={1}
                        max={2160}
                        step={1}
                        required
                        defaultValue={targets[c].responseHours}
                        className="hours-input"
                      />
                    </td>
                    <td>
                      <input
                        type="number"
                        name={`${c}.resolution`}
                        aria-label={`${t(`tickets.categories.${c}`)} ${t("tickets.settings.resolutionHours")}`}
                        min={1}
                        max={2160}
                        step={1}
                        required
                        defaultValue={targets[c].resolutionHours}
                        className="hours-input"
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <div className="actions">
            <button type="submit" className="primary">
              {t("tickets.settings.save")}
            </button>
          </div>
        </Form>
      </section>
      <section className="card">
        <h2>{t("tickets.settings.companyTitle")}</h2>
        <p>
          {company
            ? t("tickets.settings.companyCurrent", { name: company.name, since: date.format(new Date(company.since)) })
            : t("tickets.settings.companyNone")}
        </p>
        <p className="hint">{t("tickets.settings.companyHint")}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="company" />
          <FormError result={failure} form="company" />
          <div className="field">
            <label htmlFor="company-name">{t("tickets.settings.companyName")}</label>
            <input id="company-name" name="name" required maxLength={100} defaultValue={company?.name ?? ""} />
          </div>
          <button type="submit" className="secondary">
            {t("tickets.settings.companySet")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
