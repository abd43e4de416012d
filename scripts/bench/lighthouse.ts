// `npm run bench:lighthouse`: Lighthouse's mobile profile (its default: a mid-range phone on a
// throttled 4G link, simulated) on the estate home, the open vote's proposal page and my bills,
// logged in as the demo owner, on the production build with a fresh demo database. Prints the
// performance and accessibility scores (the median of LIGHTHOUSE_RUNS runs, default 3) and exits
// non-zero if any is under 90. Reports go to test-results/lighthouse/. Chromium: CHROME_PATH,
// else /usr/bin/chromium.
import { mkdirSync, writeFileSync } from "node:fs";
import { launch } from "chrome-launcher";
import lighthouse from "lighthouse";
import type { Result } from "lighthouse";
import { demoOwner, logInCookie, openProposalPath, startSite } from "./site";

const minimum = 90;
const rounds = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const out = "test-results/lighthouse";
const chromeFlags = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const site = await startSite(Number(process.env.BENCH_PORT ?? 3332));
const failed: string[] = [];
try {
  const cookie = await logInCookie(site.base, demoOwner);
  const pages = {
    "estate-home": "/e/yixin",
    proposal: await openProposalPath(site.base, cookie),
    bills: "/e/yixin/bills",
  };
  mkdirSync(out, { recursive: true });
  const chrome = await launch({ chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium", chromeFlags });
  try {
    for (const [name, path] of Object.entries(pages)) {
      // Several runs, the median by performance score: one run on a busy machine is noisy.
      const runs = [];
      for (let i = 0; i < rounds; i++) {
        const result = await lighthouse(site.base + path, {
          port: chrome.port,
          output: "html",
          logLevel: "error",
          onlyCategories: ["performance", "accessibility"],
          extraHeaders: { Cookie: cookie },
        });
        if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
        if (result.lhr.runtimeError)
          throw new Error(`${path}: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}`);
        runs.push(result);
      }
      const score = (lhr: Result, id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
      runs.sort((a, b) => score(a.lhr, "performance") - score(b.lhr, "performance"));
      const { lhr, report } = runs[Math.floor(runs.length / 2)];
      writeFileSync(`${out}/${name}.html`, report as string);
      const metric = (id: string) => lhr.audits[id]?.displayValue ?? "—";
      console.log(
        `${name.padEnd(12)} performance ${String(score(lhr, "performance")).padStart(3)} (runs ${runs.map((r) => score(r.lhr, "performance")).join(", ")})` +
          `  accessibility ${String(score(lhr, "accessibility")).padStart(3)}` +
          `  (FCP ${metric("first-contentful-paint")}, LCP ${metric("largest-contentful-paint")}, TBT ${metric("total-blocking-time")}, CLS ${metric("cumulative-layout-shift")})`,
      );
      for (const id of ["performance", "accessibility"]) {
        if (score(lhr, id) >= minimum) continue;
        failed.push(`${name} ${id} ${score(lhr, id)}`);
        // What cost the points: the failing audits of that category, heaviest first.
        const refs = lhr.categories[id].auditRefs.filter((r) => r.weight > 0 && (lhr.audits[r.id].score ?? 1) < 0.9);
        for (const r of refs.sort((a, b) => b.weight - a.weight))
          console.log(`    ${r.id}: ${lhr.audits[r.id].title} ${lhr.audits[r.id].displayValue ?? ""}`);
      }
    }
  } finally {
    chrome.kill();
  }
} finally {
  await site.stop();
}
console.log(`reports in ${out}/`);
if (failed.length) {
  console.error(`under ${minimum}: ${failed.join(", ")}`);
  process.exit(1);
}
