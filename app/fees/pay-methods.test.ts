import { describe, expect, it } from "vitest";
import { deviceOf, payChoices } from "./pay-methods";

const all = new Set(["wechatpay", "alipay", "stripe"] as const);
const wechatUa =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";

describe("the ways to pay offered", () => {
  it("inside WeChat: WeChat Pay JSAPI first, no Alipay (and the owner is told how to open a browser)", () => {
    expect(deviceOf(wechatUa)).toBe("wechat");
    expect(payChoices({ device: "wechat", available: all })).toEqual({
      choices: [
        { provider: "wechatpay", channel: "jsapi" },
        { provider: "stripe", channel: "hosted" },
      ],
      alipayInWechat: true,
    });
  });

  it("in a phone browser: WeChat Pay H5 and Alipay wap; on a desktop: Native (QR) and Alipay page", () => {
    expect(deviceOf("Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36")).toBe("mobile");
    expect(payChoices({ device: "mobile", available: all }).choices.map((c) => c.channel)).toEqual([
      "h5",
      "wap",
      "hosted",
    ]);
    expect(deviceOf("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130")).toBe("desktop");
    expect(payChoices({ device: "desktop", available: all }).choices.map((c) => c.channel)).toEqual([
      "native",
      "page",
      "hosted",
    ]);
  });

  it("only what the estate offers", () => {
    expect(payChoices({ device: "desktop", available: new Set(["sandbox"]) })).toEqual({
      choices: [{ provider: "sandbox", channel: "hosted" }],
      alipayInWechat: false,
    });
    expect(payChoices({ device: "wechat", available: new Set() }).choices).toEqual([]);
  });
});
