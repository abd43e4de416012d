import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { findNotice, noticePath } from "~/board/board.server";
import { lastPublicityDay, longBeijingDate } from "~/board/publicity";
import { getLocale, getT } from "~/i18n/i18n.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { configuredOrigin, publicOrigin } from "~/lib/public-origin.server";
import { qrSvg } from "~/lib/qr.server";
import { beijingDate } from "~/lib/time";

/**
 * The notice as an A4 poster for the lobby boards: the estate, the title, the text, the dates
 * and a QR code to the notice's page at the public origin. The poster is in Chinese whatever the
 * reader's language: it is posted for the estate's owners, as the law's "conspicuous place".
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const notice = await findNotice(estate.id, params.id ?? "");
  if (!notice) notFound();
  const t = await getT(await getLocale(request));
  const title = `${notice.title} · ${t("board.print")}`;
  const back = noticePath(estate.slug, notice.id);
  // The QR code must open for owners at home: refused (503, said to the reader) on a production
  // deployment without a public APP_URL, as for claim letters (app/lib/public-origin.ts).
  const origin = publicOrigin(request);
  if (!origin.ok) {
    return data(
      { title, back, refused: { reason: origin.reason, origin: configuredOrigin() }, poster: null },
      { status: 503 },
    );
  }
  const url = `${origin.origin}${back}`;
  const zh = await getT("zh-CN");
  const posted = longBeijingDate(beijingDate(notice.postedAt), "zh-CN");
  return {
    title,
    back,
    refused: null,
    development: origin.development ? origin.origin : null,
    poster: {
      heading: zh("board.poster.heading", { estate: estate.name }),
      kind: zh(`board.kinds.${notice.kind}`),
      title: notice.title,
      author: zh(`board.authors.${notice.author}`),
      posted: zh("board.poster.posted", { date: posted }),
      publicity: notice.publicityEndsAt
        ? zh("board.poster.publicity", {
            from: posted,
            until: longBeijingDate(lastPublicityDay(notice.publicityEndsAt), "zh-CN"),
          })
        : null,
      bodyHtml: renderMarkdown(notice.body),
      scan: zh("board.poster.scan"),
      kept: zh("board.poster.kept"),
      url,
      qrLabel: zh("board.poster.qrLabel", { url }),
      qr: await qrSvg(url),
    },
  };
}

export default function BoardPoster() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div>
      <div className="no-print">
        <p>
          <Link to={d.back}>← {t("board.back")}</Link>
        </p>
        {d.refused ? (
          <section className="alert" role="alert">
            <h1 style={{ marginTop: 0 }}>{t("board.poster.noOrigin.title")}</h1>
            <p>{t(`board.poster.noOrigin.${d.refused.reason}`, { origin: d.refused.origin })}</p>
          </section>
        ) : (
          <>
            {"development" in d && d.development ? (
              <p className="alert" role="status">
                {t("board.poster.devOrigin", { origin: d.development })}
              </p>
            ) : null}
            <div className="actions">
              <button type="button" className="primary" onClick={() => window.print()}>
                {t("board.poster.print")}
              </button>
            </div>
            <p className="hint">{t("board.printHint")}</p>
          </>
        )}
      </div>
      {d.poster ? (
        <article className="poster" lang="zh-CN" aria-label={d.poster.title}>
          <header className="poster-head">
            <p className="poster-estate">{d.poster.heading}</p>
            <p className="poster-kind">{d.poster.kind}</p>
          </header>
          <h1 className="poster-title">{d.poster.title}</h1>
          {/* Markdown rendered on the server and sanitised (app/lib/markdown.server.ts). */}
          <div className="markdown poster-body" dangerouslySetInnerHTML={{ __html: d.poster.bodyHtml }} />
          <footer className="poster-foot">
            <div className="poster-dates">
              <p>{d.poster.author}</p>
              <p>{d.poster.posted}</p>
              {d.poster.publicity ? <p>{d.poster.publicity}</p> : null}
              <p className="muted">{d.poster.kept}</p>
            </div>
            <figure className="poster-qr-box">
              <div
                className="poster-qr"
                role="img"
                aria-label={d.poster.qrLabel}
                data-url={d.poster.url}
                // Made on the server by the qrcode library from our own URL (app/lib/qr.server.ts).
                dangerouslySetInnerHTML={{ __html: d.poster.qr }}
              />
              <figcaption>{d.poster.scan}</figcaption>
            </figure>
          </footer>
        </article>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
