import { test, expect, type Page } from "@playwright/test";
import { logIn } from "./helpers";

/**
 * A crawl of the built site as each demo person uses it: log in, start from the home page (and
 * the estate's home), follow every same-origin link the pages show, breadth first. A link shown
 * to a person must work for that person: any 4xx or 5xx, a logged-in person sent to the login
 * page, a page that does not hydrate, a console error or an uncaught page error fails the crawl,
 * and the report names the page, the link's text and where it points.
 *
 * Links are grouped by route pattern (ids and tokens replaced, query values of free text or
 * numbers replaced): every pattern is visited, up to `perPattern` distinct URLs of each, so a
 * list of 1,200 units costs a few visits, not 1,200. Downloads (CSV, attachments, photos, the
 * account's data) are fetched with the request API and checked by status. Logging out is a
 * form, not a link; nothing shown as a link changes data.
 */

/**
 * Failures the team knows about and is fixing in parallel (issue 12). Each entry stops one known
 * failure from failing the crawl and names the finding; remove the entry once its fix is merged
 * (a crawl that no longer sees an entry's failure says so in its output and annotations).
 */
export const KNOWN_BROKEN: { finding: string; roles?: readonly Role[]; from?: RegExp; link: RegExp }[] = [];

type Role =
  | "anonymous"
  | "owner"
  | "resident"
  | "chair"
  | "viceChair"
  | "member"
  | "staff"
  | "community"
  | "platform"
  | "otherEstateOwner";

/** The demo people (db/seed.ts, db/seed/committee.ts), password `yishitang-demo`. No observer is seeded. */
const people: Record<Role, { email?: string; estate?: string; perPattern: number }> = {
  anonymous: { perPattern: 2 },
  owner: { email: "owner@demo.yishitang.cn", estate: "yixin", perPattern: 2 },
  resident: { email: "resident@demo.yishitang.cn", estate: "yixin", perPattern: 2 },
  // 陈委员 chairs the committee of 宜欣花园; member3 (4幢) is the vice-chair, member2 (2幢) a member.
  chair: { email: "committee@demo.yishitang.cn", estate: "yixin", perPattern: 2 },
  viceChair: { email: "member3@demo.yishitang.cn", estate: "yixin", perPattern: 1 },
  member: { email: "member2@demo.yishitang.cn", estate: "yixin", perPattern: 1 },
  staff: { email: "staff@demo.yishitang.cn", estate: "yixin", perPattern: 2 },
  community: { email: "community@demo.yishitang.cn", estate: "yixin", perPattern: 2 },
  platform: { email: "platform@demo.yishitang.cn", perPattern: 1 },
  otherEstateOwner: { email: "owner2@demo.yishitang.cn", estate: "kangle", perPattern: 1 },
};

/** At most this many link checks per person. */
const maxChecks = 120;

/**
 * Route patterns already opened in Chromium, by any person (the tests of this file run in order
 * in one worker). Opening a page and waiting for it to hydrate is what takes the time, so each
 * pattern is opened once, by the first person shown a link to it; every person's links are
 * still all checked through the server, where a page that fails to render answers 500.
 */
const documentLoaded = new Set<string>();

