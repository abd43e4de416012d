// A local stand-in for the WeChat official account's HTTP API (服务号), speaking its real request
// and response shapes: the access token (stable_token and the classic token), web authorisation
// (the authorize page and the code exchange), and template messages. It checks what WeChat checks
// (AppID and AppSecret, single-use codes that expire, the current access token) and answers with
// WeChat's error codes. Test-only endpoints start with `/_`.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listen, readText, sendJson } from "./http";

export interface WechatOaMessage {
  msgid: number;
  touser: string;
  template_id: string;
  url?: string;
  data: Record<string, { value: string }>;
  client_msg_id?: string;
  at: string;
}

export interface WechatOaStandin {
  url: string;
  appId: string;
  secret: string;
  /** Messages the account sent, oldest first. */
  messages: WechatOaMessage[];
  /** How many token requests were answered with a token (stable_token or token). */
  tokenCalls(): number;
  /** A code for an openid, as the authorize step would give (integration tests without a browser). */
  codeFor(openid: string): string;
  /** Makes the current token invalid: the next API call with it gets 40001. */
  invalidateToken(): void;
  /** Makes the current token expire now: the next API call with it gets 42001. */
  expireToken(): void;
  close(): Promise<void>;
}

const hex = (n: number) => randomBytes(n).toString("hex");
const err = (errcode: number, errmsg: string) => ({ errcode, errmsg });

