import { nameField } from "~/lib/text";
import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { claimRequestsOf, claimUnit } from "~/claims/claims.server";
import { minutesUntil } from "~/claims/rules";
import { formatClaimCode, normaliseClaimCode } from "~/roster/claim-code";
import { getLocale, getT } from "~/i18n/i18n.server";
import { useDateTimeFormat } from "~/lib/time";
import { Field, ConformForm } from "~/lib/forms/field";
import { redirectWithToast } from "~/ui/toast.server";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { isFormReply, refusal } from "~/lib/forms/result";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const t = await getT(await getLocale(request));
  // A claim letter's QR code opens /claim?code=…: the code is filled in, never submitted for the owner.
  const given = new URL(request.url).searchParams.get("code");
  const code = given ? formatClaimCode(normaliseClaimCode(given)).slice(0, 40) : "";
  return {
    title: `${t("claims.claim.title")} · ${t("common.appName")}`,
    requests: await claimRequestsOf(user.id),
    code: /^[A-Z0-9-]+$/.test(code) ? code : "",
  };
}

const ClaimSchema = z.object({
  code: z
    .string({ required_error: "common.errors.required" })
    .trim()
    .min(1, "common.errors.required")
    .max(40, "common.errors.tooLong"),
  name: nameField(60),
});

const refusalReason = {
  unknownCode: "invalid",
  developerUnsold: "conflict",
  usedUp: "conflict",
  takenByOther: "conflict",
  noOwners: "conflict",
  alreadyRequested: "conflict",
} as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const read = await parseForm(request, ClaimSchema, { form: "claim" });
  if (!read.ok) return read.response;
  const { value, submission } = read;
  const result = await claimUnit({ userId: user.id, ip: context.ip, code: value.code, name: value.name });
  if (result.ok) {
    const params = { estate: result.estate.name, unit: `${result.building} ${result.number}` };
    if (result.kind === "requested") return redirectWithToast("/claim", { key: "claims.claim.requested", params });
    const key = result.kind === "linked" ? "claims.claim.linked" : "claims.claim.alreadyMine";
    return redirectWithToast(`/e/${result.estate.slug}/units`, { key, params });
  }
  if (result.error === "locked") {
    const locked = result.justLocked
      ? refusal("rate_limited", "claims.claim.justLocked")
      : refusal("rate_limited", "claims.claim.locked", { minutes: minutesUntil(result.until) });
    return refuse("claim", locked, { submission });
  }
  return refuse("claim", refusal(refusalReason[result.error], `claims.claim.${result.error}`), { submission });
}

export default function Claim() {
  const { requests, code } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium" });
  // A new location (after a request was sent) starts the form afresh; an error keeps what was typed.
  const location = useLocation();
  const [form, fields] = useForm({
    id: "claim",
    lastResult,
    constraint: getZodConstraint(ClaimSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ClaimSchema }),
    shouldRevalidate: "onInput",
    defaultValue: { code },
  });
  // A lock's message needs its minutes: they come with the refusal.
  const errorParams = isFormReply(lastResult) ? lastResult.params : undefined;
  return (
    <div>
      <section className="card" style={{ maxWidth: 460, margin: "0 auto 1rem" }}>
        <h1>{t("claims.claim.title")}</h1>
        <p className="muted">{t("claims.claim.intro")}</p>
        {code ? (
          <p className="notice-ok" role="status">
            {t("claims.claim.prefilled")}
          </p>
        ) : null}
        <ConformForm form={form} key={location.key} errorParams={errorParams}>
          <Field
            meta={fields.code}
            label={t("claims.claim.code")}
            hint={t("claims.claim.codeHint")}
            autoComplete="off"
          />
          <Field
            meta={fields.name}
            label={t("claims.claim.name")}
            hint={t("claims.claim.nameHint")}
            autoComplete="name"
          />
          <button type="submit" className="primary">
            {t("claims.claim.submit")}
          </button>
        </ConformForm>
      </section>
      <section className="card" style={{ maxWidth: 460, margin: "0 auto" }}>
        <h2 style={{ marginTop: 0 }}>{t("claims.claim.myRequests")}</h2>
        {requests.length === 0 ? <p className="muted">{t("claims.claim.noRequests")}</p> : null}
        <ul className="list-plain">
          {requests.map((r) => (
            <li key={r.id}>
              <div className="actions">
                <strong>
                  {r.estate} {t("claims.unitLabel", { building: r.building, number: r.number })}
                </strong>
                <span className={`badge status-${r.status}`}>{t(`claims.status.${r.status}`)}</span>
              </div>
              <div className="muted">
                {t("claims.claim.nameGiven", { name: r.nameGiven })} ·{" "}
                {t("claims.claim.submittedAt", { date: date.format(new Date(r.createdAt)) })}
              </div>
              {r.status === "rejected" && r.reason ? (
                <p style={{ margin: "0.25rem 0 0" }}>{t("claims.claim.reason", { reason: r.reason })}</p>
              ) : null}
              {r.status === "approved" ? (
                <Link to={`/e/${r.estateSlug}/units`}>{t("claims.claim.goToUnits")}</Link>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
