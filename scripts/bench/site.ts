// The production build on a fresh database with the demo data, for the page benchmarks
// (bench:weight, bench:lighthouse): built first when the sources are newer, served by
// scripts/e2e-server.mjs (database yst_e2e_<port> on DATABASE_URL's server, else a fresh PGlite).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { buildIsStale } from "../build-stale.mjs";

export const demoOwner = "owner@demo.yishitang.cn";

export interface Site {
  base: string;
  stop: () => Promise<void>;
}

export async function startSite(port: number): Promise<Site> {
  if (buildIsStale()) {
    console.log("Building…");
    const r = spawnSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("the build failed");
  }
  const server: ChildProcess = spawn(process.execPath, ["scripts/e2e-server.mjs"], {
    env: { ...process.env, PORT: String(port), E2E_SMTP_PORT: String(port + 1000) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://localhost:${port}`;
  const exited = new Promise<never>((_, reject) =>
    server.on("exit", (code) => reject(new Error(`the server exited with ${code}`))),
  );
  const deadline = Date.now() + 180_000;
  for (;;) {
    const up = await Promise.race([
      fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
      exited,
    ]);
    if (up) break;
    if (Date.now() > deadline) throw new Error("the server did not come up in 3 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    base,
    stop: () =>
      new Promise<void>((resolve) => {
        server.removeAllListeners("exit");
        server.on("exit", () => resolve());
        server.kill("SIGTERM");
      }),
  };
}

/** The session cookie (`name=value`) of a demo account, logged in through the form's POST. */
export async function logInCookie(base: string, email: string, password = "yishitang-demo") {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ identifier: email, password, redirectTo: "/" }),
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  if (!cookie.startsWith("yst_session=")) throw new Error(`login as ${email} failed: ${res.status}`);
  return cookie;
}

/** The path of the open vote's proposal page (the seed's renewal of the property company). */
export async function openProposalPath(base: string, cookie: string) {
  const html = await (await fetch(`${base}/e/yixin/proposals`, { headers: { Cookie: cookie } })).text();
  const m = html.match(/href="(\/e\/yixin\/proposals\/[0-9a-f-]{36})"[^>]*>(?:<[^>]+>)*续聘/);
  if (!m) throw new Error("no link to the open vote on the proposals page");
  return m[1];
}
