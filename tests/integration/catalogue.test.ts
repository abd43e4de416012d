import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resources } from "~/i18n/resources";
import { startTestApp } from "../remix-app";

/** The browser gets only the reader's catalogue, at a versioned address it may keep (issue 13). */
let app: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe("/i18n/:locale", () => {
  it("names the reader's catalogue in the page and serves that language only", async () => {
    const page = await fetch(`${app.origin}/login`, { headers: { Cookie: "locale=en", "Accept-Language": "en" } });
    const html = await page.text();
    const url = /<meta name="i18n-catalogue" content="([^"]+)"/.exec(html)?.[1].replaceAll("&amp;", "&");
    expect(url).toMatch(/^\/i18n\/(en|zh-CN)\?v=[0-9a-f]{12}$/);
    const locale = url!.startsWith("/i18n/en") ? "en" : "zh-CN";
    const res = await fetch(`${app.origin}${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(resources[locale].translation)));
  });

  it("serves English without a Chinese message, and an old or missing version is not cached for ever", async () => {
    const res = await fetch(`${app.origin}/i18n/en?v=000000000000`);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    const text = await res.text();
    expect(text).toContain(resources.en.translation.common.nav.skipToContent);
    expect(text).not.toContain(resources["zh-CN"].translation.common.nav.skipToContent);
  });

  it("answers 404 for a language the site does not have", async () => {
    const res = await fetch(`${app.origin}/i18n/fr`);
    expect(res.status).toBe(404);
  });
});
