// `npm test`: every check and every test. Type check and lint, then unit and integration tests
// (Vitest, on DATABASE_URL's PostgreSQL or on PGlite), then browser tests on the built site
// (Playwright with Debian's Chromium). Browser tests are skipped, loudly, only where no Chromium
// exists and CI is not set.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";

const npx = process.platform === "win32" ? "npx.cmd" : "npx";
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let failedStep = null;
const step = (name, cmd, args, env = {}) => {
  if (failedStep) return;
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) failedStep = name;
};

mkdirSync("test-results", { recursive: true });
step("typecheck", npx, ["tsc"]);
step("lint", npx, ["eslint", ".", "--max-warnings", "0"]);
step("format", npx, ["prettier", "--check", ".", "--log-level", "warn"]);
step("unit and integration tests", npx, [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  "--outputFile.json=test-results/vitest.json",
]);

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let e2eRan = false;
let built = false;
/** The fault test counts as one test in the closing line. */
let faultResult = null;
if (!existsSync(chromium)) {
  if (process.env.CI) {
    console.error(`\n✖ Browser tests are required on CI, but no Chromium at ${chromium}.`);
    failedStep ??= "browser tests";
  } else {
    console.warn(
      `\n${"!".repeat(72)}\n!! BROWSER TESTS SKIPPED: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)\n${"!".repeat(72)}`,
    );
  }
} else {
  step("build", npm, ["run", "build", "--silent"]);
  built = !failedStep;
  if (!failedStep) e2eRan = true;
  step("browser tests", npx, ["playwright", "test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: "test-results/playwright.json" });
}

// The database restarted under load (scripts/fault/run.ts, 30–50 s) on the built site, in a
// private PostgreSQL cluster: skipped, loudly, where no PostgreSQL server binaries exist.
if (!existsSync("/usr/lib/postgresql") && !process.env.PG_BIN) {
  console.warn(
    `\n${"!".repeat(72)}\n!! FAULT TEST SKIPPED: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin, or set PG_BIN)\n${"!".repeat(72)}`,
  );
} else {
  if (!built) step("build", npm, ["run", "build", "--silent"]);
  const before = failedStep;
  step("fault test: PostgreSQL restarted under load", npm, ["run", "fault:restart", "--silent"]);
  if (!before) faultResult = failedStep ? "failed" : "passed";
}

// One closing line with the counts of both runners.
let passed = 0;
let failed = 0;
try {
  const v = JSON.parse(readFileSync("test-results/vitest.json", "utf8"));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
} catch {
  /* vitest did not get to write its report */
}
if (e2eRan) {
  try {
    const p = JSON.parse(readFileSync("test-results/playwright.json", "utf8"));
    passed += p.stats.expected + p.stats.flaky;
    failed += p.stats.unexpected;
  } catch {
    /* playwright did not get to write its report */
  }
}
if (faultResult === "passed") passed += 1;
if (faultResult === "failed") failed += 1;
if (failedStep) console.error(`\n✖ failed at: ${failedStep}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failedStep || failed ? 1 : 0);
