import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { seatOf } from "~/committee/access.server";
import { maxPhotoBytes, setMemberPhoto } from "~/committee/composition.server";
import { committeePage, latestMinutes, upcomingMeetings } from "~/committee/pages.server";
import { SeatBadge } from "~/committee/ui";
import { useDateTimeFormat } from "~/lib/time";
import { FormError } from "~/lib/forms/form-error";
import { getDb } from "#db/client";
import { getLocale, getT } from "~/i18n/i18n.server";
import { redirectWithToast } from "~/ui/toast.server";
import { TableWrap } from "~/ui/table-wrap";
import { can } from "~/lib/permissions";
import { z } from "zod";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { shownDeadline } from "~/lib/calendar";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const committeeId = new URL(request.url).searchParams.get("c");
  const page = await committeePage(estate.id, { committeeId });
  if (!page) notFound();
  const seat = await seatOf(getDb(), estate.id, user.id);
  const t = await getT(await getLocale(request));
  return {
    title: `${page.committee?.title ?? t("committee.page.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    page,
    upcoming: committeeId ? [] : await upcomingMeetings(estate.id),
    latest: committeeId ? [] : await latestMinutes(estate.id),
    isAdmin: can(roles, "committee:admin"),
    isWriter: Boolean(seat && seat.member.seat !== "observer"),
    isOwner: roles.includes("owner"),
    declares: can(roles, "committee:declare"),
    readsInquiries: can(roles, "inquiries:read"),
    myMemberId: seat?.member.id ?? null,
  };
}

const PhotoSchema = z.object({ memberId: z.string().default(""), photo: z.any() });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const read = await parseForm(request, PhotoSchema, {
    upload: { maxPartBytes: maxPhotoBytes, tooLarge: "committee.errors.photoTooBig" },
    form: "photo",
  });
  if (!read.ok) return read.response;
  const result = await setMemberPhoto({
    estateId: estate.id,
    userId: user.id,
    isAdmin: can(roles, "committee:admin"),
    memberId: read.value.memberId,
    file: read.formData.get("photo"),
  });
  if (!result.ok)
    return refuse("photo", result, {
      submission: read.submission,
      reason: "invalid",
      reasons: { "committee.errors.notFound": "not_found", "committee.errors.notYourPhoto": "forbidden" },
    });
  return redirectWithToast(`/e/${estate.slug}/committee`, { key: "committee.page.photoSaved" });
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type MemberRow = Data["page"]["members"][number];

function MemberCard({ m, canUpload, slug }: { m: MemberRow; canUpload: boolean; slug: string }) {
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium" });
  const failure = useActionData<typeof action>();
  const r = m.record;
  return (
    <li className="member-card" data-testid="member">
      {m.hasPhoto ? (
        <img
          className="member-photo"
          src={`/e/${slug}/committee/photo/${m.id}`}
          alt={t("committee.page.photoOf", { name: m.name })}
          width={72}
          height={72}
        />
      ) : (
        <div className="member-photo member-photo-none" aria-hidden="true">
          {m.name.slice(0, 1)}
        </div>
      )}
      <div>
        <p style={{ margin: 0 }}>
          <strong>{m.name}</strong> <span className="badge">{t(`committee.offices.${m.office}`)}</span>{" "}
          <SeatBadge member={m} />
        </p>
        <p className="muted" style={{ margin: 0 }}>
          {t("committee.page.building", { building: m.building || "—" })} ·{" "}
          {t("committee.page.since", { date: date.format(new Date(m.seatedAt)) })}
        </p>
        <p style={{ margin: "0.25rem 0 0" }}>
          {t("committee.page.attendance", { attended: r.attended, meetings: r.meetings })}
          {m.seat !== "observer" ? (
            <>
              {" "}
              ·{" "}
              {t("committee.page.votes", {
                agree: r.agree,
                oppose: r.oppose,
                abstain: r.abstain,
                none: r.noVote,
                decisions: r.decisions,
              })}
            </>
          ) : null}
        </p>
        {canUpload ? (
          <Form method="post" encType="multipart/form-data" className="no-print photo-form">
            <FormError result={failure} form="photo" />
            <input type="hidden" name="memberId" value={m.id} />
            <label>
              {t("committee.page.photoLabel")}
              <input type="file" name="photo" accept="image/png,image/jpeg,image/webp" required />
            </label>
            <button type="submit" className="secondary">
              {t("committee.page.photoUpload")}
            </button>
          </Form>
        ) : null}
      </div>
    </li>
  );
}

export default function CommitteePage() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const date = useDateTimeFormat({ dateStyle: "medium" });
  const when = useDateTimeFormat();
  const base = `/e/${d.estate.slug}/committee`;
  const p = d.page;
  return (
    <div>
      <p className="no-print">
        <Link to={`/e/${d.estate.slug}`}>← {d.estate.name}</Link>
      </p>
      <h1>{p.committee ? p.committee.title : t("committee.page.title")}</h1>
      <nav className="tiles no-print" aria-label={t("committee.page.links")}>
        <Link to={`${base}/meetings`}>{t("committee.nav.archive")}</Link>
        {d.isWriter ? <Link to={`${base}/meetings/new`}>{t("committee.nav.schedule")}</Link> : null}
        {d.isWriter ? <Link to={`${base}/requisitions`}>{t("committee.nav.requisitions")}</Link> : null}
        <Link to={`${base}/elections`}>{t("committee.nav.elections")}</Link>
        {d.readsInquiries ? <Link to={`/e/${d.estate.slug}/inquiries`}>{t("committee.nav.inquiries")}</Link> : null}
        {d.declares ? <Link to={`${base}/roles`}>{t("committee.nav.roles")}</Link> : null}
        {d.isAdmin ? <Link to={`${base}/setup`}>{t("committee.nav.setup")}</Link> : null}
      </nav>

      {!p.committee ? <p className="muted">{t("committee.page.none")}</p> : null}

      {p.committee ? (
        <>
          {p.committee.status === "archived" ? (
            <p className="alert">
              {t("committee.page.archived", { date: date.format(new Date(p.committee.archivedAt!)) })}
            </p>
          ) : null}
          {p.committee.firstMeetingOverdue ? (
            <p className="alert" role="alert">
              {t("committee.page.firstMeetingOverdue", {
                date: date.format(shownDeadline(p.committee.firstMeetingDueAt!)),
              })}
            </p>
          ) : null}
          {p.committee.firstMeetingHeldLate ? (
            <p className="alert" role="alert">
              {t("committee.page.firstMeetingHeldLate", {
                due: date.format(shownDeadline(p.committee.firstMeetingDueAt!)),
                date: date.format(new Date(p.committee.firstMeetingHeldLate)),
              })}
            </p>
          ) : null}
          {p.committee.termState ? (
            <p className="alert" role="alert" data-testid="term-flag">
              {t(p.committee.termState === "ended" ? "committee.page.termEnded" : "committee.page.termEnding", {
                date: date.format(new Date(p.committee.termEndsAt!)),
              })}
            </p>
          ) : null}
          {p.overdueRequisitions.length ? (
            <div className="alert" role="alert" data-testid="overdue-requisitions">
              <p style={{ margin: 0 }}>{t("committee.page.requisitionOverdueTitle")}</p>
              <ul>
                {p.overdueRequisitions.map((r) => (
                  <li key={r.id}>
                    {r.heldAt
                      ? t("committee.page.requisitionHeldLate", {
                          subject: r.subject,
                          signers: r.signers,
                          date: date.format(new Date(r.requiredAt)),
                          due: date.format(shownDeadline(r.dueAt)),
                          held: date.format(new Date(r.heldAt)),
                        })
                      : t("committee.page.requisitionOverdue", {
                          subject: r.subject,
                          signers: r.signers,
                          date: date.format(new Date(r.requiredAt)),
                          due: date.format(shownDeadline(r.dueAt)),
                        })}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {p.late.length ? (
            <div className="alert" role="alert" data-testid="late-decisions">
              <p style={{ margin: 0 }}>{t("committee.page.lateTitle")}</p>
              <ul>
                {p.late.map((m) => (
                  <li key={m.id}>
                    <Link to={`${base}/meetings/${m.id}`}>{m.title}</Link>{" "}
                    {m.publishedAt
                      ? t("committee.page.latePublished", {
                          date: date.format(new Date(m.publishedAt)),
                          due: date.format(shownDeadline(m.dueAt)),
                        })
                      : t("committee.page.lateMissing", { due: date.format(shownDeadline(m.dueAt)) })}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <section className="card">
            <dl className="facts">
              <dt>{t("committee.page.term")}</dt>
              <dd>
                {p.committee.termStartsAt ? date.format(new Date(p.committee.termStartsAt)) : "—"} –{" "}
                {p.committee.termEndsAt ? date.format(new Date(p.committee.termEndsAt)) : "—"}
              </dd>
              <dt>{t("committee.page.size")}</dt>
              <dd>
                {t("committee.page.sizeValue", {
                  size: p.committee.size,
                  n: p.committee.nSeats,
                  x: p.committee.xSeats,
                })}
              </dd>
              {p.vacancies.n + p.vacancies.x > 0 ? (
                <>
                  <dt>{t("committee.page.vacancies")}</dt>
                  <dd>{t("committee.page.vacanciesValue", { n: p.vacancies.n, x: p.vacancies.x })}</dd>
                </>
              ) : null}
            </dl>
            <p className="hint">{t("committee.page.rules")}</p>
          </section>

          <h2>{t("committee.page.members")}</h2>
          <ul className="list-plain member-list">
            {p.members
              .filter((m) => m.seat !== "observer")
              .map((m) => (
                <MemberCard
                  key={m.id}
                  m={m}
                  slug={d.estate.slug}
                  canUpload={p.committee!.status === "active" && (d.isAdmin || d.myMemberId === m.id)}
                />
              ))}
          </ul>
          {p.members.some((m) => m.seat === "observer") ? (
            <>
              <h2>{t("committee.page.observers")}</h2>
              <p className="hint">{t("committee.page.observersHint")}</p>
              <ul className="list-plain member-list">
                {p.members
                  .filter((m) => m.seat === "observer")
                  .map((m) => (
                    <MemberCard key={m.id} m={m} slug={d.estate.slug} canUpload={d.isAdmin} />
                  ))}
              </ul>
            </>
          ) : null}

          {p.zones.length ? (
            <section className="card">
              <h2>{t("committee.page.zones")}</h2>
              <p className="hint">{t("committee.page.zonesHint")}</p>
              <TableWrap label={t("committee.page.zones")}>
                <table>
                  <thead>
                    <tr>
                      <th>{t("committee.page.zone")}</th>
                      <th>{t("committee.page.households")}</th>
                      <th>{t("committee.page.seats")}</th>
                      <th>{t("committee.page.filled")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.zones.map((z) => (
                      <tr key={z.id}>
                        <td>
                          {z.name}
                          {z.tieResolution ? (
                            <div className="hint">{t("committee.page.tieResolved", { note: z.tieResolution })}</div>
                          ) : null}
                        </td>
                        <td>{z.households}</td>
                        <td>{z.seats}</td>
                        <td>{z.filled}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </section>
          ) : null}

          {p.former.length ? (
            <details className="card">
              <summary>{t("committee.page.former", { count: p.former.length })}</summary>
              <ul className="list-plain">
                {p.former.map((m) => (
                  <li key={m.id}>
                    {m.name} <SeatBadge member={m} />{" "}
                    <span className="muted">
                      {t("committee.page.left", { date: date.format(new Date(m.leftAt!)) })}
                    </span>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : null}

      {d.upcoming.length ? (
        <section className="card">
          <h2>{t("committee.page.upcoming")}</h2>
          <ul className="list-plain">
            {d.upcoming.map((m) => (
              <li key={m.id}>
                <Link to={`${base}/meetings/${m.id}`}>{m.title}</Link>{" "}
                <span className="muted">{when.format(new Date(m.scheduledAt))}</span>
                {m.shortNotice ? <span className="badge flag"> {t("committee.meeting.shortNotice")}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {d.latest.length ? (
        <section className="card">
          <h2>{t("committee.page.latest")}</h2>
          <ul className="list-plain">
            {d.latest.map((m) => (
              <li key={m.id}>
                <Link to={`${base}/meetings/${m.id}`}>{m.title}</Link>{" "}
                <span className="muted">{date.format(new Date(m.scheduledAt))}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {p.history.length > 1 || (p.history.length === 1 && !p.committee) ? (
        <section className="card">
          <h2>{t("committee.page.history")}</h2>
          <ul className="list-plain">
            {p.history.map((h) => (
              <li key={h.id}>
                <Link to={h.status === "active" ? base : `${base}?c=${h.id}`}>{h.title}</Link>{" "}
                <span className="muted">
                  {h.termStartsAt ? date.format(new Date(h.termStartsAt)) : ""} –{" "}
                  {h.termEndsAt ? date.format(new Date(h.termEndsAt)) : ""}
                </span>{" "}
                <span className="badge">{t(`committee.status.${h.status}`)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
