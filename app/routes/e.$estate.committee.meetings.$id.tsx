import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { forbidden, notFound, requireEstatePermission } from "~/auth/guards.server";
import { listInquiries } from "~/committee/inquiries.server";
import { InquiryThreads } from "~/committee/inquiries-ui";
import {
  cancelMeeting,
  maxMinutesLength,
  publishDecisions,
  recordAttendance,
  recordVotes,
  saveMinutes,
  signMinutes,
} from "~/committee/meetings.server";
import { meetingPage } from "~/committee/pages.server";
import { memberLabel, PrintButton, SeatBadge } from "~/committee/ui";
import { useDateTimeFormat } from "~/lib/time";
import { FormError } from "~/lib/forms/form-error";
import { parseForm, refuse } from "~/lib/forms/action.server";
import type { Result } from "~/lib/forms/result";
import { redirectWithToast } from "~/ui/toast.server";
import { TableWrap } from "~/ui/table-wrap";
import { freeText } from "~/lib/text";
import { can, type Permission } from "~/lib/permissions";
import { boardLinks } from "~/board/board.server";
import { BoardLinks } from "~/board/ui";
import { shownDeadline } from "~/lib/calendar";

// Observers (deputies who are not owners) read the record as it is written, as they attend; they write nothing.

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const insider = can(roles, "committee:records");
  const page = await meetingPage(estate.id, params.id ?? "", { userId: user.id, insider });
  if (!page) notFound();
  const published = Boolean(page.meeting.minutesPublishedAt);
  return {
    estate: { slug: estate.slug, name: estate.name },
    page,
    insider,
    canAsk: published && can(roles, "inquiries:ask"),
    inquiries: published
      ? await listInquiries(estate.id, { kind: "minutes", id: page.meeting.id }, { userId: user.id, seesOpen: insider })
      : [],
    onBoard: await boardLinks(estate.id, { type: "meeting", id: page.meeting.id }),
  };
}

const text = (max: number) =>
  z
    .string({ required_error: "common.errors.required" })
    .trim()
    .min(1, "common.errors.required")
    .max(max, "common.errors.tooLong");

const choiceOf = z.enum(["agree", "oppose", "abstain", ""]);

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("attendance"), present: z.array(z.string()).default([]) }),
  // `vote.<member id>`: each member's vote, "" to clear it.
  z.object({
    intent: z.literal("votes"),
    itemId: text(40),
    resolution: freeText(2000).optional(),
    vote: z.record(choiceOf).default({}),
  }),
  z.object({ intent: z.literal("publishDecisions") }),
  z.object({
    intent: z.literal("minutes"),
    markdown: z.string({ required_error: "common.errors.required" }).max(maxMinutesLength, "common.errors.tooLong"),
  }),
  z.object({ intent: z.literal("sign") }),
  z.object({ intent: z.literal("cancel"), reason: text(500) }),
]);

