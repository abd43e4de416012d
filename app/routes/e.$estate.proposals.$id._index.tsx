import { renderMarkdown } from "~/lib/markdown.server";
import { freeText } from "~/lib/text";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { forbidden, notFound, requireEstatePermission } from "~/auth/guards.server";
import { useDateTimeFormat } from "~/lib/time";
import { maxUploadBytes, readUpload, withUploads } from "~/lib/uploads/store.server";
import { redirectWithToast } from "~/ui/toast.server";
import { formatArea } from "~/ui/mask";
import { FormError } from "~/lib/forms/form-error";
import { castBallot, myVoters } from "~/voting/ballots.server";
import { parseForm, refuse } from "~/lib/forms/action.server";
import type { Refusal } from "~/lib/forms/result";
import { choiceSchema, noticeWindowFields } from "~/voting/forms";
import {
  addComment,
  closeVoting,
  openComment,
  openVoting,
  proposalPage,
  publishResult,
  recordCarriedOut,
} from "~/voting/proposals.server";
import { estateSettings } from "~/estates/procedure";
import { MatterRules, ParticipationCard, StatusBadge } from "~/voting/ui";
import { liveTurnout } from "~/voting/turnout.server";
import { can, type Permission } from "~/lib/permissions";
import { maxProposalFiles, saveFile } from "~/voting/vote-files.server";
import { postVoteNotice, voteNoticeSection } from "~/voting/notice.server";
import { NoticeSection } from "~/voting/notice-ui";
import { ScopeLine } from "~/voting/scope-line";
import { linkOrigin } from "~/lib/public-origin.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const page = await proposalPage(estate.id, params.id ?? "", { canSeeDrafts: can(roles, "voting:oversee") });
  if (!page) notFound();
  const p = page.proposal;
  const rules = p.rules ?? estateSettings(estate.settings);
  const voters = p.status === "draft" || p.status === "comment" ? [] : await myVoters(estate.id, p.id, user.id);
  // Participation (never a choice) for everyone while voting runs: area and headcount against the quorum.
  const participation = p.status === "voting" ? await liveTurnout(p.id) : null;
  const notice = await voteNoticeSection(estate.id, { kind: "proposal", id: p.id }, new Date(), linkOrigin(request));
  return {
    notice: notice && { ...notice, draft: can(roles, "voting:manage") ? notice.draft : null },
    estate: { slug: estate.slug, name: estate.name },
    canManage: can(roles, "voting:manage"),
    canOversee: can(roles, "voting:oversee"),
    canComment: can(roles, "voting:comment"),
    isCaster: can(roles, "voting:cast"),
    isOwner: roles.includes("owner"),
    now: new Date().toISOString(),
    proposal: {
      id: p.id,
      title: p.title,
      type: p.type,
      matter: p.matter,
      status: p.status,
      bodyHtml: renderMarkdown(p.body),
      commentEndsAt: p.commentEndsAt.toISOString(),
      votingStartsAt: p.votingStartsAt.toISOString(),
      votingEndsAt: p.votingEndsAt.toISOString(),
      openedAt: p.openedAt?.toISOString() ?? null,
      closedAt: p.closedAt?.toISOString() ?? null,
      carriedOutRecord: p.carriedOutRecord,
      passed: p.result ? Boolean((p.result as { passed: boolean }).passed) : null,
    },
    rules: { ballotsChangeable: rules.ballotsChangeable, paperOnlineConflict: rules.paperOnlineConflict },
    files: page.files,
    comments: page.comments,
    voters,
    participation,
  };
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("cast"),
    voterId: z.string({ required_error: "common.errors.required" }).max(4000),
    choice: choiceSchema,
  }),
  z.object({ intent: z.literal("comment"), body: freeText(2000).pipe(z.string().min(1, "common.errors.required")) }),
  z.object({ intent: z.literal("upload"), file: z.any() }),
  z.object({ intent: z.literal("openComment") }),
  z.object({ intent: z.literal("openVoting") }),
  z.object({ intent: z.literal("postNotice"), ...noticeWindowFields }),
  z.object({ intent: z.literal("closeVoting") }),
  z.object({
    intent: z.literal("publish"),
    publicityDays: z.coerce
      .number({ invalid_type_error: "common.errors.invalid" })
      .int("common.errors.invalid")
      .min(1, "common.errors.invalid")
      .max(90, "common.errors.invalid"),
  }),
  z.object({
    intent: z.literal("carriedOut"),
    record: z
      .string({ required_error: "common.errors.required" })
      .trim()
      .min(1, "common.errors.required")
      .max(5000, "common.errors.tooLong"),
  }),
]);

