import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { requireEstatePermission } from "~/auth/guards.server";
import { seatOf } from "~/committee/access.server";
import { seatedMembersOf } from "~/committee/composition.server";
import { listRequisitions, requireMeeting, signRequisition } from "~/committee/requisitions.server";
import { requisitionSignersNeeded } from "~/committee/rules";
import { useDateTimeFormat } from "~/lib/time";
import { FormError } from "~/lib/forms/form-error";
import { getLocale, getT } from "~/i18n/i18n.server";
import { maskName } from "~/ui/mask";
import { redirectWithToast } from "~/ui/toast.server";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { shownDeadline } from "~/lib/calendar";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "meetings:manage");
  const t = await getT(await getLocale(request));
  const seat = await seatOf(getDb(), estate.id, user.id);
  const members = seat ? await seatedMembersOf(getDb(), seat.committee.id) : [];
  const names = new Map(members.map((m) => [m.id, maskName(m.name)]));
  const voting = members.filter((m) => m.seat !== "observer").length;
  const list = seat ? await listRequisitions(estate.id, seat.committee.id) : [];
  return {
    title: `${t("committee.requisitions.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    seated: Boolean(seat && seat.member.seat !== "observer"),
    myMemberId: seat?.member.id ?? null,
    needed: requisitionSignersNeeded(voting),
    voting,
    requisitions: list.map((r) => ({ ...r, signerNames: r.signers.map((s) => names.get(s) ?? "—") })),
  };
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("require"),
    subject: z
      .string({ required_error: "common.errors.required" })
      .trim()
      .min(1, "common.errors.required")
      .max(500, "common.errors.tooLong"),
  }),
  z.object({ intent: z.literal("sign"), requisitionId: z.string({ required_error: "common.errors.required" }) }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "meetings:manage");
  const read = await parseForm(request, ActionSchema);
  if (!read.ok) return read.response;
  const { value: v, intent, submission } = read;
  const here = `/e/${estate.slug}/committee/requisitions`;
  const r =
    v.intent === "require"
      ? await requireMeeting({ estateId: estate.id, userId: user.id, subject: v.subject })
      : await signRequisition({ estateId: estate.id, userId: user.id, requisitionId: v.requisitionId });
  if (!r.ok)
    return refuse(intent, r, {
      submission,
      reasons: { "committee.errors.notFound": "not_found", "committee.errors.notMember": "forbidden" },
    });
  return redirectWithToast(here, {
    key: r.thresholdMet ? "committee.requisitions.due" : "committee.requisitions.signed",
  });
}

export default function Requisitions() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const base = `/e/${d.estate.slug}/committee`;
  return (
    <div>
      <p>
        <Link to={base}>← {t("committee.nav.committee")}</Link>
      </p>
      <h1>{t("committee.requisitions.title")}</h1>
      <p className="hint">{t("committee.requisitions.intro", { needed: d.needed, members: d.voting })}</p>
      {!d.seated ? <p className="alert">{t("committee.errors.notMember")}</p> : null}
      {d.seated ? (
        <Form method="post" className="card">
          <FormError result={failure} form="require" />
          <input type="hidden" name="intent" value="require" />
          <div className="field">
            <label htmlFor="req-subject">{t("committee.requisitions.subject")}</label>
            <textarea id="req-subject" name="subject" rows={3} required maxLength={500} />
          </div>
          <button type="submit" className="primary">
            {t("committee.requisitions.submit")}
          </button>
        </Form>
      ) : null}
      <FormError result={failure} form="sign" />
      <ul className="list-plain">
        {d.requisitions.map((r) => (
          <li key={r.id}>
            <p style={{ margin: 0 }}>
              <strong>{r.subject}</strong> <span className="muted">{when.format(new Date(r.createdAt))}</span>
            </p>
            <p className="muted" style={{ margin: 0 }}>
              {t("committee.requisitions.signers", {
                names: r.signerNames.join("、"),
                count: r.signers.length,
                needed: d.needed,
              })}
            </p>
            {r.dueAt ? (
              <p style={{ margin: 0 }}>
                {r.held ? (
                  <span className="badge status-approved">{t("committee.requisitions.held")}</span>
                ) : r.overdue ? (
                  <span className="badge flag">
                    {t("committee.requisitions.overdue", { due: when.format(shownDeadline(r.dueAt)) })}
                  </span>
                ) : (
                  <span className="badge status-pending">
                    {t("committee.requisitions.dueBy", { due: when.format(shownDeadline(r.dueAt)) })}
                  </span>
                )}{" "}
                {r.meetingId ? (
                  <Link to={`${base}/meetings/${r.meetingId}`}>{t("committee.requisitions.meeting")}</Link>
                ) : (
                  <Link to={`${base}/meetings/new`}>{t("committee.requisitions.schedule")}</Link>
                )}
              </p>
            ) : null}
            {d.seated && d.myMemberId && !r.signers.includes(d.myMemberId) ? (
              <Form method="post">
                <input type="hidden" name="intent" value="sign" />
                <input type="hidden" name="requisitionId" value={r.id} />
                <button type="submit" className="secondary">
                  {t("committee.requisitions.sign")}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
