import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { notFound, requireEstatePermission } from "~/auth/guards.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { useDateTimeFormat } from "~/lib/time";
import { navLinks } from "~/tickets/access";
import { actOnTicket, ticketPage, upvote, viewerOf } from "~/tickets/tickets.server";
import { ClockText, TicketNav, TicketStatusBadge } from "~/tickets/ui";
import { redirectWithToast } from "~/ui/toast.server";
import { FormError } from "~/lib/forms/form-error";
import { freeText } from "~/lib/text";
import { parseForm, refuse } from "~/lib/forms/action.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const viewer = await viewerOf(getDb(), estate.id, user.id, roles);
  const page = await ticketPage(estate.id, params.id ?? "", viewer);
  if (!page) notFound();
  const t = await getT(await getLocale(request));
  return {
    title: `${t("tickets.page.title", { seq: page.ticket.seq })} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    nav: navLinks(roles),
    ...page,
  };
}

const body = z
  .string({ required_error: "common.errors.required" })
  .trim()
  .min(1, "common.errors.required")
  .max(2000, "common.errors.tooLong");
const rating = z.coerce
  .number({ required_error: "tickets.errors.ratingRange", invalid_type_error: "tickets.errors.ratingRange" })
  .int("tickets.errors.ratingRange")
  .min(1, "tickets.errors.ratingRange")
  .max(5, "tickets.errors.ratingRange");
const optionalBody = freeText(2000).optional();

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("acknowledge") }),
  z.object({
    intent: z.literal("assign"),
    assigneeId: z.string({ required_error: "common.errors.required" }).uuid("tickets.errors.assigneeNotStaff"),
  }),
  z.object({ intent: z.literal("staffComment"), body }),
  z.object({ intent: z.literal("resolve"), body }),
  z.object({ intent: z.literal("filerComment"), body }),
  z.object({ intent: z.literal("confirm"), rating, body: optionalBody }),
  z.object({ intent: z.literal("reopen"), body }),
  z.object({ intent: z.literal("rate"), rating, body: optionalBody }),
  z.object({ intent: z.literal("committeeComment"), body }),
  z.object({ intent: z.literal("press"), body }),
  z.object({ intent: z.literal("upvote") }),
]);

const done = {
  acknowledge: "tickets.actions.acknowledged",
  assign: "tickets.actions.assigned",
  staffComment: "tickets.actions.commented",
  resolve: "tickets.actions.resolved",
  filerComment: "tickets.actions.commented",
  confirm: "tickets.actions.confirmed",
  reopen: "tickets.actions.reopened",
  rate: "tickets.actions.rated",
  committeeComment: "tickets.actions.commented",
  press: "tickets.actions.pressed",
  upvote: "tickets.actions.upvoted",
} as const;

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const read = await parseForm(request, ActionSchema);
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  const base = { estateId: estate.id, estateSlug: estate.slug, ticketId: params.id ?? "", userId: user.id, roles };
  const result =
    v.intent === "upvote"
      ? await upvote(base)
      : await actOnTicket(
          v.intent === "acknowledge"
            ? { ...base, action: v.intent }
            : v.intent === "assign"
              ? { ...base, action: v.intent, assigneeId: v.assigneeId }
              : v.intent === "confirm" || v.intent === "rate"
                ? { ...base, action: v.intent, rating: v.rating, body: v.body }
                : { ...base, action: v.intent, body: v.body },
        );
  if (!result.ok) {
    if (result.error === "notFound")
      return refuse(v.intent, "common.errors.notFound", { submission, reason: "not_found" });
    return refuse(v.intent, result, {
      submission,
      reason: "invalid",
      reasons: { "tickets.errors.notAllowed": "conflict" },
    });
  }
  return redirectWithToast(`/e/${estate.slug}/tickets/${params.id}`, { key: done[v.intent] });
}

function BodyForm({
  intent,
  label,
  submit,
  primary = false,
}: {
  intent: string;
  label: string;
  submit: string;
  primary?: boolean;
}) {
  const failure = useActionData<typeof action>();
  return (
    <Form method="post" className="ticket-form">
      <input type="hidden" name="intent" value={intent} />
      <FormError result={failure} form={intent} />
      <div className="field">
        <label htmlFor={`${intent}-body`}>{label}</label>
        <textarea id={`${intent}-body`} name="body" rows={3} required maxLength={2000} />
      </div>
      <button type="submit" className={primary ? "primary" : "secondary"}>
        {submit}
      </button>
    </Form>
  );
}

function RatingForm({ intent, submit }: { intent: "confirm" | "rate"; submit: string }) {
  const { t } = useTranslation();
  const failure = useActionData<typeof action>();
  return (
    <Form method="post" className="ticket-form">
      <input type="hidden" name="intent" value={intent} />
      <FormError result={failure} form={intent} />
      <fieldset className="choices">
        <legend>{t("tickets.actions.rating")}</legend>
        {(["5", "4", "3", "2", "1"] as const).map((n) => (
          <label key={n} className="choice">
            <input type="radio" name="rating" value={n} required />
            {t(`tickets.actions.stars.${n}`)}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${intent}-body`}>{t("tickets.actions.ratingComment")}</label>
        <textarea id={`${intent}-body`} name="body" rows={2} maxLength={2000} />
      </div>
      <button type="submit" className="primary">
        {submit}
      </button>
    </Form>
  );
}

