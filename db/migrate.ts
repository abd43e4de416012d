import { connectFromEnv } from "./client";

// `npm run db:migrate`: apply the committed migrations to the database the environment names.
const handle = connectFromEnv();
await handle.migrate();
await handle.close();
console.log(`Migrations applied (${handle.kind}).`);
