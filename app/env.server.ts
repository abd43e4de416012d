import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { trustedProxies } from "~/lib/client-ip.server";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().optional(),
  PORT: z.coerce.number().int().default(3000),
  /** Public origin, used in links in mail and in the origin check behind a proxy. */
  APP_URL: z.string().url().optional(),
  /** Unset: the embedded demo makes its own (see resolveSessionSecret); production on PostgreSQL refuses to start. */
  SESSION_SECRET: z.string().min(16).optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("议事堂 <noreply@yishitang.local>"),
  /** "0": the server does not run the mail worker in-process (run `npm run worker` copies instead). */
  MAIL_WORKER: z.enum(["0", "1"]).optional(),
  /** "0": this process does not run the fee jobs (checkout reconciliation, overdue reminders). */
  FEE_JOBS: z.enum(["0", "1"]).optional(),
  /** "0": this process does not run the ticket clocks (escalation to the committee, auto-close). */
  TICKET_CLOCKS: z.enum(["0", "1"]).optional(),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  /** "1": the sandbox payment provider on a production server on PostgreSQL (test deployments only). */
  PAYMENTS_SANDBOX: z.enum(["0", "1"]).optional(),
  /** Alipay third-party application (see README "Payments"): app id, its RSA2 private key, Alipay's public key. */
  ALIPAY_APP_ID: z.string().optional(),
  ALIPAY_APP_PRIVATE_KEY: z.string().optional(),
  ALIPAY_PUBLIC_KEY: z.string().optional(),
  /** Alipay's gateway; unset: https://openapi.alipay.com/gateway.do (another needs PAYMENTS_SANDBOX=1 in production). */
  ALIPAY_GATEWAY: z.string().url().optional(),
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
  /** The WeChat official account (服务号): AppID and AppSecret; both set turn on WeChat login and template messages. */
  WECHAT_APP_ID: z.string().optional(),
  WECHAT_APP_SECRET: z.string().optional(),
  /** The official account's API (default https://api.weixin.qq.com) and web-authorisation host (default https://open.weixin.qq.com). */
  WECHAT_API_BASE: z.string().url().optional(),
  WECHAT_OAUTH_BASE: z.string().url().optional(),
  /** Seed the demo estates on start (default: only on embedded PGlite). */
  SEED_DEMO: z.enum(["0", "1"]).optional(),
  /** "1": a production build may print local links (claim letters' QR codes): test deployments only (app/lib/public-origin.ts). */
  ALLOW_LOCAL_APP_URL: z.enum(["0", "1"]).optional(),
  /** The SMS carrier (README, "SMS"); unset: every SMS is held in the database (see /dev/sms). */
  SMS_PROVIDER: z.enum(["aliyun", "tencent"]).optional(),
  /** The approved SMS signature, without 【】 (e.g. 议事堂). */
  SMS_SIGN_NAME: z.string().optional(),
  /** JSON: template name (app/sms/templates.ts) → the carrier's template code (Alibaba SMS_…, Tencent digits). */
  SMS_TEMPLATES: z
    .string()
    .optional()
    .refine((v) => {
      try {
        const parsed: unknown = v === undefined ? {} : JSON.parse(v);
        return (
          typeof parsed === "object" &&
          parsed !== null &&
          !Array.isArray(parsed) &&
          Object.values(parsed).every((c) => typeof c === "string" && c !== "")
        );
      } catch {
        return false;
      }
    }, 'a JSON object of template codes, e.g. {"code":"SMS_123456789"}'),
  ALIYUN_SMS_ACCESS_KEY_ID: z.string().optional(),
  ALIYUN_SMS_ACCESS_KEY_SECRET: z.string().optional(),
  /** Unset: dysmsapi.aliyuncs.com; a URL for a local stand-in (tests). */
  ALIYUN_SMS_ENDPOINT: z.string().url().optional(),
  TENCENT_SMS_SECRET_ID: z.string().optional(),
  TENCENT_SMS_SECRET_KEY: z.string().optional(),
  /** The SMS application's SdkAppId (digits, from the Tencent Cloud SMS console). */
  TENCENT_SMS_APP_ID: z.string().optional(),
  TENCENT_SMS_REGION: z.string().default("ap-guangzhou"),
  /** Unset: sms.tencentcloudapi.com; a URL for a local stand-in (tests). */
  TENCENT_SMS_ENDPOINT: z.string().url().optional(),
  /** "0": this process does not run the vote reminders (two days before a vote closes). */
  VOTE_REMINDERS: z.enum(["0", "1"]).optional(),
  /** WeChat Pay APIv3, 服务商 mode (README "Payments"): all seven set, or none. */
  WECHATPAY_MCHID: z.string().optional(),
  WECHATPAY_APPID: z.string().optional(),
  WECHATPAY_PRIVATE_KEY: z.string().optional(),
  WECHATPAY_CERT_SERIAL: z.string().optional(),
  WECHATPAY_APIV3_KEY: z.string().optional(),
  WECHATPAY_PLATFORM_PUBLIC_KEY: z.string().optional(),
  WECHATPAY_PLATFORM_PUBLIC_KEY_ID: z.string().optional(),
  /** Tests only: a local stand-in instead of https://api.mch.weixin.qq.com. */
  WECHATPAY_BASE_URL: z.string().url().optional(),
  /** 32 bytes (base64 or 64 hex digits): encrypts estates' payment secrets (Alipay app_auth_token). */
  PAYMENT_SECRETS_KEY: z.string().optional(),
});

