import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import type { Page } from "@playwright/test";
import { resources } from "../../app/i18n/resources";
import { drizzleInClientBuild, markersInClientBuild, kb, scriptBudgetBytes, weighScripts } from "../page-weight";
import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

/**
 * Every main page, as the person who uses it, in both languages at phone and desktop width: no
 * serious or critical axe finding (WCAG 2 A/AA), nothing wider than the screen, no catalogue key
 * showing instead of its text. A full-page screenshot of each goes to test-results/screenshots/
 * (`<lang>-<width>-<page>.png`) for a person to look at.
 */

const shots = "test-results/screenshots";
const estate = "/e/yixin";
const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** A page to visit: a fixed path, or the first link on `from` whose path matches `link` and whose text has `text` (plus `then`). */
type Visit =
  { name: string; path: string } | { name: string; from: string; link: RegExp; text?: string; then?: string };

const visits: Record<"anonymous" | "owner" | "committee" | "staff" | "community", Visit[]> = {
  anonymous: [
    { name: "home", path: "/" },
    { name: "login", path: "/login" },
  ],
  owner: [
    { name: "estate-home", path: estate },
    { name: "board", path: `${estate}/board` },
    { name: "board-notice", from: `${estate}/board`, link: new RegExp(`/board/${uuid}$`) },
    { name: "board-poster", from: `${estate}/board`, link: new RegExp(`/board/${uuid}$`), then: "/print" },
    { name: "proposals", path: `${estate}/proposals` },
    { name: "proposal", from: `${estate}/proposals`, link: new RegExp(`/proposals/${uuid}$`) },
    { name: "bills", path: `${estate}/bills` },
    { name: "receipt", from: `${estate}/bills`, link: new RegExp(`/receipts/${uuid}$`) },
    { name: "collection", path: `${estate}/collection` },
    { name: "committee", path: `${estate}/committee` },
    { name: "meetings", path: `${estate}/committee/meetings` },
    { name: "meeting", from: `${estate}/committee/meetings`, link: new RegExp(`/meetings/${uuid}$`) },
    { name: "elections", path: `${estate}/committee/elections` },
    { name: "tickets", path: `${estate}/tickets` },
    { name: "ticket-new", path: `${estate}/tickets/new` },
    { name: "ticket-board", path: `${estate}/tickets/board` },
    { name: "ticket", from: `${estate}/tickets`, link: new RegExp(`/tickets/${uuid}$`) },
    { name: "scorecard", path: `${estate}/scorecard` },
    { name: "ledgers", path: `${estate}/ledgers` },
    { name: "service-reports", path: `${estate}/service-reports` },
    { name: "units", path: `${estate}/units` },
    { name: "notices", path: "/notices" },
    { name: "settings", path: "/settings/notifications" },
  ],
  committee: [
    // The turnout of the vote that is open (the seed's renewal of the property company), with one
    // building's units not yet voted, as a canvasser uses it (the whole estate's list is 1,000 rows).
    {
      name: "turnout",
      from: `${estate}/proposals`,
      link: new RegExp(`/proposals/${uuid}$`),
      text: "续聘",
      then: `/turnout?building=${encodeURIComponent("1幢")}`,
    },
    { name: "roster", path: `${estate}/roster` },
    { name: "claims", path: `${estate}/claims` },
  ],
  staff: [
    { name: "fees", path: `${estate}/fees` },
    { name: "board-new", path: `${estate}/board/new` },
  ],
  community: [
    { name: "community", path: `${estate}/community` },
    { name: "staff", path: `${estate}/staff` },
  ],
};

const accounts = {
  owner: "owner@demo.yishitang.cn",
  committee: "committee@demo.yishitang.cn",
  staff: "staff@demo.yishitang.cn",
  community: "community@demo.yishitang.cn",
};

// A key i18next could not find is shown as itself: `<feature>.<key>…` with a feature of the catalogue.
const untranslated = new RegExp(
  `\\b(?:${Object.keys(resources.en.translation).join("|")})\\.[A-Za-z][\\w.]*[A-Za-z0-9]`,
);

async function resolve(page: Page, visit: Visit) {
  if ("path" in visit) return visit.path;
  await page.goto(visit.from);
  const links = await page
    .locator("main a[href]")
    .evaluateAll((as) =>
      as.map((a) => ({ path: new URL((a as HTMLAnchorElement).href).pathname, text: a.textContent ?? "" })),
    );
  const href = links.find((l) => visit.link.test(l.path) && l.text.includes(visit.text ?? ""))?.path;
  expect(href, `a link on ${visit.from} matching ${visit.link}`).toBeTruthy();
  return href! + (visit.then ?? "");
}

