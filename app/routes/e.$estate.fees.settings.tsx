import { getSelectProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { forbidden, requireEstatePermission } from "~/auth/guards.server";
import { schedulePublishPermission } from "~/fees/access";
import {
  feeSettingsOf,
  generateBills,
  publishSchedule,
  saveFeeSettings,
  schedulesOf,
  type RateInput,
} from "~/fees/bills.server";
import {
  billingCycleOptions as billingCycles,
  rateLines,
  schedulePublisherOptions as publisherSettings,
  type RateLineId,
} from "~/fees/kinds";
import { periodContaining } from "~/fees/periods";
import { getLocale, getT } from "~/i18n/i18n.server";
import { formatFen, parseYuan } from "~/lib/money";
import { beijingDate } from "~/lib/time";
import { redirectWithToast } from "~/ui/toast.server";
import { can } from "~/lib/permissions";
import { maxRateFen } from "~/fees/billing";
import { Field, FieldErrors, ConformForm } from "~/lib/forms/field";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { isFormReply } from "~/lib/forms/result";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "fees:settings");
  const [settings, schedules] = await Promise.all([feeSettingsOf(getDb(), estate.id), schedulesOf(estate.id)]);
  const t = await getT(await getLocale(request));
  const today = beijingDate(new Date());
  return {
    title: `${t("fees.settings.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    settings,
    schedules,
    today,
    nextPeriod: periodContaining(settings.billingCycle, today).key,
    can: {
      rules: can(roles, "fees:rules"),
      publish: can(roles, schedulePublishPermission(settings.schedulePublisher)),
      generate: can(roles, "fees:ledger"),
      /** The ledger's guard is "fees:ledger": the committee reads these settings but not the ledger. */
      ledger: can(roles, "fees:ledger"),
    },
  };
}

const rate = z
  .string()
  .trim()
  .optional()
  .superRefine((v, ctx) => {
    if (!v) return;
    const r = parseYuan(v, { maxFen: maxRateFen });
    if (!r.ok) ctx.addIssue({ code: "custom", message: r.error });
    else if (r.fen <= 0) ctx.addIssue({ code: "custom", message: "fees.settings.errors.badRate" });
  });

const SettingsSchema = z.object({
  intent: z.literal("settings"),
  billingCycle: z.enum(billingCycles, {
    required_error: "common.errors.required",
    invalid_type_error: "common.errors.invalid",
  }),
  dueDays: z
    .number({ required_error: "common.errors.required", invalid_type_error: "common.errors.invalid" })
    .int("common.errors.invalid")
    .min(0, "fees.settings.errors.range")
    .max(365, "fees.settings.errors.range"),
  reminderDay: z
    .number({ invalid_type_error: "common.errors.invalid" })
    .int("common.errors.invalid")
    .min(1, "fees.settings.errors.range")
    .max(28, "fees.settings.errors.range")
    .optional(),
  schedulePublisher: z.enum(publisherSettings, {
    required_error: "common.errors.required",
    invalid_type_error: "common.errors.invalid",
  }),
});

const ScheduleSchema = z
  .object({
    intent: z.literal("schedule"),
    name: z
      .string({ required_error: "common.errors.required" })
      .trim()
      .min(1, "common.errors.required")
      .max(60, "common.errors.tooLong"),
    effectiveFrom: z
      .string({ required_error: "common.errors.required" })
      .regex(/^\d{4}-\d{2}-\d{2}$/, "common.errors.invalid"),
    ...(Object.fromEntries(rateLines.map((l) => [l.id, rate])) as Record<RateLineId, typeof rate>),
  })
  .refine((v) => rateLines.some((l) => Boolean(v[l.id])), {
    path: [rateLines[0].id],
    message: "fees.settings.errors.noRates",
  });

const GenerateSchema = z.object({
  intent: z.literal("generate"),
  periodKey: z
    .string({ required_error: "common.errors.required" })
    .trim()
    .regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, "fees.settings.errors.badPeriod"),
});

type ActionValue = z.infer<typeof SettingsSchema> | z.infer<typeof ScheduleSchema> | z.infer<typeof GenerateSchema>;

function ratesOf(v: z.infer<typeof ScheduleSchema>): RateInput[] {
  // The schema has checked each rate; a refusal here would be a bug, not bad input.
  const fen = (text: string) => {
    const r = parseYuan(text, { maxFen: maxRateFen });
    if (!r.ok) throw new Error(`rate passed the schema but not the parser: ${r.error}`);
    return r.fen;
  };
  return rateLines
    .filter((l) => v[l.id])
    .map((l) => ({ charge: l.charge, unitKind: l.unitKind, rateFen: fen(v[l.id]!) }));
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user, roles } = await requireEstatePermission(request, context, params.estate, "fees:settings");
  const schemaFor = (intent: string) =>
    intent === "settings" ? SettingsSchema : intent === "schedule" ? ScheduleSchema : GenerateSchema;
  const read = await parseForm<ReturnType<typeof schemaFor>>(request, schemaFor);
  if (!read.ok) return read.response;
  const { submission } = read;
  const value = read.value as ActionValue;
  const here = `/e/${estate.slug}/fees/settings`;
  if (value.intent === "settings") {
    if (!can(roles, "fees:rules")) forbidden();
    await saveFeeSettings({
      estateId: estate.id,
      actorId: user.id,
      values: {
        billingCycle: value.billingCycle,
        dueDays: value.dueDays,
        reminderDay: value.reminderDay ?? null,
        schedulePublisher: value.schedulePublisher,
      },
    });
    return redirectWithToast(here, { key: "fees.settings.saved" });
  }
  if (value.intent === "schedule") {
    const settings = await feeSettingsOf(getDb(), estate.id);
    if (!can(roles, schedulePublishPermission(settings.schedulePublisher))) forbidden();
    const result = await publishSchedule({
      estateId: estate.id,
      actorId: user.id,
      name: value.name,
      effectiveFrom: value.effectiveFrom,
      rates: ratesOf(value),
    });
    if (!result.ok) return refuse(value.intent, `fees.settings.errors.${result.error}`, { submission });
    return redirectWithToast(here, { key: "fees.settings.published" });
  }
  if (!can(roles, "fees:ledger")) forbidden();
  const result = await generateBills({ estateId: estate.id, periodKey: value.periodKey, actorId: user.id });
  if (!result.ok) return refuse(value.intent, `fees.settings.errors.${result.error}`, { submission });
  return redirectWithToast(here, {
    key: "fees.settings.generated",
    params: { period: result.periodKey, created: result.created, existing: result.existing },
  });
}

function SettingsForm() {
  const { settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useForm({
    id: "fee-settings",
    lastResult: isFormReply(actionData, "settings") ? actionData : undefined,
    constraint: getZodConstraint(SettingsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SettingsSchema }),
    shouldValidate: "onSubmit",
    defaultValue: {
      billingCycle: settings.billingCycle,
      dueDays: String(settings.dueDays),
      reminderDay: settings.reminderDay ? String(settings.reminderDay) : "",
      schedulePublisher: settings.schedulePublisher,
    },
  });
  const cycleProps = getSelectProps(fields.billingCycle);
  const publisherProps = getSelectProps(fields.schedulePublisher);
  return (
    <ConformForm form={form}>
      <input type="hidden" name="intent" value="settings" />
      <div className="field">
        <label htmlFor={fields.billingCycle.id}>{t("fees.settings.billingCycle")}</label>
        <select {...cycleProps} key={cycleProps.key}>
          {billingCycles.map((c) => (
            <option key={c} value={c}>
              {t(`fees.cycles.${c}`)}
            </option>
          ))}
        </select>
        <FieldErrors id={fields.billingCycle.errorId} errors={fields.billingCycle.errors} />
      </div>
      <Field meta={fields.dueDays} label={t("fees.settings.dueDays")} type="number" />
      <Field meta={fields.reminderDay} label={t("fees.settings.reminderDay")} type="number" />
      <div className="field">
        <label htmlFor={fields.schedulePublisher.id}>{t("fees.settings.schedulePublisher")}</label>
        <select {...publisherProps} key={publisherProps.key}>
          {publisherSettings.map((p) => (
            <option key={p} value={p}>
              {t(`fees.settings.publishers.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {t("fees.settings.save")}
      </button>
    </ConformForm>
  );
}

