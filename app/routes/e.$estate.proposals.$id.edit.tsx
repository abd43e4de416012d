import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getDb } from "#db/client";
import type { ProposalType } from "#db/schema/voting";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { toBeijingDateTime } from "~/lib/time";
import { redirectWithToast } from "~/ui/toast.server";
import { findProposal } from "~/voting/access.server";
import { chosenScope, DraftSchema, requireBuildings } from "~/voting/forms";
import { estateBuildings } from "~/committee/composition.server";
import { updateDraft } from "~/voting/proposals.server";
import { ProposalForm } from "~/voting/proposal-form";
import { parseForm, refuse } from "~/lib/forms/action.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "voting:manage");
  const p = await findProposal(getDb(), estate.id, params.id ?? "");
  if (!p) notFound();
  if (p.status !== "draft") throw new Response("Conflict", { status: 409 });
  const t = await getT(await getLocale(request));
  return {
    title: `${t("voting.draft.editTitle")} · ${p.title}`,
    defaults: {
      title: p.title,
      body: p.body,
      type: p.type,
      commentEndsAt: toBeijingDateTime(p.commentEndsAt),
      votingStartsAt: toBeijingDateTime(p.votingStartsAt),
      votingEndsAt: toBeijingDateTime(p.votingEndsAt),
      scopeBuildingIds: p.scopeBuildingIds,
    },
    buildings: (await estateBuildings(getDb(), estate.id)).map((b) => ({ id: b.id, name: b.name })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "voting:manage");
  const read = await parseForm(request, DraftSchema.omit({ petitionId: true }).superRefine(requireBuildings), {
    form: "draft",
  });
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  const result = await updateDraft({
    ...v,
    scopeBuildingIds: chosenScope(v),
    type: v.type as ProposalType,
    estateId: estate.id,
    proposalId: params.id ?? "",
  });
  if (!result.ok)
    return refuse("draft", result, {
      submission,
      reason: "invalid",
      reasons: { "voting.errors.notFound": "not_found", "voting.errors.wrongStatus": "conflict" },
    });
  return redirectWithToast(`/e/${estate.slug}/proposals/${params.id}`, { key: "voting.draft.updated" });
}

export default function EditProposal() {
  const { defaults, buildings } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section className="card">
      <h1>{t("voting.draft.editTitle")}</h1>
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
