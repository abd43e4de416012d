// The import graph between layers and feature folders: its edges, the edges that break the
// rules in scripts/layers.rules.mjs, and any cycle among folders.
// `node scripts/layers.mjs` (`--files`: the imports behind each edge). Exit 1 on a cycle or a bad edge.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { allowed, elementOf, isPending, pending, resolveImport, root } from "./layers.rules.mjs";

const files = [];
const walk = (d) => {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (n === "node_modules" || n === "migrations") continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(ts|tsx|mjs)$/.test(n)) files.push(p);
  }
};
for (const r of ["app", "db", "emails"]) walk(join(root, r));

const re = /(?:import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
const edges = new Map();
const bad = [];
const seenPending = new Set();
for (const f of files) {
  const a = elementOf(f);
  if (a === "test") continue;
  for (const m of readFileSync(f, "utf8").matchAll(re)) {
    const target = resolveImport(f, m[2] ?? m[3]);
    if (!target) continue;
    const b = elementOf(target);
    const line = `${relative(root, f)} -> ${relative(root, target)}`;
    if (isPending(f, target)) seenPending.add(line);
    const typeOnly = !!m[1];
    if (!isPending(f, target) && !allowed(a, b, { typeOnly, fromFile: f, toFile: target })) bad.push(line);
    if (a === b || (typeOnly && allowed(a, b, { typeOnly, fromFile: f, toFile: target }) && !allowed(a, b))) continue;
    const k = `${a} -> ${b}`;
    if (!edges.has(k)) edges.set(k, []);
    edges.get(k).push(line);
  }
}

// Cycles among elements (Tarjan's strongly connected components).
function cyclesOf(keys) {
  const adj = new Map();
  for (const k of keys) {
    const [a, b] = k.split(" -> ");
    for (const v of [a, b]) if (!adj.has(v)) adj.set(v, []);
    adj.get(a).push(b);
  }
  let n = 0;
  const stack = [],
    on = new Set(),
    ix = new Map(),
    low = new Map(),
    cycles = [];
  const visit = (v) => {
    ix.set(v, n);
    low.set(v, n++);
    stack.push(v);
    on.add(v);
    for (const w of adj.get(v)) {
      if (!ix.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), ix.get(w)));
    }
    if (low.get(v) === ix.get(v)) {
      const c = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) cycles.push(c.sort());
    }
  };
  for (const v of adj.keys()) if (!ix.has(v)) visit(v);
  return cycles;
}
const pendingLines = new Set(pending.map((p) => `${p.from} -> ${p.to}`));
const withoutPending = [...edges.keys()].filter((k) => edges.get(k).some((l) => !pendingLines.has(l)));
const cycles = cyclesOf(withoutPending);
const cyclesWithPending = cyclesOf(edges.keys());

const showFiles = process.argv.includes("--files");
for (const k of [...edges.keys()].sort()) {
  console.log(`${k}  (${edges.get(k).length})`);
  if (showFiles) for (const l of edges.get(k)) console.log(`    ${l}`);
}
for (const p of pending) {
  const line = `${p.from} -> ${p.to}`;
  console.log(
    seenPending.has(line)
      ? `pending back-edge (until ${p.until}): ${line}`
      : `pending back-edge gone, remove it from scripts/layers.rules.mjs: ${line}`,
  );
}
for (const l of bad) console.log(`not allowed: ${l}`);
console.log(
  cycles.length
    ? `${cycles.length} cycle(s):`
    : `no cycle among folders${seenPending.size ? " but for the pending back-edges" : ""}`,
);
for (const c of cycles) console.log(`  ${c.join(", ")}`);
if (seenPending.size) for (const c of cyclesWithPending) console.log(`  with the pending back-edges: ${c.join(", ")}`);
process.exitCode = cycles.length || bad.length ? 1 : 0;
