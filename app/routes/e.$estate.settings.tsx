import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireEstatePermission } from "~/auth/guards.server";
import { parseProcedureForm } from "~/estates/procedure";
import { SettingFields } from "~/estates/procedure-ui";
import {
  estateProcedure,
  saveClaimContact,
  saveProcedure,
  saveSmsBudget,
  smsBudgetOf,
} from "~/estates/settings.server";
import { ClaimContactSchema, claimContactMax, claimContactOf } from "~/estates/claim-contact";
import { getLocale, getT } from "~/i18n/i18n.server";
import { redirectWithToast } from "~/ui/toast.server";
import { can } from "~/lib/permissions";
import { FormError } from "~/lib/forms/form-error";
import { z } from "zod";
import { parseForm, refuse } from "~/lib/forms/action.server";

// The committee reads the rules its votes run under; only the community (or platform) admin,
// who records the estate's adopted rules of procedure, changes them.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "estate:settings");
  const t = await getT(await getLocale(request));
  return {
    title: `${t("estate.settings.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    rules: await estateProcedure(estate.id),
    canEdit: can(roles, "estate:settings-edit"),
    claimContact: claimContactOf(estate.settings),
    sms: await smsBudgetOf(estate.id),
  };
}

/** The estate's monthly allowance of notice SMS: a whole number, 0 (none) to a million. */
const SmsBudgetSchema = z.object({
  budget: z.preprocess(
    (v) => (typeof v === "string" && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z.number().int().min(0).max(1_000_000),
  ),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "estate:settings-edit");
  // Each setting reads its own control (app/estates/procedure.ts), so the body is read whole first.
  const read = await parseForm(request, z.object({}).passthrough(), { form: "rules" });
  if (!read.ok) return read.response;
  if (read.intent === "sms-budget") {
    const budget = SmsBudgetSchema.safeParse({ budget: read.formData.get("budget") ?? undefined });
    if (!budget.success) return refuse("sms-budget", { error: "common.errors.invalid", reason: "invalid" });
    await saveSmsBudget(estate.id, user.id, budget.data.budget);
    return redirectWithToast(`/e/${estate.slug}/settings`, { key: "notify.budget.saved" });
  }
  if (read.intent === "contact") {
    const contact = ClaimContactSchema.safeParse({ contact: read.formData.get("contact") ?? undefined });
    if (!contact.success) {
      const first = contact.error.issues[0]?.message ?? "";
      return refuse("contact", {
        error: first.startsWith("common.") ? first : "common.errors.invalid",
        reason: "invalid",
      });
    }
    await saveClaimContact(estate.id, user.id, contact.data.contact);
    return redirectWithToast(`/e/${estate.slug}/settings`, { key: "estate.contact.saved" });
  }
  const parsed = parseProcedureForm(read.formData);
  if (!parsed.success) {
    const first = parsed.error.issues[0]?.message ?? "";
    return refuse("rules", { error: first.startsWith("estate.") ? first : "common.errors.invalid", reason: "invalid" });
  }
  await saveProcedure(estate.id, user.id, parsed.data);
  return redirectWithToast(`/e/${estate.slug}/settings`, { key: "estate.settings.saved" });
}

export default function EstateSettings() {
  const { estate, rules, canEdit, claimContact, sms } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  return (
    <div>
      <h1>{t("estate.settings.title")}</h1>
      <p className="muted">{t("estate.settings.intro")}</p>
      <Form method="post" className="card">
        <fieldset disabled={!canEdit || busy}>
          <FormError result={failure} form="rules" />
          <SettingFields values={rules} />
          <p className="hint">{t("estate.settings.appliesLater")}</p>
          {canEdit ? (
            <button type="submit" className="primary">
              {t("estate.settings.save")}
            </button>
          ) : (
            <p className="muted">{t("estate.settings.readOnly")}</p>
          )}
        </fieldset>
      </Form>
      <h2 id="contact">{t("estate.contact.title")}</h2>
      <Form method="post" className="card">
        <fieldset disabled={!canEdit || busy}>
          <FormError result={failure} form="contact" />
          <input type="hidden" name="intent" value="contact" />
          <div className="field">
            <label htmlFor="claim-contact">{t("estate.contact.label")}</label>
            <input
              id="claim-contact"
              name="contact"
              defaultValue={claimContact}
              maxLength={claimContactMax}
              aria-describedby="claim-contact-hint"
            />
            <p className="hint" id="claim-contact-hint">
              {t("estate.contact.hint")}
            </p>
          </div>
          {canEdit ? (
            <button type="submit" className="primary">
              {t("estate.contact.save")}
            </button>
          ) : null}
        </fieldset>
      </Form>
      <h2 id="sms-budget">{t("notify.budget.title")}</h2>
      <Form method="post" className="card">
        <fieldset disabled={!canEdit || busy}>
          <FormError result={failure} form="sms-budget" />
          <input type="hidden" name="intent" value="sms-budget" />
          <div className="field">
            <label htmlFor="sms-budget-input">{t("notify.budget.label")}</label>
            <input
              id="sms-budget-input"
              name="budget"
              type="number"
              inputMode="numeric"
              min={0}
              max={1_000_000}
              step={1}
              required
              defaultValue={sms.budget}
              aria-describedby="sms-budget-hint"
            />
            <p className="hint" id="sms-budget-hint">
              {t("notify.budget.used", { used: sms.used, budget: sms.budget })} {t("notify.budget.hint")}
            </p>
          </div>
          {canEdit ? (
            <button type="submit" className="primary">
              {t("common.actions.save")}
            </button>
          ) : null}
        </fieldset>
      </Form>
      <p>
        <a href={`/e/${estate.slug}`}>{estate.name}</a>
      </p>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
