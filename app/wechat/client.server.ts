import { and, eq, sql } from "drizzle-orm";
import { getDb, schema, type Db } from "#db/client";
import type { WechatConfig } from "./config.server";

const { wechatTokens } = schema;

/** An error the official account's API answered with ({errcode, errmsg}). */
export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly api: string,
  ) {
    super(`WeChat ${api}: ${errcode} ${errmsg}`);
    this.name = "WechatApiError";
  }
  /** 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired: get a new token and try again. */
  get tokenInvalid() {
    return this.errcode === 40001 || this.errcode === 40014 || this.errcode === 42001;
  }
}

/**
 * Errors no retry will cure: the follower unsubscribed from the account (43004), a wrong openid
 * (40003), a wrong or deleted template (40037), bad arguments (47003), a message over the daily
 * limit for this template (45047 is a temporary quota error, so it is not listed here).
 */
export const permanentWechatErrors = new Set([40003, 40037, 43004, 43019, 47003, 47001]);

export interface TemplateMessage {
  touser: string;
  templateId: string;
  /** Opened when the owner taps the message (absolute URL on the authorised domain). */
  url?: string;
  /** Keyword values by the template's keys, e.g. { thing1: "续聘物业", time2: "2026年12月20日 18:00" }. */
  data: Record<string, string>;
  /** WeChat drops a second message with the same id to the same openid (within minutes): at-least-once delivery. */
  clientMsgId?: string;
}

/** Renew a cached token this long before WeChat says it ends (WeChat itself renews stable tokens 5 minutes early). */
const renewMarginMs = 5 * 60_000;

type Cached = { token: string; expiresAt: number };
// Per process, shared by every client of one app: the cached token and the one refresh in flight.
const memory = new Map<string, Cached>();
const inflight = new Map<string, Promise<Cached>>();

/** Forgets every token this process holds (tests). */
export function clearWechatTokenCache() {
  memory.clear();
  inflight.clear();
}

/**
 * The official account's HTTP API, plain fetch: the access token (stable_token, cached in this
 * process and in the wechat_token row all instances share, renewed 5 minutes before it ends, one
 * refresh at a time per process, and once more when an API call says it is invalid or expired),
 * web authorisation (snsapi_base: the openid), and template messages.
 */
export class WechatClient {
  private readonly key: string;
  constructor(
    readonly config: WechatConfig,
    private readonly options: { db?: () => Db; now?: () => number; fetch?: typeof fetch } = {},
  ) {
    this.key = `${config.apiBase} ${config.appId}`;
  }

  private get db() {
    return (this.options.db ?? getDb)();
  }
  private now() {
    return (this.options.now ?? Date.now)();
  }
  private fetch(url: string, init?: RequestInit) {
    return (this.options.fetch ?? fetch)(url, { ...init, signal: AbortSignal.timeout(10_000) });
  }

  private async json(api: string, response: Response): Promise<Record<string, unknown>> {
    if (!response.ok) throw new Error(`WeChat ${api}: HTTP ${response.status}`);
    const body = (await response.json()) as Record<string, unknown>;
    if (typeof body.errcode === "number" && body.errcode !== 0) {
      throw new WechatApiError(body.errcode, String(body.errmsg ?? ""), api);
    }
    return body;
  }

  /** A valid access token: this process's, else the shared row's, else a new one from WeChat. */
  async accessToken(): Promise<string> {
    const cached = memory.get(this.key);
    if (cached && cached.expiresAt - renewMarginMs > this.now()) return cached.token;
    return (await this.refresh(cached?.token ?? null)).token;
  }

  /**
   * One refresh at a time in this process. `stale` is the token the caller found wanting (or
   * that an API call refused): the shared row is used only if it holds another, fresh token.
   */
  private refresh(stale: string | null): Promise<Cached> {
    let running = inflight.get(this.key);
    if (!running) {
      running = this.load(stale).finally(() => inflight.delete(this.key));
      inflight.set(this.key, running);
    }
    return running;
  }

