import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getDb } from "#db/client";
import { forbidden, requireEstatePermission } from "~/auth/guards.server";
import { estateBuildings, planApportionment } from "~/committee/composition.server";
import { callByElection, callElection, listElections } from "~/committee/elections.server";
import { parseBeijingDateTime, toBeijingDateTime, useDateTimeFormat } from "~/lib/time";
import { FormError } from "~/lib/forms/form-error";
import { parseForm, refuse } from "~/lib/forms/action.server";
import type { Params } from "~/lib/forms/result";
import { defaultZoneText, parseZoneLines } from "~/committee/zones";
import { electionDefaults } from "~/committee/rules";
import { restDayTable } from "~/lib/rest-days.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { redirectWithToast } from "~/ui/toast.server";
import { freeText } from "~/lib/text";
import { can } from "~/lib/permissions";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate, roles } = await requireEstatePermission(request, context, params.estate, "estate:view");
  const t = await getT(await getLocale(request));
  const isAdmin = can(roles, "elections:run");
  const dates = isAdmin ? electionDefaults(new Date(), await restDayTable()) : null;
  return {
    title: `${t("committee.elections.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    isAdmin,
    elections: await listElections(estate.id),
    defaults: dates
      ? {
          zones: defaultZoneText(await estateBuildings(getDb(), estate.id)),
          nominationEndsAt: toBeijingDateTime(dates.nominationEndsAt),
          votingStartsAt: toBeijingDateTime(dates.votingStartsAt),
          votingEndsAt: toBeijingDateTime(dates.votingEndsAt),
        }
      : null,
  };
}

const required = (max: number) =>
  z
    .string({ required_error: "common.errors.required" })
    .trim()
    .min(1, "common.errors.required")
    .max(max, "common.errors.tooLong");
const when = z
  .string({ required_error: "common.errors.required" })
  .refine((v) => parseBeijingDateTime(v) !== null, "common.errors.invalid");
const int = z.coerce.number({ invalid_type_error: "common.errors.invalid" }).int("common.errors.invalid");
const Windows = {
  nominationEndsAt: when,
  votingStartsAt: when,
  votingEndsAt: when,
  nominationThreshold: int,
  title: required(60),
};

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("general"),
    ...Windows,
    size: int,
    xSeats: int,
    termMonths: int,
    zones: required(5000),
    tieNote: freeText(500).optional(),
  }),
  z.object({ intent: z.literal("byElection"), ...Windows }),
]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, roles, user } = await requireEstatePermission(request, context, params.estate, "estate:view");
  if (!can(roles, "elections:run")) forbidden();
  const read = await parseForm(request, ActionSchema);
  if (!read.ok) return read.response;
  const { value: v, intent, submission } = read;
  const invalid = (error: string, params?: Params) =>
    refuse(intent, { error, params, reason: "invalid" }, { submission });
  const windows = {
    nominationEndsAt: parseBeijingDateTime(v.nominationEndsAt)!,
    votingStartsAt: parseBeijingDateTime(v.votingStartsAt)!,
    votingEndsAt: parseBeijingDateTime(v.votingEndsAt)!,
  };
  let r;
  if (v.intent === "general") {
    const buildings = await estateBuildings(getDb(), estate.id);
    const parsed = parseZoneLines(v.zones, buildings);
    if (!parsed.ok) return invalid(`committee.errors.${parsed.error}`, { line: parsed.line, text: parsed.text });
    let seats = parsed.zones.map((z) => z.seats);
    if (seats.every((s) => s === null)) {
      const plan = await planApportionment(getDb(), estate.id, parsed.zones, v.size - v.xSeats);
      if (!plan.ok) return refuse(intent, plan, { submission, reason: "invalid" });
      const tie = plan.apportionment.ties[0];
      if (tie)
        return invalid("committee.errors.tieUnresolved", {
          zones: tie.zoneIds.map((i) => parsed.zones[Number(i)].name).join("、"),
          seats: tie.seats,
        });
      seats = parsed.zones.map((_, i) => plan.apportionment.seats[String(i)]);
    } else if (seats.some((s) => s === null)) return invalid("committee.errors.seatsPartial");
    r = await callElection({
      estateId: estate.id,
      userId: user.id,
      title: v.title,
      size: v.size,
      xSeats: v.xSeats,
      termMonths: v.termMonths,
      nominationThreshold: v.nominationThreshold,
      zones: parsed.zones.map((z, i) => ({ name: z.name, buildingIds: z.buildingIds, seats: seats[i]! })),
      tieNote: v.tieNote ?? null,
      ...windows,
    });
  } else {
    r = await callByElection({
      estateId: estate.id,
      userId: user.id,
      title: v.title,
      nominationThreshold: v.nominationThreshold,
      ...windows,
    });
  }
  if (!r.ok) return refuse(intent, r, { submission });
  return redirectWithToast(`/e/${estate.slug}/committee/elections/${r.id}`, { key: "committee.elections.called" });
}

function WindowFields({
  d,
  prefix,
}: {
  d: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["defaults"]>;
  prefix: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="grid">
      {(["nominationEndsAt", "votingStartsAt", "votingEndsAt"] as const).map((k) => (
        <div className="field" key={k}>
          <label htmlFor={`${prefix}-${k}`}>{t(`committee.elections.${k}`)}</label>
          <input id={`${prefix}-${k}`} name={k} type="datetime-local" defaultValue={d[k]} required />
        </div>
      ))}
      <div className="field">
        <label htmlFor={`${prefix}-threshold`}>{t("committee.elections.threshold")}</label>
        <input id={`${prefix}-threshold`} name="nominationThreshold" type="number" min={1} defaultValue={5} required />
        <p className="hint">{t("committee.elections.thresholdHint")}</p>
      </div>
    </div>
  );
}

export default function Elections() {
  const d = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation();
  const date = useDateTimeFormat();
  const base = `/e/${d.estate.slug}/committee`;
  return (
    <div>
      <p>
        <Link to={base}>← {t("committee.nav.committee")}</Link>
      </p>
      <h1>{t("committee.elections.title")}</h1>
      <p className="hint">{t("committee.elections.intro")}</p>
      {d.elections.length === 0 ? <p className="muted">{t("common.empty")}</p> : null}
      <ul className="list-plain">
        {d.elections.map((e) => (
          <li key={e.id}>
            <Link to={`${base}/elections/${e.id}`}>
              <strong>{e.title}</strong>
            </Link>{" "}
            <span className="badge">{t(`committee.elections.kinds.${e.kind}`)}</span>{" "}
            <span className="badge">{t(`committee.elections.status.${e.status}`)}</span>
            <div className="muted">
              {t("committee.elections.window", {
                from: date.format(new Date(e.votingStartsAt)),
                to: date.format(new Date(e.votingEndsAt)),
              })}
            </div>
          </li>
        ))}
      </ul>
      {d.defaults ? (
        <>
          <section className="card">
            <h2>{t("committee.elections.callGeneral")}</h2>
            <Form method="post">
              <FormError result={failure} form="general" />
              <input type="hidden" name="intent" value="general" />
              <div className="field">
                <label htmlFor="g-title">{t("committee.setup.committeeTitle")}</label>
                <input
                  id="g-title"
                  name="title"
                  required
                  maxLength={60}
                  placeholder={t("committee.setup.titlePlaceholder")}
                />
              </div>
              <div className="grid">
                <div className="field">
                  <label htmlFor="g-size">{t("committee.setup.size")}</label>
                  <select id="g-size" name="size" defaultValue="9">
                    {[5, 7, 9, 11].map((n) => (
                      <option key={n} value={n}>
                        {n}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="g-x">{t("committee.setup.xSeats")}</label>
                  <input id="g-x" name="xSeats" type="number" min={0} max={10} defaultValue={2} required />
                </div>
                <div className="field">
                  <label htmlFor="g-term">{t("committee.elections.termMonths")}</label>
                  <input id="g-term" name="termMonths" type="number" min={1} max={60} defaultValue={60} required />
                </div>
              </div>
              <div className="field">
                <label htmlFor="g-zones">{t("committee.setup.zones")}</label>
                <textarea id="g-zones" name="zones" rows={6} defaultValue={d.defaults.zones} required />
                <p className="hint">{t("committee.setup.zonesHint")}</p>
              </div>
              <div className="field">
                <label htmlFor="g-tie">{t("committee.setup.tieNote")}</label>
                <input id="g-tie" name="tieNote" maxLength={500} />
              </div>
              <WindowFields d={d.defaults} prefix="g" />
              <button type="submit" className="primary">
                {t("committee.elections.call")}
              </button>
            </Form>
          </section>
          <section className="card">
            <h2>{t("committee.elections.callBy")}</h2>
            <p className="hint">{t("committee.elections.byHint")}</p>
            <Form method="post">
              <FormError result={failure} form="byElection" />
              <input type="hidden" name="intent" value="byElection" />
              <div className="field">
                <label htmlFor="b-title">{t("committee.elections.byTitle")}</label>
                <input id="b-title" name="title" required maxLength={60} />
              </div>
              <WindowFields d={d.defaults} prefix="b" />
              <button type="submit" className="secondary">
                {t("committee.elections.call")}
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
