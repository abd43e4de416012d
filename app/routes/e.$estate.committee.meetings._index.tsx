import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireEstatePermission } from "~/auth/guards.server";
import { searchMeetings } from "~/committee/pages.server";
import { PrintButton } from "~/committee/ui";
import { getLocale, getT } from "~/i18n/i18n.server";
import { can } from "~/lib/permissions";
import { addDays, parseBeijingDate, useDateTimeFormat } from "~/lib/time";

// Observers (deputies who are not owners) read the record as it is written, as they attend; they write nothing.

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const url = new URL(request.url);
  const q = {
    from: url.searchParams.get("from") ?? "",
    to: url.searchParams.get("to") ?? "",
    topic: (url.searchParams.get("topic") ?? "").slice(0, 100),
    keyword: (url.searchParams.get("q") ?? "").slice(0, 100),
  };
  const to = parseBeijingDate(q.to);
  const insider = can(roles, "committee:records");
  const meetings = await searchMeetings(
    estate.id,
    { from: parseBeijingDate(q.from), to: to ? addDays(to, 1) : null, topic: q.topic, keyword: q.keyword },
    { insider },
  );
  const t = await getT(await getLocale(request));
  return {
    title: `${t("committee.archive.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    q,
    meetings,
    canSchedule: can(roles, "meetings:manage"),
    searched: Boolean(q.from || q.to || q.topic || q.keyword),
  };
}

export default function Archive() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const base = `/e/${d.estate.slug}/committee`;
  return (
    <div>
      <p className="no-print">
        <Link to={base}>← {t("committee.nav.committee")}</Link>
      </p>
      <h1>{t("committee.archive.title")}</h1>
      <p className="hint">{t("committee.archive.intro")}</p>
      <Form method="get" className="card no-print archive-search" role="search">
        <div className="grid">
          <div className="field">
            <label htmlFor="f-from">{t("committee.archive.from")}</label>
            <input id="f-from" name="from" type="date" defaultValue={d.q.from} />
          </div>
          <div className="field">
            <label htmlFor="f-to">{t("committee.archive.to")}</label>
            <input id="f-to" name="to" type="date" defaultValue={d.q.to} />
          </div>
          <div className="field">
            <label htmlFor="f-topic">{t("committee.archive.topic")}</label>
            <input id="f-topic" name="topic" defaultValue={d.q.topic} maxLength={100} />
          </div>
          <div className="field">
            <label htmlFor="f-q">{t("committee.archive.keyword")}</label>
            <input id="f-q" name="q" type="search" defaultValue={d.q.keyword} maxLength={100} />
          </div>
        </div>
        <div className="actions">
          <button type="submit" className="primary">
            {t("common.actions.search")}
          </button>
          {d.searched ? <Link to={`${base}/meetings`}>{t("committee.archive.clear")}</Link> : null}
          <PrintButton />
          {d.canSchedule ? <Link to={`${base}/meetings/new`}>{t("committee.nav.schedule")}</Link> : null}
        </div>
      </Form>
      <p className="muted">{t("committee.archive.count", { count: d.meetings.length })}</p>
      <ul className="list-plain archive-list">
        {d.meetings.map((m) => (
          <li key={m.id} data-testid="archive-item">
            <p style={{ margin: 0 }}>
              <Link to={`${base}/meetings/${m.id}`}>
                <strong>{m.title}</strong>
              </Link>{" "}
              <span className="muted">{when.format(new Date(m.scheduledAt))}</span>
            </p>
            <p style={{ margin: 0 }}>
              <span className="badge">{t(`committee.meetingStatus.${m.status}`)}</span>{" "}
              {m.minutesPublishedAt ? (
                <span className="badge status-approved">{t("committee.archive.minutesPublished")}</span>
              ) : null}{" "}
              {m.shortNotice ? <span className="badge flag">{t("committee.meeting.shortNotice")}</span> : null}{" "}
              {m.decisionsLate ? <span className="badge flag">{t("committee.meeting.decisionsLate")}</span> : null}
              <span className="muted"> {m.committeeTitle}</span>
            </p>
            {m.items.length ? (
              <ul className="archive-items">
                {m.items.map((i, n) => (
                  <li key={n}>
                    {i.title}
                    {i.passed === true
                      ? ` · ${t("committee.meeting.passed")}`
                      : i.passed === false
                        ? ` · ${t("committee.meeting.notPassed")}`
                        : ""}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
