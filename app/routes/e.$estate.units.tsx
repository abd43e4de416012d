import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { forbidden, notFound, requireEstatePermission } from "~/auth/guards.server";
import { claimRequestsOf } from "~/claims/claims.server";
import { createInvite, myUnits, removeResident, revokeInvite } from "~/claims/residents.server";
import { linkOrigin } from "~/lib/public-origin.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { useDateTimeFormat } from "~/lib/time";
import { FieldErrors, FormErrors } from "~/lib/forms/field";
import { formatArea } from "~/ui/mask";
import { redirectWithToast } from "~/ui/toast.server";
import { parseForm } from "~/lib/forms/action.server";
import { isFormReply } from "~/lib/forms/result";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "units:mine");
  const t = await getT(await getLocale(request));
  const [units, requests] = await Promise.all([myUnits(user.id, estate.id), claimRequestsOf(user.id, estate.id)]);
  return {
    title: `${t("claims.units.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    ...units,
    requests,
  };
}

const InviteSchema = z.object({
  intent: z.literal("invite"),
  unitId: z.string().uuid("common.errors.invalid"),
  relation: z.enum(["family", "tenant"], {
    required_error: "common.errors.required",
    invalid_type_error: "common.errors.invalid",
  }),
});
const RemoveSchema = z.object({
  intent: z.literal("removeResident"),
  residentId: z.string().uuid("common.errors.invalid"),
});
const RevokeSchema = z.object({
  intent: z.literal("revokeInvite"),
  inviteId: z.string().uuid("common.errors.invalid"),
});
const UnitsActionSchema = z.discriminatedUnion("intent", [InviteSchema, RemoveSchema, RevokeSchema]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "units:mine");
  const read = await parseForm(request, UnitsActionSchema);
  if (!read.ok) return read.response;
  const { value, submission } = read;
  const here = `/e/${estate.slug}/units`;
  if (value.intent === "invite") {
    const result = await createInvite({
      estateId: estate.id,
      unitId: value.unitId,
      userId: user.id,
      relation: value.relation,
    });
    if (!result.ok) return result.error === "notFound" ? notFound() : forbidden();
    const origin = linkOrigin(request);
    // The token exists only in this response: the link is shown once, its hash is stored.
    return {
      unitId: value.unitId,
      result: submission.reply({ resetForm: true }),
      link: `${origin}/invite/${result.token}`,
    };
  }
  const result =
    value.intent === "removeResident"
      ? await removeResident({ estateId: estate.id, residentId: value.residentId, userId: user.id })
      : await revokeInvite({ estateId: estate.id, inviteId: value.inviteId, userId: user.id });
  if (!result.ok) return result.error === "notFound" ? notFound() : forbidden();
  return redirectWithToast(here, {
    key: value.intent === "removeResident" ? "claims.units.removed" : "claims.units.revoked",
  });
}

type Owned = ReturnType<typeof useLoaderData<typeof loader>>["owned"][number];

function InviteLink({ link }: { link: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <div className="notice-ok stack" role="status">
      <label htmlFor="invite-link">{t("claims.units.inviteLink")}</label>
      <input id="invite-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
      <p className="hint">{t("claims.units.inviteOnce")}</p>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          void navigator.clipboard?.writeText(link).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        {copied ? t("claims.units.copied") : t("claims.units.copy")}
      </button>
    </div>
  );
}

function InviteForm({ unit }: { unit: Owned }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  // An invitation made (with its link) or refused, for this unit's form.
  const mine = actionData && "link" in actionData && actionData.unitId === unit.unitId ? actionData : undefined;
  const refused =
    isFormReply(actionData, "invite") && actionData.initialValue?.unitId === unit.unitId ? actionData : undefined;
  const [form, fields] = useForm({
    id: `invite-${unit.unitId}`,
    lastResult: refused ?? mine?.result,
    constraint: getZodConstraint(InviteSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteSchema }),
    defaultValue: { relation: "family" },
  });
  const selectProps = getSelectProps(fields.relation);
  return (
    <div className="stack">
      <Form method="post" {...getFormProps(form)}>
        <FormErrors id={form.errorId} errors={form.errors} />
        <input type="hidden" name="intent" value="invite" />
        <input type="hidden" name="unitId" value={unit.unitId} />
        <div className="field">
          <label htmlFor={fields.relation.id}>{t("claims.units.relation")}</label>
          <select {...selectProps} key={selectProps.key}>
            <option value="family">{t("common.relations.family")}</option>
            <option value="tenant">{t("common.relations.tenant")}</option>
          </select>
          <FieldErrors id={fields.relation.errorId} errors={fields.relation.errors} />
        </div>
        <button type="submit" className="primary">
          {t("claims.units.createInvite")}
        </button>
      </Form>
      {mine?.link ? <InviteLink link={mine.link} /> : null}
    </div>
  );
}

function OwnedUnit({ unit }: { unit: Owned }) {
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium" });
  const label = t("claims.unitLabel", { building: unit.building, number: unit.number });
  return (
    <article className="card stack unit-card" aria-label={label}>
      <h3 style={{ margin: 0 }}>{label}</h3>
      <dl className="facts">
        <dt>{t("claims.units.building")}</dt>
        <dd>
          {unit.building} · {t("claims.floor", { floor: unit.floor })}
        </dd>
        <dt>{t("claims.units.kind")}</dt>
        <dd>{t(`common.unitKinds.${unit.kind}`)}</dd>
        <dt>{t("claims.units.area")}</dt>
        <dd>{t("common.areaUnit", { area: formatArea(unit.areaCentiSqm) })}</dd>
        <dt>{t("claims.units.coOwners")}</dt>
        <dd>
          {unit.coOwners.length === 0
            ? t("claims.units.noCoOwners")
            : unit.coOwners.map((o) => `${o.name}${o.claimed ? "" : ` (${t("claims.units.notClaimed")})`}`).join("、")}
        </dd>
      </dl>
      <h4>{t("claims.units.residents")}</h4>
      {unit.residents.length === 0 ? <p className="muted">{t("claims.units.noResidents")}</p> : null}
      <ul className="list-plain">
        {unit.residents.map((r) => (
          <li key={r.id} className="actions" style={{ justifyContent: "space-between" }}>
            <span>
              {r.name} · {t(`common.relations.${r.relation}`)}{" "}
              <span className="muted">{t("claims.units.since", { date: date.format(new Date(r.since)) })}</span>
            </span>
            <Form method="post">
              <input type="hidden" name="intent" value="removeResident" />
              <input type="hidden" name="residentId" value={r.id} />
              <button type="submit" className="secondary" aria-label={`${t("claims.units.removeResident")} ${r.name}`}>
                {t("claims.units.removeResident")}
              </button>
            </Form>
          </li>
        ))}
      </ul>
      {unit.invites.length ? (
        <>
          <h4>{t("claims.units.openInvites")}</h4>
          <ul className="list-plain">
            {unit.invites.map((i) => (
              <li key={i.id} className="actions" style={{ justifyContent: "space-between" }}>
                <span>
                  {t("claims.units.expires", {
                    relation: t(`common.relations.${i.relation}`),
                    date: date.format(new Date(i.expiresAt)),
                  })}
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="revokeInvite" />
                  <input type="hidden" name="inviteId" value={i.id} />
                  <button type="submit" className="secondary">
                    {t("claims.units.revoke")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h4>{t("claims.units.invite")}</h4>
      <InviteForm unit={unit} />
    </article>
  );
}

export default function MyUnits() {
  const { estate, owned, residing, requests } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium" });
  return (
    <div>
      <h1>{t("claims.units.title")}</h1>
      <p className="muted">{estate.name}</p>
      <h2>{t("claims.units.owned")}</h2>
      {owned.length === 0 ? <p className="card muted">{t("claims.units.noneOwned")}</p> : null}
      {owned.map((u) => (
        <OwnedUnit key={u.unitId} unit={u} />
      ))}
      {residing.length ? (
        <>
          <h2>{t("claims.units.residing")}</h2>
          <ul className="list-plain card">
            {residing.map((u) => (
              <li key={u.unitId}>
                <strong>{t("claims.unitLabel", { building: u.building, number: u.number })}</strong> ·{" "}
                {t(`common.relations.${u.relation}`)}
                <div className="muted">
                  {t("claims.floor", { floor: u.floor })} · {t(`common.unitKinds.${u.kind}`)} ·{" "}
                  {t("common.areaUnit", { area: formatArea(u.areaCentiSqm) })}
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {requests.length ? (
        <>
          <h2>{t("claims.units.myRequests")}</h2>
          <ul className="list-plain card">
            {requests.map((r) => (
              <li key={r.id}>
                <div className="actions">
                  <strong>{t("claims.unitLabel", { building: r.building, number: r.number })}</strong>
                  <span className={`badge status-${r.status}`}>{t(`claims.status.${r.status}`)}</span>
                </div>
                <div className="muted">
                  {t("claims.claim.nameGiven", { name: r.nameGiven })} ·{" "}
                  {t("claims.claim.submittedAt", { date: date.format(new Date(r.createdAt)) })}
                </div>
                {r.status === "rejected" && r.reason ? (
                  <div>{t("claims.claim.reason", { reason: r.reason })}</div>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <Link to="/claim">{t("claims.units.claimAnother")}</Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
