// A local Alipay open-platform gateway (OpenAPI "2.0", RSA2), for tests driving the real alipay-sdk.
// It checks every request as Alipay does: the RSA2 signature over the sorted parameters with the
// application's public key, the app id, the merchant's app_auth_token (third-party application
// mode), the amounts' format. It answers alipay.trade.query and alipay.trade.refund signed with an
// "Alipay" key generated here (the SDK verifies response signatures), serves the page/wap cashier
// (a page where a test pays), and POSTs asynchronous notifications signed RSA2 with the Alipay key to
// the trade's notify_url. Test-only endpoints (never part of the app): POST /_pay, /_refund,
// /_replay, /_expire, GET /_trades.
import { createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import { listen, readText } from "./http";

export interface AlipayStandinMerchant {
  appAuthToken: string;
  authAppId: string;
  sellerId: string;
  sellerEmail: string;
}

export interface StandinNotification {
  fields: Record<string, string>;
  status: number | null;
  response: string | null;
}

export interface StandinTrade {
  outTradeNo: string;
  tradeNo: string;
  method: "alipay.trade.page.pay" | "alipay.trade.wap.pay";
  merchant: AlipayStandinMerchant;
  totalFen: number;
  subject: string;
  status: "WAIT_BUYER_PAY" | "TRADE_SUCCESS" | "TRADE_CLOSED" | "TRADE_FINISHED";
  notifyUrl: string | null;
  returnUrl: string | null;
  timeExpire: Date | null;
  createdAt: Date;
  paidAt: Date | null;
  refundedFen: number;
  refunds: Map<string, { amountFen: number; at: Date }>;
  notifications: StandinNotification[];
}

// Independent of the app's converter on purpose: the stand-in reads amounts as Alipay does.
function parseYuan(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = /^(0|[1-9]\d{0,8})(?:\.(\d{1,2}))?$/.exec(value);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
}

/** Alipay's time format, Beijing time. */
function alipayTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}

function parseAlipayTime(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4] - 8, +m[5], +m[6]));
}

/** Alipay's content to sign: every non-empty parameter but the excluded ones, sorted by name, key=value joined by &. */
export function signContent(params: Record<string, string>, exclude: readonly string[]): string {
  return Object.keys(params)
    .filter((k) => !exclude.includes(k) && params[k] !== "" && params[k] != null)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join("&");
}

export function rsa2Sign(content: string, key: KeyObject | string): string {
  return createSign("RSA-SHA256").update(content, "utf8").sign(key, "base64");
}

function rsa2Verify(content: string, signature: string, key: KeyObject): boolean {
  try {
    return createVerify("RSA-SHA256").update(content, "utf8").verify(key, signature, "base64");
  } catch {
    return false;
  }
}

