import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { findNotice, subjectPath } from "~/board/board.server";
import { lastPublicityDay, longBeijingDate, publicityState } from "~/board/publicity";
import { getLocale, getT } from "~/i18n/i18n.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { can } from "~/lib/permissions";
import { useDateTimeFormat } from "~/lib/time";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const notice = await findNotice(estate.id, params.id ?? "");
  if (!notice) notFound();
  const locale = await getLocale(request);
  const t = await getT(locale);
  // A fee schedule's page is for those who set fees; owners read the schedule here.
  const subjectVisible = notice.subjectType !== "fee_schedule" || can(roles, "fees:settings");
  return {
    title: `${notice.title} · ${t("board.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    notice: {
      id: notice.id,
      kind: notice.kind,
      title: notice.title,
      author: notice.author,
      postedAt: notice.postedAt.toISOString(),
      bodyHtml: renderMarkdown(notice.body),
      publicity: publicityState(notice.publicityEndsAt, new Date()),
      publicityUntil: notice.publicityEndsAt ? longBeijingDate(lastPublicityDay(notice.publicityEndsAt), locale) : null,
      subject:
        notice.subjectType && notice.subjectId && subjectVisible
          ? { type: notice.subjectType, path: subjectPath(estate.slug, notice.subjectType, notice.subjectId) }
          : null,
    },
  };
}

export default function BoardNoticePage() {
  const { estate, notice: n } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const base = `/e/${estate.slug}/board`;
  return (
    <div>
      <p className="no-print">
        <Link to={base}>← {t("board.back")}</Link>
      </p>
      <article className="card">
        <p style={{ margin: 0 }}>
          <span className="badge">{t(`board.kinds.${n.kind}`)}</span>{" "}
          {n.publicity === "running" ? (
            <span className="badge status-approved">{t("board.publicityRunning")}</span>
          ) : n.publicity === "over" ? (
            <span className="badge">{t("board.publicityOver")}</span>
          ) : null}
        </p>
        <h1>{n.title}</h1>
        <p className="muted" style={{ margin: 0 }}>
          {t("board.postedBy", { author: t(`board.authors.${n.author}`) })}
        </p>
        <p className="muted" style={{ margin: 0 }}>
          {t("board.postedAt", { at: when.format(new Date(n.postedAt)) })}
        </p>
        {n.publicityUntil ? (
          <p className="muted" style={{ margin: 0 }}>
            {t("board.publicityUntil", { date: n.publicityUntil })}
          </p>
        ) : null}
        {/* The body is Markdown rendered on the server and sanitised (app/lib/markdown.server.ts). */}
        <div className="markdown" dangerouslySetInnerHTML={{ __html: n.bodyHtml }} />
        {n.subject ? (
          <p>
            <Link to={n.subject.path}>{t(`board.subject.${n.subject.type}`)}</Link>
          </p>
        ) : null}
      </article>
      <div className="actions no-print">
        <Link to={`${base}/${n.id}/print`} className="button secondary">
          {t("board.print")}
        </Link>
      </div>
      <p className="hint no-print">{t("board.printHint")}</p>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
