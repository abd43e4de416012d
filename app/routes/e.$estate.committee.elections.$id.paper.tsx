import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useDateTimeFormat } from "~/lib/time";
import { maxUploadBytes, readUpload } from "~/lib/uploads/store.server";
import { BackLink } from "~/ui/back-link";
import { z } from "zod";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { BallotMarks } from "~/committee/ballot-ui";
import { confirmElectionPaper, electionPaperOverview, enterElectionPaper } from "~/committee/election-votes.server";
import { electionPage } from "~/committee/elections.server";
import { redirectWithToast } from "~/ui/toast.server";
import {
  BoxEntrySchema,
  BoxLogSchema,
  PaperDecisionSchema,
  paperOutcomeToast,
  paperUnitFields,
  marksField,
} from "~/voting/forms";
import { BallotBoxSection, PaperDecision, PaperEntryForm, PaperUnitFields } from "~/voting/paper-ui";
import { ballotBox, logBallot, witnessEntry, withdrawEntry } from "~/voting/ballot-box.server";
import { FormError } from "~/lib/forms/form-error";
import { parseForm, refuse } from "~/lib/forms/action.server";

/** Paper ballots of an election: one committee member or admin enters, a second confirms. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "elections:oversee");
  const page = await electionPage(estate.id, params.id ?? "", { userId: user.id, overseer: true });
  if (!page || page.election.status === "nominating") notFound();
  return {
    estate: { slug: estate.slug, name: estate.name },
    election: { id: page.election.id, title: page.election.title, status: page.election.status },
    /** Ballots are logged in the ballot box only inside the window; after it, only logged ones are entered and confirmed. */
    windowOpen: page.election.status === "voting" && new Date() < new Date(page.election.votingEndsAt),
    candidates: page.candidates
      .filter((c) => c.qualified)
      .map((c) => ({ id: c.id, name: c.name, race: c.seat === "X" ? null : c.zone })),
    /** Race id → its zone's name (null: the X seats), to name a paper's spoiled races. */
    raceNames: Object.fromEntries(page.races.map((r) => [r.race, r.zone])),
    userId: user.id,
    papers: await electionPaperOverview(
      estate.id,
      page.election.id,
      { sealed: page.election.status === "voting" },
      user.id,
    ),
    box: await ballotBox(estate.id, { kind: "election", id: page.election.id }, user.id),
  };
}

const PaperSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("enter"), ...paperUnitFields, mark: marksField, scan: z.any() }),
  PaperDecisionSchema,
  BoxLogSchema,
  BoxEntrySchema,
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "elections:oversee");
  const here = `/e/${estate.slug}/committee/elections/${params.id}/paper`;
  const read = await parseForm(request, PaperSchema, {
    upload: { maxPartBytes: maxUploadBytes, tooLarge: "voting.errors.tooLarge" },
    uploadForm: "enter",
  });
  if (!read.ok) return read.response;
  const { value: v, intent, submission } = read;
  const ids = { estateId: estate.id, electionId: params.id ?? "", userId: user.id };
  const ref = { kind: "election", id: ids.electionId } as const;
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
    const scan = await readUpload(read.formData.get("scan"));
    if (!scan.ok) return refuse(intent, scan.error, { submission, reason: "invalid" });
    const r = await enterElectionPaper({ ...ids, building: v.building, number: v.number, marks: v.mark, scan });
    if (!r.ok)
      return refuse(intent, r, {
        submission,
        reasons: { "committee.errors.notFound": "not_found", "committee.errors.candidateHandles": "forbidden" },
      });
    return redirectWithToast(here, { key: "voting.paper.entered" });
  }
  const r = await confirmElectionPaper({ ...ids, paperBallotId: v.paperBallotId, accept: v.intent === "confirm" });
  if (!r.ok) {
    const forbidden = [
      "committee.errors.paperSamePerson",
      "committee.errors.paperOwnVoter",
      "committee.errors.paperProxyHolder",
      "committee.errors.candidateHandles",
    ] as const;
    return refuse(intent, r, {
      submission,
      reasons: {
        "committee.errors.notFound": "not_found",
        ...Object.fromEntries(forbidden.map((e) => [e, "forbidden" as const])),
      },
    });
  }
  return redirectWithToast(here, { key: paperOutcomeToast(r.outcome) });
}

export default function ElectionPaper() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const date = useDateTimeFormat();
  const nameOf = new Map(d.candidates.map((c) => [c.id, c.name]));
  return (
    <div>
      <BackLink to={`/e/${d.estate.slug}/committee/elections/${d.election.id}`} title={d.election.title} />
      <h1>{t("committee.electionPaper.title")}</h1>
      <p className="muted">{t("committee.electionPaper.intro")}</p>
      {d.election.status === "voting" ? (
        <BallotBoxSection entries={d.box} open={d.windowOpen} userId={d.userId} failure={failure} />
      ) : null}
      {d.election.status === "voting" ? (
        <PaperEntryForm failure={failure} late={!d.windowOpen}>
          <PaperUnitFields />
          <p className="hint">{t("committee.electionPaper.markHint")}</p>
          <BallotMarks candidates={d.candidates} />
        </PaperEntryForm>
      ) : null}
      <section className="card">
        <h2>{t("voting.paper.all")}</h2>
        <FormError result={failure} form={["confirm", "reject"]} />
        {d.papers.length === 0 ? <p className="muted">{t("voting.paper.none")}</p> : null}
        <ul className="list-plain">
          {d.papers.map((p) => (
            <li key={p.id} data-testid="paper">
              <div className="actions">
                <strong>{p.unit}</strong>
                <span className={`badge status-${p.status}`}>{t(`voting.paper.statusLabels.${p.status}`)}</span>
                <a
                  href={`/e/${d.estate.slug}/committee/elections/${d.election.id}/files/${p.fileId}`}
                  target="_blank"
                  rel="noreferrer"
                >
                  {t("voting.paper.viewScan")}
                </a>
              </div>
              <p className="muted">
                {p.marks === null
                  ? t("voting.paper.sealedChoice")
                  : Object.entries(p.marks)
                      .filter(([, c]) => c !== "abstain")
                      .map(([id, c]) => `${nameOf.get(id) ?? "—"} ${t(`committee.choices.${c}`)}`)
                      .join("、") || t("committee.ledger.allAbstain")}
              </p>
              {p.spoiledRaces?.length ? (
                <p className="muted" data-testid="spoiled-races">
                  {t("committee.electionPaper.spoiledRaces", {
                    races: p.spoiledRaces.map((r) => d.raceNames[r] ?? t("committee.seats.X")).join("、"),
                  })}
                </p>
              ) : null}
              <p className="hint">
                {t("voting.paper.enteredBy", { name: p.enteredByName, date: date.format(new Date(p.enteredAt)) })}
              </p>
              {p.status === "pending" && d.election.status === "voting" ? (
                <PaperDecision paper={p} userId={d.userId} windowOver={!d.windowOpen} />
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.election.title} · ${data.estate.name}` : "议事堂" },
];
