// Runs after `npm install` (the "postinstall" script): fixes a defect in postgres.js 3.4.x that
// takes the whole process down when PostgreSQL restarts under load (found by `npm run
// fault:restart`; upstream: porsager/postgres issues 1154 and 1208, fixes proposed in pull
// requests 1168, 1176 and 1209, none released as of 3.4.9).
//
// connection.js batches small writes behind a setImmediate. When the socket closes before it
// fires, closed() nulls the socket and cancels the timer but leaves the variable set, so
//   1. a write queued after that reaches `socket.write` on null: an uncaught TypeError from a
//      timer callback, which no try/catch can catch, and the server exits;
//   2. the connection, once reconnected, never schedules another flush (the stale timer looks
//      armed), so its small queries wait forever.
// The patch resets the timer and the buffered bytes when the socket goes, and makes a flush with
// no socket fail the connection's queries with CONNECTION_CLOSED (the app answers 503) instead.
// Idempotent; says so and changes nothing if postgres.js no longer has the code it patches.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const marker = "/* yishitang: nextWrite guard */";
const root = path.resolve("node_modules/postgres");
const files = ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"]
  .map((f) => path.join(root, f))
  .filter(existsSync);

const replacements = [
  [
    "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    `  function nextWrite(fn) {\n    ${marker}\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  [
    "    clearImmediate(nextWriteTimer)\n    if (socket) {",
    "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {",
  ],
  [
    "    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)",
    "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)",
  ],
];

let patched = 0;
for (const file of files) {
  let source = readFileSync(file, "utf8");
  if (source.includes(marker)) continue;
  if (!replacements.every(([from]) => source.split(from).length === 2)) {
    console.warn(
      `patch-postgres: ${path.relative(process.cwd(), file)} is not the code this patch knows; left alone (check whether postgres.js fixed the nextWrite crash).`,
    );
    continue;
  }
  for (const [from, to] of replacements) source = source.replace(from, to);
  writeFileSync(file, source);
  patched++;
}
if (patched) console.log(`patch-postgres: guarded nextWrite in ${patched} file(s) of postgres.js`);
