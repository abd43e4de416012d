import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { getDb } from "#db/client";
import { unmarkedOnBallot } from "~/committee/ballot-check.server";
import { zonesAtRisk } from "~/committee/zone-voting.server";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { forbidden, notFound, requireEstatePermission } from "~/auth/guards.server";
import { BallotMarks } from "~/committee/ballot-ui";
import {
  castElectionBallot,
  closeElection,
  electionPage,
  findElection,
  nominate,
  openElectionVoting,
  publishElection,
  stand,
} from "~/committee/elections.server";
import { SeatBadge } from "~/committee/ui";
import { law } from "~/lib/law";
import { shareText } from "~/lib/law-text";
import { useDateTimeFormat } from "~/lib/time";
import { approvalThreshold } from "~/voting/tally";
import { FormError } from "~/lib/forms/form-error";
import { redirectWithToast } from "~/ui/toast.server";
import { formatArea } from "~/ui/mask";
import { TableWrap } from "~/ui/table-wrap";
import { freeText } from "~/lib/text";
import { can } from "~/lib/permissions";
import { parseForm, refuse } from "~/lib/forms/action.server";
import type { Result } from "~/lib/forms/result";
import { electionTurnout } from "~/voting/turnout.server";
import { ParticipationCard } from "~/voting/ui";
import { marksField, noticeWindowFields } from "~/voting/forms";
import { postVoteNotice, voteNoticeSection } from "~/voting/notice.server";
import { NoticeSection } from "~/voting/notice-ui";
import { ScopeLine } from "~/voting/scope-line";
import { linkOrigin } from "~/lib/public-origin.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  // Before publication only the community admins who run the election see the count.
  const page = await electionPage(estate.id, params.id ?? "", {
    userId: user.id,
    overseer: can(roles, "elections:run"),
  });
  if (!page) notFound();
  // The committee is warned while it can still act (nominating) and while voting runs.
  const election =
    can(roles, "elections:oversee") && (page.election.status === "nominating" || page.election.status === "voting")
      ? await findElection(getDb(), estate.id, page.election.id)
      : null;
  const atRisk = election ? await zonesAtRisk(getDb(), election) : [];
  const notice = await voteNoticeSection(
    estate.id,
    { kind: "election", id: params.id ?? "" },
    new Date(),
    linkOrigin(request),
  );
  return {
    zonesAtRisk: atRisk.map((z) => z.name),
    notice: notice && { ...notice, draft: can(roles, "elections:run") ? notice.draft : null },
    estate: { slug: estate.slug, name: estate.name },
    page,
    // Participation (never a mark) for everyone while voting runs: area and headcount against the quorum.
    participation: page.election.status === "voting" ? await electionTurnout(page.election.id) : null,
    isAdmin: can(roles, "elections:run"),
    isOwner: roles.includes("owner"),
    /** Committee members and admins handle paper ballots and approve proxies. */
    handles: can(roles, "elections:oversee"),
    mayProxy: can(roles, "elections:proxies"),
    now: new Date().toISOString(),
  };
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("stand"),
    seat: z.enum(["N", "X"], { errorMap: () => ({ message: "common.errors.invalid" }) }),
    zoneId: z.string().optional(),
    statement: freeText(1000).optional(),
  }),
  z.object({ intent: z.literal("nominate"), candidateId: z.string({ required_error: "common.errors.required" }) }),
  z.object({
    intent: z.literal("cast"),
    voterId: z.string({ required_error: "common.errors.required" }).max(4000),
    mark: marksField,
    /** Set by the "submit anyway" button of the unmarked-candidates warning. */
    confirmUnmarked: z.literal("1").optional(),
  }),
  z.object({ intent: z.literal("open") }),
  z.object({ intent: z.literal("postNotice"), ...noticeWindowFields }),
  z.object({ intent: z.literal("close") }),
  z.object({ intent: z.literal("publish") }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const read = await parseForm(request, ActionSchema);
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  const isAdmin = can(roles, "elections:run");
  // An approved proxy casts for the owner who authorised them, and may be a resident.
  const caster = v.intent === "cast" ? can(roles, "voting:cast") : roles.includes("owner");
  if (["open", "postNotice", "close", "publish"].includes(v.intent) ? !isAdmin : !caster) forbidden();
  const ids = { estateId: estate.id, electionId: params.id ?? "", userId: user.id };
  const here = `/e/${estate.slug}/committee/elections/${params.id}`;
  let r: Result<{ receipt?: string }>;
  switch (v.intent) {
    case "stand":
      r = await stand({ ...ids, seat: v.seat, zoneId: v.zoneId || null, statement: v.statement ?? null });
      break;
    case "nominate":
      r = await nominate({ estateId: estate.id, candidateId: v.candidateId, userId: user.id });
      break;
    case "cast": {
      // Unmarked candidates count as abstentions: say so and ask once before the ballot is cast (works without JS).
      const unmarked = v.confirmUnmarked ? [] : await unmarkedOnBallot({ ...ids, voterId: v.voterId, marks: v.mark });
      if (unmarked.length) return data({ unmarked: { voterId: v.voterId, candidateIds: unmarked, marks: v.mark } });
      r = await castElectionBallot({ ...ids, voterId: v.voterId, marks: v.mark });
      break;
    }
    case "open":
      r = await openElectionVoting(ids);
      break;
    case "postNotice": {
      const posted = await postVoteNotice({
        estateId: estate.id,
        ref: { kind: "election", id: ids.electionId },
        userId: user.id,
        votingStartsAt: v.votingStartsAt,
        votingEndsAt: v.votingEndsAt,
        origin: linkOrigin(request),
      });
      if (!posted.ok)
        return refuse(v.intent, posted, { submission, reasons: { "voting.errors.notFound": "not_found" } });
      return redirectWithToast(`${here}#notice`, { key: "voteNotice.section.done" });
    }
    case "close":
      r = await closeElection(ids);
      break;
    case "publish":
      r = await publishElection(ids);
      break;
  }
  if (!r.ok)
    return refuse(v.intent, r, {
      submission,
      reasons: { "committee.errors.notFound": "not_found", "committee.errors.notYourVoter": "forbidden" },
    });
  if (v.intent === "cast")
    return redirectWithToast(`${here}#ballot`, {
      key: "committee.elections.castDone",
      params: { receipt: r.receipt ?? "" },
    });
  return redirectWithToast(here, { key: `committee.elections.done.${v.intent}` as "committee.elections.done.open" });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Results({ d }: { d: Data }) {
  const { t } = useTranslation();
  const r = d.page.result;
  if (!r) return null;
  const name = (id: string) => d.page.candidates.find((c) => c.id === id)?.name ?? "—";
  const raceName = (race: string) =>
    race === "X" ? t("committee.seats.X") : (d.page.races.find((x) => x.race === race)?.zone ?? "");
  return (
    <section className="card" id="result">
      <h2>{t("committee.elections.result")}</h2>
      <p>{t("committee.elections.turnout", { ballots: r.ballots, voters: r.voters })}</p>
      {r.constituted === false ? <p className="alert">{t("committee.elections.notConstituted")}</p> : null}
      <TableWrap label={t("committee.elections.result")}>
        <table>
          <thead>
            <tr>
              <th>{t("committee.elections.candidate")}</th>
              <th className="num">{t("committee.elections.agreeHeads")}</th>
              <th className="num">{t("committee.elections.agreeArea")}</th>
              <th>{t("committee.elections.approved")}</th>
            </tr>
          </thead>
          <tbody>
            {r.candidates.map((c) => (
              <tr key={c.id}>
                <td>{name(c.id)}</td>
                <td className="num">
                  {c.agreeHeadcount}/{c.tally.participatingHeadcount}
                </td>
                <td className="num">
                  {formatArea(c.agreeArea)}/{formatArea(c.tally.participatingArea)}
                </td>
                <td>
                  {c.approved
                    ? t("committee.elections.yes")
                    : c.tally.quorumMet
                      ? t("committee.elections.no")
                      : t("committee.elections.noQuorum", { quorum: shareText(t, law.quorum) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <ul className="list-plain">
        {r.races.map((race) => (
          <li key={race.race} data-testid="race">
            <strong>{raceName(race.race)}</strong> {t("committee.elections.raceSeats", { seats: race.seats })}：
            {t("committee.elections.elected", { names: race.elected.map(name).join("、") || "—" })}
            {race.tied.length ? (
              <p className="alert">
                {t("committee.elections.tied", { names: race.tied.map(name).join("、"), seats: race.tiedSeats })}
              </p>
            ) : null}
            {race.unfilled ? (
              <p className="alert">{t("committee.elections.unfilled", { seats: race.unfilled })}</p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function ElectionPage() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const date = useDateTimeFormat();
  const e = d.page.election;
  const base = `/e/${d.estate.slug}/committee`;
  const nominating = e.status === "nominating" && new Date(d.now) < new Date(e.nominationEndsAt);
  const qualified = d.page.candidates.filter((c) => c.qualified);
  // Under `own`, a voter's ballot lists their zones' candidates and X (the server enforces the same).
  const onBallot = (zoneIds: string[]) =>
    qualified
      .filter((c) => e.zoneVoting === "all" || c.seat === "X" || (c.zoneId !== null && zoneIds.includes(c.zoneId)))
      .map((c) => ({ id: c.id, name: c.name, race: c.seat === "N" ? c.zone : null }));
  const warning = failure && "unmarked" in failure ? failure.unmarked : null;
  return (
    <article>
      <p>
        <Link to={`${base}/elections`}>← {t("committee.elections.title")}</Link>
      </p>
      <h1>{e.title}</h1>
      <p>
        <span className="badge">{t(`committee.elections.kinds.${e.kind}`)}</span>{" "}
        <span className="badge">{t(`committee.elections.status.${e.status}`)}</span>
      </p>
      {d.notice ? <ScopeLine buildings={d.notice.scope} /> : null}
      <dl className="facts card">
        <dt>{t("committee.elections.nominationEndsAt")}</dt>
        <dd>{date.format(new Date(e.nominationEndsAt))}</dd>
        <dt>{t("committee.elections.votingStartsAt")}</dt>
        <dd>{date.format(new Date(e.votingStartsAt))}</dd>
        <dt>{t("committee.elections.votingEndsAt")}</dt>
        <dd>{date.format(new Date(e.votingEndsAt))}</dd>
        <dt>{t("committee.elections.threshold")}</dt>
        <dd>{e.nominationThreshold}</dd>
        {e.termMonths ? (
          <>
            <dt>{t("committee.elections.termMonths")}</dt>
            <dd>{e.termMonths}</dd>
          </>
        ) : null}
      </dl>
      <p className="hint">
        {t("committee.elections.rules", {
          quorum: shareText(t, law.quorum),
          approval: shareText(t, approvalThreshold("ordinary")),
        })}
      </p>
      {d.participation ? (
        <ParticipationCard participation={d.participation.overall} byBuilding={d.participation.byBuilding} />
      ) : null}
      <nav className="actions no-print" aria-label={t("committee.page.links")}>
        {e.status === "published" || (e.status === "closed" && d.handles) ? (
          <Link to={`${base}/elections/${e.id}/ledger`}>{t("committee.electionLinks.ledger")}</Link>
        ) : null}
        {d.handles && e.status !== "nominating" ? (
          <Link to={`${base}/elections/${e.id}/paper`}>{t("committee.electionLinks.paper")}</Link>
        ) : null}
        {d.handles || d.isOwner ? (
          <Link to={`${base}/elections/${e.id}/proxies`}>{t("committee.electionLinks.proxies")}</Link>
        ) : null}
      </nav>
      {e.finalHash && (e.status === "published" || d.handles) ? (
        <p>
          {t("voting.result.finalHash")}: <code className="hash">{e.finalHash}</code>
        </p>
      ) : null}

      {d.zonesAtRisk.length ? (
        <p className="alert" data-testid="zones-at-risk">
          {t("committee.elections.zonesAtRisk", { zones: d.zonesAtRisk.join("、") })}
        </p>
      ) : null}

      <section className="card">
        <h2>{t("committee.elections.races")}</h2>
        <ul className="list-plain">
          {d.page.races.map((r) => (
            <li key={r.race}>
              <strong>{r.zone ?? t("committee.seats.X")}</strong>{" "}
              {t("committee.elections.raceSeats", { seats: r.seats })}
              <ul className="list-plain">
                {d.page.candidates
                  .filter((c) => (r.race === "X" ? c.seat === "X" : c.zoneId === r.zoneId))
                  .map((c) => (
                    <li key={c.id} data-testid="candidate">
                      {c.name} · {c.building}{" "}
                      <SeatBadge
                        member={{ seat: c.seat, zone: c.zone, publicRole: c.publicRole, roleTitle: c.roleTitle }}
                      />{" "}
                      {c.seat === "N" ? (
                        <span className={`badge ${c.qualified ? "status-approved" : "status-pending"}`}>
                          {t("committee.elections.nominations", { n: c.nominated, needed: e.nominationThreshold })}
                        </span>
                      ) : null}
                      {c.statement ? <p className="pre-line muted">{c.statement}</p> : null}
                      {nominating &&
                      d.isOwner &&
                      c.seat === "N" &&
                      !c.mine &&
                      !c.nominatedByMe &&
                      c.zoneId &&
                      d.page.myZoneIds.includes(c.zoneId) ? (
                        <Form method="post" className="inline">
                          <input type="hidden" name="intent" value="nominate" />
                          <input type="hidden" name="candidateId" value={c.id} />
                          <button type="submit" className="secondary">
                            {t("committee.elections.nominate")}
                          </button>
                        </Form>
                      ) : null}
                    </li>
                  ))}
              </ul>
            </li>
          ))}
        </ul>
        <FormError result={failure} form="nominate" />
      </section>

      {nominating && d.isOwner && !d.page.candidates.some((c) => c.mine) ? (
        <section className="card">
          <h2>{t("committee.elections.standTitle")}</h2>
          <Form method="post">
            <FormError result={failure} form="stand" />
            <input type="hidden" name="intent" value="stand" />
            <div className="field">
              <label htmlFor="st-seat">{t("committee.setup.seat")}</label>
              <select id="st-seat" name="seat" defaultValue="N">
                <option value="N">{t("committee.seats.N")}</option>
                <option value="X">{t("committee.seats.X")}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="st-zone">{t("committee.setup.zone")}</label>
              <select id="st-zone" name="zoneId" defaultValue={d.page.myZoneIds[0] ?? ""}>
                <option value="">—</option>
                {d.page.races
                  .filter((r) => r.zoneId && d.page.myZoneIds.includes(r.zoneId))
                  .map((r) => (
                    <option key={r.race} value={r.zoneId!}>
                      {r.zone}
                    </option>
                  ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="st-statement">{t("committee.elections.statement")}</label>
              <textarea id="st-statement" name="statement" rows={3} maxLength={1000} />
            </div>
            <button type="submit" className="primary">
              {t("committee.elections.stand")}
            </button>
          </Form>
        </section>
      ) : null}

      {d.page.myVoters.length ? (
        <section className="card" id="ballot">
          <h2>{t("committee.elections.ballot")}</h2>
          <p className="hint">{t("committee.elections.ballotHint")}</p>
          <p className="hint">{t("committee.elections.unmarkedMeaning")}</p>
          {e.zoneVoting === "own" ? <p className="hint">{t("committee.elections.ownZoneOnly")}</p> : null}
          <FormError result={failure} form="cast" />
          {d.page.myVoters.map((v) => (
            <Form method="post" key={v.voterId} className="ballot">
              <input type="hidden" name="intent" value="cast" />
              <input type="hidden" name="voterId" value={v.voterId} />
              <p>
                <strong>{v.units.join("、")}</strong>
                {v.via === "proxy" ? <span className="badge"> {t("voting.proxy.youAreProxy")}</span> : null}
                {v.receipt ? (
                  <span className="muted"> · {t("committee.elections.receipt", { receipt: v.receipt })}</span>
                ) : null}
              </p>
              <BallotMarks
                candidates={onBallot(v.zoneIds)}
                marked={warning?.voterId === v.voterId ? warning.marks : v.marks}
                disabled={!v.mayCast}
              />
              {v.mayCast ? (
                <button type="submit" className="primary">
                  {v.receipt ? t("committee.elections.change") : t("committee.elections.cast")}
                </button>
              ) : null}
              {v.mayCast && warning?.voterId === v.voterId ? (
                <div role="alert" className="alert" data-testid="unmarked-warning">
                  <p>
                    {t("committee.elections.unmarkedWarning", {
                      count: warning.candidateIds.length,
                      names: warning.candidateIds
                        .map((id) => qualified.find((c) => c.id === id)?.name ?? "")
                        .join("、"),
                    })}
                  </p>
                  <p>{t("committee.elections.unmarkedMeaning")}</p>
                  <p>{t("committee.elections.unmarkedBack")}</p>
                  <button type="submit" name="confirmUnmarked" value="1" className="secondary">
                    {t("committee.elections.submitAnyway")}
                  </button>
                </div>
              ) : null}
            </Form>
          ))}
        </section>
      ) : null}

      {d.notice ? <NoticeSection notice={d.notice} kind="election" /> : null}
      {d.isAdmin ? (
        <section className="card no-print">
          <h2>{t("committee.elections.admin")}</h2>
          <FormError result={failure} form={["open", "close", "publish"]} />
          <Form method="post" className="actions">
            {e.status === "nominating" && d.notice?.posted ? (
              <button type="submit" name="intent" value="open" className="primary">
                {t("committee.elections.open")}
              </button>
            ) : null}
            {e.status === "voting" ? (
              <button type="submit" name="intent" value="close" className="primary">
                {t("committee.elections.close")}
              </button>
            ) : null}
            {e.status === "closed" ? (
              <button type="submit" name="intent" value="publish" className="primary">
                {t("committee.elections.publish")}
              </button>
            ) : null}
          </Form>
        </section>
      ) : null}

      <Results d={d} />
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.page.election.title} · ${data.estate.name}` : "议事堂" },
];