export default function TicketPage() {
  const { estate, nav, visibility, ticket, response, resolution, photos, events, plusOnes, upvoted, actions, staff } =
    useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const when = useDateTimeFormat({ dateStyle: "medium", timeStyle: "short" });
  const can = (a: (typeof actions)[number]) => actions.includes(a);
  const where = [t(`tickets.locations.${ticket.location}`), ticket.building, ticket.place].filter(Boolean).join(" · ");
  const eventText = (e: (typeof events)[number]) => {
    const d = e.detail ?? {};
    if (e.kind === "assigned") return t("tickets.events.assigned", { name: String(d.name ?? "") });
    if (e.kind === "escalated")
      return d.reason === "response"
        ? t("tickets.events.escalated_response")
        : t("tickets.events.escalated_resolution");
    if (e.kind === "confirmed")
      return d.late
        ? t("tickets.events.rated", { rating: Number(d.rating) })
        : `${t("tickets.events.confirmed")} · ${t("tickets.events.rated", { rating: Number(d.rating) })}`;
    return t(`tickets.events.${e.kind}`);
  };
  const roleLabel = (role: string | null) =>
    role && role in { property_staff: 1, committee: 1, community_admin: 1, platform_admin: 1 }
      ? t(`tickets.actorRoles.${role as "committee"}`)
      : null;
  return (
    <div>
      <TicketNav slug={estate.slug} links={nav} />
      <section className="card">
        <h1>
          {t("tickets.page.title", { seq: ticket.seq })} · {t(`tickets.categories.${ticket.category}`)}
        </h1>
        <p className="actions">
          <TicketStatusBadge status={ticket.status} />
          {ticket.escalated ? <span className="badge ticket-escalated">{t("tickets.escalatedBadge")}</span> : null}
          {!ticket.isPublic ? <span className="badge">{t("tickets.privateBadge")}</span> : null}
          {ticket.isPublic ? <span className="muted">{t("tickets.page.upvotes", { count: plusOnes })}</span> : null}
        </p>
        {visibility === "public" ? <p className="muted">{t("tickets.page.publicView")}</p> : null}
        <p className="ticket-description">{ticket.description}</p>
        <dl className="facts">
          <dt>{t("tickets.page.where")}</dt>
          <dd>{where}</dd>
          {ticket.unit ? (
            <>
              <dt>{t("tickets.page.unit")}</dt>
              <dd>{ticket.unit}</dd>
            </>
          ) : null}
          {ticket.filer ? (
            <>
              <dt>{t("tickets.page.filedBy")}</dt>
              <dd>{ticket.filer}</dd>
            </>
          ) : null}
          <dt>{t("tickets.page.filedAt")}</dt>
          <dd>{when.format(new Date(ticket.createdAt))}</dd>
          {visibility === "full" ? (
            <>
              <dt>{t("tickets.page.assignee")}</dt>
              <dd>{ticket.assignee ?? t("tickets.page.unassigned")}</dd>
            </>
          ) : null}
          <dt>{t("tickets.page.response")}</dt>
          <dd>
            {t("tickets.page.due", { when: when.format(new Date(ticket.responseDueAt)) })} ·{" "}
            <ClockText clock={response} />
          </dd>
          <dt>{t("tickets.page.resolution")}</dt>
          <dd>
            {t("tickets.page.due", { when: when.format(new Date(ticket.resolutionDueAt)) })} ·{" "}
            <ClockText clock={resolution} />
          </dd>
          {ticket.rating ? (
            <>
              <dt>{t("tickets.page.rating")}</dt>
              <dd>
                <span className="stars" aria-hidden="true">
                  {"★".repeat(ticket.rating)}
                  {"☆".repeat(5 - ticket.rating)}
                </span>{" "}
                {t("tickets.page.ratingValue", { rating: ticket.rating })}
                {ticket.ratingComment ? <span className="ticket-body"> · {ticket.ratingComment}</span> : null}
              </dd>
            </>
          ) : null}
        </dl>
        {ticket.autoCloseAt && can("confirm") ? (
          <p className="notice-ok">
            {t("tickets.page.autoCloseAt", { when: when.format(new Date(ticket.autoCloseAt)) })}
          </p>
        ) : null}
        {photos.length ? (
          <>
            <h2>{t("tickets.page.photos")}</h2>
            <div className="ticket-photos">
              {photos.map((p, i) => (
                <a
                  key={p.id}
                  href={`/e/${estate.slug}/tickets/${ticket.id}/photos/${p.id}`}
                  target="_blank"
                  rel="noreferrer"
                >
                  <img
                    src={`/e/${estate.slug}/tickets/${ticket.id}/photos/${p.id}`}
                    alt={t("tickets.page.photoAlt", { n: i + 1 })}
                    loading="lazy"
                  />
                </a>
              ))}
            </div>
          </>
        ) : null}
      </section>

      {actions.length ? (
        <section className="card stack" id="actions">
          {can("upvote") ? (
            upvoted ? (
              <p className="notice-ok">{t("tickets.actions.youUpvoted")}</p>
            ) : (
              <Form method="post">
                <input type="hidden" name="intent" value="upvote" />
                <FormError result={failure} form="upvote" />
                <button type="submit" className="secondary">
                  {t("tickets.actions.upvote")}
                </button>
              </Form>
            )
          ) : null}
          {can("acknowledge") ? (
            <Form method="post">
              <input type="hidden" name="intent" value="acknowledge" />
              <FormError result={failure} form="acknowledge" />
              <button type="submit" className="primary">
                {t("tickets.actions.acknowledge")}
              </button>
            </Form>
          ) : null}
          {can("assign") && staff.length ? (
            <Form method="post" className="actions">
              <input type="hidden" name="intent" value="assign" />
              <FormError result={failure} form="assign" />
              <label htmlFor="assignee">{t("tickets.actions.assignee")}</label>
              <select id="assignee" name="assigneeId" required>
                {staff.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
              <button type="submit" className="secondary">
                {t("tickets.actions.assign")}
              </button>
            </Form>
          ) : null}
          {can("resolve") ? (
            <BodyForm
              intent="resolve"
              label={t("tickets.actions.resolveNote")}
              submit={t("tickets.actions.resolve")}
              primary
            />
          ) : null}
          {can("confirm") ? <RatingForm intent="confirm" submit={t("tickets.actions.confirm")} /> : null}
          {can("reopen") ? (
            <BodyForm intent="reopen" label={t("tickets.actions.reopenReason")} submit={t("tickets.actions.reopen")} />
          ) : null}
          {can("rate") ? <RatingForm intent="rate" submit={t("tickets.actions.rate")} /> : null}
          {can("press") ? (
            <BodyForm
              intent="press"
              label={t("tickets.actions.pressNote")}
              submit={t("tickets.actions.press")}
              primary
            />
          ) : null}
          {can("committeeComment") ? (
            <BodyForm
              intent="committeeComment"
              label={t("tickets.actions.commentBody")}
              submit={t("tickets.actions.committeeComment")}
            />
          ) : null}
          {can("staffComment") ? (
            <BodyForm
              intent="staffComment"
              label={t("tickets.actions.commentBody")}
              submit={t("tickets.actions.comment")}
            />
          ) : null}
          {can("filerComment") ? (
            <BodyForm
              intent="filerComment"
              label={t("tickets.actions.commentBody")}
              submit={t("tickets.actions.comment")}
            />
          ) : null}
        </section>
      ) : null}

      <section className="card">
        <h2>{t("tickets.page.timeline")}</h2>
        <ol className="timeline">
          {events.map((e) => (
            <li key={e.id}>
              <div>
                <strong>{eventText(e)}</strong>
                <span className="muted">
                  {" "}
                  · {when.format(new Date(e.at))}
                  {e.actorRole === null ? ` · ${t("tickets.events.system")}` : ""}
                  {e.actor ? ` · ${e.actor}` : ""}
                  {roleLabel(e.actorRole) ? `（${roleLabel(e.actorRole)}）` : ""}
                </span>
              </div>
              {e.body ? <p className="ticket-body">{e.body}</p> : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
