import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { TicketStatus } from "#db/schema/tickets";
import type { NavLink } from "./access";
import { splitDuration, type ClockState } from "./sla";

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return <span className={`badge ticket-status-${status}`}>{t(`tickets.status.${status}`)}</span>;
}

/** A duration in the reader's language: "2 天 3 小时", "3 天", "3 小时 20 分", "4 小时", "20 分". */
export function useDuration() {
  const { t } = useTranslation();
  return (ms: number) => {
    const { days, hours, minutes } = splitDuration(ms);
    if (days > 0) return hours > 0 ? t("tickets.duration.dh", { days, hours }) : t("tickets.duration.d", { days });
    if (hours > 0)
      return minutes > 0 ? t("tickets.duration.hm", { hours, minutes }) : t("tickets.duration.h", { hours });
    return t("tickets.duration.m", { minutes });
  };
}

/** How old a ticket is, in the largest unit: "3 天", "5 小时", "12 分钟". */
export function useAge() {
  const { t } = useTranslation();
  return (ms: number) => {
    const { days, hours, minutes } = splitDuration(ms);
    if (days > 0) return t("tickets.age.days", { days });
    if (hours > 0) return t("tickets.age.hours", { hours });
    return t("tickets.age.minutes", { minutes });
  };
}

export function ClockText({ clock }: { clock: ClockState }) {
  const { t } = useTranslation();
  const d = useDuration();
  switch (clock.state) {
    case "running":
      return <span>{t("tickets.page.clock.running", { left: d(clock.remainingMs) })}</span>;
    case "overdue":
      return <span className="ticket-late">{t("tickets.page.clock.overdue", { late: d(clock.overdueMs) })}</span>;
    case "met":
      return <span className="ticket-ok">{t("tickets.page.clock.met", { took: d(clock.tookMs) })}</span>;
    case "missed":
      return (
        <span className="ticket-late">
          {t("tickets.page.clock.missed", { took: d(clock.tookMs), late: d(clock.lateMs) })}
        </span>
      );
  }
}

/** Links between the ticket pages, shown to whoever may use them. */
export function TicketNav({ slug, links }: { slug: string; links: readonly NavLink[] }) {
  const { t } = useTranslation();
  return (
    <nav className="ticket-nav" aria-label={t("tickets.title")}>
      {links.map((l) => (
        <Link key={l.key} to={`/e/${slug}/${l.to}`}>
          {t(`tickets.nav.${l.key}`)}
        </Link>
      ))}
    </nav>
  );
}
