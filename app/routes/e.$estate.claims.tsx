import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { approveRequest, rejectRequest, requestsForReview } from "~/claims/claims.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { useDateTimeFormat } from "~/lib/time";
import { FieldErrors, FormErrors } from "~/lib/forms/field";
import { redirectWithToast } from "~/ui/toast.server";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { isFormReply, refusal } from "~/lib/forms/result";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "roster:manage");
  const t = await getT(await getLocale(request));
  return {
    title: `${t("claims.review.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    ...(await requestsForReview(estate.id, user.id)),
  };
}

const ApproveSchema = z.object({
  intent: z.literal("approve"),
  requestId: z.string().uuid("common.errors.invalid"),
  ownerId: z.string({ required_error: "common.errors.required" }).uuid("common.errors.invalid"),
});
const RejectSchema = z.object({
  intent: z.literal("reject"),
  requestId: z.string().uuid("common.errors.invalid"),
  reason: z
    .string({ required_error: "common.errors.required" })
    .trim()
    .min(1, "common.errors.required")
    .max(500, "common.errors.tooLong"),
});
const DecisionSchema = z.discriminatedUnion("intent", [ApproveSchema, RejectSchema]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "roster:manage");
  const read = await parseForm(request, DecisionSchema);
  if (!read.ok) return read.response;
  const { value, submission } = read;
  const result =
    value.intent === "approve"
      ? await approveRequest({
          estateId: estate.id,
          requestId: value.requestId,
          ownerId: value.ownerId,
          actorId: user.id,
        })
      : await rejectRequest({
          estateId: estate.id,
          requestId: value.requestId,
          reason: value.reason,
          actorId: user.id,
        });
  if (!result.ok) {
    if (result.error === "notFound") notFound();
    // Four eyes: deciding one's own request, or one for one's own unit, is forbidden, not a conflict of state.
    const reason = result.error === "ownRequest" || result.error === "ownUnit" ? "forbidden" : "conflict";
    return refuse(value.intent, refusal(reason, `claims.review.${result.error}`), { submission });
  }
  return redirectWithToast(`/e/${estate.slug}/claims`, {
    key: value.intent === "approve" ? "claims.review.approved" : "claims.review.rejected",
  });
}

type Pending = ReturnType<typeof useLoaderData<typeof loader>>["pending"][number];

/** A roster owner as the reviewer checks them against the letter: full name and the roster phone's last 4 digits. */
function ownerLabel(t: TFunction, n: number, o: { name: string; phoneTail: string | null }) {
  return o.phoneTail
    ? t("claims.review.ownerOptionPhone", { n, name: o.name, tail: o.phoneTail })
    : t("claims.review.ownerOptionNoPhone", { n, name: o.name });
}

function ApproveForm({ request }: { request: Pending }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: `approve-${request.id}`,
    lastResult:
      isFormReply(actionData, "approve") && actionData.initialValue?.requestId === request.id ? actionData : undefined,
    constraint: getZodConstraint(ApproveSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ApproveSchema }),
  });
  const numbered = request.owners.map((o, i) => ({ ...o, n: i + 1 }));
  const open = numbered.filter((o) => !o.claimed);
  if (request.requesterHoldsSlot) return <p className="alert">{t("claims.review.requesterHoldsSlot")}</p>;
  if (open.length === 0) return <p className="alert">{t("claims.review.noUnclaimed")}</p>;
  return (
    <Form method="post" {...getFormProps(form)}>
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="intent" value="approve" />
      <input type="hidden" name="requestId" value={request.id} />
      <fieldset className="field" style={{ border: 0, padding: 0, margin: "0 0 0.5rem" }}>
        <legend style={{ fontWeight: 600 }}>{t("claims.review.chooseOwner")}</legend>
        {open.map((o) => (
          <label
            key={o.id}
            style={{ fontWeight: 400, display: "flex", gap: "0.5rem", alignItems: "center", minHeight: 44 }}
          >
            <input type="radio" name={fields.ownerId.name} value={o.id} defaultChecked={open.length === 1} required />
            {ownerLabel(t, o.n, o)}
          </label>
        ))}
        <FieldErrors id={fields.ownerId.errorId} errors={fields.ownerId.errors} />
      </fieldset>
      <button type="submit" className="primary">
        {t("claims.review.approve")}
      </button>
    </Form>
  );
}

function RejectForm({ request }: { request: Pending }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: `reject-${request.id}`,
    lastResult:
      isFormReply(actionData, "reject") && actionData.initialValue?.requestId === request.id ? actionData : undefined,
    constraint: getZodConstraint(RejectSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: RejectSchema }),
    shouldRevalidate: "onInput",
  });
  const reasonProps = getTextareaProps(fields.reason);
  return (
    <Form method="post" {...getFormProps(form)}>
      <FormErrors id={form.errorId} errors={form.errors} />
      <input type="hidden" name="intent" value="reject" />
      <input type="hidden" name="requestId" value={request.id} />
      <div className="field">
        <label htmlFor={fields.reason.id}>{t("claims.review.reason")}</label>
        <textarea {...reasonProps} key={reasonProps.key} rows={2} />
        <p className="hint">{t("claims.review.reasonHint")}</p>
        <FieldErrors id={fields.reason.errorId} errors={fields.reason.errors} />
      </div>
      <button type="submit" className="secondary">
        {t("claims.review.reject")}
      </button>
    </Form>
  );
}

export default function ClaimReview() {
  const { pending, decided } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium", timeStyle: "short" });
  return (
    <div>
      <h1>{t("claims.review.title")}</h1>
      <p className="muted">{t("claims.review.intro")}</p>
      <p className="muted">{t("claims.review.viewAudited")}</p>
      <h2>{t("claims.review.pending")}</h2>
      {pending.length === 0 ? <p className="card muted">{t("claims.review.none")}</p> : null}
      {pending.map((r) => (
        <article
          key={r.id}
          className="card stack"
          aria-label={t("claims.unitLabel", { building: r.building, number: r.number })}
        >
          <h3 style={{ margin: 0 }}>{t("claims.unitLabel", { building: r.building, number: r.number })}</h3>
          <dl className="facts">
            <dt>{t("claims.review.nameGiven")}</dt>
            <dd>{r.nameGiven}</dd>
            <dt>{t("claims.review.requester")}</dt>
            <dd>{r.requester}</dd>
            <dt>{t("claims.review.rosterOwners")}</dt>
            <dd>
              {r.owners.map((o, i) => (
                <span key={o.id} className="owner-chip">
                  {ownerLabel(t, i + 1, o)}
                  {o.claimed ? ` (${t("claims.review.claimed")})` : ""}
                </span>
              ))}
            </dd>
            <dt>{t("claims.review.submittedAt")}</dt>
            <dd>{date.format(new Date(r.createdAt))}</dd>
          </dl>
          {r.conflict ? (
            <p className="alert">{t(`claims.review.${r.conflict}`)}</p>
          ) : (
            <>
              <ApproveForm request={r} />
              <RejectForm request={r} />
            </>
          )}
        </article>
      ))}
      <h2>{t("claims.review.decided")}</h2>
      {decided.length === 0 ? <p className="muted">{t("common.empty")}</p> : null}
      <ul className="list-plain">
        {decided.map((d) => (
          <li key={d.id}>
            <div className="actions">
              <strong>{t("claims.unitLabel", { building: d.building, number: d.number })}</strong>
              <span className={`badge status-${d.status}`}>{t(`claims.status.${d.status}`)}</span>
            </div>
            <div className="muted">
              {t("claims.review.nameGiven")}: {d.nameGiven} · {d.requester}
              {d.decidedAt ? ` · ${t("claims.review.decidedAt", { date: date.format(new Date(d.decidedAt)) })}` : ""}
            </div>
            {d.automatic ? <div className="muted">{t("claims.review.automatic")}</div> : null}
            {d.status === "rejected" && d.reason ? <div>{t("claims.claim.reason", { reason: d.reason })}</div> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
