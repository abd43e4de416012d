// A local stand-in for WeChat Pay APIv3 (api.mch.weixin.qq.com) in 服务商 (partner) mode: the
// partner JSAPI / Native / H5 orders, the order query and close, domestic refunds. It checks each
// request's WECHATPAY2-SHA256-RSA2048 signature with the merchant's public key (as WeChat Pay
// does with the uploaded API certificate), signs each answer and callback with a platform key it
// generates, and encrypts callback resources with AEAD_AES_256_GCM under the APIv3 key. Keys are
// made at start and handed to the app (env / config). Test-only endpoints, never part of the app:
//   POST /_pay     {out_trade_no, total?}      the payer pays: the order succeeds, the signed callback goes to notify_url
//   POST /_refund  {out_trade_no, refund}      a refund made at the merchant platform: REFUND.SUCCESS callback
//   POST /_replay  {id}                        delivers a stored callback again (same id, fresh signature)
//   GET  /_orders                              the orders, newest first
import { createCipheriv, createHash, generateKeyPairSync, randomBytes, randomUUID, sign, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listen, readText } from "./http";

export interface WechatPayStandinConfig {
  mchid: string;
  appid: string;
  /** The merchant's API client key (PEM): the app signs with it. */
  privateKey: string;
  certSerial: string;
  apiV3Key: string;
  platformPublicKey: string;
  platformPublicKeyId: string;
  baseUrl: string;
}

export interface StandinOrder {
  sp_appid: string;
  sp_mchid: string;
  sub_mchid: string;
  sub_appid?: string;
  out_trade_no: string;
  description: string;
  attach?: string;
  notify_url: string;
  time_expire: string;
  amount: { total: number; currency: string };
  trade_type: "JSAPI" | "NATIVE" | "MWEB";
  payer?: { sp_openid?: string; sub_openid?: string };
  scene_info?: unknown;
  trade_state: "NOTPAY" | "SUCCESS" | "CLOSED" | "REFUND";
  transaction_id?: string;
  success_time?: string;
  prepay_id: string;
  refunded: number;
}

export interface Notification {
  id: string;
  url: string;
  body: string;
  event_type: string;
}

export interface SignedDelivery {
  headers: Record<string, string>;
  rawBody: string;
}