/** The root error boundary's headings (app/root.tsx): a page that answered 200 must not show them. */
const errorTitles = ["页面不存在", "无权访问", "出错了", "暂时无法访问"];

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The route pattern of a same-origin path: ids, tokens and numbers replaced, query keys kept, free values dropped. */
export function patternOf(pathAndSearch: string) {
  const url = new URL(pathAndSearch, "http://x");
  const path = url.pathname
    .replace(uuid, ":id")
    .replace(/\/[A-Za-z0-9_-]{24,}(?=\/|$)/g, "/:token")
    .replace(/\/\d+(?=\/|$)/g, "/:n");
  const keys = [...new Set(url.searchParams.keys())].sort().map((k) => {
    const v = url.searchParams.get(k) ?? "";
    // A small enumeration (scope=queue, status=open) is a different page; a page number or a building is an instance.
    return /^[a-z_]{1,16}$/.test(v) ? `${k}=${v}` : `${k}=*`;
  });
  return keys.length ? `${path}?${keys.join("&")}` : path;
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'", nbsp: " " };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_, e: string) => entities[e]);

/** The links of a server-rendered page, as the person sees them: href and text (or label). */
export function linksOf(html: string) {
  const body = html.slice(html.indexOf("<body"));
  const links: { href: string; text: string }[] = [];
  for (const m of body.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/g)) {
    const href = /\bhref="([^"]*)"/.exec(m[1])?.[1];
    if (href === undefined) continue;
    const label = /\baria-label="([^"]*)"/.exec(m[1])?.[1];
    const text = decode(m[2].replace(/<[^>]+>/g, ""))
      .replace(/\s+/g, " ")
      .trim();
    links.push({ href: decode(href), text: (text || decode(label ?? "")).slice(0, 40) });
  }
  return links;
}

interface Todo {
  url: string;
  from: string;
  text: string;
}

function knownBroken(role: Role, from: string, url: string) {
  const fromPath = new URL(from, "http://x").pathname;
  return KNOWN_BROKEN.find(
    (k) => (!k.roles || k.roles.includes(role)) && (!k.from || k.from.test(fromPath)) && k.link.test(url),
  );
}

/**
 * Two passes. First the links: breadth first over the server's pages with the person's
 * cookies (the request API shares the browser context's), every shown link fetched and its
 * status checked, up to `perPattern` URLs of each route pattern. Then the browser: every route
 * pattern that answered with a page and that nobody has opened yet is opened in Chromium, and
 * must hydrate without a console error or page error, not show an error page and, for a
 * logged-in person, show the logged-in header.
 */