async function check(page: Page, visit: Visit, lang: string, axe: boolean) {
  const path = await resolve(page, visit);
  const response = await page.goto(path);
  const width = page.viewportSize()!.width;
  const label = `${lang} ${width}px ${visit.name}`;
  // Soft, so one broken page does not hide what is wrong with the others.
  expect.soft(response?.status(), `${label} (${path}) answers`).toBeLessThan(400);
  // Hydrated (a mismatch would be a console error, failing the test), fonts laid out.
  await page.waitForFunction(() => "__remixRouter" in window && document.fonts.status === "loaded");

  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect.soft(scrollWidth, `${label}: page wider than the screen`).toBeLessThanOrEqual(innerWidth);

  const text = await page.locator("body").innerText();
  expect.soft(text.match(untranslated)?.[0] ?? null, `${label}: a catalogue key shows instead of its text`).toBeNull();
  expect.soft(text.match(/\{\{\w+\}\}/)?.[0] ?? null, `${label}: a placeholder was not filled in`).toBeNull();
  expect.soft(await page.locator("html").getAttribute("lang"), `${label}: <html lang>`).toBe(lang);

  // Buttons and the header's links big enough for a thumb (44 CSS px) at phone width; links inside
  // running text are exempt, as in WCAG 2.5.8.
  if (axe) {
    const small = await page
      .locator("button:visible, a.button:visible, input[type=submit]:visible, header a:visible, select:visible")
      .evaluateAll((els) =>
        els
          .map((el) => ({ el, box: el.getBoundingClientRect() }))
          .filter(({ box }) => box.height < 43.5 || box.width < 43.5)
          .map(
            ({ el, box }) =>
              `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
          ),
      );
    expect.soft(small, `${label}: touch targets under 44px`).toEqual([]);
  }

  // axe at phone width in both languages: names, roles and contrast do not change with the width,
  // and running it on every page four times would take minutes.
  if (axe) {
    const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
    const bad = violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join("; ")}`).join("\n")}`,
      );
    expect.soft(bad, `${label}: axe (serious or critical)\n${bad.join("\n")}`).toEqual([]);
  }

  // In CSS pixels (a phone's full page at its device pixel ratio is huge and slow to capture), and
  // no more than the first 6,000 pixels of a very long list (the turnout's units not yet voted).
  const height = Math.min(await page.evaluate(() => document.documentElement.scrollHeight), 6000);
  await page.screenshot({
    path: `${shots}/${lang}-${width}-${visit.name}.png`,
    fullPage: true,
    scale: "css",
    clip: { x: 0, y: 0, width, height },
  });
}

for (const lang of ["zh-CN", "en"] as const) {
  for (const size of ["phone", "desktop"] as const) {
    test.describe(`${lang} at ${size} width`, () => {
      // The project is a Pixel 7; the desktop width is a plain 1280×800 window.
      if (size === "desktop")
        test.use({ viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 });

      for (const who of Object.keys(visits) as (keyof typeof visits)[]) {
        test(`${who}'s pages`, async ({ page }) => {
          test.setTimeout(120_000);
          mkdirSync(shots, { recursive: true });
          if (who !== "anonymous") await logIn(page, accounts[who]);
          // The browser asks for Chinese (the project's locale); English is picked with the switch in the header.
          await page.goto("/");
          if ((await page.locator("html").getAttribute("lang")) !== lang) {
            await page.locator("header form[action='/lang'] button").click();
            await expect(page.locator("html")).toHaveAttribute("lang", lang);
          }
          for (const visit of visits[who]) await check(page, visit, lang, size === "phone");
        });
      }
    });
  }
}

test("the JavaScript of a proposal page stays under 120 KB gzip-compressed", async ({ page, browser, baseURL }) => {
  await logIn(page, accounts.owner);
  const path = await resolve(
    page,
    visits.owner.find((v) => v.name === "proposal")!,
  );
  // A fresh context, so nothing comes from the cache of the pages before.
  const fresh = await browser.newContext({ baseURL });
  await fresh.addCookies(await page.context().cookies());
  const { scripts, gzip, brotli } = await weighScripts(await fresh.newPage(), path);
  await fresh.close();
  console.log(`proposal page: ${scripts.length} scripts, ${kb(gzip)} gzip, ${kb(brotli)} brotli`);
  expect(scripts.length).toBeGreaterThan(0);
  expect(gzip, scripts.map((s) => `${s.url} ${kb(s.gzip)}`).join("\n")).toBeLessThanOrEqual(scriptBudgetBytes);
});

// The browser gets no Drizzle: pages take enum value lists from db/values.ts, never db/schema (issue 13).
test("no Drizzle code in the client build", () => {
  const found = drizzleInClientBuild();
  expect(found, found.map((f) => `${f.file}: ${f.marker}`).join("\n")).toEqual([]);
});

// The browser fetches only the reader's catalogue (/i18n/:locale): no message of either language
// is bundled into the site's JavaScript.
test("no message catalogue in the client build", () => {
  const escape = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const markers = [
    resources["zh-CN"].translation.common.nav.skipToContent,
    resources.en.translation.common.nav.skipToContent,
  ].map(escape);
  const found = markersInClientBuild(markers);
  expect(found, found.map((f) => `${f.file}: ${f.marker}`).join("\n")).toEqual([]);
});
