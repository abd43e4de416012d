// `npm start`: the one command a newcomer runs. Installs dependencies when missing, builds when
// the sources are newer than the build, then serves the built site (migrations run, and on the
// embedded database the demo data is seeded, as the server starts).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { buildIsStale } from "./build-stale.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!existsSync("node_modules/.package-lock.json")) {
  console.log("Installing dependencies (npm ci)…");
  run(npm, ["ci", "--no-audit", "--no-fund"]);
}

if (buildIsStale()) {
  console.log("Building…");
  run(npm, ["run", "build", "--silent"]);
}

const server = spawn(process.execPath, ["build/server.js"], {
  stdio: "inherit",
  env: { NODE_ENV: "production", ...process.env },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
