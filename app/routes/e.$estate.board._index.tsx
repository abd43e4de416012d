import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { boardNoticeKinds } from "#db/values";
import { requireEstatePermission } from "~/auth/guards.server";
import { listNotices, noticesPageSize } from "~/board/board.server";
import { publicityState } from "~/board/publicity";
import { getLocale, getT } from "~/i18n/i18n.server";
import { can } from "~/lib/permissions";
import { useDateTimeFormat } from "~/lib/time";

const Query = z.object({
  kind: z.enum(boardNoticeKinds).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const q = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = q.page ?? 1;
  const { notices, total } = await listNotices(estate.id, { kind: q.kind ?? null, page });
  const t = await getT(await getLocale(request));
  const now = new Date();
  return {
    title: `${t("board.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    kind: q.kind ?? "",
    page,
    total,
    hasNext: page * noticesPageSize < total,
    canPost: can(roles, "board:post"),
    notices: notices.map((n) => ({
      id: n.id,
      kind: n.kind,
      title: n.title,
      author: n.author,
      postedAt: n.postedAt.toISOString(),
      publicity: publicityState(n.publicityEndsAt, now),
    })),
  };
}

export default function Board() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const base = `/e/${d.estate.slug}/board`;
  const pageLink = (page: number) => {
    const search = new URLSearchParams();
    if (d.kind) search.set("kind", d.kind);
    if (page > 1) search.set("page", String(page));
    const s = search.toString();
    return s ? `${base}?${s}` : base;
  };
  return (
    <div>
      <h1>{t("board.title")}</h1>
      <p className="hint">{t("board.intro")}</p>
      <Form method="get" className="card actions" role="search">
        <div className="field">
          <label htmlFor="board-kind">{t("board.kind")}</label>
          <select id="board-kind" name="kind" defaultValue={d.kind}>
            <option value="">{t("board.allKinds")}</option>
            {boardNoticeKinds.map((k) => (
              <option key={k} value={k}>
                {t(`board.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="secondary">
          {t("board.filter")}
        </button>
        {d.canPost ? (
          <Link to={`${base}/new`} className="button primary">
            {t("board.new.link")}
          </Link>
        ) : null}
      </Form>
      <p className="muted">{t("board.count", { count: d.total })}</p>
      {d.notices.length === 0 ? <p className="muted">{t("board.empty")}</p> : null}
      <ul className="list-plain board-list">
        {d.notices.map((n) => (
          <li key={n.id} data-testid="board-notice">
            <Link to={`${base}/${n.id}`} className="board-item">
              <strong>{n.title}</strong>
            </Link>
            <p style={{ margin: 0 }}>
              <span className="badge">{t(`board.kinds.${n.kind}`)}</span>{" "}
              {n.publicity === "running" ? (
                <span className="badge status-approved">{t("board.publicityRunning")}</span>
              ) : null}{" "}
              <span className="muted">
                {t(`board.authors.${n.author}`)} · {when.format(new Date(n.postedAt))}
              </span>
            </p>
          </li>
        ))}
      </ul>
      {d.page > 1 || d.hasNext ? (
        <nav className="actions" aria-label={t("board.title")}>
          {d.page > 1 ? <Link to={pageLink(d.page - 1)}>← {t("board.previous")}</Link> : null}
          {d.hasNext ? <Link to={pageLink(d.page + 1)}>{t("board.next")} →</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