type Intent = z.infer<typeof ActionSchema>["intent"];
const permissionFor: Record<Intent, Permission> = {
  attendance: "meetings:manage",
  votes: "meetings:manage",
  publishDecisions: "meetings:manage",
  minutes: "meetings:manage",
  sign: "meetings:manage",
  cancel: "meetings:manage",
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const read = await parseForm(request, ActionSchema);
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  if (!can(roles, permissionFor[v.intent])) forbidden();
  const ids = { estateId: estate.id, meetingId: params.id ?? "", userId: user.id };
  const here = `/e/${estate.slug}/committee/meetings/${params.id}`;
  const done = (key: string, anchor = "") =>
    redirectWithToast(`${here}${anchor}`, { key: key as "committee.meeting.saved" });
  const reasons = {
    "committee.errors.notFound": "not_found",
    "committee.errors.notMember": "forbidden",
    "committee.errors.notAttendee": "forbidden",
  } as const;
  const outcome = (r: Result, key: string, anchor = "") =>
    r.ok ? done(key, anchor) : refuse(v.intent, r, { submission, reasons });

  switch (v.intent) {
    case "attendance":
      return outcome(
        await recordAttendance({ ...ids, present: v.present }),
        "committee.meeting.attendanceSaved",
        "#record",
      );
    case "votes": {
      const votes = Object.fromEntries(Object.entries(v.vote).map(([member, choice]) => [member, choice || null]));
      return outcome(
        await recordVotes({ ...ids, itemId: v.itemId, resolution: v.resolution ?? null, votes }),
        "committee.meeting.votesSaved",
        `#item-${v.itemId}`,
      );
    }
    case "publishDecisions":
      return outcome(await publishDecisions(ids), "committee.meeting.decisionsPublished");
    case "minutes":
      return outcome(await saveMinutes({ ...ids, markdown: v.markdown }), "committee.meeting.minutesSaved", "#minutes");
    case "sign": {
      const r = await signMinutes(ids);
      return outcome(
        r,
        r.ok && r.published ? "committee.meeting.signedPublished" : "committee.meeting.signed",
        "#minutes",
      );
    }
    case "cancel":
      return outcome(await cancelMeeting({ ...ids, reason: v.reason }), "committee.meeting.cancelled");
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function AttendanceForm({ d }: { d: Data }) {
  const { t } = useTranslation();
  const failure = useActionData<typeof action>();
  const p = d.page;
  const present = new Set(p.record?.roll.filter((r) => r.present).map((r) => r.member.id));
  return (
    <Form method="post" className="card no-print">
      <h3>{t("committee.meeting.attendanceTitle")}</h3>
      <p className="hint">{t("committee.meeting.attendanceHint")}</p>
      <FormError result={failure} form="attendance" />
      <input type="hidden" name="intent" value="attendance" />
      <fieldset className="checks">
        <legend className="visually-hidden">{t("committee.meeting.attendanceTitle")}</legend>
        {p.seated.map((m) => (
          <label key={m.id} className="check">
            <input type="checkbox" name="present" value={m.id} defaultChecked={present.has(m.id)} /> {memberLabel(t, m)}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="primary">
        {t("committee.meeting.attendanceSubmit")}
      </button>
    </Form>
  );
}

function VotesForm({ d, item }: { d: Data; item: Data["page"]["items"][number] }) {
  const { t } = useTranslation();
  const failure = useActionData<typeof action>();
  const present = d.page.record?.roll.filter((r) => r.present && r.voting) ?? [];
  const current = new Map(item.votes.map((v) => [v.memberId, v.choice]));
  return (
    <Form method="post" className="no-print votes-form">
      <FormError result={failure} form="votes" />
      <input type="hidden" name="intent" value="votes" />
      <input type="hidden" name="itemId" value={item.id} />
      <div className="field">
        <label htmlFor={`res-${item.id}`}>{t("committee.meeting.resolution")}</label>
        <textarea
          id={`res-${item.id}`}
          name="resolution"
          rows={2}
          maxLength={2000}
          defaultValue={item.resolution ?? ""}
        />
      </div>
      <TableWrap label={item.title}>
        <table>
          <thead>
            <tr>
              <th>{t("committee.meeting.member")}</th>
              {(["agree", "oppose", "abstain", "none"] as const).map((c) => (
                <th key={c}>{t(`committee.choices.${c}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {present.map((r) => (
              <tr key={r.member.id}>
                <td>{memberLabel(t, r.member)}</td>
                {(["agree", "oppose", "abstain", ""] as const).map((c) => (
                  <td key={c || "none"}>
                    <input
                      type="radio"
                      name={`vote.${r.member.id}`}
                      value={c}
                      defaultChecked={(current.get(r.member.id) ?? "") === c}
                      aria-label={`${r.member.name} ${t(`committee.choices.${c || "none"}`)}`}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <button type="submit" className="secondary">
        {t("committee.meeting.votesSubmit")}
      </button>
    </Form>
  );
}

function Outcome({ o }: { o: NonNullable<Data["page"]["items"][number]["outcome"]> }) {
  const { t } = useTranslation();
  return (
    <p className={o.passed ? "notice-ok" : "alert"} style={{ margin: "0.5rem 0" }}>
      <strong>{o.passed ? t("committee.meeting.passed") : t("committee.meeting.notPassed")}</strong>{" "}
      {t("committee.meeting.counts", { agree: o.agree, oppose: o.oppose, abstain: o.abstain, members: o.members })}
    </p>
  );
}

export default function MeetingPage() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const p = d.page;
  const m = p.meeting;
  const me = p.me;
  const decisionsOpen = m.status === "held" && !m.decisionsPublishedAt;
  const frozen = Boolean(m.decisionsPublishedAt) || p.signoffs.length > 0;
  const base = `/e/${d.estate.slug}/committee`;
  return (
    <article>
      <p className="no-print">
        <Link to={`${base}/meetings`}>← {t("committee.nav.archive")}</Link>
      </p>
      <h1>{m.title}</h1>
      <p>
        <span className="badge">{t(`committee.meetingKinds.${m.kind}`)}</span>{" "}
        <span className="badge">{t(`committee.meetingStatus.${m.status}`)}</span>{" "}
        {m.shortNotice ? <span className="badge flag">{t("committee.meeting.shortNotice")}</span> : null}{" "}
        {m.decisionsLate ? <span className="badge flag">{t("committee.meeting.decisionsLate")}</span> : null}
      </p>
      <dl className="facts card">
        <dt>{t("committee.meeting.committee")}</dt>
        <dd>{p.committee.title}</dd>
        <dt>{t("committee.meeting.when")}</dt>
        <dd>{when.format(new Date(m.scheduledAt))}</dd>
        <dt>{t("committee.meeting.where")}</dt>
        <dd>
          {m.place}
          {m.place && m.onlineLink ? " · " : ""}
          {m.onlineLink ? (
            <a href={m.onlineLink} rel="noopener noreferrer nofollow" target="_blank">
              {t("committee.meeting.onlineLink")}
            </a>
          ) : null}
        </dd>
        <dt>{t("committee.meeting.noticed")}</dt>
        <dd>{when.format(new Date(m.noticedAt))}</dd>
        {m.decisionsPublishedAt ? (
          <>
            <dt>{t("committee.meeting.decisionsPublishedAt")}</dt>
            <dd>{when.format(new Date(m.decisionsPublishedAt))}</dd>
          </>
        ) : m.status === "held" ? (
          <>
            <dt>{t("committee.meeting.decisionsDue")}</dt>
            <dd>{when.format(shownDeadline(m.decisionsDueAt))}</dd>
          </>
        ) : null}
        {m.minutesPublishedAt ? (
          <>
            <dt>{t("committee.meeting.minutesPublishedAt")}</dt>
            <dd>{when.format(new Date(m.minutesPublishedAt))}</dd>
          </>
        ) : null}
      </dl>
      {m.shortNotice ? <p className="alert">{t("committee.meeting.shortNoticeExplained")}</p> : null}
      {m.status === "cancelled" ? (
        <p className="alert">{t("committee.meeting.cancelledBecause", { reason: m.cancelReason ?? "" })}</p>
      ) : null}
      <div className="actions no-print">
        <PrintButton />
      </div>
      <BoardLinks slug={d.estate.slug} notices={d.onBoard} />

      {p.record?.recorded ? (
        <section className="card" id="record">
          <h2>{t("committee.meeting.roll")}</h2>
          <p className={p.record.quorate ? "notice-ok" : "alert"} data-testid="quorum">
            {p.record.quorate
              ? t("committee.meeting.quorate", { present: p.record.present, members: p.record.members })
              : t("committee.meeting.notQuorate", { present: p.record.present, members: p.record.members })}
          </p>
          <ul className="list-plain">
            {p.record.roll.map((r) => (
              <li key={r.member.id}>
                {r.member.name} · {r.member.building} <SeatBadge member={r.member} />{" "}
                <span className={`badge ${r.present ? "status-approved" : "status-rejected"}`}>
                  {r.present ? t("committee.meeting.present") : t("committee.meeting.absent")}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {me.canWrite && m.status !== "cancelled" && m.started && !frozen ? <AttendanceForm d={d} /> : null}
      {me.canWrite && m.status === "scheduled" && !m.started ? (
        <p className="hint no-print">{t("committee.meeting.notStarted")}</p>
      ) : null}

      <section className="card" id="agenda">
        <h2>{t("committee.meeting.agenda")}</h2>
        <ol className="agenda">
          {p.items.map((item) => (
            <li key={item.id} id={`item-${item.id}`}>
              <p style={{ margin: 0 }}>
                <strong>{item.title}</strong> <span className="badge">{t(`committee.agendaKinds.${item.kind}`)}</span>
              </p>
              {item.candidate ? (
                <p className="muted">{t("committee.meeting.candidate", { name: memberLabel(t, item.candidate) })}</p>
              ) : null}
              {item.description ? <p className="pre-line">{item.description}</p> : null}
              {item.resolution ? (
                <p className="pre-line">{t("committee.meeting.resolutionShown", { text: item.resolution })}</p>
              ) : null}
              {item.outcome ? <Outcome o={item.outcome} /> : null}
              {item.votes.length ? (
                <p className="muted">
                  {item.votes.map((v) => `${v.member}：${t(`committee.choices.${v.choice}`)}`).join("；")}
                </p>
              ) : null}
              {me.canWrite && m.status === "held" && !frozen && item.kind !== "information" && p.record?.quorate ? (
                <VotesForm d={d} item={item} />
              ) : null}
            </li>
          ))}
        </ol>
        {me.canWrite && decisionsOpen ? (
          <Form method="post" className="no-print">
            <FormError result={failure} form="publishDecisions" />
            <input type="hidden" name="intent" value="publishDecisions" />
            <p className="hint">
              {t("committee.meeting.publishDecisionsHint", { due: when.format(shownDeadline(m.decisionsDueAt)) })}
            </p>
            <button type="submit" className="primary">
              {t("committee.meeting.publishDecisions")}
            </button>
          </Form>
        ) : null}
      </section>

      {m.status === "held" ? (
        <section className="card" id="minutes">
          <h2>{t("committee.meeting.minutes")}</h2>
          {m.minutesHtml ? (
            <>
              {!m.minutesPublishedAt ? <p className="badge">{t("committee.meeting.minutesDraft")}</p> : null}
              <div className="minutes" dangerouslySetInnerHTML={{ __html: m.minutesHtml }} />
            </>
          ) : (
            <p className="muted">{t("committee.meeting.minutesNone")}</p>
          )}
          {me.canWrite && m.minutesDraft !== null ? (
            <Form method="post" className="no-print">
              <FormError result={failure} form="minutes" />
              <input type="hidden" name="intent" value="minutes" />
              <div className="field">
                <label htmlFor="minutes-md">{t("committee.meeting.minutesEditor")}</label>
                <textarea id="minutes-md" name="markdown" rows={12} maxLength={50000} defaultValue={m.minutesDraft} />
                <p className="hint">{t("committee.meeting.minutesHint")}</p>
              </div>
              <button type="submit" className="secondary">
                {t("committee.meeting.minutesSave")}
              </button>
            </Form>
          ) : null}
          {(m.minutesPublishedAt || d.insider) && p.attendees > 0 ? (
            <>
              <h3>{t("committee.meeting.signoffs")}</h3>
              <p className="hint">
                {t("committee.meeting.signoffsNeeded", {
                  needed: p.signoffsNeeded,
                  attendees: p.attendees,
                  signed: p.signoffs.length,
                })}
              </p>
              <ul className="list-plain">
                {p.signoffs.map((s) => (
                  <li key={s.member}>
                    {t("committee.meeting.signedBy", { name: s.member, time: when.format(new Date(s.signedAt)) })}{" "}
                    <code className="hash">{s.sha256.slice(0, 12)}</code>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {me.attended && !me.signed && m.minutesHtml ? (
            <Form method="post" className="no-print">
              <FormError result={failure} form="sign" />
              <input type="hidden" name="intent" value="sign" />
              <p className="hint">{t("committee.meeting.signHint")}</p>
              <button type="submit" className="primary">
                {t("committee.meeting.sign")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {me.canWrite && m.status === "scheduled" ? (
        <section className="card no-print">
          <h2>{t("committee.meeting.cancelTitle")}</h2>
          <Form method="post">
            <FormError result={failure} form="cancel" />
            <input type="hidden" name="intent" value="cancel" />
            <div className="field">
              <label htmlFor="cancel-reason">{t("committee.meeting.cancelReason")}</label>
              <input id="cancel-reason" name="reason" required maxLength={500} />
            </div>
            <button type="submit" className="secondary">
              {t("committee.meeting.cancel")}
            </button>
          </Form>
        </section>
      ) : null}

      {m.minutesPublishedAt ? (
        <div className="card">
          <InquiryThreads
            slug={d.estate.slug}
            subject={{ kind: "minutes", id: m.id }}
            threads={d.inquiries}
            canAsk={d.canAsk}
            canAnswer={me.canWrite}
          />
        </div>
      ) : null}
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.page.meeting.title} · ${data.estate.name}` : "议事堂" },
];
