import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import { getDb, schema, type Db } from "#db/client";

// Lucia is kept inside this one module (see docs/decisions/003-sessions.md).
function createLucia(db: Db, secure: boolean) {
  return new Lucia(new DrizzlePostgreSQLAdapter(db as never, schema.sessions, schema.users), {
    // Sliding expiry: a session used within the last half of its life is renewed, so it
    // expires only after 14 idle days.
    sessionExpiresIn: new TimeSpan(14, "d"),
    sessionCookie: {
      name: "yst_session",
      expires: true,
      attributes: { secure, sameSite: "lax" },
    },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      displayName: attributes.displayName,
      locale: attributes.locale,
    }),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: { email: string | null; displayName: string; locale: string };
  }
}

const cache = new WeakMap<Db, ReturnType<typeof createLucia>>();

export function getLucia(db: Db = getDb()) {
  let lucia = cache.get(db);
  if (!lucia) {
    // Secure cookies when the public origin is https (APP_URL, required in production).
    lucia = createLucia(db, (process.env.APP_URL ?? "").startsWith("https:"));
    cache.set(db, lucia);
  }
  return lucia;
}
