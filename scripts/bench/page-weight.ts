// `npm run bench:weight`: the JavaScript a phone downloads for a proposal page (the open vote,
// logged in as the demo owner): every script Chromium fetches for it (entry, modulepreloads,
// route chunks), compressed with gzip and brotli. Fails over the 200 KB gzip budget (issue 8).
// Builds when the sources are newer than build/; run it under the e2e lock on a shared machine.
import { chromium } from "@playwright/test";
import { kb, scriptBudgetBytes, weighScripts } from "../../tests/page-weight";
import { demoOwner, logInCookie, openProposalPath, startSite } from "./site";

const site = await startSite(Number(process.env.BENCH_PORT ?? 3331));
let over = false;
try {
  const cookie = await logInCookie(site.base, demoOwner);
  const path = await openProposalPath(site.base, cookie);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  const context = await browser.newContext({ baseURL: site.base });
  const [name, value] = cookie.split("=");
  await context.addCookies([{ name, value, url: site.base }]);
  const { scripts, gzip, brotli } = await weighScripts(await context.newPage(), path);
  await browser.close();
  for (const s of scripts)
    console.log(
      `${kb(s.gzip).padStart(9)} gzip ${kb(s.brotli).padStart(9)} br ${kb(s.bytes).padStart(9)} raw  ${s.url}`,
    );
  const raw = scripts.reduce((a, s) => a + s.bytes, 0);
  console.log(
    `proposal page JavaScript: ${scripts.length} files, ${kb(gzip)} gzip, ${kb(brotli)} brotli, ${kb(raw)} uncompressed (budget ${kb(scriptBudgetBytes)} gzip)`,
  );
  over = gzip > scriptBudgetBytes;
} finally {
  await site.stop();
}
if (over) {
  console.error("over the budget");
  process.exit(1);
}
