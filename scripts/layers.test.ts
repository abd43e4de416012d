import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { allowed, featureEdges, root } from "./layers.rules.mjs";

const platformFolders = new Set(["lib", "ui", "i18n", "routes", "styles"]);

describe("layers", () => {
  it("declares every feature folder, and its feature edges have no cycle", () => {
    const folders = readdirSync(join(root, "app")).filter(
      (n) => statSync(join(root, "app", n)).isDirectory() && !platformFolders.has(n),
    );
    expect(Object.keys(featureEdges).sort()).toEqual(folders.sort());
    const edges = featureEdges as Record<string, string[]>;
    const done = new Set<string>();
    const visiting: string[] = [];
    const visit = (f: string) => {
      if (done.has(f)) return;
      expect(visiting, `cycle through ${[...visiting, f].join(" → ")}`).not.toContain(f);
      visiting.push(f);
      for (const g of edges[f]) visit(g);
      visiting.pop();
      done.add(f);
    };
    for (const f of Object.keys(edges)) visit(f);
  });

  it("lets each layer import only downwards", () => {
    expect(allowed("routes", "feature:voting")).toBe(true);
    expect(allowed("feature:committee", "feature:voting")).toBe(true);
    expect(allowed("feature:voting", "feature:committee")).toBe(false);
    expect(allowed("feature:fees", "feature:payments")).toBe(true);
    expect(allowed("feature:payments", "feature:fees")).toBe(false);
    expect(allowed("feature:notify", "feature:auth")).toBe(false);
    expect(allowed("feature:voting", "lib")).toBe(true);
    expect(allowed("lib", "feature:voting")).toBe(false);
    expect(allowed("emails", "feature:notify")).toBe(false);
    expect(allowed("catalogue", "feature:fees")).toBe(false);
    expect(allowed("db", "feature:auth")).toBe(false);
    expect(allowed("feature:voting", "routes")).toBe(false);
    expect(allowed("seed", "feature:voting")).toBe(true);
    expect(allowed("feature:voting", "seed")).toBe(false);
  });

  it("fails lint on a back-edge and passes a downward import", async () => {
    const eslint = new ESLint({ cwd: root });
    const lint = async (file: string, code: string) =>
      (await eslint.lintText(code, { filePath: join(root, file) }))[0].messages.map((m) => m.ruleId);
    expect(
      await lint(
        "app/payments/probe.server.ts",
        'import { receiveWebhook } from "~/fees/webhook.server";\nexport const x = receiveWebhook;\n',
      ),
    ).toContain("layers/downward");
    expect(
      await lint("app/notify/probe.server.ts", 'export { requireUser } from "~/auth/session.server";\n'),
    ).toContain("layers/downward");
    expect(
      await lint(
        "db/probe.ts",
        'import { hashPassword } from "../app/auth/password.server";\nexport const x = hashPassword;\n',
      ),
    ).toContain("layers/downward");
    expect(
      await lint(
        "emails/probe.tsx",
        'import { enqueue } from "../app/notify/outbox.server";\nexport const x = enqueue;\n',
      ),
    ).toContain("layers/downward");
    expect(
      await lint("app/committee/probe.server.ts", 'import { tally } from "~/voting/tally";\nexport const x = tally;\n'),
    ).toEqual([]);
    expect(
      await lint(
        "app/fees/probe.server.ts",
        'import type { PaymentProvider } from "~/payments/provider.server";\nexport type X = PaymentProvider;\n',
      ),
    ).toEqual([]);
  }, 60_000);
});
