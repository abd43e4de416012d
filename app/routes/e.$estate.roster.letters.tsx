import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireEstatePermission } from "~/auth/guards.server";
import { env } from "~/env.server";
import { getLocale, getT } from "~/i18n/i18n.server";
import { formatClaimCode } from "~/roster/claim-code";
import { buildingNames, letterUnits, maxLettersPerPage } from "~/roster/roster.server";

const LettersSchema = z.object({
  building: z.string().trim().max(50).optional().catch(undefined),
  unclaimed: z.literal("1").optional().catch(undefined),
});

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { estate } = await requireEstatePermission(request, context, params.estate, "roster:admin");
  const url = new URL(request.url);
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
  const t = await getT(await getLocale(request));
  return {
    title: `${t("roster.letters.title")} · ${estate.name}`,
    estate: { slug: estate.slug, name: estate.name },
    claimUrl: `${env().APP_URL ?? url.origin}/claim`,
    search: {
      building: search.building ?? "",
      unclaimed: search.unclaimed === "1",
      asked: !!search.building || unitIds.length > 0,
    },
    buildings,
    max: maxLettersPerPage,
    letters: units.map((u) => ({
      id: u.id,
      building: u.building,
      number: u.number,
      owners: u.owners,
      code: formatClaimCode(u.claimCode),
    })),
  };
}

type Letter = ReturnType<typeof useLoaderData<typeof loader>>["letters"][number];

/** One letter's text in one language (the Chinese one is always printed). */
function LetterText({
  letter,
  estate,
  claimUrl,
  lang,
}: {
  letter: Letter;
  estate: string;
  claimUrl: string;
  lang: "zh-CN" | "en";
}) {
  const { i18n } = useTranslation();
  const t = i18n.getFixedT(lang);
  const owners = letter.owners.length
    ? lang === "en"
      ? ` (${letter.owners.join(", ")})`
      : ` ${letter.owners.join("、")}`
    : "";
  return (
    <div lang={lang} className={lang === "en" ? "letter-translation" : undefined}>
      <h2>{t("roster.letters.heading", { estate })}</h2>
      <p>{t("roster.letters.to", { building: letter.building, unit: letter.number, owners })}</p>
      <p>{t("roster.letters.body")}</p>
      <p style={{ marginBottom: 0 }}>{t("roster.letters.steps")}</p>
      <ol>
        <li>{t("roster.letters.step1", { url: claimUrl })}</li>
        <li>{t("roster.letters.step2")}</li>
        <li>{t("roster.letters.step3")}</li>
      </ol>
      {lang === "zh-CN" ? (
        <p className="letter-code">
          {t("roster.letters.codeLabel")}
          <strong className="claim-code" data-testid="claim-code">
            {letter.code}
          </strong>
        </p>
      ) : null}
      <p className="muted">{t("roster.letters.keep")}</p>
    </div>
  );
}

export default function ClaimLetters() {
  const { estate, claimUrl, search, buildings, letters, max } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  return (
    <div>
      <div className="no-print">
        <p className="muted">
          <Link to={`/e/${estate.slug}/roster`}>{t("roster.admin.title")}</Link>
        </p>
        <h1>{t("roster.letters.title")}</h1>
        <p className="muted">{t("roster.letters.intro")}</p>
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
          <LetterText letter={letter} estate={estate.name} claimUrl={claimUrl} lang="zh-CN" />
          {i18n.language === "en" ? (
            <LetterText letter={letter} estate={estate.name} claimUrl={claimUrl} lang="en" />
          ) : null}
        </article>
      ))}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "议事堂" }];