const permissionFor: Record<z.infer<typeof ActionSchema>["intent"], Permission> = {
  cast: "voting:cast",
  comment: "voting:comment",
  upload: "voting:manage",
  openComment: "voting:manage",
  openVoting: "voting:manage",
  postNotice: "voting:manage",
  closeVoting: "voting:manage",
  publish: "voting:manage",
  carriedOut: "voting:manage",
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const read = await parseForm(request, ActionSchema, {
    upload: { maxPartBytes: maxUploadBytes, tooLarge: "voting.errors.tooLarge" },
    uploadForm: "upload",
  });
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  if (!can(roles, permissionFor[v.intent])) forbidden();
  const ids = { estateId: estate.id, proposalId: params.id ?? "", userId: user.id };
  const here = `/e/${estate.slug}/proposals/${params.id}`;
  const fail = (r: Refusal) =>
    refuse(v.intent, r, {
      submission,
      reasons: {
        "voting.errors.notFound": "not_found",
        ...(v.intent === "cast" ? { "voting.errors.notYourVoter": "forbidden" } : {}),
      },
    });

  switch (v.intent) {
    case "cast": {
      const r = await castBallot({ ...ids, voterId: v.voterId, choice: v.choice });
      if (!r.ok) return fail(r);
      return redirectWithToast(`${here}#ballot`, { key: "voting.ballot.cast", params: { receipt: r.receipt } });
    }
    case "comment": {
      const r = await addComment({ ...ids, body: v.body });
      return r.ok ? redirectWithToast(`${here}#comments`, { key: "voting.page.commented" }) : fail(r);
    }
    case "upload": {
      const page = await proposalPage(estate.id, ids.proposalId, { canSeeDrafts: true });
      if (!page) notFound();
      if (page.proposal.status !== "draft" && page.proposal.status !== "comment")
        return refuse(v.intent, "voting.errors.wrongStatus", { submission });
      if (page.files.length >= maxProposalFiles) return refuse(v.intent, "voting.errors.tooManyFiles", { submission });
      const file = await readUpload(read.formData.get("file"));
      if (!file.ok) return refuse(v.intent, file.error, { submission, reason: "invalid" });
      await withUploads(() =>
        getDb().transaction((tx) =>
          saveFile(tx, {
            estateId: estate.id,
            proposalId: page.proposal.id,
            kind: "proposal",
            name: file.name,
            type: file.type,
            bytes: file.bytes,
            uploadedBy: user.id,
          }),
        ),
      );
      return redirectWithToast(`${here}#files`, { key: "voting.page.uploaded" });
    }
    case "openComment": {
      const r = await openComment(ids);
      return r.ok ? redirectWithToast(here, { key: "voting.page.commentOpened" }) : fail(r);
    }
    case "postNotice": {
      const r = await postVoteNotice({
        estateId: estate.id,
        ref: { kind: "proposal", id: ids.proposalId },
        userId: user.id,
        votingStartsAt: v.votingStartsAt,
        votingEndsAt: v.votingEndsAt,
        origin: linkOrigin(request),
      });
      return r.ok ? redirectWithToast(`${here}#notice`, { key: "voteNotice.section.done" }) : fail(r);
    }
    case "openVoting": {
      const r = await openVoting(ids);
      return r.ok
        ? redirectWithToast(here, { key: "voting.page.votingOpened", params: { voters: r.voters } })
        : fail(r);
    }
    case "closeVoting": {
      const r = await closeVoting(ids);
      return r.ok ? redirectWithToast(`${here}/result`, { key: "voting.page.closed" }) : fail(r);
    }
    case "publish": {
      const r = await publishResult({ ...ids, publicityDays: v.publicityDays });
      return r.ok ? redirectWithToast(`${here}/result`, { key: "voting.page.published" }) : fail(r);
    }
    case "carriedOut": {
      const r = await recordCarriedOut({ ...ids, record: v.record });
      return r.ok ? redirectWithToast(here, { key: "voting.page.carriedOutSaved" }) : fail(r);
    }
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function BallotSection({ d }: { d: Data }) {
  const { t } = useTranslation();
  const date = useDateTimeFormat();
  const failure = useActionData<typeof action>();
  const p = d.proposal;
  const open = p.status === "voting" && new Date(d.now) < new Date(p.votingEndsAt);
  if (d.voters.length === 0) {
    if (p.status !== "voting" || !d.isCaster) return null;
    return (
      <section className="card" id="ballot">
        <h2>{t("voting.ballot.title")}</h2>
        <p className="muted">{d.isOwner ? t("voting.ballot.notVoter") : t("voting.ballot.residentNote")}</p>
      </section>
    );
  }
  return (
    <section className="card stack" id="ballot">
      <h2>{t("voting.ballot.title")}</h2>
      <FormError result={failure} form="cast" />
      {d.voters.map((voter) => {
        const units = voter.units.map((u) => `${u.building} ${u.number}`).join("、");
        return (
          <article key={voter.voterId} className="ballot" aria-label={t("voting.ballot.units", { units })}>
            <p style={{ margin: 0 }}>
              <strong>{t("voting.ballot.units", { units })}</strong>
              {voter.via === "proxy" ? <span className="badge"> {t("voting.ballot.viaProxy")}</span> : null}
            </p>
            <p className="muted" style={{ margin: 0 }}>
              {t("voting.ballot.area", { area: formatArea(voter.areaCentiSqm) })}
            </p>
            {voter.current ? (
              <div className="receipt-box">
                <p style={{ margin: 0 }}>
                  {t("voting.ballot.current", {
                    choice: t(`voting.choices.${voter.current.choice}`),
                    channel: t(`voting.channels.${voter.current.channel}`),
                    time: date.format(new Date(voter.current.castAt)),
                  })}
                </p>
                <p style={{ margin: 0 }}>
                  {t("voting.ballot.receipt")}:{" "}
                  <code className="receipt" data-testid="receipt">
                    {voter.current.receipt}
                  </code>
                </p>
                <p className="hint">
                  {t("voting.ballot.hash")}: <code className="hash">{voter.current.hash.slice(0, 16)}…</code>
                </p>
                <p className="hint">{t("voting.ballot.receiptHint")}</p>
                {voter.replaced.length ? (
                  <p className="hint">
                    {t("voting.ballot.replaced", { receipts: voter.replaced.map((r) => r.receipt).join("、") })}
                  </p>
                ) : null}
              </div>
            ) : (
              <p className="muted">{t("voting.ballot.none")}</p>
            )}
            {voter.paper?.status === "pending" ? <p className="hint">{t("voting.ballot.paperPending")}</p> : null}
            {voter.paper?.status === "overridden" ? <p className="hint">{t("voting.ballot.paperOverridden")}</p> : null}
            {voter.mayCast ? (
              <Form method="post" className="no-print">
                <input type="hidden" name="intent" value="cast" />
                <input type="hidden" name="voterId" value={voter.voterId} />
                <fieldset className="choices">
                  <legend>{t("voting.ballot.choose")}</legend>
                  {(["agree", "oppose", "abstain"] as const).map((c) => (
                    <label key={c} className="choice">
                      <input
                        type="radio"
                        name="choice"
                        value={c}
                        required
                        defaultChecked={voter.current?.choice === c}
                      />
                      {t(`voting.choices.${c}`)}
                    </label>
                  ))}
                </fieldset>
                <button type="submit" className="primary">
                  {voter.current ? t("voting.ballot.change") : t("voting.ballot.submit")}
                </button>
              </Form>
            ) : null}
          </article>
        );
      })}
      {open ? (
        <p className="hint">
          {d.rules.ballotsChangeable ? t("voting.ballot.changeable") : t("voting.ballot.final")}{" "}
          {d.rules.paperOnlineConflict === "paper" ? t("voting.ballot.paperWins") : t("voting.ballot.onlineWins")}
        </p>
      ) : null}
    </section>
  );
}

function CommitteeSection({ d }: { d: Data }) {
  const { t } = useTranslation();
  const failure = useActionData<typeof action>();
  const p = d.proposal;
  const base = `/e/${d.estate.slug}/proposals/${p.id}`;
  if (!d.canOversee) return null;
  return (
    <section className="card stack no-print">
      <h2>{t("voting.page.committee")}</h2>
      <FormError
        result={failure}
        form={["openComment", "openVoting", "closeVoting", "publish", "carriedOut", "upload", "postNotice"]}
      />
      {p.status === "voting" ? (
        <nav className="tiles">
          <Link to={`${base}/turnout`}>{t("voting.page.turnout")}</Link>
          {d.canManage ? <Link to={`${base}/paper`}>{t("voting.page.paper")}</Link> : null}
          <Link to={`${base}/proxies`}>{t("voting.page.proxies")}</Link>
        </nav>
      ) : null}
      {d.canManage ? (
        <>
          {p.status === "draft" ? (
            <div className="actions">
              <Link className="button secondary" to={`${base}/edit`}>
                {t("voting.page.edit")}
              </Link>
              <Form method="post">
                <button type="submit" name="intent" value="openComment" className="primary">
                  {t("voting.page.openComment")}
                </button>
              </Form>
            </div>
          ) : null}
          {p.status === "comment" && d.notice?.posted ? (
            <Form method="post">
              <p className="hint">{t("voting.page.openVotingHint")}</p>
              <button type="submit" name="intent" value="openVoting" className="primary">
                {t("voting.page.openVoting")}
              </button>
            </Form>
          ) : null}
          {p.status === "voting" ? (
            <Form method="post">
              <button type="submit" name="intent" value="closeVoting" className="primary">
                {t("voting.page.closeVoting")}
              </button>
            </Form>
          ) : null}
          {p.status === "closed" ? (
            <Form method="post" className="actions">
              <input type="hidden" name="intent" value="publish" />
              <label htmlFor="publicityDays" style={{ margin: 0 }}>
                {t("voting.page.publicityDays")}
              </label>
              <input
                id="publicityDays"
                name="publicityDays"
                type="number"
                min={1}
                max={90}
                defaultValue={15}
                required
                style={{ width: "6rem" }}
              />
              <button type="submit" className="primary">
                {t("voting.page.publish")}
              </button>
            </Form>
          ) : null}
          {p.status === "published" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="carriedOut" />
              <div className="field">
                <label htmlFor="record">{t("voting.page.carriedOutLabel")}</label>
                <textarea id="record" name="record" rows={3} required maxLength={5000} />
              </div>
              <button type="submit" className="primary">
                {t("voting.page.carriedOut")}
              </button>
            </Form>
          ) : null}
          {p.status === "draft" || p.status === "comment" ? (
            <Form method="post" encType="multipart/form-data" className="stack">
              <input type="hidden" name="intent" value="upload" />
              <div className="field">
                <label htmlFor="file">{t("voting.page.upload")}</label>
                <input
                  id="file"
                  name="file"
                  type="file"
                  accept="application/pdf,image/png,image/jpeg,image/webp"
                  required
                />
              </div>
              <button type="submit" className="secondary">
                {t("voting.page.uploadSubmit")}
              </button>
            </Form>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export default function ProposalPage() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useDateTimeFormat();
  const failure = useActionData<typeof action>();
  const p = d.proposal;
  const base = `/e/${d.estate.slug}/proposals/${p.id}`;
  const commentOpen = p.status === "comment" && new Date(d.now) < new Date(p.commentEndsAt);
  const counted = p.status === "closed" || p.status === "published" || p.status === "carried_out";
  return (
    <div>
      <p className="no-print">
        <Link to={`/e/${d.estate.slug}/proposals`}>← {t("voting.title")}</Link>
      </p>
      <h1>{p.title}</h1>
      <div className="actions">
        <StatusBadge status={p.status} />
        <span className={`badge matter-${p.matter}`}>{t(`voting.matter.${p.matter}`)}</span>
        <span className="muted">{t(`voting.types.${p.type}`)}</span>
      </div>
      <p className="hint">
        <MatterRules matter={p.matter} />
      </p>
      {counted ? (
        <p className={p.passed ? "notice-ok" : "alert"}>
          <strong>{t(p.passed ? "voting.result.passed" : "voting.result.failed")}</strong> ·{" "}
          <Link to={`${base}/result`}>{t("voting.page.result")}</Link> ·{" "}
          <Link to={`${base}/ledger`}>{t("voting.page.ledger")}</Link>
        </p>
      ) : null}
      {p.carriedOutRecord ? (
        <p className="notice-ok">{t("voting.page.carriedOutRecord", { record: p.carriedOutRecord })}</p>
      ) : null}
      {d.notice ? <ScopeLine buildings={d.notice.scope} /> : null}
      <BallotSection d={d} />
      {d.participation ? (
        <ParticipationCard participation={d.participation.overall} byBuilding={d.participation.byBuilding} />
      ) : null}
      {d.notice ? <NoticeSection notice={d.notice} kind="proposal" /> : null}
      <CommitteeSection d={d} />
      <section className="card">
        <h2>{t("voting.page.timeline")}</h2>
        <dl className="facts">
          <dt>{t("voting.page.commentPeriod")}</dt>
          <dd>{date.format(new Date(p.commentEndsAt))}</dd>
          <dt>{t("voting.page.votingWindow")}</dt>
          <dd>
            {date.format(new Date(p.votingStartsAt))} – {date.format(new Date(p.votingEndsAt))}
          </dd>
        </dl>
        {/* The body is Markdown rendered on the server and sanitised (app/lib/markdown.server.ts). */}
        <div className="markdown" dangerouslySetInnerHTML={{ __html: p.bodyHtml }} />
      </section>
      <section className="card" id="files">
        <h2>{t("voting.page.attachments")}</h2>
        {d.files.length === 0 ? <p className="muted">{t("voting.page.noAttachments")}</p> : null}
        <ul className="list-plain">
          {d.files.map((f) => (
            <li key={f.id}>
              <a href={`${base}/files/${f.id}`}>{f.name}</a>{" "}
              <span className="muted">({Math.ceil(f.size / 1024)} KB)</span>
            </li>
          ))}
        </ul>
      </section>
      {p.status !== "draft" ? (
        <section className="card" id="comments">
          <h2>{t("voting.page.comments")}</h2>
          {d.comments.length === 0 ? <p className="muted">{t("voting.page.noComments")}</p> : null}
          <ul className="list-plain">
            {d.comments.map((c) => (
              <li key={c.id}>
                <div className="muted">
                  {c.author} · {date.format(new Date(c.createdAt))}
                </div>
                <p style={{ whiteSpace: "pre-line", margin: "0.25rem 0 0" }}>{c.body}</p>
              </li>
            ))}
          </ul>
          {commentOpen && d.canComment ? (
            <Form method="post" className="no-print">
              <input type="hidden" name="intent" value="comment" />
              <FormError result={failure} form="comment" />
              <div className="field">
                <label htmlFor="comment-body">{t("voting.page.commentLabel")}</label>
                <textarea id="comment-body" name="body" rows={3} required maxLength={2000} />
              </div>
              <button type="submit" className="primary">
                {t("voting.page.commentSubmit")}
              </button>
            </Form>
          ) : p.status !== "comment" ? null : (
            <p className="muted">{t("voting.page.commentClosed")}</p>
          )}
        </section>
      ) : null}
      {d.isOwner && (p.status === "comment" || p.status === "voting") ? (
        <p className="no-print">
          <Link to={`${base}/proxies`}>{t("voting.proxy.authorise")}</Link>
        </p>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.proposal.title} · ${data.estate.name}` : "议事堂" },
];