function pem(key: KeyObject, type: "pkcs1" | "spki"): string {
  return key.export({ format: "pem", type } as never).toString();
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function startAlipay(options: { port?: number; host?: string } = {}) {
  const appKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const alipayKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const appId = `2021${randomBytes(6).readUIntBE(0, 6).toString().padStart(12, "0")}`;
  const merchants = new Map<string, AlipayStandinMerchant>();
  const trades = new Map<string, StandinTrade>();
  /** Every gateway request, for tests to look at (method, app_auth_token, whether the signature held). */
  const requests: { method: string; appAuthToken: string | null; signatureValid: boolean }[] = [];
  let tradeSeq = 0;

  function authorise(): AlipayStandinMerchant {
    const digits = randomBytes(6).readUIntBE(0, 6).toString().padStart(12, "0");
    const merchant = {
      appAuthToken: `202612BB${randomBytes(16).toString("hex")}`,
      authAppId: `2021${digits}`,
      sellerId: `2088${digits}`,
      sellerEmail: `merchant${digits.slice(-4)}@example.com`,
    };
    merchants.set(merchant.appAuthToken, merchant);
    return merchant;
  }
  const defaultMerchant = authorise();

  /** Signs a JSON answer the way the gateway does: {"<method>_response":{…},"sign":"…"}. */
  function signedResponse(method: string, body: Record<string, unknown>): string {
    const json = JSON.stringify(body);
    return `{"${method.replaceAll(".", "_")}_response":${json},"sign":"${rsa2Sign(json, alipayKeys.privateKey)}"}`;
  }

  function fail(code: string, msg: string, subCode: string, subMsg: string) {
    return { code, msg, sub_code: subCode, sub_msg: subMsg };
  }

  /** The parameters of a gateway request (URL and body), checked as Alipay checks them. */
  function checkRequest(params: Record<string, string>): {
    error?: Record<string, string>;
    merchant?: AlipayStandinMerchant;
  } {
    const signatureValid = !!params.sign && rsa2Verify(signContent(params, ["sign"]), params.sign, appKeys.publicKey);
    requests.push({ method: params.method ?? "", appAuthToken: params.app_auth_token ?? null, signatureValid });
    if (params.app_id !== appId)
      return { error: fail("40002", "Invalid Arguments", "isv.invalid-app-id", "无效的AppID参数") };
    if (params.sign_type !== "RSA2")
      return { error: fail("40002", "Invalid Arguments", "isv.invalid-signature-type", "无效的签名类型") };
    if (!params.timestamp || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(params.timestamp))
      return { error: fail("40002", "Invalid Arguments", "isv.invalid-timestamp", "非法的时间戳参数") };
    if (params.charset !== "utf-8" || params.version !== "1.0")
      return { error: fail("40002", "Invalid Arguments", "isv.invalid-charset", "字符集或版本错误") };
    if (!signatureValid)
      return {
        error: fail(
          "40002",
          "Invalid Arguments",
          "isv.invalid-signature",
          `验签出错，网关生成的验签字符串为：${signContent(params, ["sign"])}`,
        ),
      };
    const merchant = params.app_auth_token ? merchants.get(params.app_auth_token) : undefined;
    // A third-party application acts only for a merchant that authorised it.
    if (!merchant)
      return {
        error: fail("20001", "Insufficient Token Permissions", "aop.invalid-app-auth-token", "无效的应用授权令牌"),
      };
    return { merchant };
  }

  function bizContent(params: Record<string, string>): Record<string, unknown> | null {
    try {
      const parsed = JSON.parse(params.biz_content ?? "");
      return parsed && typeof parsed === "object" ? parsed : null;
    } catch {
      return null;
    }
  }

  /** The fields of an asynchronous notification about a trade, signed with the Alipay key. */
  function notificationFields(trade: StandinTrade, extra: Record<string, string> = {}): Record<string, string> {
    const now = new Date();
    const fields: Record<string, string> = {
      notify_time: alipayTime(now),
      notify_type: "trade_status_sync",
      notify_id: `2026${randomBytes(14).toString("hex")}`,
      charset: "utf-8",
      version: "1.0",
      sign_type: "RSA2",
      app_id: appId,
      auth_app_id: trade.merchant.authAppId,
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_id: "2088102177846880",
      buyer_logon_id: "159****5620",
      seller_id: trade.merchant.sellerId,
      seller_email: trade.merchant.sellerEmail,
      trade_status: trade.status,
      total_amount: yuan(trade.totalFen),
      subject: trade.subject,
      gmt_create: alipayTime(trade.createdAt),
      ...(trade.paidAt
        ? {
            receipt_amount: yuan(trade.totalFen),
            invoice_amount: yuan(trade.totalFen),
            buyer_pay_amount: yuan(trade.totalFen),
            point_amount: "0.00",
            gmt_payment: alipayTime(trade.paidAt),
            fund_bill_list: JSON.stringify([{ amount: yuan(trade.totalFen), fundChannel: "ALIPAYACCOUNT" }]),
          }
        : {}),
      ...extra,
    };
    fields.sign = rsa2Sign(signContent(fields, ["sign", "sign_type"]), alipayKeys.privateKey);
    return fields;
  }

  /** POSTs a notification to the trade's notify_url as Alipay does; records what the app answered. */
  async function deliver(trade: StandinTrade, fields: Record<string, string>): Promise<StandinNotification> {
    const record: StandinNotification = { fields, status: null, response: null };
    trade.notifications.push(record);
    if (!trade.notifyUrl) return record;
    try {
      const res = await fetch(trade.notifyUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body: new URLSearchParams(fields).toString(),
      });
      record.status = res.status;
      record.response = await res.text();
    } catch (error) {
      record.response = `delivery failed: ${String(error)}`;
    }
    return record;
  }

  function findTrade(outTradeNo: unknown): StandinTrade {
    const trade = typeof outTradeNo === "string" ? trades.get(outTradeNo) : undefined;
    if (!trade) throw new Error(`no trade ${String(outTradeNo)}`);
    return trade;
  }

  function expired(trade: StandinTrade, now = new Date()) {
    return trade.timeExpire !== null && trade.timeExpire.getTime() <= now.getTime();
  }

  /** The buyer pays: the trade succeeds and Alipay notifies. */
  async function pay(outTradeNo: string, options: { notify?: boolean } = {}) {
    const trade = findTrade(outTradeNo);
    if (trade.status !== "WAIT_BUYER_PAY") throw new Error(`trade ${outTradeNo} is ${trade.status}`);
    if (expired(trade)) {
      trade.status = "TRADE_CLOSED";
      throw new Error(`trade ${outTradeNo} has expired`);
    }
    trade.status = "TRADE_SUCCESS";
    trade.paidAt = new Date();
    if (options.notify === false) return { trade, notification: null };
    return { trade, notification: await deliver(trade, notificationFields(trade)) };
  }

  /** An unpaid trade times out (or is closed): TRADE_CLOSED, notified. */
  async function expire(outTradeNo: string) {
    const trade = findTrade(outTradeNo);
    if (trade.status !== "WAIT_BUYER_PAY") throw new Error(`trade ${outTradeNo} is ${trade.status}`);
    trade.status = "TRADE_CLOSED";
    return {
      trade,
      notification: await deliver(trade, notificationFields(trade, { gmt_close: alipayTime(new Date()) })),
    };
  }

  /** A refund (from the API or the merchant's console): state, then a notification with refund_fee. */
  function applyRefund(trade: StandinTrade, amountFen: number, outRequestNo: string) {
    const earlier = trade.refunds.get(outRequestNo);
    if (earlier) return { fundChange: false as const };
    if (trade.status !== "TRADE_SUCCESS")
      return { error: fail("40004", "Business Failed", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法") };
    if (amountFen <= 0 || trade.refundedFen + amountFen > trade.totalFen)
      return { error: fail("40004", "Business Failed", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限") };
    trade.refunds.set(outRequestNo, { amountFen, at: new Date() });
    trade.refundedFen += amountFen;
    if (trade.refundedFen === trade.totalFen) trade.status = "TRADE_CLOSED";
    return { fundChange: true as const };
  }

  function refundNotification(trade: StandinTrade, outRequestNo: string) {
    const refund = trade.refunds.get(outRequestNo)!;
    return notificationFields(trade, {
      refund_fee: yuan(trade.refundedFen),
      out_biz_no: outRequestNo,
      gmt_refund: `${alipayTime(refund.at)}.000`,
      ...(trade.status === "TRADE_CLOSED" ? { gmt_close: alipayTime(refund.at) } : {}),
    });
  }

  async function refund(
    outTradeNo: string,
    amountFen: number,
    outRequestNo = `console${randomBytes(6).toString("hex")}`,
  ) {
    const trade = findTrade(outTradeNo);
    const result = applyRefund(trade, amountFen, outRequestNo);
    if ("error" in result) throw new Error(result.error!.sub_msg);
    return { trade, notification: await deliver(trade, refundNotification(trade, outRequestNo)) };
  }

  /** Sends a notification again, exactly as it was (same notify_id, same signature): Alipay's retry. */
  async function replay(outTradeNo: string, index = -1) {
    const trade = findTrade(outTradeNo);
    const earlier = trade.notifications.at(index);
    if (!earlier) throw new Error(`no notification ${index} for ${outTradeNo}`);
    return deliver(trade, earlier.fields);
  }

  function tradeInfo(trade: StandinTrade) {
    return {
      outTradeNo: trade.outTradeNo,
      tradeNo: trade.tradeNo,
      method: trade.method,
      status: trade.status,
      totalAmount: yuan(trade.totalFen),
      refundedAmount: yuan(trade.refundedFen),
      authAppId: trade.merchant.authAppId,
      notifyUrl: trade.notifyUrl,
      returnUrl: trade.returnUrl,
      notifications: trade.notifications.map((n) => ({ status: n.status, response: n.response, fields: n.fields })),
    };
  }

  // The cashier: alipay.trade.page.pay / alipay.trade.wap.pay opened by the browser.
  function openCashier(params: Record<string, string>, res: ServerResponse) {
    const page = (status: number, title: string, body: string) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
      );
    };
    const checked = checkRequest(params);
    if (checked.error)
      return page(
        400,
        "支付宝 - 错误",
        `<p id="error">${escapeHtml(checked.error.sub_code)}: ${escapeHtml(checked.error.sub_msg)}</p>`,
      );
    const method = params.method;
    if (method !== "alipay.trade.page.pay" && method !== "alipay.trade.wap.pay")
      return page(400, "支付宝 - 错误", `<p id="error">isv.invalid-method</p>`);
    const biz = bizContent(params);
    const totalFen = parseYuan(biz?.total_amount);
    const outTradeNo = typeof biz?.out_trade_no === "string" ? biz.out_trade_no : "";
    const productCode = method === "alipay.trade.wap.pay" ? "QUICK_WAP_WAY" : "FAST_INSTANT_TRADE_PAY";
    const timeExpire = typeof biz?.time_expire === "string" ? parseAlipayTime(biz.time_expire) : null;
    if (
      !biz ||
      !/^[A-Za-z0-9_]{1,64}$/.test(outTradeNo) ||
      totalFen === null ||
      totalFen < 1 ||
      totalFen > 10_000_000_000 ||
      typeof biz.subject !== "string" ||
      !biz.subject ||
      biz.product_code !== productCode ||
      (biz.time_expire !== undefined && !timeExpire)
    )
      return page(400, "支付宝 - 错误", `<p id="error">ACQ.INVALID_PARAMETER: 参数无效</p>`);
    let trade = trades.get(outTradeNo);
    if (trade && (trade.totalFen !== totalFen || trade.merchant !== checked.merchant))
      return page(400, "支付宝 - 错误", `<p id="error">ACQ.CONTEXT_INCONSISTENT: 交易信息被篡改</p>`);
    if (!trade) {
      tradeSeq += 1;
      trade = {
        outTradeNo,
        tradeNo: `${alipayTime(new Date()).replace(/\D/g, "").slice(0, 8)}22001${String(tradeSeq).padStart(6, "0")}${randomBytes(4).readUInt32BE(0).toString().padStart(10, "0").slice(0, 9)}`,
        method,
        merchant: checked.merchant!,
        totalFen,
        subject: biz.subject,
        status: "WAIT_BUYER_PAY",
        notifyUrl: params.notify_url || null,
        returnUrl: params.return_url || null,
        timeExpire,
        createdAt: new Date(),
        paidAt: null,
        refundedFen: 0,
        refunds: new Map(),
        notifications: [],
      };
      trades.set(outTradeNo, trade);
    }
    if (trade.status !== "WAIT_BUYER_PAY" || expired(trade))
      return page(200, "支付宝 - 交易已关闭", `<p id="closed">${escapeHtml(trade.status)}</p>`);
    return page(
      200,
      method === "alipay.trade.wap.pay" ? "支付宝 - 手机收银台（测试）" : "支付宝 - 电脑收银台（测试）",
      `<p>商户订单 <span id="out-trade-no">${escapeHtml(trade.outTradeNo)}</span></p>
<p>${escapeHtml(trade.subject)}</p>
<p>金额 ¥<span id="total-amount">${yuan(trade.totalFen)}</span></p>
<form method="post" action="/_cashier/pay"><input type="hidden" name="out_trade_no" value="${escapeHtml(trade.outTradeNo)}"><button type="submit">确认付款</button></form>`,
    );
  }

  /** The synchronous return to return_url, signed like Alipay's (the app may not trust it; the notification decides). */
  function returnUrlOf(trade: StandinTrade): string | null {
    if (!trade.returnUrl) return null;
    const fields: Record<string, string> = {
      charset: "utf-8",
      out_trade_no: trade.outTradeNo,
      method: `${trade.method}.return`,
      total_amount: yuan(trade.totalFen),
      trade_no: trade.tradeNo,
      auth_app_id: trade.merchant.authAppId,
      version: "1.0",
      app_id: appId,
      sign_type: "RSA2",
      seller_id: trade.merchant.sellerId,
      timestamp: alipayTime(new Date()),
    };
    fields.sign = rsa2Sign(signContent(fields, ["sign", "sign_type"]), alipayKeys.privateKey);
    const url = new URL(trade.returnUrl);
    for (const [k, v] of Object.entries(fields)) url.searchParams.set(k, v);
    return url.toString();
  }

  async function gatewayCall(params: Record<string, string>): Promise<string> {
    const method = params.method ?? "";
    const checked = checkRequest(params);
    if (checked.error) return signedResponse(method, checked.error);
    const biz = bizContent(params);
    if (!biz)
      return signedResponse(method, fail("40002", "Invalid Arguments", "isv.invalid-biz-content", "业务参数格式错误"));
    const trade = typeof biz.out_trade_no === "string" ? trades.get(biz.out_trade_no) : undefined;
    const mine = trade && trade.merchant === checked.merchant ? trade : undefined;
    if (method === "alipay.trade.query") {
      if (!mine) return signedResponse(method, fail("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在"));
      if (mine.status === "WAIT_BUYER_PAY" && expired(mine)) mine.status = "TRADE_CLOSED";
      return signedResponse(method, {
        code: "10000",
        msg: "Success",
        trade_no: mine.tradeNo,
        out_trade_no: mine.outTradeNo,
        buyer_logon_id: "159****5620",
        trade_status: mine.status,
        total_amount: yuan(mine.totalFen),
        buyer_pay_amount: mine.paidAt ? yuan(mine.totalFen) : "0.00",
        receipt_amount: mine.paidAt ? yuan(mine.totalFen) : "0.00",
        ...(mine.paidAt ? { send_pay_date: alipayTime(mine.paidAt) } : {}),
        buyer_user_id: "2088102177846880",
      });
    }
    if (method === "alipay.trade.refund") {
      if (!mine) return signedResponse(method, fail("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在"));
      const amountFen = parseYuan(biz.refund_amount);
      const outRequestNo =
        typeof biz.out_request_no === "string" && biz.out_request_no ? biz.out_request_no : mine.outTradeNo;
      if (amountFen === null)
        return signedResponse(method, fail("40004", "Business Failed", "ACQ.INVALID_PARAMETER", "参数无效"));
      const earlier = mine.refunds.get(outRequestNo);
      if (earlier && earlier.amountFen !== amountFen)
        return signedResponse(
          method,
          fail("40004", "Business Failed", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额与原请求不一致"),
        );
      const result = applyRefund(mine, amountFen, outRequestNo);
      if ("error" in result) return signedResponse(method, result.error!);
      if (result.fundChange) {
        // Alipay notifies the trade's notify_url of the refund, a moment after answering.
        const fields = refundNotification(mine, outRequestNo);
        if (autoNotifyRefunds) setTimeout(() => void deliver(mine, fields), 0);
        else heldNotifications.push({ trade: mine, fields });
      }
      return signedResponse(method, {
        code: "10000",
        msg: "Success",
        trade_no: mine.tradeNo,
        out_trade_no: mine.outTradeNo,
        buyer_logon_id: "159****5620",
        fund_change: result.fundChange ? "Y" : "N",
        refund_fee: yuan(mine.refundedFen),
        buyer_user_id: "2088102177846880",
      });
    }
    if (method === "alipay.trade.close") {
      if (!mine) return signedResponse(method, fail("40004", "Business Failed", "ACQ.TRADE_NOT_EXIST", "交易不存在"));
      if (mine.status !== "WAIT_BUYER_PAY")
        return signedResponse(method, fail("40004", "Business Failed", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法"));
      mine.status = "TRADE_CLOSED";
      return signedResponse(method, {
        code: "10000",
        msg: "Success",
        trade_no: mine.tradeNo,
        out_trade_no: mine.outTradeNo,
      });
    }
    return signedResponse(method, fail("40004", "Business Failed", "isv.invalid-method", "不存在的方法名"));
  }
  let autoNotifyRefunds = true;
  const heldNotifications: { trade: StandinTrade; fields: Record<string, string> }[] = [];

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === "/gateway.do") {
        const params: Record<string, string> = Object.fromEntries(url.searchParams);
        if (req.method === "POST") {
          const body = await readText(req);
          for (const [k, v] of new URLSearchParams(body)) params[k] = v;
        }
        if (params.method === "alipay.trade.page.pay" || params.method === "alipay.trade.wap.pay")
          return openCashier(params, res);
        const answer = await gatewayCall(params);
        res.writeHead(200, { "content-type": "text/html;charset=utf-8", trace_id: randomBytes(12).toString("hex") });
        return res.end(answer);
      }
      if (url.pathname === "/_cashier/pay" && req.method === "POST") {
        const form = new URLSearchParams(await readText(req));
        const { trade } = await pay(form.get("out_trade_no") ?? "");
        const back = returnUrlOf(trade);
        if (back) {
          res.writeHead(303, { location: back });
          return res.end();
        }
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end(`<!doctype html><p id="paid">支付成功</p>`);
      }
      // Test-only endpoints.
      if (req.method === "POST" && url.pathname.startsWith("/_")) {
        const body = JSON.parse((await readText(req)) || "{}") as Record<string, unknown>;
        const outTradeNo = String(body.outTradeNo ?? "");
        if (url.pathname === "/_pay") {
          const { trade, notification } = await pay(outTradeNo, { notify: body.notify !== false });
          return json(200, { trade: tradeInfo(trade), notification });
        }
        if (url.pathname === "/_expire") {
          const { trade, notification } = await expire(outTradeNo);
          return json(200, { trade: tradeInfo(trade), notification });
        }
        if (url.pathname === "/_refund") {
          const amount = parseYuan(body.amount);
          if (amount === null) return json(400, { error: "amount: a yuan string" });
          const { trade, notification } = await refund(outTradeNo, amount);
          return json(200, { trade: tradeInfo(trade), notification });
        }
        if (url.pathname === "/_replay") {
          const notification = await replay(outTradeNo, typeof body.index === "number" ? body.index : -1);
          return json(200, { notification });
        }
      }
      if (req.method === "GET" && url.pathname === "/_trades") return json(200, [...trades.values()].map(tradeInfo));
      res.writeHead(404);
      res.end("not found");
    } catch (error) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: String(error instanceof Error ? error.message : error) }));
    }
  });

  const { port, close } = await listen(server, options.port, options.host);
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    gateway: `${url}/gateway.do`,
    appId,
    /** The application's private key (PKCS#1 PEM): the platform signs with it. */
    appPrivateKey: pem(appKeys.privateKey, "pkcs1"),
    appPublicKey: pem(appKeys.publicKey, "spki"),
    /** Alipay's public key for this application (SPKI PEM): the platform verifies with it. */
    alipayPublicKey: pem(alipayKeys.publicKey, "spki"),
    /** Alipay's private key: tests sign forged-but-valid notifications with it. */
    alipayPrivateKey: alipayKeys.privateKey,
    merchant: defaultMerchant,
    merchants,
    trades,
    requests,
    authorise,
    pay,
    expire,
    refund,
    replay,
    notificationFields,
    deliver,
    /** Whether an API refund is followed by its notification (off: a test delivers it itself, e.g. out of order). */
    setAutoNotifyRefunds(on: boolean) {
      autoNotifyRefunds = on;
    },
    /** Delivers the refund notifications held while setAutoNotifyRefunds(false). */
    async deliverHeld() {
      const held = heldNotifications.splice(0);
      const out: StandinNotification[] = [];
      for (const h of held) out.push(await deliver(h.trade, h.fields));
      return out;
    },
    /** The notifications of a trade, for tests. */
    notificationsOf(outTradeNo: string) {
      return findTrade(outTradeNo).notifications;
    },
    close,
  };
}

export type AlipayStandin = Awaited<ReturnType<typeof startAlipay>>;
