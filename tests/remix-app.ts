import type { ServerBuild } from "@remix-run/node";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createApp } from "../server/app";
import * as entry from "../app/entry.server";
import * as root from "../app/root";

/**
 * The real server (server/app.ts: security headers, origin check, session cookie, Remix
 * handler) over the real route modules, without a Vite build: the route table comes from the
 * same flat-routes convention the Remix plugin uses, the modules from the source (under Vitest,
 * or under tsx with tests/url-import-hook.mjs in tests/attack-server.ts). Browser
 * assets are absent (no client bundle), which a test reading server-rendered HTML and
 * statuses does not need.
 */
const future = {
  v3_fetcherPersist: true,
  v3_relativeSplatPath: true,
  v3_throwAbortReason: true,
  v3_lazyRouteDiscovery: true,
  v3_singleFetch: true,
};

let cached: Promise<ServerBuild> | undefined;

export function testServerBuild(): Promise<ServerBuild> {
  cached ??= (async () => {
    const manifest = flatRoutes(path.resolve("app"));
    const routes: ServerBuild["routes"] = { root: { id: "root", path: "", module: root as never } };
    const assetRoutes: ServerBuild["assets"]["routes"] = {};
    const describe = (
      id: string,
      mod: Record<string, unknown>,
      r: { parentId?: string; path?: string; index?: boolean },
    ) => ({
      id,
      parentId: r.parentId,
      path: r.path,
      index: r.index,
      hasAction: typeof mod.action === "function",
      hasLoader: typeof mod.loader === "function",
      hasClientAction: false,
      hasClientLoader: false,
      hasErrorBoundary: typeof mod.ErrorBoundary === "function",
      module: `/test-assets/${id}.js`,
      imports: [],
    });
    assetRoutes.root = describe("root", root, { path: "" });
    for (const r of Object.values(manifest)) {
      const mod = (await import(path.resolve("app", r.file))) as Record<string, unknown>;
      routes[r.id] = {
        id: r.id,
        parentId: r.parentId,
        path: r.path,
        index: r.index,
        caseSensitive: r.caseSensitive,
        module: mod as never,
      };
      assetRoutes[r.id] = describe(r.id, mod, r);
    }
    return {
      mode: "production",
      entry: { module: entry as never },
      routes,
      assets: {
        entry: { imports: [], module: "/test-assets/entry.client.js" },
        routes: assetRoutes,
        url: "/test-assets/manifest.js",
        version: "test",
      },
      publicPath: "/",
      assetsBuildDirectory: "build/client",
      future: future as ServerBuild["future"],
      isSpaMode: false,
    } satisfies ServerBuild;
  })();
  return cached;
}

/** The Express app listening on a free port of 127.0.0.1; `origin` is what a same-site form posts as Origin. */
export async function startTestApp() {
  const app = createApp({ getBuild: testServerBuild, production: true });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
