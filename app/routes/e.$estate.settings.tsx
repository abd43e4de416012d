import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { InputHTMLAttributes } from "react";
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
      <SettingForm
        id="contact"
        title={t("estate.contact.title")}
        label={t("estate.contact.label")}
        hint={t("estate.contact.hint")}
        save={t("estate.contact.save")}
        failure={failure}
        disabled={!canEdit || busy}
        canEdit={canEdit}
        input={{ name: "contact", defaultValue: claimContact, maxLength: claimContactMax }}
      />
      <SettingForm
        id="sms-budget"
        title={t("notify.budget.title")}
        label={t("notify.budget.label")}
        hint={`${t("notify.budget.used", { used: sms.used, budget: sms.budget })} ${t("notify.budget.hint")}`}
        save={t("common.actions.save")}
        failure={failure}
        disabled={!canEdit || busy}
        canEdit={canEdit}
        input={{
          name: "budget",
          type: "number",
          inputMode: "numeric",
          min: 0,
          max: 1_000_000,
          step: 1,
          required: true,
          defaultValue: sms.budget,
        }}
      />
      <p>
        <a href={`/e/${estate.slug}`}>{estate.name}</a>
      </p>
    </div>
  );
}

/** One setting saved on its own (its own intent, named after its id): a label, one input, a hint, a save button. */
function SettingForm(props: {
  id: string;
  title: string;
  label: string;
  hint: string;
  save: string;
  failure: ReturnType<typeof useActionData<typeof action>>;
  disabled: boolean;
  canEdit: boolean;
  input: InputHTMLAttributes<HTMLInputElement> & { name: string };
}) {
  const inputId = `${props.id}-input`;
  return (
    <>
      <h2 id={props.id}>{props.title}</h2>
      <Form method="post" className="card">
        <fieldset disabled={props.disabled}>
          <FormError result={props.failure} form={props.id} />
          <input type="hidden" name="intent" value={props.id} />
          <div className="field">
            <label htmlFor={inputId}>{props.label}</label>
            <input id={inputId} aria-describedby={`${props.id}-hint`} {...props.input} />
            <p className="hint" id={`${props.id}-hint`}>
              {props.hint}
            </p>
          </div>
          {props.canEdit ? (
            <button type="submit" className="primary">
              {props.save}
            </button>
          ) : null}
        </fieldset>
      </Form>
    </>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