async function crawl(page: Page, role: Role, origin: string) {
  const who = people[role];
  const problems: string[] = [];
  const knownSeen = new Set<string>();
  const queued = new Set<string>();
  const perPattern = new Map<string, number>();
  const pages = new Map<string, Todo>(); // one page per route pattern, for the browser pass
  const queue: Todo[] = [];
  let checks = 0;
  let leftOver = 0;

  const enqueue = (todo: Todo) => {
    if (queued.has(todo.url)) return;
    queued.add(todo.url);
    queue.push(todo);
  };
  const describe = (t: Todo) => (t.from ? `link "${t.text}" on ${t.from} → ${t.url}` : `start page ${t.url}`);
  const fail = (t: Todo, what: string) => {
    const known = t.from ? knownBroken(role, t.from, t.url) : undefined;
    if (known) {
      knownSeen.add(known.finding);
      return;
    }
    problems.push(`${describe(t)}: ${what}`);
  };

  for (const seed of ["/", ...(who.estate ? [`/e/${who.estate}`] : [])]) enqueue({ url: seed, from: "", text: "" });

  const started = Date.now();
  while (queue.length) {
    const todo = queue.shift()!;
    const pattern = patternOf(todo.url);
    const seen = perPattern.get(pattern) ?? 0;
    if (seen >= who.perPattern) continue;
    if (checks >= maxChecks) {
      leftOver++;
      continue;
    }
    perPattern.set(pattern, seen + 1);
    checks++;

    const response = await page.request.get(todo.url);
    const status = response.status();
    const landed = new URL(response.url());
    const type = response.headers()["content-type"] ?? "";
    const html = type.startsWith("text/html") ? await response.text() : "";
    await response.dispose();
    if (status >= 400) {
      fail(todo, `answers ${status}`);
      continue;
    }
    if (who.email && landed.pathname === "/login" && !todo.url.startsWith("/login")) {
      fail(todo, `sends a logged-in person to the login page (${landed.pathname}${landed.search})`);
      continue;
    }
    if (!html) continue; // a download (CSV, attachment, photo, the account's data): its status is what counts
    const here = landed.pathname + landed.search;
    if (!pages.has(patternOf(here))) pages.set(patternOf(here), todo);
    for (const link of linksOf(html)) {
      const url = new URL(link.href, landed);
      if (url.origin !== origin) continue;
      if (url.pathname === "/logout") continue;
      enqueue({ url: url.pathname + url.search, from: here, text: link.text });
    }
  }
  const linkSeconds = (Date.now() - started) / 1000;

  // The browser pass: console errors and page errors, charged to the page open when they happen.
  let errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`page error: ${err.message}`));
  let loaded = 0;
  for (const [pattern, todo] of pages) {
    if (documentLoaded.has(pattern)) continue;
    documentLoaded.add(pattern);
    errors = [];
    loaded++;
    const response = await page.goto(todo.url).catch((err: Error) => err);
    if (response instanceof Error) {
      fail(todo, `could not be opened in the browser: ${response.message.split("\n")[0]}`);
      continue;
    }
    // Hydrated: a mismatch or a script the CSP blocks shows as a console error.
    const hydrated = await page
      .waitForFunction(() => "__remixRouter" in window, null, { timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (!hydrated) fail(todo, "does not hydrate in the browser");
    if (who.email && (await page.locator('header a[href="/account"]').count()) === 0)
      fail(todo, "shows the logged-out header to a logged-in person");
    const heading =
      (
        await page
          .locator("main h1")
          .first()
          .textContent({ timeout: 2_000 })
          .catch(() => null)
      )?.trim() ?? "";
    if (errorTitles.includes(heading)) fail(todo, `shows the error page "${heading}"`);
    for (const e of errors) fail(todo, e);
  }
  const browserSeconds = (Date.now() - started) / 1000 - linkSeconds;

  const unused = KNOWN_BROKEN.filter((k) => (!k.roles || k.roles.includes(role)) && !knownSeen.has(k.finding)).map(
    (k) => k.finding,
  );
  const summary =
    `${role}: ${checks} links checked over ${perPattern.size} route patterns in ${linkSeconds.toFixed(1)} s` +
    `${leftOver ? ` (${leftOver} left over the cap)` : ""}; ${loaded} new page patterns opened in the browser in ${browserSeconds.toFixed(1)} s`;
  return {
    problems,
    summary: `${summary}${knownSeen.size ? `; known broken, still failing: ${[...knownSeen].map((f) => f.slice(0, 3)).join(" ")}` : ""}`,
    knownSeen: [...knownSeen],
    unused,
  };
}

for (const role of Object.keys(people) as Role[]) {
  test(`every link shown to ${role} works`, async ({ page, baseURL }) => {
    test.setTimeout(240_000);
    const who = people[role];
    if (who.email) await logIn(page, who.email);
    const result = await crawl(page, role, new URL(baseURL!).origin);
    console.log(result.summary);
    test.info().annotations.push({ type: "crawl", description: result.summary });
    for (const finding of result.knownSeen)
      test.info().annotations.push({ type: "known broken (still failing)", description: finding });
    for (const finding of result.unused) {
      // Only a note: an entry may concern a page this person is not shown, or it was fixed.
      test.info().annotations.push({ type: "known broken (not seen)", description: finding });
    }
    expect(result.problems, `links shown to ${role} that do not work:\n${result.problems.join("\n")}`).toEqual([]);
  });
}

test("a page that is not found shows a logged-in person their own header (it showed the logged-out one)", async ({
  page,
}) => {
  await logIn(page, people.owner.email!);
  const response = await page.goto("/e/yixin/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await expect(page.locator('header a[href="/account"]')).toBeVisible();
  await expect(page.locator("header").getByRole("button", { name: "退出" })).toBeVisible();
  await expect(page.locator('header a[href="/login"]')).toHaveCount(0);
});

test("the inquiries address is the committee's inbox (it answered a JSON 400)", async ({ page }) => {
  await logIn(page, people.chair.email!);
  const response = await page.goto("/e/yixin/inquiries");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator('header a[href="/account"]')).toBeVisible();
});
