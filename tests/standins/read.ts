import { readFileSync } from "node:fs";

/** What tests/standins/serve.ts wrote for this e2e run: the app's env and each stand-in's info. */
export function standinsOfRun(port = Number(process.env.E2E_PORT ?? 3210)): {
  env: Record<string, string>;
  info: Record<string, Record<string, unknown>>;
} {
  return JSON.parse(readFileSync(standinsFile(port), "utf8"));
}

export function standinsFile(port: number | string): string {
  return `.data/e2e-${port}/standins.json`;
}
