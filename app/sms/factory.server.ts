import { env, smsProviderKeys, type Env } from "~/env.server";
import { aliyunSmsProvider } from "./aliyun.server";
import { heldSmsProvider, type SmsProvider } from "./provider.server";
import { tencentSmsProvider } from "./tencent.server";
import { smsTemplates } from "./templates";

// One provider per process, on globalThis like the database handle (tests hand in their own).
const key = Symbol.for("yishitang.sms");
type Holder = { [key]?: SmsProvider };

/**
 * The carrier's template code for each of our templates, from SMS_TEMPLATES. In production every
 * template must have one (a message without a code could not be sent); elsewhere a missing code
 * is the template's own name, which a stand-in accepts.
 */
export function templateCodes(config: Pick<Env, "SMS_TEMPLATES" | "NODE_ENV">): (template: string) => string {
  const codes = JSON.parse(config.SMS_TEMPLATES ?? "{}") as Record<string, string>;
  if (config.NODE_ENV === "production") {
    const missing = Object.keys(smsTemplates).filter((name) => !codes[name]);
    if (missing.length > 0) throw new Error(`SMS_TEMPLATES has no template code for: ${missing.join(", ")}`);
  }
  return (template) => codes[template] ?? template;
}

/** From the environment (README, "SMS"); without SMS_PROVIDER every message is held (kept, never sent). */
export function smsProviderFromEnv(config: Env = env()): SmsProvider {
  const provider = config.SMS_PROVIDER;
  if (!provider) return heldSmsProvider;
  const missing = smsProviderKeys[provider].filter((k) => !config[k]);
  if (missing.length > 0) throw new Error(`SMS_PROVIDER=${provider} needs ${missing.join(", ")}`);
  const templateCode = templateCodes(config);
  if (provider === "aliyun")
    return aliyunSmsProvider({
      accessKeyId: config.ALIYUN_SMS_ACCESS_KEY_ID!,
      accessKeySecret: config.ALIYUN_SMS_ACCESS_KEY_SECRET!,
      signName: config.SMS_SIGN_NAME!,
      templateCode,
      endpoint: config.ALIYUN_SMS_ENDPOINT,
    });
  return tencentSmsProvider({
    secretId: config.TENCENT_SMS_SECRET_ID!,
    secretKey: config.TENCENT_SMS_SECRET_KEY!,
    sdkAppId: config.TENCENT_SMS_APP_ID!,
    signName: config.SMS_SIGN_NAME!,
    region: config.TENCENT_SMS_REGION,
    templateCode,
    endpoint: config.TENCENT_SMS_ENDPOINT,
  });
}

/** A test's provider; undefined: from the environment again. */
export function setSmsProvider(provider: SmsProvider | undefined) {
  (globalThis as Holder)[key] = provider;
}

export function getSmsProvider(): SmsProvider {
  const holder = globalThis as Holder;
  holder[key] ??= smsProviderFromEnv();
  return holder[key];
}

/** For the start-up line. */
export function describeSmsSetup(config: Env = env()): string {
  if (!config.SMS_PROVIDER) return "held in the database (no SMS_PROVIDER; see /dev/sms)";
  const endpoint = config.SMS_PROVIDER === "aliyun" ? config.ALIYUN_SMS_ENDPOINT : config.TENCENT_SMS_ENDPOINT;
  return `${config.SMS_PROVIDER === "aliyun" ? "Alibaba Cloud" : "Tencent Cloud"} SMS${endpoint ? ` at ${endpoint}` : ""}`;
}
