// Whether build/ is older than the sources it is made from (npm start and the page benchmarks
// build only then).
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function buildIsStale() {
  const sources = ["app", "server", "db", "emails", "public", "vite.config.ts", "package-lock.json"].filter(existsSync);
  const sourceTime = Math.max(...sources.map((s) => (statSync(s).isDirectory() ? newest(s) : statSync(s).mtimeMs)));
  return !existsSync("build/server.js") || statSync("build/server.js").mtimeMs < sourceTime;
}
