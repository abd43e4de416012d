import { z } from "zod";
import { trustedProxies } from "~/auth/client-ip.server";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().optional(),
  PORT: z.coerce.number().int().default(3000),
  /** Public origin, used in links in mail and in the origin check behind a proxy. */
  APP_URL: z.string().url().optional(),
  SESSION_SECRET: z.string().min(16).default("dev-only-secret-change-me"),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("议事堂 <noreply@yishitang.local>"),
  /** "0": the server does not run the mail worker in-process (run `npm run worker` copies instead). */
  MAIL_WORKER: z.enum(["0", "1"]).optional(),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  /** The proxies in front of the app whose X-Forwarded-For is believed: addresses, CIDR ranges, `loopback`, `private`. */
  TRUST_PROXY: z
    .string()
    .optional()
    .refine((v) => {
      try {
        trustedProxies(v);
        return true;
      } catch {
        return false;
      }
    }, "addresses, CIDR ranges, loopback or private, comma-separated"),
  /** Seed the demo estates on start (default: only on embedded PGlite). */
  SEED_DEMO: z.enum(["0", "1"]).optional(),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;
/** Environment checked once, at first use; a bad value stops the server with a clear message. */
export function env(): Env {
  if (!cached) {
    // An empty variable (DATABASE_URL= in a .env file) means unset.
    const set = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
    const parsed = schema.safeParse(set);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${JSON.stringify(parsed.error.flatten().fieldErrors)}`);
    }
    if (parsed.data.NODE_ENV === "production" && parsed.data.SESSION_SECRET === "dev-only-secret-change-me" && parsed.data.DATABASE_URL) {
      throw new Error("SESSION_SECRET must be set in production");
    }
    cached = parsed.data;
  }
  return cached;
}
