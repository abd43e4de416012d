import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireEstatePermission } from "~/auth/guards.server";
import { claimContactOf } from "~/estates/claim-contact";
import { getLocale, getT } from "~/i18n/i18n.server";
import { configuredOrigin, publicOrigin } from "~/lib/public-origin.server";
import { qrSvg } from "~/lib/qr.server";
import { beijingDate } from "~/lib/time";
import { formatClaimCode } from "~/roster/claim-code";
import { buildingNames, letterUnits, maxLettersPerPage } from "~/roster/roster.server";

const LettersSchema = z.object({
  building: z.string().trim().max(50).optional().catch(undefined),
  unclaimed: z.literal("1").optional().catch(undefined),
});

type Lang = "zh-CN" | "en";
type Words = Record<
  "heading" | "date" | "body" | "codeLabel" | "scan" | "steps" | "step1" | "step2" | "step3" | "keep",
  string
>;

/** A Beijing date (YYYY-MM-DD) as a letter prints it: 2026年12月2日, December 2, 2026. */
function longDate(date: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "roster:admin");
  const url = new URL(request.url);
  const t = await getT(await getLocale(request));
  const title = `${t("roster.letters.title")} · ${estate.name}`;
  // The QR codes and the printed address must open for owners at home: refused (503, said to
  // staff) on a production deployment without a public APP_URL (app/lib/public-origin.ts).
  const origin = publicOrigin(request);
  if (!origin.ok) {
    return data(
      {
        title,
        refused: { reason: origin.reason, origin: configuredOrigin() },
        estate: { slug: estate.slug, name: estate.name },
      },
      { status: 503 },
    );
  }
  const search = LettersSchema.parse(Object.fromEntries(url.searchParams));
  const unitIds = url.searchParams.getAll("unit").slice(0, maxLettersPerPage);
  const [buildings, units] = await Promise.all([
    buildingNames(estate.id),
    letterUnits({
      estateId: estate.id,
      building: search.building || undefined,
      unitIds,
      unclaimedOnly: search.unclaimed === "1",
    }),
  ]);
  const claimUrl = `${origin.origin}/claim`;
  const contact = claimContactOf(estate.settings);
  const date = beijingDate(new Date());
  // The letter's words are made here, in Chinese always and in English beside it for an English
  // reader: the browser holds only the reader's catalogue, and a letter must print the same.
  const langs: Lang[] = (await getLocale(request)) === "en" ? ["zh-CN", "en"] : ["zh-CN"];
  const translators = Object.fromEntries(await Promise.all(langs.map(async (l) => [l, await getT(l)] as const)));
  const words = Object.fromEntries(
    langs.map((l) => {
      const tl = translators[l];
      return [
        l,
        {
          heading: tl("roster.letters.heading", { estate: estate.name }),
          date: tl("roster.letters.date", { date: longDate(date, l) }),
          body: tl("roster.letters.body"),
          codeLabel: tl("roster.letters.codeLabel"),
          scan: tl("roster.letters.scan"),
          steps: tl("roster.letters.steps"),
          step1: tl("roster.letters.step1", { url: claimUrl }),
          step2: tl("roster.letters.step2"),
          step3: tl("roster.letters.step3"),
          keep: contact ? tl("roster.letters.keepContact", { contact }) : tl("roster.letters.keep"),
        },
      ];
    }),
  ) as Partial<Record<Lang, Words>>;
  return {
    title,
    refused: null,
    estate: { slug: estate.slug, name: estate.name },
    claimUrl,
    development: origin.development ? origin.origin : null,
    contact,
    words,
    search: {
      building: search.building ?? "",
      unclaimed: search.unclaimed === "1",
      asked: !!search.building || unitIds.length > 0,
    },
    buildings,
    max: maxLettersPerPage,
    letters: await Promise.all(
      units.map(async (u) => {
        const code = formatClaimCode(u.claimCode);
        const qrUrl = `${claimUrl}?${new URLSearchParams({ code })}`;
        const to = Object.fromEntries(
          langs.map((l) => {
            const owners = u.owners.length
              ? l === "en"
                ? ` (${u.owners.join(", ")})`
                : ` ${u.owners.join("、")}`
              : "";
            return [l, translators[l]("roster.letters.to", { building: u.building, unit: u.number, owners })];
          }),
        ) as Partial<Record<Lang, string>>;
        return {
          id: u.id,
          building: u.building,
          number: u.number,
          owners: u.owners,
          code,
          qrUrl,
          qrLabel: translators["zh-CN"]("roster.letters.qrLabel", { url: qrUrl }),
          to,
          qr: await qrSvg(qrUrl),
        };
      }),
    ),
  };
}

