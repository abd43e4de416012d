import * as tencentcloud from "tencentcloud-sdk-nodejs-sms";
import type { OutgoingSms, SmsProvider } from "./provider.server";
import { smsTemplates, isSmsTemplateName } from "./templates";

export interface TencentSmsConfig {
  secretId: string;
  secretKey: string;
  /** The SMS application's SdkAppId. */
  sdkAppId: string;
  signName: string;
  region: string;
  /** Template name (app/sms/templates.ts) → the TemplateId Tencent Cloud gave it (digits). */
  templateCode(template: string): string;
  /** Unset: sms.tencentcloudapi.com over HTTPS; a URL (http://127.0.0.1:4401) for the local stand-in. */
  endpoint?: string;
}

// CommonJS under Node's ESM loader: the named export may sit on the default export.
const sdk = (
  (tencentcloud as { sms?: unknown }).sms ? tencentcloud : (tencentcloud as unknown as { default: unknown }).default
) as typeof tencentcloud;
const Client = sdk.sms.v20210111.Client;

/** Tencent Cloud SMS (SendSms 2021-01-11), signed TC3-HMAC-SHA256 by the SDK. */
export function tencentSmsProvider(config: TencentSmsConfig): SmsProvider {
  const endpoint = config.endpoint ? new URL(config.endpoint) : null;
  const client = new Client({
    credential: { secretId: config.secretId, secretKey: config.secretKey },
    region: config.region,
    profile: {
      httpProfile: {
        endpoint: endpoint ? endpoint.host : "sms.tencentcloudapi.com",
        protocol: endpoint?.protocol === "http:" ? "http://" : "https://",
        reqTimeout: 10,
      },
    },
  });
  return {
    name: "tencent",
    async send(message: OutgoingSms) {
      // Tencent's templates take their parameters in order ({1}, {2}, …): the template's order.
      const names: readonly string[] = isSmsTemplateName(message.template)
        ? smsTemplates[message.template].params
        : Object.keys(message.params);
      const response = await client.SendSms({
        SmsSdkAppId: config.sdkAppId,
        SignName: config.signName,
        TemplateId: config.templateCode(message.template),
        TemplateParamSet: names.map((n) => message.params[n] ?? ""),
        PhoneNumberSet: [`+86${message.phone}`],
      });
      const status = response.SendStatusSet?.[0];
      // A request accepted with a refused message (a limit, a template not approved): not sent.
      if (status?.Code !== "Ok")
        throw new Error(`tencent ${status?.Code ?? "no status"}: ${status?.Message ?? ""}`.trim());
      return { providerId: status.SerialNo ?? null };
    },
  };
}
