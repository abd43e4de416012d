import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useDateTimeFormat } from "~/lib/time";
import { readUpload } from "~/lib/uploads/store.server";
import { BackLink } from "~/ui/back-link";
import { z } from "zod";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { redirectWithToast } from "~/ui/toast.server";
import { FormError } from "~/lib/forms/form-error";
import { findProposal } from "~/voting/access.server";
import {
  BoxEntrySchema,
  BoxLogSchema,
  paperChoiceSchema,
  PaperDecisionSchema,
  paperOutcomeToast,
  paperUnitFields,
} from "~/voting/forms";
import { ballotBox, logBallot, witnessEntry, withdrawEntry } from "~/voting/ballot-box.server";
import { confirmPaperBallot, enterPaperBallot, paperOverview, snapshotUnit } from "~/voting/paper.server";
import { BallotBoxSection, PaperDecision, PaperEntryForm, PaperUnitFields } from "~/voting/paper-ui";
import { StatusBadge } from "~/voting/ui";
import { TableWrap } from "~/ui/table-wrap";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { maxUploadBytes } from "~/lib/uploads/store.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "voting:manage");
  const p = await findProposal(getDb(), estate.id, params.id ?? "");
  if (!p || !p.openedAt) notFound();
  return {
    estate: { slug: estate.slug, name: estate.name },
    proposal: { id: p.id, title: p.title, status: p.status },
    /** Ballots are logged in the ballot box only inside the window; after it, only logged ones are entered and confirmed. */
    windowOpen: p.status === "voting" && new Date() < p.votingEndsAt,
    userId: user.id,
    rule: p.rules!.paperOnlineConflict,
    papers: await paperOverview(estate.id, p.id, { sealed: p.status === "voting" }, user.id),
    box: await ballotBox(estate.id, { kind: "proposal", id: p.id }, user.id),
  };
}

const PaperSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("enter"), ...paperUnitFields, choice: paperChoiceSchema, scan: z.any() }),
  PaperDecisionSchema,
  BoxLogSchema,
  BoxEntrySchema,
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "voting:manage");
  const here = `/e/${estate.slug}/proposals/${params.id}/paper`;
  const read = await parseForm(request, PaperSchema, {
    upload: { maxPartBytes: maxUploadBytes, tooLarge: "voting.errors.tooLarge" },
    uploadForm: "enter",
  });
  if (!read.ok) return read.response;
  const { value: v, intent, submission } = read;
  const ids = { estateId: estate.id, proposalId: params.id ?? "", userId: user.id };
  const ref = { kind: "proposal", id: ids.proposalId } as const;
  if (v.intent === "log") {
    const r = await logBallot({ estateId: estate.id, ref, userId: user.id, building: v.building, number: v.number });
    if (!r.ok) return refuse(intent, r, { submission, reasons: { "voting.errors.notFound": "not_found" } });
    return redirectWithToast(`${here}#box`, { key: "voting.box.logged" });
  }
  if ("entryId" in v) {
    const act = v.intent === "witness" ? witnessEntry : withdrawEntry;
    const r = await act({ estateId: estate.id, ref, entryId: v.entryId, userId: user.id });
    if (!r.ok) return refuse(intent, r, { submission });
    return redirectWithToast(`${here}#box`, {
      key: v.intent === "witness" ? "voting.box.witnessed" : "voting.box.withdrawn",
    });
  }
  if (v.intent === "enter") {
    const unitId = await snapshotUnit(estate.id, ids.proposalId, v.building, v.number);
    if (!unitId) return refuse(intent, "voting.errors.unitNotFound", { submission, reason: "invalid" });
    const scan = await readUpload(read.formData.get("scan"));
    if (!scan.ok) return refuse(intent, scan.error, { submission, reason: "invalid" });
    const r = await enterPaperBallot({ ...ids, unitId, choice: v.choice, scan });
    if (!r.ok) return refuse(intent, r, { submission, reasons: { "voting.errors.notFound": "not_found" } });
    return redirectWithToast(here, { key: "voting.paper.entered" });
  }
  const r = await confirmPaperBallot({ ...ids, paperBallotId: v.paperBallotId, accept: v.intent === "confirm" });
  if (!r.ok) {
    return refuse(intent, r, {
      submission,
      reasons: {
        "voting.errors.notFound": "not_found",
        "voting.errors.sameMember": "forbidden",
        "voting.errors.paperOwnVoter": "forbidden",
        "voting.errors.paperProxyHolder": "forbidden",
      },
    });
  }
  return redirectWithToast(here, { key: paperOutcomeToast(r.outcome) });
}

