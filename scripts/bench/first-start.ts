// `npm run bench:start`: the newcomer's first start on embedded PGlite from a clean data
// directory (migrations + demo seed + serving), then the time to serve the estate home page to
// a logged-in owner. Needs a build (`npm run build`); install time is not counted.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const port = Number(process.env.BENCH_PORT ?? 3299);
const dataDir = mkdtempSync(path.join(tmpdir(), "yst-first-start-"));
const base = `http://localhost:${port}`;

const t0 = performance.now();
const server = spawn(process.execPath, ["build/server.js"], {
  env: {
    ...process.env,
    DATABASE_URL: "",
    PGLITE_DIR: dataDir,
    PORT: String(port),
    NODE_ENV: "production",
    SESSION_SECRET: "bench-only-secret-0123456789",
  },
  stdio: ["ignore", "pipe", "inherit"],
});
await new Promise<void>((resolve, reject) => {
  server.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("is running at") && resolve());
  server.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
});
const ready = performance.now() - t0;

const login = await fetch(`${base}/login`, {
  method: "POST",
  redirect: "manual",
  headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ identifier: "owner@demo.yishitang.cn", password: "yishitang-demo", redirectTo: "/" }),
});
const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
if (!cookie.startsWith("yst_session=")) throw new Error(`login failed: ${login.status}`);

const times: number[] = [];
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  const res = await fetch(`${base}/e/yixin`, { headers: { Cookie: cookie } });
  await res.text();
  if (res.status !== 200) throw new Error(`estate home: ${res.status}`);
  times.push(performance.now() - t);
}
server.kill("SIGTERM");
rmSync(dataDir, { recursive: true, force: true });
const sorted = [...times].sort((a, b) => a - b);
console.log(`first start on PGlite (migrate + seed + listen): ${Math.round(ready)} ms`);
console.log(`estate home, first request: ${Math.round(times[0])} ms; median of next 19: ${Math.round(sorted[10])} ms`);