  private async load(stale: string | null): Promise<Cached> {
    const [row] = await this.db.select().from(wechatTokens).where(eq(wechatTokens.appId, this.config.appId)).limit(1);
    if (row && row.accessToken !== stale && row.expiresAt.getTime() - renewMarginMs > this.now()) {
      const fromRow = { token: row.accessToken, expiresAt: row.expiresAt.getTime() };
      memory.set(this.key, fromRow);
      return fromRow;
    }
    let fresh = await this.fetchToken(false);
    // Normal mode hands back the token WeChat holds; if that is the one just refused, force a new one.
    if (stale && fresh.token === stale) fresh = await this.fetchToken(true);
    memory.set(this.key, fresh);
    const expiresAt = new Date(fresh.expiresAt);
    await this.db
      .insert(wechatTokens)
      .values({ appId: this.config.appId, accessToken: fresh.token, expiresAt })
      .onConflictDoUpdate({
        target: wechatTokens.appId,
        set: { accessToken: fresh.token, expiresAt, updatedAt: sql`now()` },
      });
    return fresh;
  }

  private async fetchToken(forceRefresh: boolean): Promise<Cached> {
    const started = this.now();
    const body = await this.json(
      "stable_token",
      await this.fetch(`${this.config.apiBase}/cgi-bin/stable_token`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({
          grant_type: "client_credential",
          appid: this.config.appId,
          secret: this.config.secret,
          force_refresh: forceRefresh,
        }),
      }),
    );
    if (typeof body.access_token !== "string" || typeof body.expires_in !== "number") {
      throw new Error("WeChat stable_token: no access_token in the answer");
    }
    return { token: body.access_token, expiresAt: started + body.expires_in * 1000 };
  }

  /** Drops a token an API call refused, here and in the shared row (only if the row still holds it). */
  private async forget(token: string) {
    if (memory.get(this.key)?.token === token) memory.delete(this.key);
    await this.db
      .delete(wechatTokens)
      .where(and(eq(wechatTokens.appId, this.config.appId), eq(wechatTokens.accessToken, token)));
  }

  /** Calls an API that takes the access token; once more with a new token on 40001/40014/42001. */
  private async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    try {
      return await call(token);
    } catch (error) {
      if (!(error instanceof WechatApiError && error.tokenInvalid)) throw error;
      await this.forget(token);
      const renewed = (await this.refresh(token)).token;
      return call(renewed);
    }
  }

  /**
   * The page WeChat's browser opens to authorise silently (snsapi_base: no prompt) and come back
   * to `redirectUri?code=…&state=…`. WeChat allows a state of at most 128 letters and digits.
   */
  authorizeUrl(redirectUri: string, state: string): string {
    if (!/^[A-Za-z0-9]{1,128}$/.test(state)) throw new Error("WeChat OAuth state: 1–128 letters and digits");
    const q = new URLSearchParams({
      appid: this.config.appId,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "snsapi_base",
      state,
    });
    return `${this.config.oauthBase}/connect/oauth2/authorize?${q.toString()}#wechat_redirect`;
  }

  /** Exchanges the code from web authorisation for the visitor's openid (a code is good once, for 5 minutes). */
  async openidForCode(code: string): Promise<string> {
    const q = new URLSearchParams({
      appid: this.config.appId,
      secret: this.config.secret,
      code,
      grant_type: "authorization_code",
    });
    const body = await this.json(
      "sns/oauth2/access_token",
      await this.fetch(`${this.config.apiBase}/sns/oauth2/access_token?${q.toString()}`),
    );
    if (typeof body.openid !== "string" || !body.openid) throw new Error("WeChat code exchange: no openid");
    return body.openid;
  }

  /** Sends one template message; returns WeChat's msgid. */
  async sendTemplate(message: TemplateMessage): Promise<string> {
    const payload = {
      touser: message.touser,
      template_id: message.templateId,
      ...(message.url ? { url: message.url } : {}),
      ...(message.clientMsgId ? { client_msg_id: message.clientMsgId } : {}),
      data: Object.fromEntries(Object.entries(message.data).map(([k, value]) => [k, { value }])),
    };
    return this.withToken(async (token) => {
      const body = await this.json(
        "message/template/send",
        await this.fetch(
          `${this.config.apiBase}/cgi-bin/message/template/send?access_token=${encodeURIComponent(token)}`,
          { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) },
        ),
      );
      return String(body.msgid ?? "");
    });
  }
}