export type Env = Omit<z.infer<typeof schema>, "SESSION_SECRET"> & { SESSION_SECRET: string };

/** Used only in development and tests on PostgreSQL; never accepted in production. */
export const developmentSecret = "dev-only-secret-change-me";
/** Values that are public (this file, .env.example, old docs): a server that uses one can be forged against. */
export const publicSecrets: readonly string[] = [developmentSecret, "change-me-to-32-random-characters"];

/** Where the embedded demo keeps its generated secret: beside its PGlite data, in ./.data/ by default. */
export function demoSecretPath(pgliteDir: string | undefined): string {
  return `${path.resolve(pgliteDir ?? "./.data/pglite")}.session-secret`;
}

/**
 * The embedded demo's secret: 32 random bytes made on its first start and kept (mode 0600) in
 * its data folder, so every later start (and both module copies of one process) reads the same.
 */
export function demoSecret(file: string): string {
  try {
    const existing = readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    // "wx": of two processes starting at once only one writes; the other reads what it wrote.
    writeFileSync(file, `${secret}\n`, { flag: "wx", mode: 0o600 });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const written = readFileSync(file, "utf8").trim();
    if (written.length < 32) {
      // A file cut short (a start killed mid-write): replace it.
      writeFileSync(file, `${secret}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
      return secret;
    }
    return written;
  }
}

/**
 * SESSION_SECRET signs unsubscribe links, derives password-reset tokens and the sandbox's
 * webhook secret: a known one lets anyone forge those. So:
 * - set and not a published value: used;
 * - unset on the embedded demo (no DATABASE_URL, not under test): generated once, kept in the data folder;
 * - production otherwise (unset, or a published value such as the one in .env.example): the server refuses to start;
 * - development and tests on PostgreSQL: the development constant.
 */
export function resolveSessionSecret(
  config: Pick<z.infer<typeof schema>, "NODE_ENV" | "DATABASE_URL" | "PGLITE_DIR" | "SESSION_SECRET">,
): string {
  const given = config.SESSION_SECRET;
  if (given && !publicSecrets.includes(given)) return given;
  if (config.NODE_ENV === "production" && given) {
    throw new Error("SESSION_SECRET is a published example value; set a random one (e.g. `openssl rand -base64 32`)");
  }
  if (!config.DATABASE_URL && config.NODE_ENV !== "test") return demoSecret(demoSecretPath(config.PGLITE_DIR));
  if (config.NODE_ENV === "production") {
    throw new Error(
      "SESSION_SECRET must be set in production (a random value of 32 characters or more, e.g. `openssl rand -base64 32`)",
    );
  }
  return developmentSecret;
}

/** Checks an environment: throws with a clear message on a bad value or a production start without a real secret. */
export function checkEnv(source: Record<string, string | undefined>): Env {
  // An empty variable (DATABASE_URL= in a .env file) means unset.
  const set = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "" && v !== undefined));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${JSON.stringify(parsed.error.flatten().fieldErrors)}`);
  }
  checkSmsEnv(parsed.data);
  return { ...parsed.data, SESSION_SECRET: resolveSessionSecret(parsed.data) };
}

/** What each SMS carrier needs; a carrier named without it stops a production start (elsewhere: at first send). */
export const smsProviderKeys = {
  aliyun: ["ALIYUN_SMS_ACCESS_KEY_ID", "ALIYUN_SMS_ACCESS_KEY_SECRET", "SMS_SIGN_NAME", "SMS_TEMPLATES"],
  tencent: ["TENCENT_SMS_SECRET_ID", "TENCENT_SMS_SECRET_KEY", "TENCENT_SMS_APP_ID", "SMS_SIGN_NAME", "SMS_TEMPLATES"],
} as const;

function checkSmsEnv(config: z.infer<typeof schema>) {
  const provider = config.SMS_PROVIDER;
  if (!provider || config.NODE_ENV !== "production") return;
  const missing = smsProviderKeys[provider].filter((k) => !config[k]);
  if (missing.length > 0)
    throw new Error(`SMS_PROVIDER=${provider} needs ${missing.join(", ")} in production (README, "SMS")`);
}

/**
 * The background jobs a process runs, one flag each (default on, "0" off): turning one off
 * leaves the others running. All are safe in several processes at once.
 */
export function backgroundJobs(
  config: Pick<Env, "MAIL_WORKER" | "FEE_JOBS" | "TICKET_CLOCKS"> & Partial<Pick<Env, "VOTE_REMINDERS">>,
) {
  return {
    mailWorker: config.MAIL_WORKER !== "0",
    feeJobs: config.FEE_JOBS !== "0",
    ticketClocks: config.TICKET_CLOCKS !== "0",
    voteReminders: config.VOTE_REMINDERS !== "0",
  };
}

let cached: Env | undefined;
/** Environment checked once, at first use; a bad value stops the server with a clear message. */
export function env(): Env {
  cached ??= checkEnv(process.env);
  return cached;
}
