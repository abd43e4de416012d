import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { BoardNoticeKind } from "#db/schema/board";
import { useDateTimeFormat } from "~/lib/time";

/** A page's notices on the board (its vote notice, results, decisions…), from `boardLinks`. */
export function BoardLinks({
  slug,
  notices,
}: {
  slug: string;
  notices: readonly { id: string; kind: BoardNoticeKind; title: string; postedAt: string }[];
}) {
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  if (notices.length === 0) return null;
  return (
    <section className="card" aria-labelledby="board-links">
      <h2 id="board-links">{t("board.onBoard")}</h2>
      <ul className="list-plain board-list">
        {notices.map((n) => (
          <li key={n.id}>
            <Link to={`/e/${slug}/board/${n.id}`} className="board-item">
              {n.title}
            </Link>
            <div className="muted">
              {t(`board.kinds.${n.kind}`)} · {when.format(new Date(n.postedAt))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
