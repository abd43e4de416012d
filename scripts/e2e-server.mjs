// The site for browser tests: the production build on a fresh database with the demo data.
// On DATABASE_URL's server a database yst_e2e_<port> is dropped and created; else a fresh PGlite dir.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";

// PAYMENTS_SANDBOX=1: the browser tests pay through the sandbox, which a production build on
// PostgreSQL offers only when asked (app/payments/factory.server.ts, paymentsMode).
const env = {
  ...process.env,
  NODE_ENV: "production",
  SEED_DEMO: "1",
  SESSION_SECRET: "e2e-only-secret-0123456789",
  PAYMENTS_SANDBOX: "1",
  // The claim letters' QR codes point at this local server (app/lib/public-origin.ts): a test deployment.
  ALLOW_LOCAL_APP_URL: "1",
};
// Mail goes to the SMTP server a browser test starts on E2E_SMTP_PORT (tests/e2e/password-reset.spec.ts).
env.SMTP_URL = `smtp://127.0.0.1:${process.env.E2E_SMTP_PORT ?? 2526}`;
if (process.env.DATABASE_URL) {
  const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
  // One database per port, so two runs on one machine do not share data.
  const name = `yst_e2e_${process.env.PORT ?? 3210}`;
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
} else {
  env.PGLITE_DIR = `.data/e2e-${process.env.PORT ?? 3210}`;
  rmSync(env.PGLITE_DIR, { recursive: true, force: true });
}
// The stand-ins for SMS carriers, WeChat, WeChat Pay and Alipay (tests/standins/serve.ts), in their own
// process; the app is configured with the endpoints and keys they write, and specs read the same file.
const port = process.env.PORT ?? 3210;
const standinsFile = `.data/e2e-${port}/standins.json`;
rmSync(standinsFile, { force: true });
const standins = spawn(process.execPath, ["--import", "tsx", "tests/standins/serve.ts"], {
  stdio: "inherit",
  env: { ...process.env, STANDINS_FILE: standinsFile, STANDINS_PORT: String(Number(port) + 1000) },
});
for (let waited = 0; !existsSync(standinsFile); waited += 100) {
  if (waited > 30_000 || standins.exitCode !== null) throw new Error("the stand-ins did not start");
  await sleep(100);
}
Object.assign(env, JSON.parse(readFileSync(standinsFile, "utf8")).env);

const server = spawn(process.execPath, ["build/server.js"], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"])
  process.on(signal, () => {
    server.kill(signal);
    standins.kill(signal);
  });
server.on("exit", (code) => {
  standins.kill("SIGTERM");
  process.exit(code ?? 0);
});
