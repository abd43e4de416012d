import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  resolve: {
    alias: {
      "~": fileURLToPath(new URL("./app", import.meta.url)),
      "#db": fileURLToPath(new URL("./db", import.meta.url)),
    },
  },
  server: { port: 3000 },
  // Server-only packages must not be pre-bundled for the browser (see STACK.md).
  // Client packages pre-bundled up front, so the first page load does not re-optimise and
  // end up with two copies of React.
  optimizeDeps: {
    include: [
      "react",
      "react-dom",
      "react-dom/client",
      "react-i18next",
      "i18next",
      "@conform-to/react",
      "@conform-to/zod",
      "zod",
    ],
    exclude: [
      "@electric-sql/pglite",
      "postgres",
      "drizzle-orm",
      "lucia",
      "@lucia-auth/adapter-drizzle",
      "stripe",
      "nodemailer",
      "@react-email/components",
      "@react-email/render",
    ],
  },
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
        v3_routeConfig: true,
      },
    }),
  ],
});
