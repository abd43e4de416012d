// The layers and the allowed imports between them: one table, read by ESLint (eslint.config.js,
// rule `layers/downward`) and by `node scripts/layers.mjs` (the folder graph and its cycles).
// README.md ("Layers") draws the same thing.
import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The services every other feature may use: audit and sms use no feature; notify sends
 * through sms; auth (accounts, sessions, guards) uses those; payments uses none; board (the
 * estate's notice board) posts with an audit record and tells people through notify.
 */
const services = {
  audit: [],
  board: ["audit", "notify"],
  sms: [],
  notify: ["sms", "wechat"],
  auth: ["audit", "notify", "sms", "wechat"],
  payments: [],
  wechat: ["audit"],
};
const serviceNames = Object.keys(services).filter((s) => s !== "payments");

/**
 * Which other features each feature may import, besides the services (and the platform below).
 * Downwards only, no cycle (scripts/layers.test.ts checks): community composes the others'
 * figures; committee elects and decides by voting's rules; tickets drafts a proposal from the
 * scorecard; estates edits voting's settings; claims checks the roster; fees takes payments
 * through the one PaymentProvider interface (payments knows nothing of fees).
 */
const domainEdges = {
  account: [],
  calendar: [],
  claims: ["roster"],
  committee: ["estates", "voting"],
  community: ["committee", "fees", "tickets", "voting"],
  estates: [],
  fees: ["payments"],
  grants: [],
  roster: [],
  tickets: ["voting"],
  voting: ["estates"],
};

/** Feature → the features it may import. */
export const featureEdges = {
  ...services,
  ...Object.fromEntries(Object.entries(domainEdges).map(([f, to]) => [f, [...serviceNames, ...to]])),
};

/** Layers below the features, and what each may import. */
const platformEdges = {
  lib: ["lib", "catalogue", "db"],
  catalogue: ["catalogue", "db"],
  i18n: ["i18n", "catalogue", "lib"],
  ui: ["ui", "i18n", "catalogue", "lib"],
  emails: ["emails", "catalogue", "lib", "db"],
  db: ["db"],
};
const platform = ["lib", "catalogue", "i18n", "ui", "emails", "db"];

/**
 * Back-edges other parts of issue 13 remove (the upload store and the Beijing dates move into
 * app/lib). Listed by file so no new one hides behind them; `node scripts/layers.mjs` says when
 * one is gone and its line can go.
 */
export const pending = [];

/** The element a file belongs to: "feature:<name>", a platform layer, "routes", "seed", "entry" or "test". */
export function elementOf(file) {
  const rel = relative(root, file).split("\\").join("/");
  const parts = rel.split("/");
  if (/\.test\.tsx?$/.test(rel) || parts[0] === "tests") return "test";
  if (parts[0] === "server" || parts[0] === "scripts") return "entry";
  if (rel === "db/seed.ts" || rel === "db/seed-cli.ts" || (parts[0] === "db" && parts[1] === "seed")) return "seed";
  if (parts[0] === "db") return "db";
  if (parts[0] === "emails") return "emails";
  if (parts[0] !== "app") return "other";
  if (rel.endsWith(".messages.ts") || rel === "app/i18n/define.ts") return "catalogue";
  if (parts.length === 2) return rel === "app/env.server.ts" ? "lib" : "routes"; // root.tsx, entry.*, routes.ts
  if (parts[1] === "routes") return "routes";
  if (parts[1] === "lib") return "lib";
  if (parts[1] === "i18n") return "i18n";
  if (parts[1] === "ui" || parts[1] === "styles") return "ui";
  return `feature:${parts[1]}`;
}

/**
 * Whether `from` may import `to`; elements, not files. A catalogue may also import types from its
 * own folder (the keys it translates): types leave nothing behind at run time.
 */
export function allowed(from, to, { typeOnly = false, fromFile = "", toFile = "" } = {}) {
  if (from === to) return true;
  if (from === "catalogue" && typeOnly && dirname(fromFile) === dirname(toFile)) return true;
  if (from === "entry" || from === "test" || from === "other") return true;
  if (to === "entry" || to === "test") return false;
  if (from === "seed") return to !== "routes";
  if (to === "seed") return false;
  if (from === "routes") return true;
  if (to === "routes") return false;
  if (from.startsWith("feature:")) {
    if (platform.includes(to)) return true;
    return to.startsWith("feature:") && featureEdges[from.slice(8)]?.includes(to.slice(8)) === true;
  }
  return platformEdges[from]?.includes(to) === true;
}

export function isPending(fromFile, toFile) {
  const a = relative(root, fromFile),
    b = relative(root, toFile);
  return pending.some((p) => p.from === a && p.to === b);
}

const exts = ["", ".ts", ".tsx", ".mjs", ".js", "/index.ts", "/index.tsx"];
/** The file an import names (project files only; packages give null). */
export function resolveImport(fromFile, spec) {
  let base;
  if (spec.startsWith("~/")) base = join(root, "app", spec.slice(2));
  else if (spec.startsWith("#db/")) base = join(root, "db", spec.slice(4));
  else if (spec.startsWith(".")) base = resolve(dirname(fromFile), spec);
  else return null;
  base = base.replace(/\?.*$/, "");
  for (const e of exts) if (existsSync(base + e) && statSync(base + e).isFile()) return base + e;
  return null;
}

const label = (element) => (element.startsWith("feature:") ? `app/${element.slice(8)}` : element);

/** ESLint plugin: `layers/downward` fails an import that is not an allowed edge. */
export const layersPlugin = {
  rules: {
    downward: {
      meta: {
        type: "problem",
        docs: { description: "Layers import downwards only (scripts/layers.rules.mjs)" },
        schema: [],
      },
      create(context) {
        const from = elementOf(context.filename);
        const check = (node, spec, typeOnly = false) => {
          if (typeof spec !== "string") return;
          const target = resolveImport(context.filename, spec);
          if (!target) return;
          const to = elementOf(target);
          if (
            allowed(from, to, { typeOnly, fromFile: context.filename, toFile: target }) ||
            isPending(context.filename, target)
          )
            return;
          context.report({
            node,
            message: `${label(from)} may not import ${label(to)} (${relative(root, target)}): layers import downwards only; the allowed edges are in scripts/layers.rules.mjs and README.md (Layers).`,
          });
        };
        return {
          ImportDeclaration: (node) =>
            check(
              node.source,
              node.source.value,
              node.importKind === "type" ||
                (node.specifiers.length > 0 && node.specifiers.every((x) => x.importKind === "type")),
            ),
          ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
          ExportAllDeclaration: (node) => check(node.source, node.source.value),
          ImportExpression: (node) => node.source.type === "Literal" && check(node.source, node.source.value),
        };
      },
    },
  },
};