export async function startWechatOa(
  options: { port?: number; appId?: string; secret?: string; tokenTtlSeconds?: number; codeTtlMs?: number } = {},
): Promise<WechatOaStandin> {
  const appId = options.appId ?? `wx${hex(8)}`;
  const secret = options.secret ?? hex(16);
  const tokenTtl = options.tokenTtlSeconds ?? 7200;
  const codeTtl = options.codeTtlMs ?? 5 * 60_000;
  const tokens = new Map<string, { expiresAt: number; invalid: boolean }>();
  let current: string | null = null;
  let issued = 0;
  const codes = new Map<string, { openid: string; expiresAt: number; used: boolean }>();
  const followers = new Set<string>();
  const unfollowed = new Set<string>();
  const messages: WechatOaMessage[] = [];
  let msgid = 1_000_000;

  function issueToken(force: boolean) {
    issued++;
    const live = current ? tokens.get(current) : undefined;
    // Normal mode: the same token while it has more than 5 minutes left; force_refresh: a new one, the old one dies.
    if (!force && current && live && !live.invalid && live.expiresAt - Date.now() > 5 * 60_000) {
      return { access_token: current, expires_in: Math.floor((live.expiresAt - Date.now()) / 1000) };
    }
    if (force && live) live.invalid = true;
    current = `ACCESS_${hex(24)}`;
    tokens.set(current, { expiresAt: Date.now() + tokenTtl * 1000, invalid: false });
    return { access_token: current, expires_in: tokenTtl };
  }

  function credentialsError(id: unknown, key: unknown) {
    if (id !== appId) return err(40013, "invalid appid");
    if (key !== secret) return err(40125, "invalid appsecret");
    return null;
  }

  function tokenError(token: string | null) {
    if (!token) return err(41001, "access_token missing");
    const t = tokens.get(token);
    if (!t || t.invalid) return err(40001, "invalid credential, access_token is invalid or not latest");
    if (t.expiresAt <= Date.now()) return err(42001, "access_token expired");
    return null;
  }

  function newCode(openid: string) {
    const code = hex(16);
    codes.set(code, { openid, expiresAt: Date.now() + codeTtl, used: false });
    followers.add(openid);
    return code;
  }

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://standin");
    const q = url.searchParams;
    const raw = await readText(req);
    const json = (status: number, body: unknown) => sendJson(res, status, body);
    const parse = (): Record<string, unknown> | null => {
      try {
        const v = JSON.parse(raw) as unknown;
        return v && typeof v === "object" ? (v as Record<string, unknown>) : null;
      } catch {
        return null;
      }
    };
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case "POST /cgi-bin/stable_token": {
        const body = parse();
        if (!body) return json(200, err(47001, "data format error"));
        if (body.grant_type !== "client_credential") return json(200, err(40002, "invalid grant_type"));
        const bad = credentialsError(body.appid, body.secret);
        if (bad) return json(200, bad);
        return json(200, issueToken(body.force_refresh === true));
      }
      case "GET /cgi-bin/token": {
        if (q.get("grant_type") !== "client_credential") return json(200, err(40002, "invalid grant_type"));
        const bad = credentialsError(q.get("appid"), q.get("secret"));
        if (bad) return json(200, bad);
        return json(200, issueToken(true));
      }
      case "GET /connect/oauth2/authorize": {
        // WeChat's own page; snsapi_base is silent: straight back with a code. Who the visitor is
        // comes from this stand-in's cookie (one per browser, like a WeChat user); a new visitor
        // gets a new openid.
        const redirectUri = q.get("redirect_uri");
        const scope = q.get("scope");
        if (q.get("appid") !== appId || !redirectUri || q.get("response_type") !== "code") {
          res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" });
          return res.end("参数错误 (appid, redirect_uri or response_type)");
        }
        if (scope !== "snsapi_base" && scope !== "snsapi_userinfo") {
          res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8" });
          return res.end("scope 参数错误");
        }
        const cookie = /(?:^|;\s*)wx_openid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? "");
        const openid = q.get("_openid") ?? cookie?.[1] ?? `o${hex(13)}`;
        const back = new URL(redirectUri);
        back.searchParams.set("code", newCode(openid));
        back.searchParams.set("state", q.get("state") ?? "");
        res.writeHead(302, {
          Location: back.href,
          "Set-Cookie": `wx_openid=${openid}; Path=/; HttpOnly; SameSite=Lax`,
        });
        return res.end();
      }
      case "GET /sns/oauth2/access_token": {
        if (q.get("grant_type") !== "authorization_code") return json(200, err(40002, "invalid grant_type"));
        const bad = credentialsError(q.get("appid"), q.get("secret"));
        if (bad) return json(200, bad);
        const entry = codes.get(q.get("code") ?? "");
        if (!entry) return json(200, err(40029, "invalid code"));
        if (entry.used) return json(200, err(40163, "code been used"));
        if (entry.expiresAt <= Date.now()) return json(200, err(40029, "invalid code"));
        entry.used = true;
        return json(200, {
          access_token: `SNS_${hex(16)}`,
          expires_in: 7200,
          refresh_token: `REFRESH_${hex(16)}`,
          openid: entry.openid,
          scope: "snsapi_base",
        });
      }
      case "POST /cgi-bin/message/template/send": {
        const bad = tokenError(q.get("access_token"));
        if (bad) return json(200, bad);
        const body = parse();
        if (!body) return json(200, err(47001, "data format error"));
        const { touser, template_id, url: link, data, client_msg_id } = body;
        if (typeof touser !== "string" || !followers.has(touser)) return json(200, err(40003, "invalid openid"));
        if (unfollowed.has(touser)) return json(200, err(43004, "require subscribe"));
        if (typeof template_id !== "string" || !template_id) return json(200, err(40037, "invalid template_id"));
        if (link !== undefined && (typeof link !== "string" || !/^https?:\/\//.test(link)))
          return json(200, err(40062, "invalid url"));
        const validData =
          data &&
          typeof data === "object" &&
          Object.values(data).every(
            (v) => v && typeof v === "object" && typeof (v as { value?: unknown }).value === "string",
          );
        if (!validData) return json(200, err(47003, "argument invalid! data.value empty"));
        if (typeof client_msg_id === "string") {
          const same = messages.find((m) => m.touser === touser && m.client_msg_id === client_msg_id);
          if (same) return json(200, { errcode: 0, errmsg: "ok", msgid: same.msgid });
        }
        const message: WechatOaMessage = {
          msgid: ++msgid,
          touser,
          template_id,
          url: link as string | undefined,
          data: data as WechatOaMessage["data"],
          client_msg_id: typeof client_msg_id === "string" ? client_msg_id : undefined,
          at: new Date().toISOString(),
        };
        messages.push(message);
        return json(200, { errcode: 0, errmsg: "ok", msgid: message.msgid });
      }
      // Test-only endpoints.
      case "GET /_inbox": {
        const to = q.get("touser");
        return json(200, to ? messages.filter((m) => m.touser === to) : messages);
      }
      case "POST /_code": {
        const openid = parse()?.openid;
        if (typeof openid !== "string" || !openid) return json(400, { error: "openid" });
        return json(200, { code: newCode(openid) });
      }
      case "POST /_invalidate":
        invalidate();
        return json(200, { ok: true });
      case "POST /_expire":
        expire();
        return json(200, { ok: true });
      case "POST /_unfollow": {
        const openid = parse()?.openid;
        if (typeof openid === "string") unfollowed.add(openid);
        return json(200, { ok: true });
      }
      default:
        return json(404, err(-1, `no such API: ${route}`));
    }
  });

  function invalidate() {
    const t = current ? tokens.get(current) : undefined;
    if (t) t.invalid = true;
  }
  function expire() {
    const t = current ? tokens.get(current) : undefined;
    if (t) t.expiresAt = Date.now() - 1;
  }

  const { url, close } = await listen(server, options.port);
  return {
    url,
    appId,
    secret,
    messages,
    tokenCalls: () => issued,
    codeFor: newCode,
    invalidateToken: invalidate,
    expireToken: expire,
    close,
  };
}
