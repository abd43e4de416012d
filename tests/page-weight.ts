import { brotliCompressSync, gzipSync } from "node:zlib";
import type { Page, Response } from "@playwright/test";

/** The JavaScript budget of one page, gzip-compressed (issue 8). */
export const scriptBudgetBytes = 200 * 1024;

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
export async function weighScripts(page: Page, path: string): Promise<{ scripts: ScriptWeight[]; gzip: number; brotli: number }> {
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
    scripts.push({ url: new URL(r.url()).pathname, bytes: body.length, gzip: gzipSync(body, { level: 6 }).length, brotli: brotliCompressSync(body).length });
  }
  scripts.sort((a, b) => b.gzip - a.gzip);
  return { scripts, gzip: sum(scripts.map((s) => s.gzip)), brotli: sum(scripts.map((s) => s.brotli)) };
}

function sum(xs: number[]) {
  return xs.reduce((a, b) => a + b, 0);
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
