import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { forbidden, notFound, requireEstatePermission } from "~/auth/guards.server";
import { askQuestion, inboxPageSize, inquiryInbox, inquiryViewer, replyToInquiry } from "~/committee/inquiries.server";
import { isVoteSubject, parseSubject, parseVoteQuery, subjectPath } from "~/committee/inquiry-subjects";
import { getLocale, getT } from "~/i18n/i18n.server";
import { can, type Permission } from "~/lib/permissions";
import { useDateTimeFormat } from "~/lib/time";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { redirectWithToast } from "~/ui/toast.server";

/**
 * The committee's inbox (GET): every owner's question to the committee, on minutes, service
 * reports or the ledgers, newest first, unanswered ones first and answered ones behind a
 * filter, each linking to the page where it is answered. The committee (observers read-only)
 * and admins, who see unanswered questions on those pages too, may read it.
 */
const InboxQuery = z.object({ show: z.enum(["open", "answered"]).default("open") });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "inquiries:read");
  const query = InboxQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new Response("Bad request", { status: 400 });
  const answered = query.data.show === "answered";
  const [viewer, inbox] = await Promise.all([
    inquiryViewer(estate.id, user.id, roles),
    inquiryInbox(estate, { answered }),
  ]);
  const t = await getT(await getLocale(request));
  return {
    title: `${t("committee.inquiries.inbox.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    show: query.data.show,
    canAnswer: viewer.canAnswer,
    pageSize: inboxPageSize,
    ...inbox,
  };
}

/**
 * Owners' questions to the committee and the answers, from whichever page shows the subject
 * (minutes, a service report, a ledger): owners ask; committee members answer, the asker
 * follows up (POST). The threads are shown on the subject's page.
 */
const text = z
  .string({ required_error: "common.errors.required" })
  .trim()
  .min(1, "common.errors.required")
  .max(2000, "common.errors.tooLong");

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("ask"),
    subjectKind: z.string().max(40),
    subjectId: z.string().max(40).optional(),
    /** A vote's or an election's query: its topic, and the unit for an eligibility query. */
    topic: z.string().max(40).optional(),
    unitId: z.string().max(40).optional(),
    body: text,
  }),
  z.object({
    intent: z.literal("reply"),
    inquiryId: z.string().max(40),
    body: text,
  }),
]);

const permissionFor = { ask: "inquiries:ask", reply: "inquiries:reply" } as const satisfies Record<
  z.infer<typeof ActionSchema>["intent"],
  Permission
>;

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(
    request,
    context,
    params.estate,
    Object.values(permissionFor),
  );
  const read = await parseForm(request, ActionSchema);
  if (!read.ok) return read.response;
  const { submission, intent, value: v } = read;
  if (!can(roles, permissionFor[v.intent])) forbidden();

  const r =
    v.intent === "ask"
      ? await (async () => {
          const subject = parseSubject(v.subjectKind, v.subjectId);
          if (!subject) notFound();
          const query = isVoteSubject(subject) ? (parseVoteQuery(v.topic, v.unitId) ?? undefined) : undefined;
          const asked = await askQuestion({
            estateId: estate.id,
            subject,
            query,
            userId: user.id,
            body: v.body,
          });
          return asked.ok ? { ok: true as const, subject } : asked;
        })()
      : await replyToInquiry({
          estateId: estate.id,
          inquiryId: v.inquiryId,
          userId: user.id,
          body: v.body,
        });
  if (!r.ok)
    return refuse(intent, r, {
      submission,
      reasons: {
        "committee.errors.notFound": "not_found",
        "committee.errors.notYourThread": "forbidden",
      },
    });
  return redirectWithToast(subjectPath(estate.slug, r.subject), {
    key: v.intent === "ask" ? "committee.inquiries.asked" : "committee.inquiries.replied",
  });
}

export default function InquiryInbox() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const base = `/e/${d.estate.slug}/inquiries`;
  return (
    <div>
      <p className="no-print">
        <Link to={`/e/${d.estate.slug}/committee`}>← {t("committee.nav.committee")}</Link>
      </p>
      <h1>{t("committee.inquiries.inbox.title")}</h1>
      <p className="hint">{t("committee.inquiries.inbox.intro")}</p>
      {d.canAnswer ? null : <p className="muted">{t("committee.inquiries.inbox.readOnly")}</p>}
      <nav className="tiles" aria-label={t("committee.inquiries.inbox.filter")}>
        <Link to={base} aria-current={d.show === "open" ? "page" : undefined}>
          {t("committee.inquiries.inbox.showOpen", { count: d.open })}
        </Link>
        <Link to={`${base}?show=answered`} aria-current={d.show === "answered" ? "page" : undefined}>
          {t("committee.inquiries.inbox.showAnswered", { count: d.answered })}
        </Link>
      </nav>
      {d.items.length === 0 ? (
        <p className="muted">
          {d.show === "open" ? t("committee.inquiries.inbox.noneOpen") : t("committee.inquiries.inbox.noneAnswered")}
        </p>
      ) : null}
      <ul className="list-plain">
        {d.items.map((q) => (
          <li key={q.id} className="inquiry" data-testid="inbox-item">
            <p style={{ margin: 0 }}>
              <strong>
                {t(`committee.inquiries.inbox.subject.${q.subject.kind}`, { title: q.subjectTitle ?? "" })}
              </strong>
            </p>
            <p style={{ margin: 0 }}>
              {t("committee.inquiries.asker", { name: q.asker })}{" "}
              <span className="muted">{when.format(new Date(q.createdAt))}</span>{" "}
              <span className={`badge ${q.answeredAt ? "status-approved" : "status-pending"}`}>
                {q.answeredAt ? t("committee.inquiries.answered") : t("committee.inquiries.open")}
              </span>
            </p>
            <p className="inquiry-body">{q.body}</p>
            <p style={{ margin: 0 }}>
              {q.replyCount ? (
                <span className="muted">{t("committee.inquiries.inbox.replies", { count: q.replyCount })} · </span>
              ) : null}
              <Link to={q.path}>
                {!q.answeredAt && d.canAnswer
                  ? t("committee.inquiries.inbox.answer")
                  : t("committee.inquiries.inbox.view")}
              </Link>
            </p>
          </li>
        ))}
      </ul>
      {d.items.length >= d.pageSize ? (
        <p className="muted">{t("committee.inquiries.inbox.more", { count: d.pageSize })}</p>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
