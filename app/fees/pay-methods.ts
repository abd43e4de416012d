import type { PayChannel, ProviderName } from "~/payments/provider.server";

/*
 * Which ways to pay an owner is offered, from the estate's chosen providers and where the page
 * is open: inside WeChat (its browser's user agent says MicroMessenger) WeChat Pay JSAPI first
 * and no Alipay (WeChat blocks Alipay's pages; the owner is told how to open the page in a
 * browser); in another phone browser WeChat Pay H5 and Alipay wap; on a desktop WeChat Pay
 * Native (a QR code) and Alipay page. Stripe or the sandbox (hosted pages) come last.
 */

export interface PayChoice {
  provider: ProviderName;
  channel: PayChannel;
}

export type Device = "wechat" | "mobile" | "desktop";

export function deviceOf(userAgent: string | null | undefined): Device {
  const ua = userAgent ?? "";
  if (/MicroMessenger/i.test(ua)) return "wechat";
  if (/Mobile|Android|iPhone|iPad|HarmonyOS/i.test(ua)) return "mobile";
  return "desktop";
}

export function payChoices(input: {
  device: Device;
  /** Providers the estate offers AND this server can use. */
  available: ReadonlySet<ProviderName>;
}): { choices: PayChoice[]; alipayInWechat: boolean } {
  const { device, available } = input;
  const choices: PayChoice[] = [];
  if (available.has("wechatpay"))
    choices.push({
      provider: "wechatpay",
      channel: device === "wechat" ? "jsapi" : device === "mobile" ? "h5" : "native",
    });
  if (available.has("alipay") && device !== "wechat")
    choices.push({ provider: "alipay", channel: device === "mobile" ? "wap" : "page" });
  if (available.has("stripe")) choices.push({ provider: "stripe", channel: "hosted" });
  if (available.has("sandbox")) choices.push({ provider: "sandbox", channel: "hosted" });
  return { choices, alipayInWechat: device === "wechat" && available.has("alipay") };
}

export const choiceKey = (c: PayChoice) => `${c.provider}_${c.channel}`;
