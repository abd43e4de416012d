import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { restDayKinds } from "#db/values";
import { requirePlatformPermission } from "~/auth/guards.server";
import {
  enteredYears,
  markYearEntered,
  removeRestDay,
  restDayChanges,
  restDaysOfYear,
  setRestDay,
} from "~/calendar/rest-days-admin.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { weekday, yearsWanted } from "~/lib/calendar";
import { parseForm, refuse } from "~/lib/forms/action.server";
import { FormError } from "~/lib/forms/form-error";
import { freeText } from "~/lib/text";
import { beijingDate, parseBeijingDate, useDateTimeFormat } from "~/lib/time";
import { TableWrap } from "~/ui/table-wrap";
import { redirectWithToast } from "~/ui/toast.server";

const minYear = 2000;
const maxYear = 2200;

function yearOf(url: URL, today: string): number {
  const asked = Number(url.searchParams.get("year"));
  return Number.isInteger(asked) && asked >= minYear && asked <= maxYear ? asked : Number(today.slice(0, 4));
}

/** The platform's holiday table, a year at a time; asks for the years the clocks need and lack. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePlatformPermission(request, context, "platform:calendar");
  const t = await getT(await getLocale(request));
  const today = beijingDate(new Date());
  const year = yearOf(new URL(request.url), today);
  const [days, entered, changes] = await Promise.all([restDaysOfYear(year), enteredYears(), restDayChanges()]);
  const missing = yearsWanted(today).filter((y) => !entered.includes(y));
  const years = [...new Set([...entered, ...yearsWanted(today), year])].sort((a, b) => a - b);
  return {
    title: t("calendar.admin.title"),
    year,
    years,
    missing,
    rows: days.rows.map((r) => ({ ...r, weekday: weekday(r.date) })),
    entered: days.entered,
    enteredAt: days.enteredAt,
    changes,
  };
}

const date = z
  .string({ required_error: "common.errors.required" })
  .refine((v) => parseBeijingDate(v) !== null, "calendar.errors.badDate");

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("set"),
    date,
    to: z.union([z.literal(""), date]).optional(),
    kind: z.enum(restDayKinds, { errorMap: () => ({ message: "common.errors.invalid" }) }),
    name: freeText(40).optional(),
  }),
  z.object({ intent: z.literal("remove"), date }),
  z.object({
    intent: z.literal("markEntered"),
    year: z.coerce.number().int("calendar.errors.badYear").min(minYear, "calendar.errors.badYear").max(maxYear),
  }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePlatformPermission(request, context, "platform:calendar");
  const read = await parseForm(request, ActionSchema);
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  if (v.intent === "markEntered") {
    await markYearEntered({ year: v.year, userId: user.id });
    return redirectWithToast(`/admin/calendar?year=${v.year}`, {
      key: "calendar.admin.markedEntered",
      params: { year: v.year },
    });
  }
  const back = `/admin/calendar?year=${v.date.slice(0, 4)}`;
  if (v.intent === "remove") {
    const removed = await removeRestDay({ date: v.date, userId: user.id });
    if (!removed) return refuse("remove", "common.errors.notFound", { reason: "not_found" });
    return redirectWithToast(back, { key: "calendar.admin.removed", params: { date: v.date } });
  }
  const r = await setRestDay({ date: v.date, to: v.to || null, kind: v.kind, name: v.name || null, userId: user.id });
  if (!r.ok) return refuse("set", `calendar.errors.${r.error}`, { submission, params: r.params, reason: "invalid" });
  return redirectWithToast(back, { key: "calendar.admin.saved", params: { count: r.count } });
}

export default function CalendarAdmin() {
  const { year, years, missing, rows, entered, enteredAt, changes } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const time = useDateTimeFormat({ dateStyle: "medium", timeStyle: "short" });
  return (
    <div className="stack">
      <h1>{t("calendar.admin.title")}</h1>
      <p className="muted">{t("calendar.admin.intro")}</p>
      {missing.map((y) => (
        <div key={y} role="alert" className="alert">
          <p>{t("calendar.admin.missing", { year: y })}</p>
          {y !== year ? (
            <Link className="button secondary" to={`?year=${y}`}>
              {t("calendar.admin.missingLink", { year: y })}
            </Link>
          ) : null}
        </div>
      ))}
      <nav aria-label={t("calendar.admin.year")} className="actions">
        {years.map((y) => (
          <Link
            key={y}
            to={`?year=${y}`}
            className={y === year ? "button" : "button secondary"}
            aria-current={y === year ? "page" : undefined}
          >
            {y}
          </Link>
        ))}
      </nav>

      <section className="card" aria-labelledby="year-title">
        <h2 id="year-title">{year}</h2>
        {entered && enteredAt ? (
          <p className="muted">{t("calendar.admin.entered", { year, at: time.format(new Date(enteredAt)) })}</p>
        ) : (
          <Form method="post" className="actions">
            <span>{t("calendar.admin.notEntered", { year })}</span>
            <input type="hidden" name="intent" value="markEntered" />
            <input type="hidden" name="year" value={year} />
            <button type="submit" className="primary">
              {t("calendar.admin.markEntered", { year })}
            </button>
          </Form>
        )}
        <FormError result={failure} form={["remove", "markEntered"]} />
        {rows.length === 0 ? (
          <p className="muted">{t("calendar.admin.none")}</p>
        ) : (
          <TableWrap label={String(year)}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("calendar.admin.date")}</th>
                  <th scope="col">{t("calendar.admin.weekday")}</th>
                  <th scope="col">{t("calendar.admin.kind")}</th>
                  <th scope="col">{t("calendar.admin.name")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("calendar.admin.remove")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.date}>
                    <th scope="row">{r.date}</th>
                    <td>{t(`calendar.admin.weekdays.${String(r.weekday) as "0"}`)}</td>
                    <td>{t(`calendar.admin.kinds.${r.kind}`)}</td>
                    <td>{r.name ?? ""}</td>
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="date" value={r.date} />
                        <button
                          type="submit"
                          className="secondary"
                          aria-label={t("calendar.admin.removeLabel", { date: r.date })}
                        >
                          {t("calendar.admin.remove")}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>

      <section className="card" aria-labelledby="add-title">
        <h2 id="add-title">{t("calendar.admin.addTitle")}</h2>
        <p className="hint">{t("calendar.admin.addHint")}</p>
        <Form method="post">
          <input type="hidden" name="intent" value="set" />
          <FormError result={failure} form="set" />
          <div className="field">
            <label htmlFor="rest-from">{t("calendar.admin.from")}</label>
            <input id="rest-from" name="date" type="date" required min={`${year}-01-01`} max={`${year}-12-31`} />
          </div>
          <div className="field">
            <label htmlFor="rest-to">{t("calendar.admin.to")}</label>
            <input id="rest-to" name="to" type="date" min={`${year}-01-01`} max={`${year + 1}-01-31`} />
          </div>
          <fieldset className="field">
            <legend>{t("calendar.admin.kind")}</legend>
            {(["holiday", "workday"] as const).map((k, i) => (
              <label key={k} className="choice">
                <input type="radio" name="kind" value={k} defaultChecked={i === 0} /> {t(`calendar.admin.kinds.${k}`)}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor="rest-name">{t("calendar.admin.name")}</label>
            <input id="rest-name" name="name" maxLength={40} aria-describedby="rest-name-hint" autoComplete="off" />
            <p className="hint" id="rest-name-hint">
              {t("calendar.admin.nameHint")}
            </p>
          </div>
          <button type="submit" className="primary">
            {t("calendar.admin.save")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="changes-title">
        <h2 id="changes-title">{t("calendar.admin.changes")}</h2>
        {changes.length === 0 ? <p className="muted">{t("calendar.admin.noChanges")}</p> : null}
        <ul className="list-plain">
          {changes.map((c, i) => (
            <li key={i}>
              {time.format(new Date(c.at))} · {c.actor ?? ""} ·{" "}
              {t(`calendar.admin.change.${String(c.detail.change) as "add"}`)}{" "}
              {c.detail.change === "year"
                ? String(c.detail.year)
                : `${String(c.detail.date)}${c.detail.to && c.detail.to !== c.detail.date ? `–${String(c.detail.to)}` : ""}`}
              {c.detail.kind ? ` · ${t(`calendar.admin.kinds.${c.detail.kind as "holiday"}`)}` : ""}
              {c.detail.name ? ` · ${String(c.detail.name)}` : ""}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.title} · 议事堂` : "议事堂" }];
