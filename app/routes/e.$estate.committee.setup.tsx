import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { committeeOffices, committeeSeats, publicRoles } from "#db/values";
import { getDb } from "#db/client";
import { requireEstatePermission } from "~/auth/guards.server";
import {
  archiveCommittee,
  estateBuildings,
  planApportionment,
  recordObserverRole,
  registerCommittee,
  seatMember,
  setOffice,
  setupPage,
  vacateSeat,
} from "~/committee/composition.server";
import { SeatBadge } from "~/committee/ui";
import { beijingDate, parseBeijingDate } from "~/lib/time";
import { FormError } from "~/lib/forms/form-error";
import { parseForm, refuse } from "~/lib/forms/action.server";
import type { Params, Result } from "~/lib/forms/result";
import { maskName } from "~/ui/mask";
import { defaultZoneText, parseZoneLines } from "~/committee/zones";
import { getLocale, getT } from "~/i18n/i18n.server";
import { redirectWithToast } from "~/ui/toast.server";
import { freeText } from "~/lib/text";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "committee:admin");
  const s = await setupPage(estate.id);
  const t = await getT(await getLocale(request));
  const now = new Date();
  const fiveYears = new Date(now);
  fiveYears.setUTCFullYear(fiveYears.getUTCFullYear() + 5);
  fiveYears.setUTCDate(fiveYears.getUTCDate() - 1);
  return {
    title: `${t("committee.setup.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    committee: s.committee
      ? {
          id: s.committee.id,
          title: s.committee.title,
          size: s.committee.size,
          nSeats: s.committee.nSeats,
          xSeats: s.committee.xSeats,
        }
      : null,
    zones: s.zones.map((z) => ({ id: z.id, name: z.name, seats: z.seats, households: z.households })),
    members: s.members.map((m) => ({
      id: m.id,
      name: maskName(m.name),
      building: m.building,
      seat: m.seat,
      zone: s.zones.find((z) => z.id === m.zoneId)?.name ?? null,
      publicRole: null,
      roleTitle: null,
      office: m.office,
    })),
    verified: s.verified.map((v) => ({ email: v.email, name: maskName(v.displayName), role: v.role, title: v.title })),
    buildings: s.buildings.map((b) => ({ name: b.name, households: b.households })),
    defaults: {
      zones: defaultZoneText(s.buildings),
      termStartsAt: beijingDate(now),
      termEndsAt: beijingDate(fiveYears),
    },
  };
}

const text = (max: number) =>
  z
    .string({ required_error: "common.errors.required" })
    .trim()
    .min(1, "common.errors.required")
    .max(max, "common.errors.tooLong");

const PlanFields = {
  title: text(60),
  size: z.coerce.number({ invalid_type_error: "common.errors.invalid" }).int("common.errors.invalid"),
  xSeats: z.coerce.number({ invalid_type_error: "common.errors.invalid" }).int("common.errors.invalid"),
  termStartsAt: text(10),
  termEndsAt: text(10),
  zones: text(5000),
  tieNote: freeText(500).optional(),
};

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("preview"), ...PlanFields, title: z.string().optional() }),
  z.object({ intent: z.literal("register"), ...PlanFields }),
  z.object({
    intent: z.literal("seat"),
    committeeId: z.string().default(""),
    email: z.string({ required_error: "common.errors.required" }).trim().email("common.errors.invalidEmail"),
    seat: z.enum(committeeSeats, { errorMap: () => ({ message: "common.errors.invalid" }) }),
    zoneId: z.string().optional(),
    office: z.enum(committeeOffices, { errorMap: () => ({ message: "common.errors.invalid" }) }),
  }),
  z.object({ intent: z.literal("vacate"), memberId: text(40), reason: text(500) }),
  z.object({
    intent: z.literal("office"),
    memberId: text(40),
    office: z.enum(committeeOffices, { errorMap: () => ({ message: "common.errors.invalid" }) }),
  }),
  z.object({
    intent: z.literal("archive"),
    committeeId: text(40),
    confirm: z.literal("yes", { errorMap: () => ({ message: "committee.errors.confirmArchive" }) }),
  }),
  z.object({
    intent: z.literal("observerRole"),
    email: z.string({ required_error: "common.errors.required" }).trim().email("common.errors.invalidEmail"),
    role: z.enum(publicRoles, { errorMap: () => ({ message: "common.errors.invalid" }) }),
    title: text(80),
    proofNote: text(500),
  }),
]);

type Preview = {
  intent: "preview";
  rows: { name: string; households: number; seats: number; tied: boolean }[];
  ties: { zones: string; seats: number }[];
  nSeats: number;
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { estate, user } = await requireEstatePermission(request, context, params.estate, "committee:admin");
  // The preview is the register form's other button: its refusals show beside that form.
  const read = await parseForm(request, ActionSchema, { alias: { preview: "register" } });
  if (!read.ok) return read.response;
  const { value: v, submission } = read;
  const form = v.intent === "preview" ? "register" : v.intent;
  const invalid = (error: string, params?: Params) =>
    refuse(form, { error, params, reason: "invalid" }, { submission });
  const here = `/e/${estate.slug}/committee/setup`;
  const done = (key: string) => redirectWithToast(here, { key: key as "committee.setup.saved" });
  const outcome = (r: Result, key: string) =>
    r.ok ? done(key) : refuse(form, r, { submission, reasons: { "committee.errors.notFound": "not_found" } });

  switch (v.intent) {
    case "preview":
    case "register": {
      const buildings = await estateBuildings(getDb(), estate.id);
      const parsed = parseZoneLines(v.zones, buildings);
      if (!parsed.ok) return invalid(`committee.errors.${parsed.error}`, { line: parsed.line, text: parsed.text });
      const start = parseBeijingDate(v.termStartsAt);
      const end = parseBeijingDate(v.termEndsAt);
      if (!start || !end) return invalid("committee.errors.term");
      const nSeats = v.size - v.xSeats;
      if (v.intent === "preview") {
        if (nSeats < 0) return invalid("committee.errors.xSeats");
        const plan = await planApportionment(getDb(), estate.id, parsed.zones, nSeats);
        if (!plan.ok) return refuse(form, plan, { submission, reason: "invalid" });
        const tied = new Set(plan.apportionment.ties.flatMap((t) => t.zoneIds));
        return data<Preview>({
          intent: "preview",
          nSeats,
          rows: parsed.zones.map((z, i) => ({
            name: z.name,
            households: plan.households[i],
            seats: plan.apportionment.seats[String(i)],
            tied: tied.has(String(i)),
          })),
          ties: plan.apportionment.ties.map((t) => ({
            zones: t.zoneIds.map((i) => parsed.zones[Number(i)].name).join("、"),
            seats: t.seats,
          })),
        });
      }
      // Seats as typed ("= n" on every line), or the apportionment's own when none are typed.
      const typed = parsed.zones.filter((z) => z.seats !== null).length;
      if (typed !== 0 && typed !== parsed.zones.length) return invalid("committee.errors.seatsPartial");
      let seats = parsed.zones.map((z) => z.seats ?? 0);
      if (typed === 0) {
        if (nSeats < 0) return invalid("committee.errors.xSeats");
        const plan = await planApportionment(getDb(), estate.id, parsed.zones, nSeats);
        if (!plan.ok) return refuse(form, plan, { submission, reason: "invalid" });
        if (plan.apportionment.ties.length) {
          const tie = plan.apportionment.ties[0];
          return invalid("committee.errors.tieUnresolved", {
            zones: tie.zoneIds.map((i) => parsed.zones[Number(i)].name).join("、"),
            seats: tie.seats,
          });
        }
        seats = parsed.zones.map((_, i) => plan.apportionment.seats[String(i)]);
      }
      const r = await registerCommittee({
        estateId: estate.id,
        userId: user.id,
        title: v.title,
        size: v.size,
        xSeats: v.xSeats,
        termStartsAt: start,
        termEndsAt: end,
        zones: parsed.zones.map((z, i) => ({ name: z.name, buildingIds: z.buildingIds, seats: seats[i] })),
        tieNote: v.tieNote ?? null,
      });
      return outcome(r, "committee.setup.registered");
    }
    case "seat":
      return outcome(
        await seatMember({
          estateId: estate.id,
          adminId: user.id,
          committeeId: v.committeeId,
          email: v.email,
          seat: v.seat,
          zoneId: v.zoneId ?? null,
          office: v.office,
        }),
        "committee.setup.seated",
      );
    case "vacate":
      return outcome(
        await vacateSeat({ estateId: estate.id, adminId: user.id, memberId: v.memberId, reason: v.reason }),
        "committee.setup.vacated",
      );
    case "office":
      return outcome(
        await setOffice({ estateId: estate.id, adminId: user.id, memberId: v.memberId, office: v.office }),
        "committee.setup.saved",
      );
    case "archive":
      return outcome(
        await archiveCommittee({ estateId: estate.id, adminId: user.id, committeeId: v.committeeId }),
        "committee.setup.archived",
      );
    case "observerRole":
      return outcome(
        await recordObserverRole({
          estateId: estate.id,
          adminId: user.id,
          email: v.email,
          role: v.role,
          title: v.title,
          proofNote: v.proofNote,
        }),
        "committee.setup.observerRecorded",
      );
  }
}

function RegisterForm() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const preview = result && "rows" in result ? result : null;
  return (
    <section className="card">
      <h2>{d.committee ? t("committee.setup.replaceTitle") : t("committee.setup.registerTitle")}</h2>
      <p className="hint">{t("committee.setup.registerHint")}</p>
      <Form method="post">
        <FormError result={result} form="register" />
        <div className="field">
          <label htmlFor="c-title">{t("committee.setup.committeeTitle")}</label>
          <input
            id="c-title"
            name="title"
            required
            maxLength={60}
            placeholder={t("committee.setup.titlePlaceholder")}
          />
        </div>
        <div className="grid">
          <div className="field">
            <label htmlFor="c-size">{t("committee.setup.size")}</label>
            <select id="c-size" name="size" defaultValue="9">
              {[5, 7, 9, 11].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="c-x">{t("committee.setup.xSeats")}</label>
            <input id="c-x" name="xSeats" type="number" min={0} max={10} defaultValue={2} required />
          </div>
          <div className="field">
            <label htmlFor="c-start">{t("committee.setup.termStartsAt")}</label>
            <input id="c-start" name="termStartsAt" type="date" defaultValue={d.defaults.termStartsAt} required />
          </div>
          <div className="field">
            <label htmlFor="c-end">{t("committee.setup.termEndsAt")}</label>
            <input id="c-end" name="termEndsAt" type="date" defaultValue={d.defaults.termEndsAt} required />
            <p className="hint">{t("committee.setup.termHint")}</p>
          </div>
        </div>
        <div className="field">
          <label htmlFor="c-zones">{t("committee.setup.zones")}</label>
          <textarea id="c-zones" name="zones" rows={6} defaultValue={d.defaults.zones} required />
          <p className="hint">{t("committee.setup.zonesHint")}</p>
        </div>
        <div className="field">
          <label htmlFor="c-tie">{t("committee.setup.tieNote")}</label>
          <input id="c-tie" name="tieNote" maxLength={500} />
          <p className="hint">{t("committee.setup.tieNoteHint")}</p>
        </div>
        {preview ? (
          <div className="notice-ok" data-testid="apportionment">
            <p style={{ margin: 0 }}>{t("committee.setup.previewTitle", { n: preview.nSeats })}</p>
            <ul>
              {preview.rows.map((r) => (
                <li key={r.name}>
                  {t("committee.setup.previewRow", { zone: r.name, households: r.households, seats: r.seats })}
                  {r.tied ? ` ${t("committee.setup.previewTied")}` : ""}
                </li>
              ))}
            </ul>
            {preview.ties.map((tie) => (
              <p key={tie.zones} role="alert" style={{ margin: 0 }}>
                {t("committee.errors.tieUnresolved", { zones: tie.zones, seats: tie.seats })}
              </p>
            ))}
          </div>
        ) : null}
        <div className="actions">
          <button type="submit" name="intent" value="preview" className="secondary" formNoValidate>
            {t("committee.setup.preview")}
          </button>
          <button type="submit" name="intent" value="register" className="primary">
            {t("committee.setup.register")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export default function CommitteeSetup() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const c = d.committee;
  return (
    <div>
      <p>
        <Link to={`/e/${d.estate.slug}/committee`}>← {t("committee.nav.committee")}</Link>
      </p>
      <h1>{t("committee.setup.title")}</h1>
      {c ? (
        <>
          <section className="card">
            <h2>{c.title}</h2>
            <p>{t("committee.page.sizeValue", { size: c.size, n: c.nSeats, x: c.xSeats })}</p>
            <ul className="list-plain">
              {d.members.map((m) => (
                <li key={m.id}>
                  {m.name} · {m.building} <span className="badge">{t(`committee.offices.${m.office}`)}</span>{" "}
                  <SeatBadge member={m} />
                </li>
              ))}
            </ul>
          </section>

          <section className="card">
            <h2>{t("committee.setup.seatTitle")}</h2>
            <p className="hint">{t("committee.setup.seatHint")}</p>
            <Form method="post">
              <FormError result={result} form="seat" />
              <input type="hidden" name="intent" value="seat" />
              <input type="hidden" name="committeeId" value={c.id} />
              <div className="field">
                <label htmlFor="s-email">{t("committee.setup.email")}</label>
                <input id="s-email" name="email" type="email" required />
              </div>
              <div className="grid">
                <div className="field">
                  <label htmlFor="s-seat">{t("committee.setup.seat")}</label>
                  <select id="s-seat" name="seat" defaultValue="N">
                    {committeeSeats.map((s) => (
                      <option key={s} value={s}>
                        {t(`committee.seats.${s}`)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="s-zone">{t("committee.setup.zone")}</label>
                  <select id="s-zone" name="zoneId" defaultValue="">
                    <option value="">—</option>
                    {d.zones.map((z) => (
                      <option key={z.id} value={z.id}>
                        {t("committee.setup.zoneOption", { zone: z.name, seats: z.seats })}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="s-office">{t("committee.setup.office")}</label>
                  <select id="s-office" name="office" defaultValue="member">
                    {committeeOffices.map((o) => (
                      <option key={o} value={o}>
                        {t(`committee.offices.${o}`)}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <button type="submit" className="primary">
                {t("committee.setup.seatSubmit")}
              </button>
            </Form>
          </section>

          {d.members.length ? (
            <section className="card">
              <h2>{t("committee.setup.changeTitle")}</h2>
              <Form method="post">
                <FormError result={result} form="office" />
                <input type="hidden" name="intent" value="office" />
                <div className="grid">
                  <div className="field">
                    <label htmlFor="o-member">{t("committee.setup.member")}</label>
                    <select id="o-member" name="memberId">
                      {d.members.map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.name} · {m.building}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor="o-office">{t("committee.setup.office")}</label>
                    <select id="o-office" name="office">
                      {committeeOffices.map((o) => (
                        <option key={o} value={o}>
                          {t(`committee.offices.${o}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                </div>
                <button type="submit" className="secondary">
                  {t("committee.setup.officeSubmit")}
                </button>
              </Form>
              <Form method="post" style={{ marginTop: "1rem" }}>
                <FormError result={result} form="vacate" />
                <input type="hidden" name="intent" value="vacate" />
                <div className="field">
                  <label htmlFor="v-member">{t("committee.setup.member")}</label>
                  <select id="v-member" name="memberId">
                    {d.members.map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.name} · {m.building}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="v-reason">{t("committee.setup.reason")}</label>
                  <input id="v-reason" name="reason" required maxLength={500} />
                </div>
                <button type="submit" className="secondary">
                  {t("committee.setup.vacateSubmit")}
                </button>
              </Form>
            </section>
          ) : null}
        </>
      ) : (
        <p className="muted">{t("committee.page.none")}</p>
      )}

      <section className="card">
        <h2>{t("committee.setup.observerTitle")}</h2>
        <p className="hint">{t("committee.setup.observerHint")}</p>
        <Form method="post">
          <FormError result={result} form="observerRole" />
          <input type="hidden" name="intent" value="observerRole" />
          <div className="field">
            <label htmlFor="ob-email">{t("committee.setup.email")}</label>
            <input id="ob-email" name="email" type="email" required />
          </div>
          <div className="field">
            <label htmlFor="ob-role">{t("committee.roles.role")}</label>
            <select id="ob-role" name="role">
              {publicRoles.map((r) => (
                <option key={r} value={r}>
                  {t(`committee.publicRoles.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ob-title">{t("committee.roles.roleTitle")}</label>
            <input id="ob-title" name="title" required maxLength={80} />
          </div>
          <div className="field">
            <label htmlFor="ob-proof">{t("committee.roles.proofNote")}</label>
            <input id="ob-proof" name="proofNote" required maxLength={500} />
          </div>
          <button type="submit" className="secondary">
            {t("committee.setup.observerSubmit")}
          </button>
        </Form>
        {d.verified.length ? (
          <>
            <h3>{t("committee.setup.verifiedTitle")}</h3>
            <ul className="list-plain">
              {d.verified.map((v) => (
                <li key={v.email}>
                  {v.name} · {v.email} · {t(`committee.publicRoles.${v.role}`)} · {v.title}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <RegisterForm />

      {c ? (
        <section className="card">
          <h2>{t("committee.setup.archiveTitle")}</h2>
          <p className="hint">{t("committee.setup.archiveHint")}</p>
          <Form method="post">
            <FormError result={result} form="archive" />
            <input type="hidden" name="intent" value="archive" />
            <input type="hidden" name="committeeId" value={c.id} />
            <label className="check">
              <input type="checkbox" name="confirm" value="yes" required />{" "}
              {t("committee.setup.archiveConfirm", { title: c.title })}
            </label>
            <button type="submit" className="secondary">
              {t("committee.setup.archiveSubmit")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