export interface WechatPayStandin {
  url: string;
  port: number;
  config: WechatPayStandinConfig;
  orders: Map<string, StandinOrder>;
  /** Every request, with whether its signature was good. */
  requests: { method: string; path: string; body: string; signatureOk: boolean }[];
  notifications: Notification[];
  /** The payer pays (the order succeeds) and the callback is delivered; returns the callback's HTTP status. */
  pay(
    outTradeNo: string,
    options?: { total?: number; deliver?: boolean },
  ): Promise<{ status: number; notification: Notification }>;
  /** A refund made at the merchant platform, reported by REFUND.SUCCESS. */
  refund(
    outTradeNo: string,
    amount: number,
    options?: { deliver?: boolean },
  ): Promise<{ status: number; notification: Notification }>;
  /** Delivers a stored callback again (same id), freshly signed. */
  replay(id: string): Promise<number>;
  /**
   * A signed callback as WeChat Pay would send it (for tests to hand to the app directly), with
   * knobs to forge it: another signing key, another APIv3 key, an old timestamp, tampered bytes.
   */
  callback(
    eventType: string,
    resource: Record<string, unknown>,
    options?: {
      id?: string;
      timestamp?: number;
      signWith?: KeyObject;
      apiV3Key?: string;
      serial?: string;
      tamperCiphertext?: boolean;
    },
  ): SignedDelivery & { id: string };
  /** The resource of a paid order's TRANSACTION.SUCCESS. */
  transaction(outTradeNo: string): Record<string, unknown>;
  close(): Promise<void>;
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;

function beijingNow(): string {
  return `${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

export async function startWechatPayStandin(
  options: { port?: number; subMchids?: string[] } = {},
): Promise<WechatPayStandin> {
  const merchant = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const platform = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const mchid = "1900000109";
  const certSerial = createHash("sha1").update(randomBytes(16)).digest("hex").toUpperCase().slice(0, 40);
  const platformPublicKeyId = `PUB_KEY_ID_0119000001092026${randomBytes(4).toString("hex").toUpperCase()}`;
  const apiV3Key = randomBytes(16).toString("hex"); // 32 ASCII characters
  const appid = "wx8888888888888888";
  const orders = new Map<string, StandinOrder>();
  const refunds = new Map<string, Record<string, unknown>>();
  const requests: WechatPayStandin["requests"] = [];
  const notifications: Notification[] = [];

  function signed(res: ServerResponse, status: number, payload?: unknown) {
    const body = payload === undefined ? "" : JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonceStr = randomBytes(16).toString("hex");
    const signature = sign("RSA-SHA256", Buffer.from(`${timestamp}\n${nonceStr}\n${body}\n`), platform.privateKey);
    res.writeHead(status, {
      ...(body ? { "Content-Type": "application/json" } : {}),
      "Request-ID": randomUUID(),
      "Wechatpay-Timestamp": timestamp,
      "Wechatpay-Nonce": nonceStr,
      "Wechatpay-Signature": signature.toString("base64"),
      "Wechatpay-Serial": platformPublicKeyId,
    });
    res.end(body);
  }
  const fail = (res: ServerResponse, status: number, code: string, message: string) =>
    signed(res, status, { code, message });

  /** WeChat Pay's check of the Authorization header. */
  function checkSignature(req: IncomingMessage, pathWithQuery: string, body: string): string | null {
    const header = req.headers.authorization ?? "";
    const match = /^WECHATPAY2-SHA256-RSA2048 (.+)$/.exec(header);
    if (!match) return "no WECHATPAY2-SHA256-RSA2048 Authorization";
    const fields = Object.fromEntries(
      [...match[1].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]] as const),
    ) as Record<string, string>;
    if (fields.mchid !== mchid) return "mchid is not the certificate's merchant";
    if (fields.serial_no !== certSerial) return "serial_no is not the merchant's certificate";
    const ts = Number(fields.timestamp);
    if (!Number.isInteger(ts) || Math.abs(Date.now() / 1000 - ts) > 300) return "timestamp expired";
    const message = `${req.method}\n${pathWithQuery}\n${fields.timestamp}\n${fields.nonce_str}\n${body}\n`;
    const ok = verify(
      "RSA-SHA256",
      Buffer.from(message),
      merchant.publicKey,
      Buffer.from(fields.signature ?? "", "base64"),
    );
    return ok ? null : "signature does not verify";
  }

  function encrypt(plain: string, key: string, associatedData: string, nonceStr: string, tamper = false) {
    const cipher = createCipheriv("aes-256-gcm", Buffer.from(key, "utf8"), Buffer.from(nonceStr, "utf8"));
    cipher.setAAD(Buffer.from(associatedData, "utf8"));
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
    if (tamper) data[0] ^= 0x01;
    return data.toString("base64");
  }

  function callback(
    eventType: string,
    resource: Record<string, unknown>,
    o: Parameters<WechatPayStandin["callback"]>[2] = {},
  ): SignedDelivery & { id: string } {
    const id = o.id ?? randomUUID();
    const nonceStr = randomBytes(6).toString("hex"); // 12 characters: the GCM nonce
    const associatedData = eventType.startsWith("REFUND") ? "refund" : "transaction";
    const body = JSON.stringify({
      id,
      create_time: beijingNow(),
      resource_type: "encrypt-resource",
      event_type: eventType,
      summary: eventType.startsWith("REFUND") ? "退款成功" : "支付成功",
      resource: {
        original_type: associatedData,
        algorithm: "AEAD_AES_256_GCM",
        ciphertext: encrypt(
          JSON.stringify(resource),
          o.apiV3Key ?? apiV3Key,
          associatedData,
          nonceStr,
          o.tamperCiphertext,
        ),
        associated_data: associatedData,
        nonce: nonceStr,
      },
    });
    return { id, rawBody: body, headers: signHeaders(body, o) };
  }

  function signHeaders(body: string, o: { timestamp?: number; signWith?: KeyObject; serial?: string } = {}) {
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const nonceStr = randomBytes(16).toString("hex");
    const signature = sign(
      "RSA-SHA256",
      Buffer.from(`${timestamp}\n${nonceStr}\n${body}\n`),
      o.signWith ?? platform.privateKey,
    );
    return {
      "Content-Type": "application/json",
      "Wechatpay-Timestamp": timestamp,
      "Wechatpay-Nonce": nonceStr,
      "Wechatpay-Signature": signature.toString("base64"),
      "Wechatpay-Serial": o.serial ?? platformPublicKeyId,
      "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
    };
  }

  async function deliver(n: Notification): Promise<number> {
    const response = await fetch(n.url, { method: "POST", headers: signHeaders(n.body), body: n.body });
    await response.text();
    return response.status;
  }

  function transaction(outTradeNo: string): Record<string, unknown> {
    const o = orders.get(outTradeNo);
    if (!o) throw new Error(`no order ${outTradeNo}`);
    return {
      sp_appid: o.sp_appid,
      sp_mchid: o.sp_mchid,
      ...(o.sub_appid ? { sub_appid: o.sub_appid } : {}),
      sub_mchid: o.sub_mchid,
      out_trade_no: o.out_trade_no,
      ...(o.transaction_id ? { transaction_id: o.transaction_id } : {}),
      trade_type: o.trade_type,
      trade_state: o.trade_state,
      trade_state_desc:
        o.trade_state === "SUCCESS" ? "支付成功" : o.trade_state === "NOTPAY" ? "未支付" : o.trade_state,
      ...(o.success_time ? { success_time: o.success_time, bank_type: "OTHERS" } : {}),
      ...(o.attach ? { attach: o.attach } : {}),
      payer: o.payer ?? { sp_openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
      amount: {
        total: o.amount.total,
        payer_total: o.amount.total,
        currency: o.amount.currency,
        payer_currency: "CNY",
      },
    };
  }

  async function pay(outTradeNo: string, o: { total?: number; deliver?: boolean } = {}) {
    const order = orders.get(outTradeNo);
    if (!order) throw new Error(`no order ${outTradeNo}`);
    if (order.trade_state === "NOTPAY") {
      order.trade_state = "SUCCESS";
      order.transaction_id = `4200${Date.now()}${randomBytes(4).toString("hex")}`.slice(0, 28);
      order.success_time = beijingNow();
      if (o.total !== undefined) order.amount = { ...order.amount, total: o.total };
    }
    const made = callback("TRANSACTION.SUCCESS", transaction(outTradeNo));
    const notification = { id: made.id, url: order.notify_url, body: made.rawBody, event_type: "TRANSACTION.SUCCESS" };
    notifications.push(notification);
    const status = o.deliver === false ? 0 : await deliver(notification);
    return { status, notification };
  }

  function makeRefund(order: StandinOrder, amount: number, outRefundNo: string, notifyUrl?: string) {
    order.refunded += amount;
    if (order.refunded >= order.amount.total) order.trade_state = "REFUND";
    const refund = {
      sp_mchid: order.sp_mchid,
      sub_mchid: order.sub_mchid,
      out_trade_no: order.out_trade_no,
      transaction_id: order.transaction_id,
      out_refund_no: outRefundNo,
      refund_id: `5030${Date.now()}${randomBytes(4).toString("hex")}`.slice(0, 29),
      refund_status: "SUCCESS",
      success_time: beijingNow(),
      user_received_account: "支付用户零钱",
      amount: { total: order.amount.total, refund: amount, payer_total: order.amount.total, payer_refund: amount },
      notify_url: notifyUrl ?? order.notify_url,
    };
    refunds.set(outRefundNo, refund);
    return refund;
  }

  async function refund(outTradeNo: string, amount: number, o: { deliver?: boolean } = {}) {
    const order = orders.get(outTradeNo);
    if (!order || !order.transaction_id) throw new Error(`order ${outTradeNo} is not paid`);
    const r = makeRefund(order, amount, `R${randomBytes(8).toString("hex")}`);
    return notifyRefund(r, o.deliver);
  }

  async function notifyRefund(r: Record<string, unknown>, deliverNow = true) {
    const { notify_url: url, ...resource } = r;
    const made = callback("REFUND.SUCCESS", resource);
    const notification = { id: made.id, url: String(url), body: made.rawBody, event_type: "REFUND.SUCCESS" };
    notifications.push(notification);
    const status = deliverNow === false ? 0 : await deliver(notification);
    return { status, notification };
  }

  const server = createServer(async (req, res) => {
    try {
      const body = await readText(req);
      const pathWithQuery = req.url ?? "/";
      const url = new URL(pathWithQuery, "http://standin");
      // Test-only endpoints.
      if (url.pathname.startsWith("/_")) {
        const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
        res.setHeader("Content-Type", "application/json");
        if (req.method === "GET" && url.pathname === "/_orders") {
          return res.end(JSON.stringify([...orders.values()].reverse()));
        }
        if (req.method === "POST" && url.pathname === "/_pay") {
          const out = String(input.out_trade_no ?? [...orders.keys()].at(-1));
          const result = await pay(out, { total: input.total as number | undefined });
          return res.end(JSON.stringify({ status: result.status, id: result.notification.id, out_trade_no: out }));
        }
        if (req.method === "POST" && url.pathname === "/_refund") {
          const result = await refund(String(input.out_trade_no), Number(input.refund));
          return res.end(JSON.stringify({ status: result.status, id: result.notification.id }));
        }
        if (req.method === "POST" && url.pathname === "/_replay") {
          const n = notifications.find((x) => x.id === input.id);
          if (!n) return res.writeHead(404).end("{}");
          return res.end(JSON.stringify({ status: await deliver(n) }));
        }
        return res.writeHead(404).end("{}");
      }

      const problem = checkSignature(req, pathWithQuery, body);
      requests.push({ method: req.method ?? "", path: pathWithQuery, body, signatureOk: problem === null });
      if (problem) return fail(res, 401, "SIGN_ERROR", problem);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- WeChat Pay JSON, checked field by field below
      const json = body ? (JSON.parse(body) as Record<string, any>) : {};

      const order = /^\/v3\/pay\/partner\/transactions\/(jsapi|native|h5)$/.exec(url.pathname);
      if (req.method === "POST" && order) {
        const kind = order[1];
        if (json.sp_mchid !== mchid) return fail(res, 400, "PARAM_ERROR", "sp_mchid 与认证商户号不一致");
        if (json.sp_appid !== appid) return fail(res, 400, "APPID_MCHID_NOT_MATCH", "appid 和 mch_id 不匹配");
        if (typeof json.sub_mchid !== "string" || !/^\d{8,10}$/.test(json.sub_mchid))
          return fail(res, 400, "PARAM_ERROR", "sub_mchid 格式错误");
        if (options.subMchids && !options.subMchids.includes(json.sub_mchid))
          return fail(res, 400, "NO_AUTH", "特约商户未授权");
        if (typeof json.out_trade_no !== "string" || !/^[0-9A-Za-z_\-*|]{6,32}$/.test(json.out_trade_no))
          return fail(res, 400, "PARAM_ERROR", "out_trade_no 格式错误");
        if (typeof json.description !== "string" || !json.description || Buffer.byteLength(json.description) > 127)
          return fail(res, 400, "PARAM_ERROR", "description 格式错误");
        if (
          !Number.isInteger(json.amount?.total) ||
          json.amount.total <= 0 ||
          (json.amount.currency ?? "CNY") !== "CNY"
        )
          return fail(res, 400, "PARAM_ERROR", "amount 格式错误");
        if (typeof json.notify_url !== "string" || !/^https?:\/\/[^?#]+$/.test(json.notify_url))
          return fail(res, 400, "PARAM_ERROR", "notify_url 格式错误");
        if (json.time_expire !== undefined && !rfc3339.test(json.time_expire))
          return fail(res, 400, "PARAM_ERROR", "time_expire 格式错误");
        if (json.attach !== undefined && Buffer.byteLength(String(json.attach)) > 128)
          return fail(res, 400, "PARAM_ERROR", "attach 过长");
        if (kind === "jsapi" && !json.payer?.sp_openid && !json.payer?.sub_openid)
          return fail(res, 400, "PARAM_ERROR", "JSAPI 支付必须传 openid");
        if (kind === "h5" && (!json.scene_info?.payer_client_ip || !json.scene_info?.h5_info?.type))
          return fail(res, 400, "PARAM_ERROR", "H5 支付必须传 scene_info");
        const existing = orders.get(json.out_trade_no);
        if (existing && existing.trade_state !== "NOTPAY") return fail(res, 400, "ORDERPAID", "该订单已支付");
        if (existing && existing.amount.total !== json.amount.total)
          return fail(res, 400, "INVALID_REQUEST", "201 商户订单号重复");
        const prepayId = existing?.prepay_id ?? `wx${Date.now()}${randomBytes(8).toString("hex")}`;
        orders.set(json.out_trade_no, {
          sp_appid: json.sp_appid,
          sp_mchid: json.sp_mchid,
          sub_mchid: json.sub_mchid,
          sub_appid: json.sub_appid,
          out_trade_no: json.out_trade_no,
          description: json.description,
          attach: json.attach,
          notify_url: json.notify_url,
          time_expire: json.time_expire,
          amount: { total: json.amount.total, currency: json.amount.currency ?? "CNY" },
          trade_type: kind === "jsapi" ? "JSAPI" : kind === "native" ? "NATIVE" : "MWEB",
          payer: json.payer,
          scene_info: json.scene_info,
          trade_state: "NOTPAY",
          prepay_id: prepayId,
          refunded: 0,
        });
        if (kind === "jsapi") return signed(res, 200, { prepay_id: prepayId });
        if (kind === "native")
          return signed(res, 200, { code_url: `weixin://wxpay/bizpayurl?pr=${prepayId.slice(-7)}` });
        return signed(res, 200, {
          h5_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${prepayId}&package=1`,
        });
      }

      const query = /^\/v3\/pay\/partner\/transactions\/out-trade-no\/([^/]+)$/.exec(url.pathname);
      if (req.method === "GET" && query) {
        if (url.searchParams.get("sp_mchid") !== mchid) return fail(res, 400, "PARAM_ERROR", "sp_mchid 错误");
        const o = orders.get(decodeURIComponent(query[1]));
        if (!o || o.sub_mchid !== url.searchParams.get("sub_mchid"))
          return fail(res, 404, "ORDER_NOT_EXIST", "订单不存在");
        return signed(res, 200, transaction(o.out_trade_no));
      }

      const close = /^\/v3\/pay\/partner\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(url.pathname);
      if (req.method === "POST" && close) {
        const o = orders.get(decodeURIComponent(close[1]));
        if (!o || o.sub_mchid !== json.sub_mchid || json.sp_mchid !== mchid)
          return fail(res, 404, "ORDER_NOT_EXIST", "订单不存在");
        if (o.trade_state === "SUCCESS" || o.trade_state === "REFUND") return fail(res, 400, "ORDERPAID", "订单已支付");
        o.trade_state = "CLOSED";
        return signed(res, 204);
      }

      if (req.method === "POST" && url.pathname === "/v3/refund/domestic/refunds") {
        const o = [...orders.values()].find(
          (x) =>
            (json.transaction_id && x.transaction_id === json.transaction_id) ||
            (json.out_trade_no && x.out_trade_no === json.out_trade_no),
        );
        if (!o || o.sub_mchid !== json.sub_mchid) return fail(res, 404, "RESOURCE_NOT_EXISTS", "订单不存在");
        if (!o.transaction_id) return fail(res, 400, "INVALID_REQUEST", "订单未支付");
        if (typeof json.out_refund_no !== "string" || !/^[0-9A-Za-z_\-|*@]{1,64}$/.test(json.out_refund_no))
          return fail(res, 400, "PARAM_ERROR", "out_refund_no 格式错误");
        const amount = json.amount?.refund;
        if (!Number.isInteger(amount) || amount <= 0 || json.amount?.total !== o.amount.total)
          return fail(res, 400, "PARAM_ERROR", "amount 错误");
        const existing = refunds.get(json.out_refund_no);
        if (existing) return signed(res, 200, { ...existing, status: "SUCCESS", notify_url: undefined });
        if (o.refunded + amount > o.amount.total) return fail(res, 403, "NOT_ENOUGH", "可退金额不足");
        const r = makeRefund(o, amount, json.out_refund_no, json.notify_url);
        // The answer now; the REFUND.SUCCESS callback just after, as WeChat Pay does.
        setTimeout(() => void notifyRefund(r).catch(() => {}), 10);
        const { notify_url: _n, refund_status: _s, ...shown } = r;
        return signed(res, 200, { ...shown, channel: "ORIGINAL", status: "SUCCESS", create_time: beijingNow() });
      }
      return fail(res, 404, "NOT_FOUND", "no such API");
    } catch (error) {
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ code: "SYSTEM_ERROR", message: String(error) }));
    }
  });
  const { url, port, close } = await listen(server, options.port);
  const config: WechatPayStandinConfig = {
    mchid,
    appid,
    privateKey: merchant.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    certSerial,
    apiV3Key,
    platformPublicKey: platform.publicKey.export({ type: "spki", format: "pem" }).toString(),
    platformPublicKeyId,
    baseUrl: url,
  };
  return {
    url,
    port,
    config,
    orders,
    requests,
    notifications,
    pay,
    refund,
    async replay(id) {
      const n = notifications.find((x) => x.id === id);
      if (!n) throw new Error(`no notification ${id}`);
      return deliver(n);
    },
    callback,
    transaction,
    close,
  };
}

/** The app's environment for a started stand-in. */
export function wechatPayEnv(config: WechatPayStandinConfig): Record<string, string> {
  return {
    WECHATPAY_MCHID: config.mchid,
    WECHATPAY_APPID: config.appid,
    WECHATPAY_PRIVATE_KEY: config.privateKey,
    WECHATPAY_CERT_SERIAL: config.certSerial,
    WECHATPAY_APIV3_KEY: config.apiV3Key,
    WECHATPAY_PLATFORM_PUBLIC_KEY: config.platformPublicKey,
    WECHATPAY_PLATFORM_PUBLIC_KEY_ID: config.platformPublicKeyId,
    WECHATPAY_BASE_URL: config.baseUrl,
  };
}
