// Runs after `npm install` (the "postinstall" script, after patch-postgres.mjs): fixes a defect in
// React 18.3's streaming server renderer that puts NUL bytes into pages (upstream: react issues
// 27554 and 31134; fixed in React 19, not in 18.x).
//
// writeStringChunk encodes text into a 2048-byte view. When a multi-byte character (every Chinese
// character is three bytes in UTF-8) does not fit in what is left of the view, it sends the WHOLE
// view, its unused tail of zero bytes included, then starts a new one. A Chinese page thus gets
// one or two NUL bytes wherever a character meets a 2048-byte boundary: browsers show a
// replacement character there, and tests looking for the text fail. The patch sends only the
// bytes written, as React 19 does. Idempotent; says so and changes nothing if react-dom no longer
// has the code it patches.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const marker = "/* yishitang: written bytes only */";
const root = path.resolve("node_modules/react-dom/cjs");
const patches = {
  "react-dom-server.node.production.min.js": ["d<b.length&&(t(a,k),", `d<b.length&&(t(a,k.subarray(0,l)${marker}),`],
  "react-dom-server.node.development.js": [
    "  if (read < stringChunk.length) {\n    writeToDestination(destination, currentView);",
    `  if (read < stringChunk.length) {\n    ${marker}\n    writeToDestination(destination, currentView.subarray(0, writtenBytes));`,
  ],
};

let patched = 0;
for (const [name, [from, to]] of Object.entries(patches)) {
  const file = path.join(root, name);
  if (!existsSync(file)) continue;
  const source = readFileSync(file, "utf8");
  if (source.includes(marker)) continue;
  if (source.split(from).length !== 2) {
    console.warn(
      `patch-react-dom: ${name} is not the code this patch knows; left alone (check whether React fixed it).`,
    );
    continue;
  }
  writeFileSync(file, source.replace(from, to));
  patched++;
}
if (patched) console.log(`patch-react-dom: streamed text sends only the bytes written, in ${patched} file(s)`);
