import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import type { Page, Response } from "@playwright/test";

/**
 * The JavaScript budget of one page, gzip-compressed (issue 13: 120 KB on the proposal page).
 * It weighed 165 KB while entry.client bundled both languages' catalogues; the browser now
 * fetches only the reader's (/i18n/:locale), which is data, not script.
 */
export const scriptBudgetBytes = 120 * 1024;

/**
 * What only Drizzle's code carries, minified or not: its symbols (`Symbol.for("drizzle:Name")`,
 * "drizzle:isPgEnum") and its entity kinds ("PgTable", "PgEnumColumn"…). A page that imports a
 * value from `db/schema` pulls the whole schema and drizzle-orm into the browser.
 */
export const drizzleMarkers = [/drizzle/i, /\bPgTable\b/, /\bPgEnum/, /\bpgEnum\b/, /\bpgTable\b/];

/** The client assets of a build (build/client) that carry a Drizzle marker, with the marker found. */
export function drizzleInClientBuild(clientDir = "build/client"): { file: string; marker: string }[] {
  return markersInClientBuild(drizzleMarkers, clientDir);
}

/** The client assets of a build that carry one of `markers`, with the marker found. */
export function markersInClientBuild(
  markers: readonly RegExp[],
  clientDir = "build/client",
): { file: string; marker: string }[] {
  const found: { file: string; marker: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(m?js|css|html|json)$/.test(entry.name)) {
        const text = readFileSync(file, "utf8");
        const marker = markers.find((m) => m.test(text));
        if (marker) found.push({ file: path.relative(clientDir, file), marker: String(marker) });
      }
    }
  };
  walk(clientDir);
  return found;
}

export interface ScriptWeight {
  url: string;
  bytes: number;
  gzip: number;
  brotli: number;
}

/**
 * Loads `path` in `page` and weighs every script it fetched (entry, modulepreloads, route chunks,
 * and anything loaded after hydration). Sizes are of the decoded body compressed here at the
 * server's gzip level (compression's default, 6) and brotli's default, so the figure does not
 * depend on whether a proxy in front compresses.
 */
export async function weighScripts(
  page: Page,
  path: string,
): Promise<{ scripts: ScriptWeight[]; gzip: number; brotli: number }> {
  const responses: Response[] = [];
  const listener = (r: Response) => {
    if (r.request().resourceType() === "script") responses.push(r);
  };
  page.on("response", listener);
  try {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
  } finally {
    page.off("response", listener);
  }
  const seen = new Set<string>();
  const scripts: ScriptWeight[] = [];
  for (const r of responses) {
    if (seen.has(r.url())) continue;
    seen.add(r.url());
    const body = await r.body();
    scripts.push({
      url: new URL(r.url()).pathname,
      bytes: body.length,
      gzip: gzipSync(body, { level: 6 }).length,
      brotli: brotliCompressSync(body).length,
    });
  }
  scripts.sort((a, b) => b.gzip - a.gzip);
  return { scripts, gzip: sum(scripts.map((s) => s.gzip)), brotli: sum(scripts.map((s) => s.brotli)) };
}

function sum(xs: number[]) {
  return xs.reduce((a, b) => a + b, 0);
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
