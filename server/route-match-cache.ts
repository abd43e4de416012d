// Remix matches the request's path against the route tree before it runs any loader, and
// @remix-run/router's matchRoutes flattens and ranks the whole tree (79 routes: compilePath,
// computeScore, a sort) on every call. Server-side the tree is built once per build, so the
// answer for a path never changes: remember it per tree (a WeakMap, so a rebuilt tree in
// development starts afresh) and per path (at most `limit` paths per tree, then start over).
// Callers get copies, so none can change what another will be given.
import { createRequire } from "node:module";

type Match = { params: Record<string, string | undefined>; pathname: string; pathnameBase: string; route: unknown };
type MatchRoutes = (routes: object, location: string | { pathname?: string }, basename?: string) => Match[] | null;

const limit = 5_000;

export function cacheRouteMatching() {
  // The CommonJS build is the one @remix-run/server-runtime and react-router call through (`router.matchRoutes(...)`).
  const router = createRequire(import.meta.url)("@remix-run/router") as {
    matchRoutes: MatchRoutes & { cached?: true };
  };
  if (router.matchRoutes.cached) return;
  const original = router.matchRoutes;
  const trees = new WeakMap<object, Map<string, Match[] | null>>();
  const cached: MatchRoutes & { cached?: true } = (routes, location, basename) => {
    const pathname = typeof location === "string" ? location : location.pathname;
    // Strings with a search or hash, or a location without a pathname: not worth a key of their own.
    if (pathname === undefined || /[?#]/.test(pathname)) return original(routes, location, basename);
    let paths = trees.get(routes);
    if (!paths) trees.set(routes, (paths = new Map()));
    const key = `${basename ?? ""}\n${pathname}`;
    let matches = paths.get(key);
    if (matches === undefined) {
      matches = original(routes, location, basename);
      if (paths.size >= limit) paths.clear();
      paths.set(key, matches);
    }
    return matches && matches.map((m) => ({ ...m, params: { ...m.params } }));
  };
  cached.cached = true;
  router.matchRoutes = cached;
}