function ScheduleForm() {
  const { today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useForm({
    id: "fee-schedule",
    lastResult: isFormReply(actionData, "schedule") ? actionData : undefined,
    constraint: getZodConstraint(ScheduleSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ScheduleSchema }),
    shouldValidate: "onSubmit",
    defaultValue: { effectiveFrom: today },
  });
  return (
    <ConformForm form={form}>
      <input type="hidden" name="intent" value="schedule" />
      <p className="hint">{t("fees.settings.scheduleHint")}</p>
      <Field meta={fields.name} label={t("fees.settings.name")} />
      <Field meta={fields.effectiveFrom} label={t("fees.settings.from")} type="date" />
      <div className="grid">
        {rateLines.map((l, i) => (
          <Field
            key={l.id}
            meta={fields[l.id]}
            label={t(`fees.settings.rates.${l.id}`)}
            hint={i === 0 ? t("fees.settings.rateHint") : undefined}
          />
        ))}
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {t("fees.settings.publish")}
      </button>
    </ConformForm>
  );
}

function GenerateForm() {
  const { nextPeriod } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const [form, fields] = useForm({
    id: "generate-bills",
    lastResult: isFormReply(actionData, "generate") ? actionData : undefined,
    constraint: getZodConstraint(GenerateSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: GenerateSchema }),
    shouldValidate: "onSubmit",
    defaultValue: { periodKey: nextPeriod },
  });
  return (
    <ConformForm form={form}>
      <input type="hidden" name="intent" value="generate" />
      <p className="hint">{t("fees.settings.generateHint")}</p>
      <Field meta={fields.periodKey} label={t("fees.settings.periodKey")} />
      <button type="submit" className="primary" disabled={busy}>
        {t("fees.settings.generateButton")}
      </button>
    </ConformForm>
  );
}

