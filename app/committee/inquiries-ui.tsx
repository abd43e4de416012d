import { useFetcher } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useDateTimeFormat } from "~/lib/time";
import { voteQueryTopics, type InquirySubject } from "./inquiry-subjects";
import type { ThreadView } from "./inquiries.server";
import { FormError } from "~/lib/forms/form-error";
import type { FormReply } from "~/lib/forms/result";

/** A thread as the loaders send it (see listInquiries). */
type Thread = Omit<ThreadView, "subjectId">;

/**
 * One form of a thread. It posts to the estate's inquiry route (every subject's page shares
 * it), shows a refusal in place, and empties itself once the post went through.
 */
function ThreadForm({
  slug,
  intent,
  children,
  hidden,
}: {
  slug: string;
  intent: "ask" | "reply";
  hidden: Record<string, string>;
  children: React.ReactNode;
}) {
  const fetcher = useFetcher<FormReply>();
  const form = useRef<HTMLFormElement>(null);
  const busy = fetcher.state !== "idle";
  const wasBusy = useRef(false);
  useEffect(() => {
    if (wasBusy.current && !busy && !fetcher.data) form.current?.reset();
    wasBusy.current = busy;
  }, [busy, fetcher.data]);
  return (
    <fetcher.Form ref={form} method="post" action={`/e/${slug}/inquiries`} className="no-print">
      <FormError result={fetcher.data} form={intent} />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
    </fetcher.Form>
  );
}

/**
 * Owners' questions on one subject (minutes, a service report, a ledger) and the committee's
 * answers. Owners ask; committee members with a vote answer; the asker may follow up.
 */
export function InquiryThreads({
  slug,
  subject,
  threads,
  canAsk,
  canAnswer,
  queryUnits,
  queryClosed,
}: {
  slug: string;
  subject: InquirySubject;
  threads: Thread[];
  canAsk: boolean;
  canAnswer: boolean;
  /** A vote's or an election's query: the units on its list (for an eligibility query). */
  queryUnits?: { id: string; label: string }[];
  /** A vote's query period is over (or not begun): no new query. */
  queryClosed?: boolean;
}) {
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const anchor = subject.kind === "minutes" ? "inquiries" : `q-${subject.id ?? subject.kind}`;
  const isVote = subject.kind === "vote" || subject.kind === "election";
  const askId = `ask-${subject.id ?? subject.kind}`;
  return (
    <section className="inquiries" id={anchor}>
      <h3>{t("committee.inquiries.title")}</h3>
      <p className="hint">
        {t(`committee.inquiries.introBy.${subject.kind}`)} {t("committee.inquiries.openHidden")}
      </p>
      {threads.length === 0 ? <p className="muted">{t("committee.inquiries.none")}</p> : null}
      <ul className="list-plain">
        {threads.map((q) => (
          <li key={q.id} className="inquiry" data-testid="inquiry">
            <p style={{ margin: 0 }}>
              <strong>{t("committee.inquiries.asker", { name: q.asker })}</strong>{" "}
              <span className="muted">{when.format(new Date(q.createdAt))}</span>{" "}
              <span className={`badge ${q.answeredAt ? "status-approved" : "status-pending"}`}>
                {q.answeredAt ? t("committee.inquiries.answered") : t("committee.inquiries.open")}
              </span>
            </p>
            {q.topic ? (
              <p className="hint" style={{ margin: 0 }}>
                {t(`committee.inquiries.queryTopics.${q.topic}`)}
                {q.unit ? ` · ${t("committee.inquiries.queryUnitLabel", { unit: q.unit })}` : null}
              </p>
            ) : null}
            <p className="inquiry-body">{q.body}</p>
            {q.replies.map((r) => (
              <div key={r.id} className={`inquiry-reply ${r.byCommittee ? "by-committee" : ""}`}>
                <p style={{ margin: 0 }}>
                  <strong>
                    {r.byCommittee
                      ? t("committee.inquiries.committeeAnswer", { name: r.author })
                      : t("committee.inquiries.followUp", { name: r.author })}
                  </strong>{" "}
                  <span className="muted">{when.format(new Date(r.createdAt))}</span>
                </p>
                <p className="inquiry-body">{r.body}</p>
              </div>
            ))}
            {canAnswer || q.mine ? (
              <ThreadForm slug={slug} intent="reply" hidden={{ inquiryId: q.id }}>
                <label className="visually-hidden" htmlFor={`reply-${q.id}`}>
                  {canAnswer ? t("committee.inquiries.answerLabel") : t("committee.inquiries.followUpLabel")}
                </label>
                <textarea
                  id={`reply-${q.id}`}
                  name="body"
                  rows={2}
                  maxLength={2000}
                  required
                  placeholder={
                    canAnswer ? t("committee.inquiries.answerLabel") : t("committee.inquiries.followUpLabel")
                  }
                />
                <button type="submit" className="secondary">
                  {canAnswer ? t("committee.inquiries.answerSubmit") : t("committee.inquiries.followUpSubmit")}
                </button>
              </ThreadForm>
            ) : null}
          </li>
        ))}
      </ul>
      {isVote && queryClosed ? <p className="muted">{t("committee.inquiries.queryClosed")}</p> : null}
      {canAsk && !(isVote && queryClosed) ? (
        <ThreadForm slug={slug} intent="ask" hidden={{ subjectKind: subject.kind, subjectId: subject.id ?? "" }}>
          {isVote ? (
            <>
              <fieldset className="field">
                <legend>{t("committee.inquiries.queryTopic")}</legend>
                {voteQueryTopics.map((topic, i) => (
                  <label key={topic} className="choice">
                    <input type="radio" name="topic" value={topic} defaultChecked={i === 0} required />{" "}
                    {t(`committee.inquiries.queryTopics.${topic}`)}
                  </label>
                ))}
              </fieldset>
              <div className="field">
                <label htmlFor={`${askId}-unit`}>{t("committee.inquiries.queryUnit")}</label>
                <select id={`${askId}-unit`} name="unitId" defaultValue="">
                  <option value="">{t("committee.inquiries.queryUnitNone")}</option>
                  {(queryUnits ?? []).map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.label}
                    </option>
                  ))}
                </select>
              </div>
            </>
          ) : null}
          <div className="field">
            <label htmlFor={askId}>{t("committee.inquiries.askLabel")}</label>
            <textarea id={askId} name="body" rows={3} maxLength={2000} required />
          </div>
          <button type="submit" className="primary">
            {t("committee.inquiries.askSubmit")}
          </button>
        </ThreadForm>
      ) : null}
    </section>
  );
}
