// Node module hook for tests/attack-server.ts: a Vite "?url" import (root.tsx's stylesheet)
// becomes an empty URL string, as the server-rendered HTML needs no stylesheet.
export async function resolve(specifier, context, next) {
  if (specifier.endsWith("?url")) return { url: "data:text/javascript,export default ''", shortCircuit: true };
  return next(specifier, context);
}
