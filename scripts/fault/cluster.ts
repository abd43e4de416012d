// A private PostgreSQL cluster in a temporary directory, for fault tests that stop and restart
// the database server (never the shared one). Uses the Debian/Ubuntu server binaries
// (/usr/lib/postgresql/<version>/bin, or PG_BIN); PostgreSQL refuses to run as root, so as root
// every command runs as the `postgres` user (runuser) in a directory it owns.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
    : [];
  if (versions.length === 0)
    throw new Error(
      "No PostgreSQL server binaries: install postgresql or set PG_BIN to the directory holding initdb and pg_ctl.",
    );
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
}

/** A loopback port nobody listens on, from `from` upward. */
export async function freePort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port from ${from}`);
}

export interface Cluster {
  url: string;
  port: number;
  dir: string;
  start(): Promise<void>;
  /** mode "fast" rolls back open transactions and disconnects clients; "immediate" is a crash. */
  stop(mode?: "fast" | "immediate"): Promise<void>;
  destroy(): void;
}

export async function createCluster(options: { port?: number } = {}): Promise<Cluster> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const command = (cmd: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
  const run = (cmd: string, args: string[]) =>
    execFileSync(...command(cmd, args), { stdio: ["ignore", "pipe", "pipe"] });
  // Asynchronous, so the clients keep running while the server stops and starts.
  const runAsync = async (cmd: string, args: string[]) => void (await promisify(execFile)(...command(cmd, args)));
  const dir = mkdtempSync(path.join(tmpdir(), "yst-fault-pg-"));
  if (asRoot) {
    const ids = execFileSync("id", ["-u", "postgres"]).toString().trim();
    const gid = execFileSync("id", ["-g", "postgres"]).toString().trim();
    chownSync(dir, Number(ids), Number(gid));
  }
  const data = path.join(dir, "data");
  const port = await freePort(options.port ?? 5499);
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c max_connections=200",
    "-c shared_buffers=64MB",
  ].join(" ");
  const cluster: Cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    start: () =>
      runAsync("pg_ctl", ["-D", data, "-o", settings, "-l", path.join(dir, "log"), "-w", "-t", "60", "start"]),
    stop: (mode = "fast") => runAsync("pg_ctl", ["-D", data, "-m", mode, "-w", "-t", "60", "stop"]),
    destroy: () => {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
