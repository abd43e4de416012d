import { freeText, nameField } from "~/lib/text";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { redirectWithToast } from "~/ui/toast.server";
import { createPetition, listPetitions, signPetition } from "~/voting/petitions.server";
import { can } from "~/lib/permissions";
import { percent } from "~/voting/percent";
import { usePetitionShare } from "~/voting/ui";
import { FormError } from "~/lib/forms/form-error";
import { parseForm, refuse } from "~/lib/forms/action.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const t = await getT(await getLocale(request));
  return {
    title: `${t("voting.petitions.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    isOwner: can(roles, "petitions:sign"),
    canSchedule: can(roles, "voting:manage"),
    petitions: await listPetitions(estate.id, user.id),
  };
}

const PetitionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"),
    title: nameField(200),
    body: freeText(5000).pipe(z.string().min(1, "common.errors.required")),
  }),
  z.object({ intent: z.literal("sign"), petitionId: z.string().uuid("common.errors.invalid") }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "petitions:sign");
  const read = await parseForm(request, PetitionSchema);
  if (!read.ok) return read.response;
  const { value: v, intent, submission } = read;
  const here = `/e/${estate.slug}/proposals/petitions`;
  const r =
    v.intent === "create"
      ? await createPetition({ estateId: estate.id, userId: user.id, title: v.title, body: v.body })
      : await signPetition({ estateId: estate.id, petitionId: v.petitionId, userId: user.id });
  if (!r.ok)
    return refuse(intent, r, {
      submission,
      reasons: { "voting.errors.notFound": "not_found", "voting.errors.notOwner": "forbidden" },
    });
  return redirectWithToast(here, {
    key: v.intent === "create" ? "voting.petitions.created" : "voting.petitions.signed",
  });
}

export default function Petitions() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const share = usePetitionShare();
  return (
    <div>
      <p className="no-print">
        <Link to={`/e/${d.estate.slug}/proposals`}>← {t("voting.title")}</Link>
      </p>
      <h1>{t("voting.petitions.title")}</h1>
      <p className="muted">{t("voting.petitions.intro")}</p>
      <FormError result={failure} form="sign" />
      {d.petitions.length === 0 ? <p className="card muted">{t("voting.petitions.none")}</p> : null}
      <ul className="list-plain">
        {d.petitions.map((p) => (
          <li key={p.id}>
            <strong>{p.title}</strong>
            <p style={{ whiteSpace: "pre-line", margin: "0.25rem 0" }}>{p.body}</p>
            <p className="muted" style={{ margin: 0 }}>
              {t("voting.petitions.progress", {
                area: percent(p.signed.area, p.total.area),
                head: percent(p.signed.headcount, p.total.headcount),
                share,
              })}
            </p>
            {p.daysWaiting !== null ? (
              <p className="alert">{t("voting.petitions.due", { days: p.daysWaiting })}</p>
            ) : null}
            <div className="actions">
              {p.proposalId ? (
                <Link to={`/e/${d.estate.slug}/proposals/${p.proposalId}`}>
                  {t("voting.petitions.scheduled")} · {t("voting.petitions.viewProposal")}
                </Link>
              ) : null}
              {p.signedByMe ? <span className="badge">{t("voting.petitions.youSigned")}</span> : null}
              {!p.signedByMe && d.isOwner && !p.scheduledAt ? (
                <Form method="post">
                  <input type="hidden" name="petitionId" value={p.id} />
                  <button type="submit" name="intent" value="sign" className="secondary">
                    {t("voting.petitions.sign")}
                  </button>
                </Form>
              ) : null}
              {d.canSchedule && !p.scheduledAt ? (
                <Link className="button secondary" to={`/e/${d.estate.slug}/proposals/new?petition=${p.id}`}>
                  {t("voting.petitions.schedule")}
                </Link>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {d.isOwner ? (
        <section className="card">
          <h2>{t("voting.petitions.create")}</h2>
          <FormError result={failure} form="create" />
          <Form method="post">
            <input type="hidden" name="intent" value="create" />
            <div className="field">
              <label htmlFor="petition-title">{t("voting.petitions.fieldTitle")}</label>
              <input id="petition-title" name="title" required maxLength={200} />
            </div>
            <div className="field">
              <label htmlFor="petition-body">{t("voting.petitions.fieldBody")}</label>
              <textarea id="petition-body" name="body" rows={4} required maxLength={5000} />
            </div>
            <button type="submit" className="primary">
              {t("voting.petitions.submit")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
