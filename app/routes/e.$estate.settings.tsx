import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ballotListAccessOptions, unitKinds } from "#db/values";
import { estateAdmins, requireEstateRole, rosterManagers } from "~/auth/guards.server";
import { setVotingRules, votingRules } from "~/estates/settings.server";
import { parseVotingRules } from "~/estates/voting-rules";
import { getLocale, getT } from "~/i18n/i18n.server";
import { redirectWithToast } from "~/ui/toast.server";
import { ActionError, type ActionFailure } from "~/voting/action-error";

// The committee reads the rules its votes run under; only the community (or platform) admin,
// who records the estate's adopted rules of procedure, changes them.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstateRole(request, context, params.estate, rosterManagers);
  const t = await getT(await getLocale(request));
  return {
    title: `${t("estate.settings.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    rules: await votingRules(estate.id),
    kinds: unitKinds,
    canEdit: roles.some((r) => (estateAdmins as readonly string[]).includes(r)),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstateRole(request, context, params.estate, estateAdmins);
  const form = await request.formData().catch(() => null);
  const parsed = form ? parseVotingRules(form) : null;
  if (!parsed?.success) {
    const error = parsed?.error.issues[0]?.message ?? "common.errors.invalid";
    return data<ActionFailure>({ intent: "rules", error: error.startsWith("estate.") ? error : "common.errors.invalid" }, { status: 400 });
  }
  await setVotingRules(estate.id, user.id, parsed.data);
  return redirectWithToast(`/e/${estate.slug}/settings`, { key: "estate.settings.saved" });
}

export default function EstateSettings() {
  const { estate, rules, kinds, canEdit } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  return (
    <div>
      <h1>{t("estate.settings.title")}</h1>
      <p className="muted">{t("estate.settings.intro")}</p>
      <Form method="post" className="card">
        <fieldset disabled={!canEdit || busy}>
          <ActionError failure={failure} intent="rules" />
          <fieldset>
            <legend>{t("estate.settings.kinds")}</legend>
            <p className="hint">{t("estate.settings.kindsHint")}</p>
            {kinds.map((k) => (
              <label key={k} className="check">
                <input type="checkbox" name="votingUnitKinds" value={k} defaultChecked={rules.votingUnitKinds.includes(k)} /> {t(`common.unitKinds.${k}`)}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t("estate.settings.changeable")}</legend>
            <label className="check">
              <input type="radio" name="ballotsChangeable" value="yes" defaultChecked={rules.ballotsChangeable} /> {t("estate.settings.changeableYes")}
            </label>
            <label className="check">
              <input type="radio" name="ballotsChangeable" value="no" defaultChecked={!rules.ballotsChangeable} /> {t("estate.settings.changeableNo")}
            </label>
          </fieldset>
          <fieldset>
            <legend>{t("estate.settings.conflict")}</legend>
            <label className="check">
              <input type="radio" name="paperOnlineConflict" value="online" defaultChecked={rules.paperOnlineConflict === "online"} /> {t("estate.settings.conflictOnline")}
            </label>
            <label className="check">
              <input type="radio" name="paperOnlineConflict" value="paper" defaultChecked={rules.paperOnlineConflict === "paper"} /> {t("estate.settings.conflictPaper")}
            </label>
          </fieldset>
          <fieldset>
            <legend>{t("estate.settings.ballotList")}</legend>
            <p className="hint">{t("estate.settings.ballotListHint")}</p>
            {ballotListAccessOptions.map((o) => (
              <label key={o} className="check">
                <input type="radio" name="ballotListAccess" value={o} defaultChecked={rules.ballotListAccess === o} /> {t(`estate.settings.ballotListOptions.${o}`)}
              </label>
            ))}
          </fieldset>
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
      <p>
        <a href={`/e/${estate.slug}`}>{estate.name}</a>
      </p>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