export default function PaperBallots() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const date = useDateTimeFormat();
  const base = `/e/${d.estate.slug}/proposals/${d.proposal.id}`;
  const pending = d.papers.filter((p) => p.status === "pending");
  const conflicts = d.papers.filter((p) => p.conflict);
  return (
    <div>
      <BackLink to={base} title={d.proposal.title} />
      <h1>{t("voting.paper.title")}</h1>
      <StatusBadge status={d.proposal.status} />
      <p className="muted">{t("voting.paper.intro")}</p>
      {d.proposal.status === "voting" ? (
        <BallotBoxSection entries={d.box} open={d.windowOpen} userId={d.userId} failure={failure} />
      ) : null}
      {d.proposal.status === "voting" ? (
        <PaperEntryForm failure={failure} late={!d.windowOpen}>
          <div className="grid">
            <PaperUnitFields />
          </div>
          <fieldset className="choices">
            <legend>{t("voting.paper.choice")}</legend>
            {(["agree", "oppose", "abstain", "spoiled"] as const).map((c) => (
              <label key={c} className="choice">
                <input type="radio" name="choice" value={c} required />
                {t(`voting.choices.${c}`)}
              </label>
            ))}
            <p className="hint">{t("voting.paper.spoiledHint")}</p>
          </fieldset>
        </PaperEntryForm>
      ) : null}
      <section className="card">
        <h2>{t("voting.paper.pending")}</h2>
        <FormError result={failure} form={["confirm", "reject"]} />
        {pending.length === 0 ? <p className="muted">{t("voting.paper.none")}</p> : null}
        <ul className="list-plain">
          {pending.map((p) => (
            <li key={p.id}>
              <div className="actions">
                <strong>{p.unit}</strong>
                {p.choice ? <span className="badge">{t(`voting.choices.${p.choice}`)}</span> : null}
                <a href={`${base}/files/${p.fileId}`} target="_blank" rel="noreferrer">
                  {t("voting.paper.viewScan")}
                </a>
              </div>
              <div className="muted">
                {t("voting.paper.enteredBy", { name: p.enteredByName, date: date.format(new Date(p.enteredAt)) })}
              </div>
              {d.proposal.status === "voting" ? (
                <PaperDecision paper={p} userId={d.userId} windowOver={!d.windowOpen} />
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      {conflicts.length ? (
        <section className="card">
          <h2>{t("voting.paper.conflicts")}</h2>
          <ul className="list-plain">
            {conflicts.map((p) => (
              <li key={p.id}>
                {t("voting.paper.conflictLine", {
                  unit: p.unit,
                  winner: t(`voting.paper.winner.${p.conflict ?? d.rule}`),
                })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="card">
        <h2>{t("voting.paper.all")}</h2>
        {d.papers.length === 0 ? <p className="muted">{t("common.empty")}</p> : null}
        <TableWrap label={t("voting.paper.all")}>
          <table>
            <tbody>
              {d.papers.map((p) => (
                <tr key={p.id}>
                  <td>{p.unit}</td>
                  <td className={p.choice ? undefined : "muted"}>
                    {p.choice ? t(`voting.choices.${p.choice}`) : t("voting.paper.sealedChoice")}
                  </td>
                  <td>{t(`voting.paper.statusLabels.${p.status}`)}</td>
                  <td className="muted">
                    {p.enteredByName}
                    {p.confirmedByName ? ` / ${p.confirmedByName}` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.proposal.title} · ${data.estate.name}` : "议事堂" },
];
