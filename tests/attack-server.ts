// One app instance for attacks-login.test.ts: the real server (server/app.ts over the route
// modules, tests/remix-app.ts) on DATABASE_URL, in a process of its own. Run with tsx; prints
// {"port": n} once it listens.
import { register } from "node:module";

register("./url-import-hook.mjs", import.meta.url);
const { createApp } = await import("../server/app");
const { testServerBuild } = await import("./remix-app");

const app = createApp({ getBuild: testServerBuild, production: true });
await testServerBuild();
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 }));
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
