import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { startSession } from "~/auth/session.server";
import { setSmsProvider } from "~/sms/factory.server";
import type { OutgoingSms } from "~/sms/provider.server";
import { bindOpenid, userForOpenid } from "~/wechat/bindings.server";
import { clearWechatTokenCache, permanentWechatErrors, WechatApiError, WechatClient } from "~/wechat/client.server";
import { wechatConfig } from "~/wechat/config.server";
import { sendWechatNotice } from "~/wechat/send.server";
import { startWechatOa, type WechatOaStandin } from "../standins/wechat-oa";
import { enqueue } from "~/notify/outbox.server";
import { createMailWorker, mailSettingsFromEnv } from "~/notify/worker.server";
import { makeEstate, makeUser } from "../fixtures";
import { startTestApp } from "../remix-app";

const wechatUa =
  "Mozilla/5.0 (Linux; Android 13; V2185A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.50.2701(0x28003253) WeChat/arm64 NetType/WIFI Language/zh_CN";
const htmlAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/** Every SMS the app sends here, as the carrier would get it (codes for the bind page). */
const smsInbox: OutgoingSms[] = [];
let oa: WechatOaStandin;
let app: Awaited<ReturnType<typeof startTestApp>>;

beforeAll(async () => {
  oa = await startWechatOa();
  Object.assign(process.env, {
    WECHAT_APP_ID: oa.appId,
    WECHAT_APP_SECRET: oa.secret,
    WECHAT_API_BASE: oa.url,
    WECHAT_OAUTH_BASE: oa.url,
    WECHAT_TEMPLATE_PAYMENT_RECEIPT: "TPL_receipt",
  });
  app = await startTestApp();
  setSmsProvider({
    name: "aliyun",
    async send(message) {
      smsInbox.push(message);
      return { providerId: `test-${smsInbox.length}` };
    },
  });
});
afterAll(async () => {
  setSmsProvider(undefined);
  await app?.close();
  await oa?.close();
});
beforeEach(async () => {
  clearWechatTokenCache();
  await getDb().delete(schema.wechatTokens);
});

const client = () => new WechatClient(wechatConfig()!);

