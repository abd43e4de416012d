import { env } from "~/env.server";

export interface WechatConfig {
  appId: string;
  secret: string;
  /** The official account's API, e.g. https://api.weixin.qq.com (a local stand-in in tests). */
  apiBase: string;
  /** Where web authorisation starts, e.g. https://open.weixin.qq.com. */
  oauthBase: string;
}

export const defaultApiBase = "https://api.weixin.qq.com";
export const defaultOauthBase = "https://open.weixin.qq.com";

/**
 * The official account from the environment, or null when WECHAT_APP_ID or WECHAT_APP_SECRET is
 * unset (then nobody is sent through WeChat login and no template message goes out). A production
 * server talks to WeChat over https only (a stand-in on this machine excepted): the code exchange
 * decides who is logged in.
 */
export function wechatConfig(): WechatConfig | null {
  const e = env();
  if (!e.WECHAT_APP_ID || !e.WECHAT_APP_SECRET) return null;
  const config = {
    appId: e.WECHAT_APP_ID,
    secret: e.WECHAT_APP_SECRET,
    apiBase: (e.WECHAT_API_BASE ?? defaultApiBase).replace(/\/+$/, ""),
    oauthBase: (e.WECHAT_OAUTH_BASE ?? defaultOauthBase).replace(/\/+$/, ""),
  };
  if (e.NODE_ENV === "production") {
    for (const base of [config.apiBase, config.oauthBase]) {
      const url = new URL(base);
      const local = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
      if (url.protocol !== "https:" && !local) throw new Error(`WeChat endpoint must be https in production: ${base}`);
    }
  }
  return config;
}
