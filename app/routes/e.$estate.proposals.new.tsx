import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { toBeijingDateTime } from "~/lib/time";
import { redirectWithToast } from "~/ui/toast.server";
import { chosenScope, DraftFormSchema, draftDefaults } from "~/voting/forms";
import { restDayTable } from "~/lib/rest-days.server";
import { getDb } from "#db/client";
import { estateBuildings } from "~/committee/composition.server";
import { estateSettings } from "~/estates/procedure";
import type { ProposalType } from "#db/schema/voting";
import { findPetition } from "~/voting/petitions.server";
import { draftProposal } from "~/voting/proposals.server";
import { ProposalForm } from "~/voting/proposal-form";
import { parseForm, refuse } from "~/lib/forms/action.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "voting:manage");
  const t = await getT(await getLocale(request));
  const petitionId = new URL(request.url).searchParams.get("petition");
  const petition = petitionId ? await findPetition(estate.id, petitionId) : null;
  if (petitionId && !petition) notFound();
  const dates = draftDefaults(new Date(), await restDayTable(), estateSettings(estate.settings).voteNoticeDays);
  const buildings = await estateBuildings(getDb(), estate.id);
  return {
    title: `${t("voting.draft.title")} · ${estate.name}`,
    petition: petition ? { id: petition.id, title: petition.title, body: petition.body } : null,
    defaults: {
      title: petition?.title ?? "",
      body: petition?.body ?? "",
      commentEndsAt: toBeijingDateTime(dates.commentEndsAt),
      votingStartsAt: toBeijingDateTime(dates.votingStartsAt),
      votingEndsAt: toBeijingDateTime(dates.votingEndsAt),
      petitionId: petition?.id,
      scopeBuildingIds: null,
    },
    buildings: buildings.map((b) => ({ id: b.id, name: b.name })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "voting:manage");
  const read = await parseForm(request, DraftFormSchema, { form: "draft" });
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  const result = await draftProposal({
    ...v,
    scopeBuildingIds: chosenScope(v),
    type: v.type as ProposalType,
    estateId: estate.id,
    userId: user.id,
    petitionId: v.petitionId ?? null,
  });
  if (!result.ok) return refuse("draft", result, { submission, reason: "invalid" });
  return redirectWithToast(`/e/${estate.slug}/proposals/${result.id}`, { key: "voting.draft.created" });
}

export default function NewProposal() {
  const { defaults, petition, buildings } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section className="card">
      <h1>{t("voting.draft.title")}</h1>
      {petition ? <p className="notice-ok">{t("voting.draft.fromPetition", { title: petition.title })}</p> : null}
      <ProposalForm
        lastResult={lastResult}
        defaults={defaults}
        buildings={buildings}
        submitLabel={t("voting.draft.submit")}
      />
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