describe("access token", () => {
  it("is fetched once, cached in the process and shared through the database with another instance", async () => {
    const before = oa.tokenCalls();
    const a = client();
    const t1 = await a.accessToken();
    expect(await a.accessToken()).toBe(t1);
    expect(await client().accessToken()).toBe(t1);
    // Another process: nothing in memory, the row in the database.
    clearWechatTokenCache();
    expect(await client().accessToken()).toBe(t1);
    expect(oa.tokenCalls() - before).toBe(1);
    const [row] = await getDb().select().from(schema.wechatTokens);
    expect(row.accessToken).toBe(t1);
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7000_000);
  });

  it("is refreshed once for many concurrent callers (single flight)", async () => {
    const before = oa.tokenCalls();
    const tokens = await Promise.all(Array.from({ length: 8 }, () => client().accessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(oa.tokenCalls() - before).toBe(1);
  });

  it("is renewed before expires_in runs out", async () => {
    let now = Date.now();
    const c = new WechatClient(wechatConfig()!, { now: () => now });
    const t1 = await c.accessToken();
    now += 7200_000 - 6 * 60_000; // 6 minutes left: still good
    expect(await c.accessToken()).toBe(t1);
    now += 2 * 60_000; // 4 minutes left: renewed
    const t2 = await c.accessToken();
    expect(t2).not.toBe(t1);
  });

  it("refuses wrong credentials with WeChat's error code", async () => {
    const bad = new WechatClient({ ...wechatConfig()!, secret: "wrong" });
    await expect(bad.accessToken()).rejects.toMatchObject({ errcode: 40125 });
  });
});

describe("template messages", () => {
  it("are sent with the real request shape, and retried once with a new token on 40001 and 42001", async () => {
    const openid = "o_tpl_" + Math.random().toString(36).slice(2);
    oa.codeFor(openid); // a follower of the account
    const c = client();
    await c.sendTemplate({ touser: openid, templateId: "TPL_x", url: "https://yst.example/x", data: { thing1: "一" } });
    const before = oa.tokenCalls();
    oa.invalidateToken();
    await c.sendTemplate({ touser: openid, templateId: "TPL_x", data: { thing1: "二" } });
    oa.expireToken();
    await c.sendTemplate({ touser: openid, templateId: "TPL_x", data: { thing1: "三" } });
    expect(oa.tokenCalls() - before).toBe(2);
    const inbox = oa.messages.filter((m) => m.touser === openid);
    expect(inbox.map((m) => m.data.thing1.value)).toEqual(["一", "二", "三"]);
    expect(inbox[0]).toMatchObject({ template_id: "TPL_x", url: "https://yst.example/x" });
  });

  it("gives up after one retry, and reports an unsubscribed follower as permanent", async () => {
    const openid = "o_gone_" + Math.random().toString(36).slice(2);
    oa.codeFor(openid);
    await fetch(`${oa.url}/_unfollow`, { method: "POST", body: JSON.stringify({ openid }) });
    const error = await client()
      .sendTemplate({ touser: openid, templateId: "TPL_x", data: { thing1: "x" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WechatApiError);
    expect(permanentWechatErrors.has((error as WechatApiError).errcode)).toBe(true);
  });
});

describe("web authorisation", () => {
  it("builds WeChat's authorize URL and exchanges a code once for the openid", async () => {
    const c = client();
    const url = new URL(c.authorizeUrl("https://yst.example/wechat/callback", "abc123"));
    expect(url.pathname).toBe("/connect/oauth2/authorize");
    expect(url.hash).toBe("#wechat_redirect");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      appid: oa.appId,
      redirect_uri: "https://yst.example/wechat/callback",
      response_type: "code",
      scope: "snsapi_base",
      state: "abc123",
    });
    const code = oa.codeFor("o_exchange");
    expect(await c.openidForCode(code)).toBe("o_exchange");
    await expect(c.openidForCode(code)).rejects.toMatchObject({ errcode: 40163 });
    await expect(c.openidForCode("nonsense")).rejects.toMatchObject({ errcode: 40029 });
  });

  it("refuses an expired code", async () => {
    const short = await startWechatOa({ appId: oa.appId, secret: oa.secret, codeTtlMs: 1 });
    try {
      const code = short.codeFor("o_late");
      await new Promise((r) => setTimeout(r, 5));
      const c = new WechatClient({ ...wechatConfig()!, apiBase: short.url });
      await expect(c.openidForCode(code)).rejects.toMatchObject({ errcode: 40029 });
    } finally {
      await short.close();
    }
  });
});

/** A browser inside WeChat: a cookie jar for the app and one for the stand-in (its WeChat identity). */
function wechatBrowser(openid: string) {
  const jar = new Map<string, string>();
  const take = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (/max-age=0/i.test(c) || value === "") jar.delete(name);
      else jar.set(name, value);
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  async function get(path: string, headers: Record<string, string> = {}) {
    const res = await fetch(new URL(path, app.origin), {
      redirect: "manual",
      headers: { "User-Agent": wechatUa, Accept: htmlAccept, Cookie: cookie(), ...headers },
    });
    take(res);
    return res;
  }
  async function post(path: string, form: Record<string, string>) {
    const res = await fetch(new URL(path, app.origin), {
      method: "POST",
      redirect: "manual",
      headers: { "User-Agent": wechatUa, Origin: app.origin, Cookie: cookie() },
      body: new URLSearchParams(form),
    });
    take(res);
    return res;
  }
  /** Opens a page; when the app sends the browser to WeChat, WeChat (the stand-in) answers for `openid`. */
  async function open(path: string) {
    const first = await get(path);
    if (first.status !== 302 || !first.headers.get("Location")!.startsWith(oa.url)) return { first, final: first };
    const authorize = new URL(first.headers.get("Location")!);
    authorize.searchParams.set("_openid", openid);
    const wx = await fetch(authorize, { redirect: "manual" });
    expect(wx.status).toBe(302);
    const back = new URL(wx.headers.get("Location")!);
    expect(back.origin + back.pathname).toBe(`${app.origin}/wechat/callback`);
    const final = await get(back.pathname + back.search);
    return { first, final, authorize };
  }
  return { jar, get, post, open };
}

describe("login with WeChat", () => {
  it("sends a WeChat visitor without a session through snsapi_base, then to the bind page when unbound", async () => {
    const b = wechatBrowser("o_new_" + Math.random().toString(36).slice(2));
    const { first, final, authorize } = await b.open("/notices?x=1");
    expect(first.status).toBe(302);
    expect(authorize!.searchParams.get("scope")).toBe("snsapi_base");
    expect(authorize!.searchParams.get("redirect_uri")).toBe(`${app.origin}/wechat/callback`);
    expect(final.status).toBe(302);
    expect(final.headers.get("Location")).toBe("/wechat/bind");
    expect(b.jar.has("yst_session")).toBe(false);
    // No loop: the next page is served, not sent to WeChat again.
    const next = await b.get("/");
    expect(next.status).toBe(200);
    const bind = await b.get("/wechat/bind");
    expect(bind.status).toBe(200);
    expect(await bind.text()).toContain("绑定微信");
  });

  it("binds the pending openid to the logged-in account and logs a bound openid in silently", async () => {
    const openid = "o_bind_" + Math.random().toString(36).slice(2);
    const user = await makeUser([], "微信业主");
    const b = wechatBrowser(openid);
    await b.open("/account");
    expect(b.jar.has("yst_wx_pending")).toBe(true);
    // The owner proves who they are (here: a session, as after a password login) and binds.
    b.jar.set("yst_session", (await startSession(user.id)).split(";")[0].split("=")[1]);
    const bound = await b.post("/wechat/bind", { intent: "bind-current" });
    expect(bound.status).toBe(302);
    expect(bound.headers.get("Location")).toBe("/account");
    expect(await userForOpenid(oa.appId, openid)).toBe(user.id);

    // A second browser with the same WeChat user: silent login, back to the page it opened.
    const other = wechatBrowser(openid);
    const { final } = await other.open("/notices");
    expect(final.status).toBe(302);
    expect(final.headers.get("Location")).toBe("/notices");
    expect(other.jar.has("yst_session")).toBe(true);
    const page = await other.get("/notices");
    expect(page.status).toBe(200);

    // Unbinding in the account page.
    const unbind = await other.post("/account", { intent: "wechat-unbind" });
    expect(unbind.status).toBe(302);
    expect(await userForOpenid(oa.appId, openid)).toBeNull();
  });

  it("binds by phone and SMS code: a new number signs up, a registered one logs in; a wrong code is refused", async () => {
    const phone = `1370${String(process.pid % 10000).padStart(4, "0")}${String(Date.now() % 1000).padStart(3, "0")}`;
    const openid = "o_phone_" + Math.random().toString(36).slice(2);
    const b = wechatBrowser(openid);
    await b.open("/notices");
    const sent = await b.post("/wechat/bind", { intent: "send-code", phone });
    expect(sent.status).toBe(200);
    const code = smsInbox.filter((m) => m.phone === phone).at(-1)!.params.code;
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const refused = await b.post("/wechat/bind", { intent: "verify", phone, code: wrongCode, displayName: "" });
    expect(refused.status).toBe(400);
    expect(await userForOpenid(oa.appId, openid)).toBeNull();
    const ok = await b.post("/wechat/bind", { intent: "verify", phone, code, displayName: "王阿姨" });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("Location")).toBe("/notices");
    expect(b.jar.has("yst_session")).toBe(true);
    const userId = await userForOpenid(oa.appId, openid);
    const [user] = await getDb().select().from(schema.users).where(eq(schema.users.id, userId!));
    expect(user).toMatchObject({ phone, displayName: "王阿姨" });
    expect(user.phoneVerifiedAt).not.toBeNull();
    // A registered, verified number: its code logs into that account, which gets the binding.
    const owner = await makeUser([], "李大爷");
    const ownerPhone = `1360${phone.slice(4)}`;
    await getDb()
      .update(schema.users)
      .set({ phone: ownerPhone, phoneVerifiedAt: new Date() })
      .where(eq(schema.users.id, owner.id));
    const openid2 = "o_phone_2_" + Math.random().toString(36).slice(2);
    const c = wechatBrowser(openid2);
    await c.open("/");
    expect((await c.post("/wechat/bind", { intent: "send-code", phone: ownerPhone })).status).toBe(200);
    const code2 = smsInbox.filter((m) => m.phone === ownerPhone).at(-1)!.params.code;
    expect((await c.post("/wechat/bind", { intent: "verify", phone: ownerPhone, code: code2 })).status).toBe(302);
    expect(await userForOpenid(oa.appId, openid2)).toBe(owner.id);
  });

  it("refuses a callback whose state is not this browser's, and then stops sending it to WeChat", async () => {
    const b = wechatBrowser("o_forged");
    const res = await b.get(`/wechat/callback?code=${oa.codeFor("o_victim")}&state=abc`);
    expect(res.status).toBe(302);
    expect(b.jar.has("yst_session")).toBe(false);
    expect(b.jar.get("yst_wx_skip")).toBe("1");
    expect((await b.get("/")).status).toBe(200);
  });

  it("never redirects data requests, non-HTML requests, health checks, other browsers or POSTs", async () => {
    const b = wechatBrowser("o_x");
    expect((await b.get("/healthz")).status).toBe(200);
    expect((await b.get("/notices.data")).headers.get("Location") ?? "").not.toContain(oa.url);
    expect((await b.get("/", { Accept: "application/json" })).status).toBe(200);
    expect((await b.get("/", { "Sec-Fetch-Dest": "empty" })).status).toBe(200);
    expect((await b.get("/", { "User-Agent": "Mozilla/5.0 Safari/605" })).status).toBe(200);
    expect((await b.post("/lang", { locale: "en", redirectTo: "/" })).headers.get("Location")).toBe("/");
    expect((await b.get("/")).status).toBe(302); // and the plain case does
  });

  it("an openid bound to one account cannot be bound to another", async () => {
    const [u1, u2] = [await makeUser(), await makeUser()];
    expect(await bindOpenid(oa.appId, "o_one", u1.id)).toEqual({ ok: true });
    expect(await bindOpenid(oa.appId, "o_one", u1.id)).toEqual({ ok: true });
    expect(await bindOpenid(oa.appId, "o_one", u2.id)).toEqual({ ok: false, error: "openidTaken" });
    expect(await bindOpenid(oa.appId, "o_two", u1.id)).toEqual({ ok: false, error: "userHasOther" });
  });
});

