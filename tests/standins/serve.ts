// Every stand-in the browser tests need (SMS carriers, WeChat, WeChat Pay, Alipay), in one process
// beside the e2e server (scripts/e2e-server.mjs starts it before the app). Each stand-in speaks its
// service's real protocol on its own port; this file writes what the app must be configured with
// (`env`) and what specs need to reach the stand-ins (`info`, e.g. an inbox URL) to STANDINS_FILE.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { smsTemplates } from "../../app/sms/templates";
import { startAliyunSms } from "./aliyun-sms";
import { startWechatOa } from "./wechat-oa";
import { startAlipay } from "./alipay";
import { startWechatPayStandin, wechatPayEnv } from "./wechatpay";

export interface StartedStandin {
  /** Environment variables for the app (endpoints, keys). */
  env: Record<string, string>;
  /** What a spec needs, under the stand-in's name. */
  info: Record<string, unknown>;
  close(): Promise<void> | void;
}

/** One entry per stand-in: its name and how to start it on a given port. */
const standins: { name: string; start(port: number): Promise<StartedStandin> }[] = [
  {
    name: "alipay",
    start: async (port) => {
      const s = await startAlipay({ port });
      return {
        env: {
          ALIPAY_APP_ID: s.appId,
          ALIPAY_APP_PRIVATE_KEY: s.appPrivateKey,
          ALIPAY_PUBLIC_KEY: s.alipayPublicKey,
          ALIPAY_GATEWAY: s.gateway,
          // The estates' sealed payment secrets (app_auth_token) need the key (app/payments/settings.server.ts).
          PAYMENT_SECRETS_KEY: randomBytes(32).toString("base64"),
        },
        info: { url: s.url, appId: s.appId, merchant: s.merchant },
        close: s.close,
      };
    },
  },
  {
    name: "wechatpay",
    start: async (port) => {
      const s = await startWechatPayStandin({ port });
      return { env: wechatPayEnv(s.config), info: { url: s.url, subMchid: "1900000111" }, close: s.close };
    },
  },
];
// Alibaba Cloud SMS: the app sends every SMS (codes, notices) here; a spec reads `${inbox}?phone=…`.
standins.push({
  name: "aliyun-sms",
  start: async (port) => {
    const s = await startAliyunSms({ port });
    const templates = Object.fromEntries(Object.keys(smsTemplates).map((name, i) => [name, `SMS_${467000001 + i}`]));
    return {
      env: {
        SMS_PROVIDER: "aliyun",
        ALIYUN_SMS_ACCESS_KEY_ID: s.accessKeyId,
        ALIYUN_SMS_ACCESS_KEY_SECRET: s.accessKeySecret,
        ALIYUN_SMS_ENDPOINT: s.url,
        SMS_SIGN_NAME: "议事堂",
        SMS_TEMPLATES: JSON.stringify(templates),
      },
      // inbox: GET → [{ phone, signName, templateCode, params, bizId, at }]; templates: name → code.
      info: { url: s.url, inbox: `${s.url}/_inbox`, templates },
      close: s.close,
    };
  },
});
// The WeChat official account: token, web authorisation (a browser's WeChat identity is the stand-in's
// wx_openid cookie), template messages at `${url}/_inbox`.
standins.push({
  name: "wechat-oa",
  start: async (port) => {
    const s = await startWechatOa({ port });
    return {
      env: {
        WECHAT_APP_ID: s.appId,
        WECHAT_APP_SECRET: s.secret,
        WECHAT_API_BASE: s.url,
        WECHAT_OAUTH_BASE: s.url,
        WECHAT_TEMPLATE_PAYMENT_RECEIPT: "TPL_payment_receipt",
        WECHAT_TEMPLATE_VOTE_OPENED: "TPL_vote_opened",
      },
      info: { url: s.url, appId: s.appId, inbox: `${s.url}/_inbox` },
      close: s.close,
    };
  },
});

const firstPort = Number(process.env.STANDINS_PORT ?? 4400);
const file = process.env.STANDINS_FILE ?? ".data/standins.json";

const started: StartedStandin[] = [];
const env: Record<string, string> = {};
const info: Record<string, unknown> = {};
for (const [i, standin] of standins.entries()) {
  const s = await standin.start(firstPort + i);
  started.push(s);
  Object.assign(env, s.env);
  info[standin.name] = s.info;
}
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify({ env, info }, null, 2));
console.log(`stand-ins ready: ${standins.map((s) => s.name).join(", ") || "none"}`);

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, async () => {
    await Promise.all(started.map((s) => s.close()));
    process.exit(0);
  });
