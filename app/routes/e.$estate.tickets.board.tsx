import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { uuidSchema } from "~/lib/ids";
import { navLinks } from "~/tickets/access";
import { board, upvote } from "~/tickets/tickets.server";
import { TicketNav, TicketStatusBadge, useAge } from "~/tickets/ui";
import { redirectWithToast } from "~/ui/toast.server";
import { can } from "~/lib/permissions";
import { FormError } from "~/lib/forms/form-error";
import { parseForm, refuse } from "~/lib/forms/action.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const t = await getT(await getLocale(request));
  return {
    title: `${t("tickets.board.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    nav: navLinks(roles),
    canUpvote: can(roles, "tickets:upvote"),
    items: await board(estate.id, user.id),
  };
}

const UpvoteSchema = z.object({ intent: z.literal("upvote"), ticketId: uuidSchema });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "tickets:upvote");
  const read = await parseForm(request, UpvoteSchema, { form: "upvote" });
  if (!read.ok) return read.response;
  const { ticketId } = read.value;
  const result = await upvote({ estateId: estate.id, ticketId, userId: user.id, roles });
  if (result.ok) return redirectWithToast(`/e/${estate.slug}/tickets/board`, { key: "tickets.actions.upvoted" });
  // The board has one upvote form per ticket: the refusal shows beside that ticket's.
  if (result.error === "notFound")
    return refuse(`upvote:${ticketId}`, "common.errors.notFound", { reason: "not_found" });
  return refuse(`upvote:${ticketId}`, result, { submission: read.submission });
}

export default function Board() {
  const { estate, nav, items, canUpvote } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const age = useAge();
  return (
    <div>
      <TicketNav slug={estate.slug} links={nav} />
      <section className="card">
        <h1>{t("tickets.board.title")}</h1>
        <p className="muted">{t("tickets.board.intro")}</p>
        <p className="hint">{t("tickets.board.recentClosed")}</p>
        <FormError result={failure} form="upvote" />
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
                <span className="muted">
                  {[t(`tickets.locations.${item.where.location}`), item.where.building, item.where.place]
                    .filter(Boolean)
                    .join(" · ")}{" "}
                  · {t("tickets.board.age")} {age(item.ageMs)}
                </span>
                <span className="badge">+{item.plusOnes}</span>
                {canUpvote && !item.mine && !item.own && item.status !== "closed" ? (
                  <Form method="post" className="inline">
                    <input type="hidden" name="intent" value="upvote" />
                    <input type="hidden" name="ticketId" value={item.id} />
                    <button
                      type="submit"
                      className="secondary"
                      aria-label={`${t("tickets.actions.upvote")} ${t("tickets.number", { seq: item.seq })}`}
                    >
                      +1
                    </button>
                  </Form>
                ) : null}
                {item.mine ? <span className="muted">{t("tickets.actions.youUpvoted")}</span> : null}
              </div>
              <FormError result={failure} form={`upvote:${item.id}`} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
