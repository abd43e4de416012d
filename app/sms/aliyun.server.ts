import * as dysmsapi from "@alicloud/dysmsapi20170525";
import * as openapi from "@alicloud/openapi-client";
import type { OutgoingSms, SmsProvider } from "./provider.server";

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** Template name (app/sms/templates.ts) → the template code Alibaba Cloud gave it (SMS_123456789). */
  templateCode(template: string): string;
  /** Unset: dysmsapi.aliyuncs.com over HTTPS; a URL (http://127.0.0.1:4400) for the local stand-in. */
  endpoint?: string;
}

// The SDKs are CommonJS: under Node's ESM loader their default export is the module object.
function cjsDefault<T>(module: unknown, name: string): T {
  const m = module as Record<string, unknown> & { default?: Record<string, unknown> };
  const found = [m[name], m.default?.[name]].find((c) => typeof c === "function");
  if (!found) throw new Error(`the Alibaba Cloud SDK exports no ${name}`);
  return found as T;
}
const Client = cjsDefault<typeof dysmsapi.default>(dysmsapi, "default");
const SendSmsRequest = cjsDefault<typeof dysmsapi.SendSmsRequest>(dysmsapi, "SendSmsRequest");
const Config = cjsDefault<typeof openapi.Config>(openapi, "Config");

/** Alibaba Cloud SMS (dysmsapi 2017-05-25, SendSms), signed ACS3-HMAC-SHA256 by the SDK. */
export function aliyunSmsProvider(config: AliyunSmsConfig): SmsProvider {
  const endpoint = config.endpoint ? new URL(config.endpoint) : null;
  const client = new Client(
    new Config({
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      endpoint: endpoint ? endpoint.host : "dysmsapi.aliyuncs.com",
      protocol: endpoint?.protocol === "http:" ? "HTTP" : "HTTPS",
      connectTimeout: 5000,
      readTimeout: 10_000,
    }) as never,
  );
  return {
    name: "aliyun",
    async send(message: OutgoingSms) {
      const response = await client.sendSms(
        new SendSmsRequest({
          phoneNumbers: message.phone,
          signName: config.signName,
          templateCode: config.templateCode(message.template),
          templateParam: JSON.stringify(message.params),
        }),
      );
      const body = response.body;
      // HTTP 200 with a business refusal (a limit, a template not approved): not sent.
      if (body?.code !== "OK") throw new Error(`aliyun ${body?.code ?? "no code"}: ${body?.message ?? ""}`.trim());
      return { providerId: body.bizId ?? null };
    },
  };
}
