import { getInputProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireEstatePermission } from "~/auth/guards.server";
import {
  paymentSettingsView,
  savePaymentSetting,
  type ConfigurableProvider,
  type PaymentSettingView,
} from "~/fees/payment-settings.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { Field, FieldErrors, ConformForm } from "~/lib/forms/field";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { isFormReply } from "~/lib/forms/result";
import { useDateTimeFormat } from "~/lib/time";
import { redirectWithToast } from "~/ui/toast.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "payments:configure");
  const t = await getT(await getLocale(request));
  return {
    title: `${t("fees.paymentSettings.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    // No secret in here: Alipay's token only as "set or not".
    methods: await paymentSettingsView(estate.id),
  };
}

const optional = (pattern: RegExp, message: string) =>
  z.string().trim().max(64, "common.errors.tooLong").regex(pattern, message).optional();
const enabled = z.literal("on").optional();

const WechatSchema = z.object({
  intent: z.literal("wechatpay"),
  enabled,
  wechatSubMchid: optional(/^\d{6,32}$/, "fees.paymentSettings.errors.badSubMchid"),
  wechatSubAppid: optional(/^wx[0-9A-Za-z]{16}$/, "fees.paymentSettings.errors.badSubAppid"),
});
const AlipaySchema = z.object({
  intent: z.literal("alipay"),
  enabled,
  alipayAppAuthToken: z
    .string()
    .trim()
    .max(128, "common.errors.tooLong")
    .regex(/^[0-9A-Za-z._-]{8,}$/, "fees.paymentSettings.errors.badToken")
    .optional(),
  alipaySellerId: optional(/^2088\d{8,20}$/, "fees.paymentSettings.errors.badSellerId"),
});
const StripeSchema = z.object({
  intent: z.literal("stripe"),
  enabled,
  crossBorderConfirmed: z.literal("on").optional(),
});
const schemas = { wechatpay: WechatSchema, alipay: AlipaySchema, stripe: StripeSchema } as const;
type Value = z.infer<typeof WechatSchema> | z.infer<typeof AlipaySchema> | z.infer<typeof StripeSchema>;

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "payments:configure");
  const schemaFor = (intent: string) => schemas[intent as ConfigurableProvider] ?? WechatSchema;
  const hideFields = ["alipayAppAuthToken"];
  const read = await parseForm<ReturnType<typeof schemaFor>>(request, schemaFor, { hideFields });
  if (!read.ok) return read.response;
  const { submission } = read;
  const v = read.value as Value;
  const on = v.enabled === "on";
  const values =
    v.intent === "wechatpay"
      ? { provider: v.intent, enabled: on, wechatSubMchid: v.wechatSubMchid, wechatSubAppid: v.wechatSubAppid }
      : v.intent === "alipay"
        ? {
            provider: v.intent,
            enabled: on,
            alipayAppAuthToken: v.alipayAppAuthToken,
            alipaySellerId: v.alipaySellerId,
          }
        : { provider: v.intent, enabled: on, crossBorderConfirmed: v.crossBorderConfirmed === "on" };
  const result = await savePaymentSetting({ estateId: estate.id, actorId: user.id, values });
  if (!result.ok)
    return refuse(
      v.intent,
      {
        error: `fees.paymentSettings.errors.${result.error}`,
        reason: result.error === "notConfigured" ? "conflict" : "invalid",
      },
      { submission, hideFields },
    );
  return redirectWithToast(`/e/${estate.slug}/payments/settings`, { key: "fees.paymentSettings.saved" });
}

function MethodForm({ method }: { method: PaymentSettingView }) {
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const when = useDateTimeFormat({ dateStyle: "medium", timeStyle: "short" });
  const busy = useNavigation().state !== "idle";
  const schema = schemas[method.provider];
  const [form, fields] = useForm({
    id: `payment-${method.provider}`,
    lastResult: isFormReply(actionData, method.provider) ? actionData : undefined,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    defaultValue: {
      enabled: method.enabled ? "on" : undefined,
      wechatSubMchid: method.wechatSubMchid ?? "",
      wechatSubAppid: method.wechatSubAppid ?? "",
      alipaySellerId: method.alipaySellerId ?? "",
    },
  });
  const f = fields as Record<string, (typeof fields)["enabled"]>;
  // Without the server's keys a method can only be turned off, never on: nothing to save until then.
  const locked = !method.available && !method.enabled;
  return (
    <section className="card">
      <h2>{t(`fees.paymentSettings.providers.${method.provider}`)}</h2>
      {!method.available ? <p className="alert">{t("fees.paymentSettings.notAvailable")}</p> : null}
      <ConformForm form={form}>
        <input type="hidden" name="intent" value={method.provider} />
        <div className="field">
          <label className="check">
            <input
              {...getInputProps(fields.enabled, { type: "checkbox" })}
              key={fields.enabled.key}
              disabled={locked}
            />
            {t("fees.paymentSettings.enabled")}
          </label>
        </div>
        {method.provider === "wechatpay" ? (
          <>
            <Field meta={f.wechatSubMchid} label={t("fees.paymentSettings.subMchid")} />
            <Field meta={f.wechatSubAppid} label={t("fees.paymentSettings.subAppid")} />
          </>
        ) : null}
        {method.provider === "alipay" ? (
          <>
            <Field
              meta={f.alipayAppAuthToken}
              label={t("fees.paymentSettings.appAuthToken")}
              type="password"
              autoComplete="off"
              hint={
                method.alipayTokenSet
                  ? t("fees.paymentSettings.appAuthTokenSet")
                  : t("fees.paymentSettings.appAuthTokenHint")
              }
            />
            <Field meta={f.alipaySellerId} label={t("fees.paymentSettings.sellerId")} />
          </>
        ) : null}
        {method.provider === "stripe" ? (
          <div className="field">
            <h3>{t("fees.paymentSettings.crossBorderTitle")}</h3>
            <p>{t("fees.paymentSettings.crossBorder")}</p>
            {method.crossBorderConfirmedAt ? (
              <p className="muted">
                {t("fees.paymentSettings.crossBorderConfirmed", {
                  at: when.format(new Date(method.crossBorderConfirmedAt)),
                })}
              </p>
            ) : null}
            <label className="check">
              <input
                {...getInputProps(f.crossBorderConfirmed, { type: "checkbox" })}
                key={f.crossBorderConfirmed.key}
                disabled={locked}
              />
              {t("fees.paymentSettings.crossBorderConfirm")}
            </label>
            <FieldErrors id={f.crossBorderConfirmed.errorId} errors={f.crossBorderConfirmed.errors} />
          </div>
        ) : null}
        <button type="submit" className="primary" disabled={busy || locked}>
          {t("fees.paymentSettings.save")}
        </button>
      </ConformForm>
    </section>
  );
}

export default function PaymentSettings() {
  const { methods } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div>
      <h1>{t("fees.paymentSettings.title")}</h1>
      <p className="muted">{t("fees.paymentSettings.intro")}</p>
      {methods.map((m) => (
        // A new key after each save: the form starts afresh (a token typed in does not linger).
        <MethodForm key={`${m.provider}-${m.updatedAt ?? ""}`} method={m} />
      ))}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
