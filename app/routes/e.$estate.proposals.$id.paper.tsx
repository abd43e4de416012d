import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { notFound, requireEstateRole } from "~/auth/guards.server";
import { redirectWithToast } from "~/ui/toast.server";
import { ActionError, type ActionFailure } from "~/voting/action-error";
import { findProposal } from "~/voting/access.server";
import { readUpload } from "~/voting/files.server";
import { readFormData } from "~/voting/form-data.server";
import { choiceSchema } from "~/voting/forms";
import { confirmPaperBallot, enterPaperBallot, paperOverview, snapshotUnit } from "~/voting/paper.server";
import { voteManagers } from "~/voting/roles";
import { StatusBadge, useShanghaiFormat } from "~/voting/ui";
import { TableWrap } from "~/ui/table-wrap";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user } = await requireEstateRole(request, context, params.estate, voteManagers);
  const p = await findProposal(getDb(), estate.id, params.id ?? "");
  if (!p || !p.openedAt) notFound();
  return {
    estate: { slug: estate.slug, name: estate.name },
    proposal: { id: p.id, title: p.title, status: p.status },
    userId: user.id,
    rule: p.rules!.paperOnlineConflict,
    papers: await paperOverview(estate.id, p.id),
  };
}

const PaperSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("enter"),
    building: z.string({ required_error: "common.errors.required" }).trim().min(1, "common.errors.required").max(100, "common.errors.tooLong"),
    number: z.string({ required_error: "common.errors.required" }).trim().min(1, "common.errors.required").max(100, "common.errors.tooLong"),
    choice: choiceSchema,
    scan: z.any(),
  }),
  z.object({ intent: z.enum(["confirm", "reject"]), paperBallotId: z.string().uuid("common.errors.invalid") }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstateRole(request, context, params.estate, voteManagers);
  const here = `/e/${estate.slug}/proposals/${params.id}/paper`;
  const read = await readFormData(request);
  if (!read.ok) return data<ActionFailure>({ intent: "enter", error: read.error }, { status: read.error === "voting.errors.tooLarge" ? 413 : 400 });
  const submission = parseWithZod(read.formData, { schema: PaperSchema });
  const intent = String(read.formData.get("intent") ?? "");
  if (submission.status !== "success") {
    const first = Object.values(submission.error ?? {}).flat()[0];
    return data<ActionFailure>({ intent, error: first && /^[a-z]+\.errors\./.test(first) ? first : "common.errors.invalid" }, { status: 400 });
  }
  const v = submission.value;
  const ids = { estateId: estate.id, proposalId: params.id ?? "", userId: user.id };
  if (v.intent === "enter") {
    const unitId = await snapshotUnit(estate.id, ids.proposalId, v.building, v.number);
    if (!unitId) return data<ActionFailure>({ intent, error: "voting.errors.unitNotFound" }, { status: 400 });
    const scan = await readUpload(read.formData.get("scan"));
    if (!scan.ok) return data<ActionFailure>({ intent, error: scan.error }, { status: 400 });
    const r = await enterPaperBallot({ ...ids, unitId, choice: v.choice, scan });
    if (!r.ok) {
      if (r.error === "voting.errors.notFound") notFound();
      return data<ActionFailure>({ intent, error: r.error }, { status: 409 });
    }
    return redirectWithToast(here, { key: "voting.paper.entered" });
  }
  const r = await confirmPaperBallot({ ...ids, paperBallotId: v.paperBallotId, accept: v.intent === "confirm" });
  if (!r.ok) {
    if (r.error === "voting.errors.notFound") notFound();
    return data<ActionFailure>({ intent, error: r.error }, { status: r.error === "voting.errors.sameMember" ? 403 : 409 });
  }
  return r.outcome === "rejected"
    ? redirectWithToast(here, { key: "voting.paper.rejected" })
    : redirectWithToast(here, { key: r.outcome === "counted" ? "voting.paper.confirmed" : "voting.paper.confirmedOverridden" });
}

export default function PaperBallots() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const date = useShanghaiFormat();
  const base = `/e/${d.estate.slug}/proposals/${d.proposal.id}`;
  const pending = d.papers.filter((p) => p.status === "pending");
  const conflicts = d.papers.filter((p) => p.conflict);
  return (
    <div>
      <p className="no-print">
        <Link to={base}>← {d.proposal.title}</Link>
      </p>
      <h1>{t("voting.paper.title")}</h1>
      <StatusBadge status={d.proposal.status} />
      <p className="muted">{t("voting.paper.intro")}</p>
      {d.proposal.status === "voting" ? (
        <section className="card">
          <h2>{t("voting.paper.enter")}</h2>
          <ActionError failure={failure} intent="enter" />
          <Form method="post" encType="multipart/form-data">
            <input type="hidden" name="intent" value="enter" />
            <div className="grid">
              <div className="field">
                <label htmlFor="building">{t("voting.paper.building")}</label>
                <input id="building" name="building" required maxLength={100} />
              </div>
              <div className="field">
                <label htmlFor="number">{t("voting.paper.number")}</label>
                <input id="number" name="number" required maxLength={100} />
              </div>
            </div>
            <fieldset className="choices">
              <legend>{t("voting.paper.choice")}</legend>
              {(["agree", "oppose", "abstain"] as const).map((c) => (
                <label key={c} className="choice">
                  <input type="radio" name="choice" value={c} required />
                  {t(`voting.choices.${c}`)}
                </label>
              ))}
            </fieldset>
            <div className="field">
              <label htmlFor="scan">{t("voting.paper.scan")}</label>
              <input id="scan" name="scan" type="file" accept="application/pdf,image/png,image/jpeg,image/webp" required />
            </div>
            <button type="submit" className="primary">
              {t("voting.paper.enter")}
            </button>
          </Form>
        </section>
      ) : null}
      <section className="card">
        <h2>{t("voting.paper.pending")}</h2>
        <ActionError failure={failure} intent={["confirm", "reject"]} />
        {pending.length === 0 ? <p className="muted">{t("voting.paper.none")}</p> : null}
        <ul className="list-plain">
          {pending.map((p) => (
            <li key={p.id}>
              <div className="actions">
                <strong>{p.unit}</strong>
                <span className="badge">{t(`voting.choices.${p.choice}`)}</span>
                <a href={`${base}/files/${p.fileId}`} target="_blank" rel="noreferrer">
                  {t("voting.paper.viewScan")}
                </a>
              </div>
              <div className="muted">{t("voting.paper.enteredBy", { name: p.enteredByName, date: date.format(new Date(p.enteredAt)) })}</div>
              {p.enteredBy === d.userId ? (
                <p className="hint">{t("voting.paper.ownEntry")}</p>
              ) : (
                <Form method="post" className="actions">
                  <input type="hidden" name="paperBallotId" value={p.id} />
                  <button type="submit" name="intent" value="confirm" className="primary">
                    {t("voting.paper.confirm")}
                  </button>
                  <button type="submit" name="intent" value="reject" className="secondary">
                    {t("voting.paper.reject")}
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      </section>
      {conflicts.length ? (
        <section className="card">
          <h2>{t("voting.paper.conflicts")}</h2>
          <ul className="list-plain">
            {conflicts.map((p) => (
              <li key={p.id}>{t("voting.paper.conflictLine", { unit: p.unit, winner: t(`voting.paper.winner.${p.conflict ?? d.rule}`) })}</li>
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
                  <td>{t(`voting.choices.${p.choice}`)}</td>
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

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.proposal.title} · ${data.estate.name}` : "议事堂" }];