type Ready = Exclude<ReturnType<typeof useLoaderData<typeof loader>>, { refused: { reason: string } }>;
type Letter = Ready["letters"][number];

/** One letter's text in one language (the Chinese one is always printed), in words the loader made. */
function LetterText({ letter, words, lang }: { letter: Letter; words: Words; lang: Lang }) {
  const zh = lang === "zh-CN";
  return (
    <div lang={lang} className={zh ? undefined : "letter-translation"}>
      <div className="letter-head">
        <h2>{words.heading}</h2>
        <p className="letter-date">{words.date}</p>
      </div>
      <p>{letter.to[lang]}</p>
      <p>{words.body}</p>
      {zh ? (
        <div className="letter-claim">
          <div
            className="letter-qr"
            role="img"
            aria-label={letter.qrLabel}
            data-url={letter.qrUrl}
            // Made on the server by the qrcode library from our own URL (app/lib/qr.server.ts).
            dangerouslySetInnerHTML={{ __html: letter.qr }}
          />
          <div className="letter-code">
            {words.codeLabel}
            <strong className="claim-code" data-testid="claim-code">
              {letter.code}
            </strong>
            <span className="letter-scan">{words.scan}</span>
          </div>
        </div>
      ) : (
        <p>{words.scan}</p>
      )}
      <p style={{ marginBottom: 0 }}>{words.steps}</p>
      <ol>
        <li>{words.step1}</li>
        <li>{words.step2}</li>
        <li>{words.step3}</li>
      </ol>
      <p className="letter-contact">{words.keep}</p>
    </div>
  );
}

export default function ClaimLetters() {
  const loaded = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  if (loaded.refused) {
    return (
      <div>
        <p className="muted">
          <Link to={`/e/${loaded.estate.slug}/roster`}>{t("roster.admin.title")}</Link>
        </p>
        <h1>{t("roster.letters.title")}</h1>
        <section className="alert" role="alert">
          <h2 style={{ marginTop: 0 }}>{t("roster.letters.noOrigin.title")}</h2>
          <p>{t(`roster.letters.noOrigin.${loaded.refused.reason}`, { origin: loaded.refused.origin })}</p>
        </section>
      </div>
    );
  }
  const { estate, search, buildings, letters, max, development, contact, words } = loaded as Ready;
  return (
    <div>
      <div className="no-print">
        <p className="muted">
          <Link to={`/e/${estate.slug}/roster`}>{t("roster.admin.title")}</Link>
        </p>
        <h1>{t("roster.letters.title")}</h1>
        <p className="muted">{t("roster.letters.intro")}</p>
        {development ? (
          <p className="alert" role="status">
            {t("roster.letters.devOrigin", { origin: development })}
          </p>
        ) : null}
        <p className="card">
          {contact ? t("roster.letters.contactShown", { contact }) : t("roster.letters.contactMissing")}{" "}
          <Link to={`/e/${estate.slug}/settings#contact`}>{t("roster.letters.contactEdit")}</Link>
        </p>
        <Form method="get" className="card">
          <div className="field">
            <label htmlFor="building">{t("roster.letters.building")}</label>
            <select id="building" name="building" defaultValue={search.building} required>
              <option value="">{t("roster.letters.chooseBuilding")}</option>
              {buildings.map((b) => (
                <option key={b} value={b}>
                  {b}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label style={{ fontWeight: 400, display: "flex", gap: "0.5rem", alignItems: "center" }}>
              <input type="checkbox" name="unclaimed" value="1" defaultChecked={search.unclaimed} />
              {t("roster.letters.unclaimedOnly")}
            </label>
          </div>
          <button type="submit" className="primary">
            {t("roster.letters.show")}
          </button>
        </Form>
        {search.asked ? (
          <div className="actions" style={{ marginBottom: "1rem" }}>
            <span>{t("roster.letters.count", { count: letters.length })}</span>
            {letters.length >= max ? <span className="muted">{t("roster.letters.truncated", { max })}</span> : null}
            {letters.length ? (
              <button type="button" className="primary" onClick={() => window.print()}>
                {t("roster.letters.print")}
              </button>
            ) : null}
          </div>
        ) : null}
        {search.asked && letters.length === 0 ? <p className="card muted">{t("roster.letters.none")}</p> : null}
      </div>
      {letters.map((letter) => (
        <article key={letter.id} className="card letter" aria-label={`${letter.building} ${letter.number}`}>
          <LetterText letter={letter} words={words["zh-CN"]!} lang="zh-CN" />
          {words.en ? <LetterText letter={letter} words={words.en} lang="en" /> : null}
        </article>
      ))}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
