import { nameField } from "~/lib/text";
import { useForm } from "@conform-to/react";
import { getZodConstraint, parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { agendaKinds, meetingKinds } from "#db/values";
import { requireEstatePermission } from "~/auth/guards.server";
import { seatOf } from "~/committee/access.server";
import { seatedMembersOf } from "~/committee/composition.server";
import { scheduleMeeting } from "~/committee/meetings.server";
import { listRequisitions } from "~/committee/requisitions.server";
import { memberLabel } from "~/committee/ui";
import { defaultMeetingAt } from "~/committee/rules";
import { getLocale, getT } from "~/i18n/i18n.server";
import { parseBeijingDateTime, toBeijingDateTime, useDateTimeFormat } from "~/lib/time";
import { Field, ConformForm } from "~/lib/forms/field";
import { maskName } from "~/ui/mask";
import { redirectWithToast } from "~/ui/toast.server";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { shownDeadline } from "~/lib/calendar";

const agendaRows = 6;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "meetings:manage");
  const t = await getT(await getLocale(request));
  const seat = await seatOf(getDb(), estate.id, user.id);
  const members = seat ? await seatedMembersOf(getDb(), seat.committee.id) : [];
  const requisitions = seat
    ? (await listRequisitions(estate.id, seat.committee.id)).filter((r) => r.dueAt && !r.meetingId)
    : [];
  return {
    title: `${t("committee.schedule.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    seated: Boolean(seat && seat.member.seat !== "observer"),
    candidates: members
      .filter((m) => m.seat !== "observer")
      .map((m) => ({ id: m.id, name: maskName(m.name), building: m.building, office: m.office, seat: m.seat })),
    requisitions: requisitions.map((r) => ({ id: r.id, subject: r.subject, dueAt: r.dueAt! })),
    defaults: { scheduledAt: toBeijingDateTime(defaultMeetingAt(new Date())) },
  };
}

const optionalText = (max: number) => z.string().trim().max(max, "common.errors.tooLong").optional();

const ScheduleSchema = z.object({
  title: nameField(120),
  kind: z.enum(meetingKinds, { errorMap: () => ({ message: "common.errors.invalid" }) }),
  scheduledAt: z
    .string({ required_error: "common.errors.required" })
    .refine((v) => parseBeijingDateTime(v) !== null, "common.errors.invalid"),
  place: optionalText(200),
  onlineLink: optionalText(500),
  requisitionId: z.string().optional(),
  agenda: z
    .array(
      z.object({
        kind: z.enum(agendaKinds, { errorMap: () => ({ message: "common.errors.invalid" }) }).default("motion"),
        title: optionalText(200),
        description: optionalText(2000),
        candidateMemberId: z.string().optional(),
      }),
    )
    .max(agendaRows)
    .default([]),
});

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "meetings:manage");
  const read = await parseForm(request, ScheduleSchema, { form: "schedule" });
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  const agenda = v.agenda.filter((a) => a.title);
  const result = await scheduleMeeting({
    estateId: estate.id,
    userId: user.id,
    title: v.title,
    kind: v.kind,
    scheduledAt: parseBeijingDateTime(v.scheduledAt)!,
    place: v.place ?? null,
    onlineLink: v.onlineLink ?? null,
    requisitionId: v.requisitionId || null,
    agenda: agenda.map((a) => ({
      kind: a.kind,
      title: a.title!,
      description: a.description ?? null,
      candidateMemberId: a.candidateMemberId || null,
    })),
  });
  if (!result.ok)
    return refuse("schedule", result, {
      submission,
      reason: "invalid",
      reasons: { "committee.errors.notMember": "forbidden" },
    });
  return redirectWithToast(`/e/${estate.slug}/committee/meetings/${result.id}`, {
    key: "committee.schedule.scheduled",
  });
}

export default function ScheduleMeeting() {
  const d = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation();
  const date = useDateTimeFormat();
  const [form, fields] = useForm({
    id: "schedule",
    lastResult,
    constraint: getZodConstraint(ScheduleSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ScheduleSchema }),
    shouldRevalidate: "onInput",
    defaultValue: { scheduledAt: d.defaults.scheduledAt, kind: "regular" },
  });
  return (
    <section className="card">
      <p>
        <Link to={`/e/${d.estate.slug}/committee`}>← {t("committee.nav.committee")}</Link>
      </p>
      <h1>{t("committee.schedule.title")}</h1>
      {!d.seated ? <p className="alert">{t("committee.errors.notMember")}</p> : null}
      <p className="hint">{t("committee.schedule.intro")}</p>
      <ConformForm form={form}>
        <Field meta={fields.title} label={t("committee.schedule.meetingTitle")} />
        <div className="field">
          <label htmlFor="m-kind">{t("committee.schedule.kind")}</label>
          <select id="m-kind" name="kind" defaultValue="regular">
            {meetingKinds.map((k) => (
              <option key={k} value={k}>
                {t(`committee.meetingKinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        {d.requisitions.length ? (
          <div className="field">
            <label htmlFor="m-req">{t("committee.schedule.requisition")}</label>
            <select id="m-req" name="requisitionId" defaultValue="">
              <option value="">—</option>
              {d.requisitions.map((r) => (
                <option key={r.id} value={r.id}>
                  {t("committee.schedule.requisitionOption", {
                    subject: r.subject,
                    due: date.format(shownDeadline(r.dueAt)),
                  })}
                </option>
              ))}
            </select>
            <p className="hint">{t("committee.schedule.requisitionHint")}</p>
          </div>
        ) : null}
        <Field
          meta={fields.scheduledAt}
          type="datetime-local"
          label={t("committee.schedule.scheduledAt")}
          hint={t("committee.schedule.scheduledAtHint")}
        />
        <Field meta={fields.place} label={t("committee.schedule.place")} />
        <Field
          meta={fields.onlineLink}
          label={t("committee.schedule.onlineLink")}
          hint={t("committee.schedule.onlineLinkHint")}
        />
        <fieldset className="agenda-rows">
          <legend>{t("committee.schedule.agenda")}</legend>
          <p className="hint">{t("committee.schedule.agendaHint")}</p>
          {Array.from({ length: agendaRows }, (_, i) => (
            <div key={i} className="agenda-row">
              <label htmlFor={`a-${i}-title`}>{t("committee.schedule.item", { n: i + 1 })}</label>
              <input id={`a-${i}-title`} name={`agenda[${i}].title`} maxLength={200} />
              <div className="grid">
                <select
                  name={`agenda[${i}].kind`}
                  aria-label={t("committee.schedule.itemKind", { n: i + 1 })}
                  defaultValue="motion"
                >
                  {agendaKinds.map((k) => (
                    <option key={k} value={k}>
                      {t(`committee.agendaKinds.${k}`)}
                    </option>
                  ))}
                </select>
                <select
                  name={`agenda[${i}].candidateMemberId`}
                  aria-label={t("committee.schedule.candidate", { n: i + 1 })}
                  defaultValue=""
                >
                  <option value="">{t("committee.schedule.candidateNone")}</option>
                  {d.candidates.map((c) => (
                    <option key={c.id} value={c.id}>
                      {memberLabel(t, c)}
                    </option>
                  ))}
                </select>
              </div>
              <textarea
                name={`agenda[${i}].description`}
                rows={2}
                maxLength={2000}
                aria-label={t("committee.schedule.itemDescription", { n: i + 1 })}
                placeholder={t("committee.schedule.itemDescription", { n: i + 1 })}
              />
            </div>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary">
            {t("committee.schedule.submit")}
          </button>
        </div>
      </ConformForm>
    </section>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
