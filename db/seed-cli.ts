import { connectFromEnv, setDb } from "./client";
import { isSeeded, seedDemo } from "./seed";

// `npm run db:seed`: seed the database the environment names (skips one already seeded).
const handle = connectFromEnv();
setDb(handle); // feature commands used by the seed (voting) run on this handle
await handle.migrate();
if (await isSeeded(handle.db)) console.log("Already seeded; nothing to do.");
else {
  await seedDemo(handle.db);
  console.log("Seeded the demo estates.");
}
await handle.close();
