import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { forbidden, requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { navLinks } from "~/tickets/access";
import { useDateTimeFormat } from "~/lib/time";
import { listTickets, viewerOf, type ListScope } from "~/tickets/tickets.server";
import { TicketNav, TicketStatusBadge } from "~/tickets/ui";
import { getDb } from "#db/client";
import { can } from "~/lib/permissions";

const filters = ["all", "open", "acknowledged", "resolved", "closed", "overdue", "escalated"] as const;

const QuerySchema = z.object({
  scope: z.enum(["mine", "queue", "escalated"]).optional(),
  filter: z.enum(filters).catch("all").default("all"),
  before: z.string().max(80).optional(),
});

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const url = new URL(request.url);
  const query = QuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) forbidden();
  const scopes: ListScope[] = [
    ...(can(roles, "tickets:work") ? (["queue"] as const) : []),
    ...(can(roles, "tickets:file") ? (["mine"] as const) : []),
    ...(can(roles, "tickets:oversee") || can(roles, "tickets:work") ? (["escalated"] as const) : []),
  ];
  const scope = query.data.scope ?? scopes[0] ?? null;
  if (scope && !scopes.includes(scope)) forbidden();
  let before: { at: Date; id: string } | null = null;
  if (query.data.before) {
    const [at, id] = query.data.before.split("_");
    const when = new Date(at);
    if (!Number.isNaN(when.getTime()) && /^[0-9a-f-]{36}$/.test(id ?? "")) before = { at: when, id };
  }
  const viewer = await viewerOf(getDb(), estate.id, user.id, roles);
  const list = scope
    ? await listTickets({ estateId: estate.id, viewer, scope, filter: query.data.filter, before })
    : { items: [], total: 0, next: null };
  const t = await getT(await getLocale(request));
  return {
    title: `${t("tickets.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    nav: navLinks(roles),
    scopes,
    scope,
    filter: query.data.filter,
    paged: before !== null,
    ...list,
  };
}

export default function Tickets() {
  const { estate, nav, scopes, scope, filter, items, total, next, paged } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const when = useDateTimeFormat({ dateStyle: "medium", timeStyle: "short" });
  const scopeKey = { mine: "mine", queue: "queue", escalated: "escalated" } as const;
  return (
    <div>
      <h1>{t("tickets.title")}</h1>
      <TicketNav slug={estate.slug} links={nav} />
      {scope ? (
        <section className="card">
          <h2>{t(`tickets.nav.${scopeKey[scope]}`)}</h2>
          {scopes.length > 1 ? (
            <p className="actions">
              {scopes.map((s) => (
                <Link
                  key={s}
                  to={`?scope=${s}`}
                  aria-current={s === scope ? "page" : undefined}
                  className={s === scope ? "badge" : undefined}
                >
                  {t(`tickets.nav.${scopeKey[s]}`)}
                </Link>
              ))}
            </p>
          ) : null}
          <Form method="get" className="actions">
            <input type="hidden" name="scope" value={scope} />
            <label htmlFor="ticket-filter">{t("tickets.list.filter")}</label>
            <select id="ticket-filter" name="filter" defaultValue={filter}>
              {filters.map((f) => (
                <option key={f} value={f}>
                  {f === "all"
                    ? t("tickets.list.all")
                    : f === "overdue"
                      ? t("tickets.list.overdueOnly")
                      : f === "escalated"
                        ? t("tickets.list.escalatedOnly")
                        : t(`tickets.status.${f}`)}
                </option>
              ))}
            </select>
            <button type="submit" className="secondary">
              {t("common.actions.search")}
            </button>
          </Form>
          <p className="muted">{t("tickets.list.count", { count: total })}</p>
          {items.length === 0 ? <p className="muted">{t("tickets.list.empty")}</p> : null}
          <ul className="list-plain ticket-list">
            {items.map((item) => (
              <li key={item.id}>
                <Link to={`/e/${estate.slug}/tickets/${item.id}`}>
                  <strong>{t("tickets.number", { seq: item.seq })}</strong> {t(`tickets.categories.${item.category}`)} ·{" "}
                  {item.summary}
                </Link>
                <div className="actions">
                  <TicketStatusBadge status={item.status} />
                  {item.overdue ? <span className="badge ticket-overdue">{t("tickets.overdue")}</span> : null}
                  {item.escalated ? (
                    <span className="badge ticket-escalated">{t("tickets.escalatedBadge")}</span>
                  ) : null}
                  {!item.isPublic ? <span className="badge">{t("tickets.privateBadge")}</span> : null}
                  <span className="muted">
                    {item.home ? `${item.home} · ` : item.building ? `${item.building} · ` : ""}
                    {t("tickets.list.filedAt", { when: when.format(new Date(item.createdAt)) })}
                  </span>
                </div>
              </li>
            ))}
          </ul>
          <p className="actions">
            {paged ? <Link to={`?scope=${scope}&filter=${filter}`}>{t("tickets.list.newer")}</Link> : null}
            {next ? (
              <Link to={`?scope=${scope}&filter=${filter}&before=${encodeURIComponent(`${next.at}_${next.id}`)}`}>
                {t("tickets.list.more")}
              </Link>
            ) : null}
          </p>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