describe("notices by WeChat", () => {
  it("sends a notice as a template message to a bound user through the real client", async () => {
    const user = await makeUser();
    const openid = "o_notice_" + Math.random().toString(36).slice(2);
    oa.codeFor(openid);
    await bindOpenid(oa.appId, openid, user.id);
    const props = { amountFen: 85_050, paidAt: "2026-11-26T06:30:00Z", receiptNo: "YX-2026-000123", path: "/e/yx/r/1" };
    const result = await sendWechatNotice(user.id, "payment-receipt", props, { idempotencyKey: "outbox-1" });
    expect(result.status).toBe("sent");
    const [message] = oa.messages.filter((m) => m.touser === openid);
    expect(message).toMatchObject({
      template_id: "TPL_receipt",
      client_msg_id: "outbox-1",
      data: {
        amount1: { value: "850.50元" },
        time2: { value: "2026-11-26 14:30" },
        character_string3: { value: "YX-2026-000123" },
      },
    });
    expect(message.url).toMatch(/\/e\/yx\/r\/1$/);
    // Sent again (a worker crashed after sending): WeChat drops the copy.
    await sendWechatNotice(user.id, "payment-receipt", props, { idempotencyKey: "outbox-1" });
    expect(oa.messages.filter((m) => m.touser === openid)).toHaveLength(1);
  });

  it("skips users without a binding and kinds without a template id", async () => {
    const user = await makeUser();
    expect(await sendWechatNotice(user.id, "payment-receipt", {})).toEqual({ status: "skipped", reason: "unbound" });
    expect(await sendWechatNotice(user.id, "vote-opened", {})).toEqual({ status: "skipped", reason: "no-template" });
    expect(await sendWechatNotice(user.id, "password-reset", {})).toEqual({ status: "skipped", reason: "unmapped" });
    const rows = await getDb()
      .select()
      .from(schema.wechatBindings)
      .where(and(eq(schema.wechatBindings.userId, user.id)));
    expect(rows).toHaveLength(0);
  });

  it("goes through the outbox: queued for bound users only, sent by the worker's WeChat sender", async () => {
    const estate = await makeEstate();
    const [bound, unbound] = [await makeUser(), await makeUser()];
    const openid = "o_outbox_" + Math.random().toString(36).slice(2);
    oa.codeFor(openid);
    await bindOpenid(oa.appId, openid, bound.id);
    const props = {
      amountFen: 12_300,
      paidAt: "2026-11-26T06:30:00Z",
      receiptNo: "YX-OUTBOX-1",
      path: "/e/x/receipts/1",
    };
    await getDb().transaction((tx) =>
      enqueue(
        tx,
        [bound, unbound].map((u) => ({
          template: "payment-receipt" as const,
          userId: u.id,
          estateId: estate.id,
          props,
          idempotencyKey: `receipt:outbox-test:${u.id}`,
        })),
      ),
    );
    const rows = await getDb()
      .select({ userId: schema.outbox.userId })
      .from(schema.outbox)
      .where(eq(schema.outbox.channel, "wechat"));
    expect(rows.map((r) => r.userId)).toEqual([bound.id]);
    const w = createMailWorker({ ...mailSettingsFromEnv(), transport: null });
    await w.runOnce();
    const [sent] = await getDb()
      .select({ status: schema.outbox.status })
      .from(schema.outbox)
      .where(and(eq(schema.outbox.channel, "wechat"), eq(schema.outbox.userId, bound.id)));
    expect(sent.status).toBe("sent");
    const inbox = oa.messages.filter((m) => m.touser === openid);
    expect(inbox).toHaveLength(1);
    expect(inbox[0].data.character_string3.value).toBe("YX-OUTBOX-1");
  });
});
