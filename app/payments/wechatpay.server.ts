import {
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";
import {
  WebhookSignatureError,
  type CallbackAnswer,
  type CallbackDelivery,
  type CheckoutRequest,
  type MerchantSettings,
  type PayAction,
  type PaymentEvent,
  type PaymentProvider,
  type ProviderSession,
  type RefundRequest,
  type RefundResult,
  deliveryHeader,
} from "./provider.server";

/*
 * WeChat Pay APIv3 in 服务商 (service provider) mode, with node:crypto and fetch (plainer than
 * wechatpay-axios-plugin for the five calls we make, and nothing between us and the protocol):
 *  - the platform (服务商) has its mchid, an API client key and its certificate's serial, the
 *    APIv3 key, and WeChat Pay's platform public key with its id (all from the environment);
 *  - each estate's merchant is a sub_mchid (estate_payment_method);
 *  - requests are signed WECHATPAY2-SHA256-RSA2048 with the client key; answers and callbacks
 *    are verified with the platform public key; callback resources are decrypted with
 *    AEAD_AES_256_GCM under the APIv3 key.
 */

export interface WechatPayConfig {
  /** The 服务商's merchant id (sp_mchid). */
  mchid: string;
  /** The 服务商's AppID (sp_appid): the official account the owners' openids belong to. */
  appid: string;
  /** The API client private key (apiclient_key.pem), PEM. */
  privateKey: string;
  /** The serial number of the API client certificate. */
  certSerial: string;
  /** The APIv3 key (32 characters). */
  apiV3Key: string;
  /** WeChat Pay's platform public key (PEM) and its id ("PUB_KEY_ID_…"). */
  platformPublicKey: string;
  platformPublicKeyId: string;
  /** https://api.mch.weixin.qq.com, or a local stand-in in tests. */
  baseUrl?: string;
  /** The public origin callbacks go to (APP_URL); else the request's origin. */
  notifyOrigin?: string;
  /** For tests: the clock. */
  now?: () => Date;
}

/** A WeChat Pay answer that is not 2xx, or whose signature fails. */
export class WechatPayError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Callbacks and answers older (or newer) than this are refused. */
export const maxClockSkewSeconds = 300;

/** Our checkout id (a UUID) as out_trade_no: 32 hex characters, within WeChat's 6–32. */
export function outTradeNo(checkoutId: string): string {
  return checkoutId.replace(/-/g, "");
}

/** out_trade_no back to our checkout id, when it is one. */
export function checkoutIdOf(outTradeNo: string): string | null {
  if (!/^[0-9a-f]{32}$/i.test(outTradeNo)) return null;
  const h = outTradeNo.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** RFC 3339 in Beijing time, as WeChat Pay writes it: 2026-12-02T17:48:00+08:00. */
export function rfc3339Beijing(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

/** A PEM from an environment variable: literal "\n" escapes allowed. */
export function pem(text: string): string {
  return text.includes("\\n") ? text.replace(/\\n/g, "\n") : text;
}

function nonce(): string {
  return randomBytes(16).toString("hex").toUpperCase();
}

/** WECHATPAY2-SHA256-RSA2048: the signature of "METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n". */
export function authorization(
  config: Pick<WechatPayConfig, "mchid" | "certSerial">,
  key: KeyObject | string,
  method: string,
  pathWithQuery: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
  nonceStr = nonce(),
): string {
  const message = `${method}\n${pathWithQuery}\n${timestamp}\n${nonceStr}\n${body}\n`;
  const signature = sign("RSA-SHA256", Buffer.from(message), key).toString("base64");
  return `WECHATPAY2-SHA256-RSA2048 mchid="${config.mchid}",nonce_str="${nonceStr}",signature="${signature}",timestamp="${timestamp}",serial_no="${config.certSerial}"`;
}

/** Checks Wechatpay-Signature over "TIMESTAMP\nNONCE\nBODY\n" with the platform public key, and the age. */
export function verifySigned(
  key: KeyObject,
  keyId: string,
  headers: { timestamp: string | null; nonce: string | null; signature: string | null; serial: string | null },
  body: string,
  now: Date,
): void {
  const { timestamp, nonce: nonceStr, signature, serial } = headers;
  if (!timestamp || !nonceStr || !signature || !serial) throw new WebhookSignatureError("missing Wechatpay-* headers");
  if (serial !== keyId) throw new WebhookSignatureError(`unknown Wechatpay-Serial ${serial}`);
  const ts = Number(timestamp);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now.getTime() / 1000 - ts) > maxClockSkewSeconds)
    throw new WebhookSignatureError("Wechatpay-Timestamp too old or in the future");
  const ok = verify(
    "RSA-SHA256",
    Buffer.from(`${timestamp}\n${nonceStr}\n${body}\n`),
    key,
    Buffer.from(signature, "base64"),
  );
  if (!ok) throw new WebhookSignatureError("bad Wechatpay-Signature");
}

/** AEAD_AES_256_GCM with the APIv3 key: the ciphertext is base64 of the encrypted bytes and the 16-byte tag. */
export function decryptResource(
  apiV3Key: string,
  resource: { ciphertext: string; nonce: string; associated_data?: string },
): string {
  const data = Buffer.from(resource.ciphertext, "base64");
  if (data.length < 17) throw new WebhookSignatureError("resource too short");
  const decipher = createDecipheriv("aes-256-gcm", Buffer.from(apiV3Key, "utf8"), Buffer.from(resource.nonce, "utf8"));
  decipher.setAuthTag(data.subarray(data.length - 16));
  decipher.setAAD(Buffer.from(resource.associated_data ?? "", "utf8"));
  try {
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    throw new WebhookSignatureError("resource does not decrypt with the APIv3 key");
  }
}

/** The fields of a partner transaction we read (order query and TRANSACTION.* callbacks). */
export interface WechatTransaction {
  sp_mchid?: string;
  sub_mchid?: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: string;
  trade_state: string;
  attach?: string;
  success_time?: string;
  amount?: { total?: number; payer_total?: number; currency?: string };
  payer?: { sp_openid?: string; sub_openid?: string };
}

/** A WeChat Pay transaction as a neutral session (amounts are already fen). */
export function fromTransaction(tx: WechatTransaction, action: PayAction | null = null): ProviderSession {
  const paid = tx.trade_state === "SUCCESS" || tx.trade_state === "REFUND";
  const finished = ["CLOSED", "REVOKED", "PAYERROR"].includes(tx.trade_state);
  const checkoutId = checkoutIdOf(tx.out_trade_no);
  const metadata: Record<string, string> = {};
  if (checkoutId) metadata.checkout_id = checkoutId;
  if (tx.attach) metadata.estate_id = tx.attach;
  return {
    id: tx.out_trade_no,
    url: action?.kind === "redirect" ? action.url : null,
    action: paid || finished ? null : action,
    status: paid ? "complete" : finished ? "expired" : "open",
    paymentStatus: paid ? "paid" : "unpaid",
    amountTotal: tx.amount?.total ?? null,
    currency: tx.amount?.currency ? tx.amount.currency.toLowerCase() : null,
    metadata,
    paymentIntentId: tx.transaction_id ?? null,
    clientReferenceId: null,
    expiresAt: 0,
  };
}

export type WechatPayProvider = PaymentProvider & { name: "wechatpay"; config: WechatPayConfig };

function subMchid(merchant: MerchantSettings | undefined): string {
  if (!merchant?.subMchid) throw new WechatPayError("this estate has no WeChat Pay sub_mchid", 400, "NO_SUB_MCHID");
  return merchant.subMchid;
}

export function wechatPayProvider(config: WechatPayConfig): WechatPayProvider {
  const baseUrl = (config.baseUrl ?? "https://api.mch.weixin.qq.com").replace(/\/$/, "");
  const privateKey = createPrivateKey(pem(config.privateKey));
  const platformKey = createPublicKey(pem(config.platformPublicKey));
  const now = () => config.now?.() ?? new Date();

  /** One signed call; the answer's signature is verified before its body is believed. */
  async function call<T>(method: "GET" | "POST", pathWithQuery: string, payload?: unknown): Promise<T | null> {
    const body = payload === undefined ? "" : JSON.stringify(payload);
    const response = await fetch(`${baseUrl}${pathWithQuery}`, {
      method,
      headers: {
        Accept: "application/json",
        ...(payload === undefined ? {} : { "Content-Type": "application/json" }),
        "User-Agent": "yishitang",
        Authorization: authorization(
          config,
          privateKey,
          method,
          pathWithQuery,
          body,
          Math.floor(now().getTime() / 1000),
        ),
      },
      body: payload === undefined ? undefined : body,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    if (!response.ok) {
      let code: string | undefined;
      let message = text;
      try {
        ({ code, message } = JSON.parse(text) as { code?: string; message: string });
      } catch {
        /* not JSON */
      }
      throw new WechatPayError(
        `WeChat Pay ${method} ${pathWithQuery}: ${response.status} ${message}`,
        response.status,
        code,
      );
    }
    try {
      verifySigned(
        platformKey,
        config.platformPublicKeyId,
        {
          timestamp: response.headers.get("wechatpay-timestamp"),
          nonce: response.headers.get("wechatpay-nonce"),
          signature: response.headers.get("wechatpay-signature"),
          serial: response.headers.get("wechatpay-serial"),
        },
        text,
        now(),
      );
    } catch (error) {
      throw new WechatPayError(`WeChat Pay answer not signed by the platform: ${(error as Error).message}`, 502);
    }
    return text ? (JSON.parse(text) as T) : null;
  }

  function notifyUrl(request: { origin?: string; estateSlug?: string }): string {
    const origin = config.notifyOrigin ?? request.origin;
    if (!origin || !request.estateSlug) throw new Error("a WeChat Pay order needs the site's origin and the estate");
    return new URL(`/webhooks/wechatpay/${encodeURIComponent(request.estateSlug)}`, origin).toString();
  }

  /** The parameters WeixinJSBridge's getBrandWCPayRequest takes, paySign signed with the client key. */
  function jsapiParams(prepayId: string): PayAction {
    const timeStamp = String(Math.floor(now().getTime() / 1000));
    const nonceStr = nonce();
    const pkg = `prepay_id=${prepayId}`;
    const paySign = sign("RSA-SHA256", Buffer.from(`${config.appid}\n${timeStamp}\n${nonceStr}\n${pkg}\n`), privateKey);
    return {
      kind: "jsapi",
      params: {
        appId: config.appid,
        timeStamp,
        nonceStr,
        package: pkg,
        signType: "RSA",
        paySign: paySign.toString("base64"),
      },
    };
  }

  const query = (id: string, merchant?: MerchantSettings) =>
    `/v3/pay/partner/transactions/out-trade-no/${encodeURIComponent(id)}?sp_mchid=${config.mchid}&sub_mchid=${encodeURIComponent(subMchid(merchant))}`;

  return {
    name: "wechatpay",
    config,
    async createCheckout(request: CheckoutRequest) {
      const channel = request.channel ?? "native";
      if (channel !== "jsapi" && channel !== "native" && channel !== "h5")
        throw new WechatPayError(`WeChat Pay has no ${channel} channel`, 400);
      const id = outTradeNo(request.checkoutId);
      const order: Record<string, unknown> = {
        sp_appid: config.appid,
        sp_mchid: config.mchid,
        ...(request.merchant?.subAppid ? { sub_appid: request.merchant.subAppid } : {}),
        sub_mchid: subMchid(request.merchant),
        // At most 127 bytes of UTF-8.
        description: truncateUtf8(request.description ?? request.lineItems[0]?.name ?? "物业费", 127),
        out_trade_no: id,
        time_expire: rfc3339Beijing(request.expiresAt),
        attach: request.estateId,
        notify_url: notifyUrl(request),
        amount: { total: request.amountFen, currency: "CNY" },
      };
      if (channel === "jsapi") {
        if (!request.openid) throw new WechatPayError("JSAPI needs the payer's openid", 400, "NO_OPENID");
        order.payer = { sp_openid: request.openid };
        const answer = await call<{ prepay_id: string }>("POST", "/v3/pay/partner/transactions/jsapi", order);
        return sessionOf(id, request, jsapiParams(answer!.prepay_id));
      }
      if (channel === "native") {
        const answer = await call<{ code_url: string }>("POST", "/v3/pay/partner/transactions/native", order);
        return sessionOf(id, request, { kind: "qr", codeUrl: answer!.code_url });
      }
      if (!request.clientIp) throw new WechatPayError("H5 needs the payer's IP", 400, "NO_CLIENT_IP");
      order.scene_info = { payer_client_ip: request.clientIp, h5_info: { type: "Wap" } };
      const answer = await call<{ h5_url: string }>("POST", "/v3/pay/partner/transactions/h5", order);
      // After paying, WeChat sends the owner back to our bills page (redirect_url, URL-encoded).
      const url = `${answer!.h5_url}${answer!.h5_url.includes("?") ? "&" : "?"}redirect_url=${encodeURIComponent(request.successUrl)}`;
      return sessionOf(id, request, { kind: "redirect", url });
    },
    async retrieveSession(id: string, merchant?: MerchantSettings) {
      const tx = await call<WechatTransaction>("GET", query(id, merchant));
      return fromTransaction(tx!);
    },
    async closeSession(id: string, merchant?: MerchantSettings) {
      await call("POST", `/v3/pay/partner/transactions/out-trade-no/${encodeURIComponent(id)}/close`, {
        sp_mchid: config.mchid,
        sub_mchid: subMchid(merchant),
      });
    },
    async refund(request: RefundRequest): Promise<RefundResult> {
      const answer = await call<{ refund_id: string; status: string }>("POST", "/v3/refund/domestic/refunds", {
        sub_mchid: subMchid(request.merchant),
        ...(request.paymentRef ? { transaction_id: request.paymentRef } : { out_trade_no: request.sessionId }),
        out_refund_no: request.refundId.replace(/-/g, "").slice(0, 64),
        ...(request.reason ? { reason: truncateUtf8(request.reason, 80) } : {}),
        notify_url: notifyUrl(request),
        amount: { refund: request.amountFen, total: request.totalFen, currency: "CNY" },
      });
      return {
        refundRef: answer!.refund_id,
        status: answer!.status === "SUCCESS" ? "succeeded" : answer!.status === "PROCESSING" ? "pending" : "failed",
      };
    },
    async verifyCallback(delivery: CallbackDelivery): Promise<PaymentEvent> {
      verifySigned(
        platformKey,
        config.platformPublicKeyId,
        {
          timestamp: deliveryHeader(delivery, "wechatpay-timestamp"),
          nonce: deliveryHeader(delivery, "wechatpay-nonce"),
          signature: deliveryHeader(delivery, "wechatpay-signature"),
          serial: deliveryHeader(delivery, "wechatpay-serial"),
        },
        delivery.rawBody,
        now(),
      );
      let notification: {
        id?: string;
        event_type?: string;
        resource?: { algorithm?: string; ciphertext: string; nonce: string; associated_data?: string };
      };
      try {
        notification = JSON.parse(delivery.rawBody);
      } catch {
        throw new WebhookSignatureError("body is not JSON");
      }
      const { id, event_type: type, resource } = notification;
      if (!id || !type || !resource?.ciphertext || !resource.nonce || resource.algorithm !== "AEAD_AES_256_GCM")
        throw new WebhookSignatureError("not a WeChat Pay notification");
      let plain: Record<string, unknown>;
      try {
        plain = JSON.parse(decryptResource(config.apiV3Key, resource));
      } catch (error) {
        if (error instanceof WebhookSignatureError) throw error;
        throw new WebhookSignatureError("resource is not JSON");
      }
      // A notification for another 服务商 is not ours, whatever its signature.
      if (plain.sp_mchid !== undefined && plain.sp_mchid !== config.mchid)
        throw new WebhookSignatureError("sp_mchid is not ours");
      const base = { id: `wechatpay:${id}`, type };
      if (type === "TRANSACTION.SUCCESS") {
        const session = fromTransaction(plain as unknown as WechatTransaction);
        return session.paymentStatus === "paid" ? { ...base, kind: "paid", session } : { ...base, kind: "ignored" };
      }
      if (type === "REFUND.SUCCESS") {
        const refund = plain as {
          transaction_id?: string;
          refund_id?: string;
          amount?: { refund?: number };
        };
        return {
          ...base,
          kind: "refunded",
          refund: {
            paymentRef: refund.transaction_id ?? null,
            refundRef: refund.refund_id ?? null,
            amountFen: refund.amount?.refund,
          },
        };
      }
      return { ...base, kind: "ignored" };
    },
    answer(result): CallbackAnswer {
      // WeChat Pay: 200/204 without a body is success; 4xx/5xx with {code: "FAIL", message} asks for a retry.
      if (result.status === 200) return { status: 204, contentType: "application/json", body: "" };
      return {
        status: result.status,
        contentType: "application/json",
        body: JSON.stringify({ code: "FAIL", message: result.status === 400 ? "签名验证失败" : "失败" }),
      };
    },
  };

  function sessionOf(id: string, request: CheckoutRequest, action: PayAction): ProviderSession {
    const checkoutId = checkoutIdOf(id);
    return {
      id,
      url: action.kind === "redirect" ? action.url : null,
      action,
      status: "open",
      paymentStatus: "unpaid",
      amountTotal: request.amountFen,
      currency: "cny",
      metadata: { ...(checkoutId ? { checkout_id: checkoutId } : {}), estate_id: request.estateId },
      paymentIntentId: null,
      clientReferenceId: request.payerId,
      expiresAt: Math.floor(request.expiresAt.getTime() / 1000),
    };
  }
}

/** At most `bytes` bytes of UTF-8, cut at a character boundary. */
export function truncateUtf8(text: string, bytes: number): string {
  let out = "";
  let used = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, "utf8");
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
}

/** From the environment: all of WECHATPAY_MCHID, _APPID, _PRIVATE_KEY, _CERT_SERIAL, _APIV3_KEY, _PLATFORM_PUBLIC_KEY(_ID). */
export function wechatPayConfigFromEnv(source: { [key: string]: unknown }): WechatPayConfig | null {
  const get = (k: string) => (typeof source[k] === "string" && source[k] ? (source[k] as string) : undefined);
  const required = [
    "WECHATPAY_MCHID",
    "WECHATPAY_APPID",
    "WECHATPAY_PRIVATE_KEY",
    "WECHATPAY_CERT_SERIAL",
    "WECHATPAY_APIV3_KEY",
    "WECHATPAY_PLATFORM_PUBLIC_KEY",
    "WECHATPAY_PLATFORM_PUBLIC_KEY_ID",
  ];
  const missing = required.filter((k) => !get(k));
  if (missing.length === required.length) return null;
  if (missing.length > 0) throw new Error(`WeChat Pay is half configured: set ${missing.join(", ")}`);
  if (Buffer.byteLength(get("WECHATPAY_APIV3_KEY")!, "utf8") !== 32)
    throw new Error("WECHATPAY_APIV3_KEY must be the 32-character APIv3 key");
  return {
    mchid: get("WECHATPAY_MCHID")!,
    appid: get("WECHATPAY_APPID")!,
    privateKey: get("WECHATPAY_PRIVATE_KEY")!,
    certSerial: get("WECHATPAY_CERT_SERIAL")!,
    apiV3Key: get("WECHATPAY_APIV3_KEY")!,
    platformPublicKey: get("WECHATPAY_PLATFORM_PUBLIC_KEY")!,
    platformPublicKeyId: get("WECHATPAY_PLATFORM_PUBLIC_KEY_ID")!,
    baseUrl: get("WECHATPAY_BASE_URL"),
    notifyOrigin: get("APP_URL"),
  };
}