export default function FeeSettings() {
  const { estate, settings, schedules, can } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div>
      <p className="muted">
        {can.ledger ? (
          <>
            <Link to={`/e/${estate.slug}/fees`}>{t("fees.ledger.title")}</Link> ·{" "}
          </>
        ) : null}
        <Link to={`/e/${estate.slug}/collection`}>{t("fees.nav.collection")}</Link>
      </p>
      <h1>{t("fees.settings.title")}</h1>
      <section className="card">
        <h2>{t("fees.settings.general")}</h2>
        {can.rules ? (
          <SettingsForm />
        ) : (
          <dl className="facts facts-stacked">
            <dt>{t("fees.settings.billingCycle")}</dt>
            <dd>{t(`fees.cycles.${settings.billingCycle}`)}</dd>
            <dt>{t("fees.settings.dueDays")}</dt>
            <dd>{settings.dueDays}</dd>
            <dt>{t("fees.settings.reminderDay")}</dt>
            <dd>{settings.reminderDay ?? "—"}</dd>
            <dt>{t("fees.settings.schedulePublisher")}</dt>
            <dd>{t(`fees.settings.publishers.${settings.schedulePublisher}`)}</dd>
          </dl>
        )}
      </section>
      <section className="card">
        <h2>{t("fees.settings.schedules")}</h2>
        {schedules.length === 0 ? <p className="muted">{t("fees.settings.noSchedules")}</p> : null}
        <ul className="list-plain">
          {schedules.map((s) => (
            <li key={s.id}>
              <strong>{s.name}</strong>{" "}
              <span className="muted">{t("fees.settings.effectiveFrom", { date: s.effectiveFrom })}</span>
              <ul>
                {s.rates.map((r) => (
                  <li key={`${r.charge}-${r.unitKind}`}>
                    {r.basis === "area"
                      ? t("fees.settings.rateArea", {
                          kind: t(`common.unitKinds.${r.unitKind}`),
                          rate: formatFen(r.rateFen),
                        })
                      : t("fees.settings.rateUnit", {
                          charge: t(`fees.charges.${r.charge}`),
                          rate: formatFen(r.rateFen),
                        })}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
        <h3>{t("fees.settings.newSchedule")}</h3>
        {can.publish ? (
          <ScheduleForm />
        ) : (
          <p className="muted">
            {t("fees.settings.onlyPublisher", { who: t(`fees.settings.publishers.${settings.schedulePublisher}`) })}
          </p>
        )}
      </section>
      {can.generate ? (
        <section className="card">
          <h2>{t("fees.settings.generate")}</h2>
          <GenerateForm />
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
