import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormError } from "~/lib/forms/form-error";
import type { Refusal } from "~/lib/forms/result";
import { toBeijingDateTime, useDateTimeFormat } from "~/lib/time";

export interface NoticeSectionData {
  posted: { at: string; earliest: string; path: string } | null;
  /** The notice as posting would put it (committee members who may post, before it is posted). */
  draft: { title: string; body: string; earliest: string; votingStartsAt: string; votingEndsAt: string } | null;
  days: number;
}

/**
 * The vote notice step on a proposal's or an election's page: the notice posted (and from when
 * voting may open), or — for those who may post it — the drafted text and one button that posts
 * it with the window it states.
 */
export function NoticeSection({ notice, kind }: { notice: NoticeSectionData; kind: "proposal" | "election" }) {
  const { t } = useTranslation();
  const date = useDateTimeFormat();
  const failure = useActionData<Refusal>();
  if (notice.posted)
    return (
      <section className="card no-print" id="notice">
        <h2>{t("voteNotice.section.title")}</h2>
        <p className="notice-ok">
          {t(kind === "proposal" ? "voteNotice.section.posted" : "voteNotice.section.postedElection", {
            at: date.format(new Date(notice.posted.at)),
            earliest: date.format(new Date(notice.posted.earliest)),
          })}
        </p>
        <p>
          <Link to={notice.posted.path}>{t("voteNotice.section.view")}</Link>
        </p>
      </section>
    );
  if (!notice.draft) return null;
  return (
    <section className="card stack no-print" id="notice">
      <h2>{t("voteNotice.section.title")}</h2>
      <p className="hint">{t("voteNotice.section.notPosted", { days: notice.days })}</p>
      <FormError result={failure} form="postNotice" />
      <details>
        <summary style={{ minHeight: 44, display: "flex", alignItems: "center" }}>
          {t("voteNotice.section.preview")}
        </summary>
        <article className="stack" data-testid="notice-preview">
          <h3>{notice.draft.title}</h3>
          {notice.draft.body.split("\n\n").map((para, i) => (
            <p key={i} style={{ whiteSpace: "pre-wrap" }}>
              {para}
            </p>
          ))}
        </article>
      </details>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="postNotice" />
        <p className="hint">
          {t("voteNotice.section.earliest", { earliest: date.format(new Date(notice.draft.earliest)) })}
        </p>
        <div className="grid grid-3">
          <div className="field">
            <label htmlFor="notice-starts">{t("voteNotice.section.starts")}</label>
            <input
              id="notice-starts"
              name="votingStartsAt"
              type="datetime-local"
              required
              min={toBeijingDateTime(new Date(notice.draft.earliest))}
              defaultValue={toBeijingDateTime(new Date(notice.draft.votingStartsAt))}
            />
          </div>
          <div className="field">
            <label htmlFor="notice-ends">{t("voteNotice.section.ends")}</label>
            <input
              id="notice-ends"
              name="votingEndsAt"
              type="datetime-local"
              required
              defaultValue={toBeijingDateTime(new Date(notice.draft.votingEndsAt))}
            />
          </div>
        </div>
        <p className="hint">{t("voteNotice.section.postHint")}</p>
        <button type="submit" className="primary">
          {t("voteNotice.section.post")}
        </button>
      </Form>
    </section>
  );
}
