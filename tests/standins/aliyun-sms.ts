// A local Alibaba Cloud SMS endpoint (dysmsapi 2017-05-25) speaking the API as
// @alicloud/dysmsapi20170525 calls it: POST / with the action's parameters in the query string,
// signed ACS3-HMAC-SHA256 (canonical request of method, path, sorted encoded query, the signed
// headers (host, content-type, x-acs-*), the payload's SHA-256; HMAC-SHA256 with the AccessKey
// secret). A bad signature gets Alibaba's error; accepted messages are kept for GET /_inbox.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listen, readBody, sendJson } from "./http";

export interface AliyunSmsReceived {
  phone: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  bizId: string;
  at: string;
}

export interface AliyunSmsStandin {
  url: string;
  accessKeyId: string;
  accessKeySecret: string;
  inbox: AliyunSmsReceived[];
  /** Requests refused (bad signature, unknown key, stale date), for tests to assert on. */
  refused: { code: string; message: string }[];
  /** Makes the next sends to this number fail with a business refusal (HTTP 200, Code != "OK"). */
  refuseNumber(phone: string, code?: string): void;
  close(): Promise<void>;
}

/** Alibaba's percent-encoding for the canonical query (RFC 3986, as the SDK does). */
function encode(value: string): string {
  return encodeURIComponent(value)
    .replace(/!/g, "%21")
    .replace(/'/g, "%27")
    .replace(/\(/g, "%28")
    .replace(/\)/g, "%29")
    .replace(/\*/g, "%2A");
}

const sha256Hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

export async function startAliyunSms(
  options: { port?: number; accessKeyId?: string; accessKeySecret?: string } = {},
): Promise<AliyunSmsStandin> {
  const accessKeyId = options.accessKeyId ?? `LTAI${randomBytes(10).toString("hex")}`;
  const accessKeySecret = options.accessKeySecret ?? randomBytes(24).toString("base64url");
  const inbox: AliyunSmsReceived[] = [];
  const refused: { code: string; message: string }[] = [];
  const refusedNumbers = new Map<string, string>();
  const nonces = new Set<string>();

  const reply = sendJson;
  function refuse(res: ServerResponse, status: number, code: string, message: string) {
    refused.push({ code, message });
    reply(res, status, {
      RequestId: randomUUID().toUpperCase(),
      HostId: "dysmsapi.aliyuncs.com",
      Code: code,
      Message: message,
    });
  }

  /** The signature check of Alibaba Cloud's gateway; null when it holds, else the refusal. */
  function checkSignature(req: IncomingMessage, url: URL, body: Buffer): [number, string, string] | null {
    const auth = req.headers.authorization ?? "";
    const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) return [400, "IncompleteSignature", "The request signature does not conform to Aliyun standards."];
    const [, keyId, signedHeaderList, signature] = m;
    if (keyId !== accessKeyId) return [404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."];
    const signed = signedHeaderList.split(";");
    for (const required of [
      "host",
      "x-acs-action",
      "x-acs-content-sha256",
      "x-acs-date",
      "x-acs-signature-nonce",
      "x-acs-version",
    ])
      if (!signed.includes(required)) return [400, "IncompleteSignature", `The header ${required} must be signed.`];
    const payloadHash = req.headers["x-acs-content-sha256"];
    if (payloadHash !== sha256Hex(body))
      return [400, "IncompleteSignature", "x-acs-content-sha256 does not match the body."];
    const date = Date.parse(String(req.headers["x-acs-date"]));
    if (!Number.isFinite(date) || Math.abs(Date.now() - date) > 15 * 60_000)
      return [400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."];
    const nonce = String(req.headers["x-acs-signature-nonce"]);
    if (nonces.has(nonce)) return [400, "SignatureNonceUsed", "Specified signature nonce was used already."];
    const query = [...url.searchParams.keys()]
      .filter((k, i, all) => all.indexOf(k) === i)
      .sort()
      .map((k) => `${k}=${encode(url.searchParams.get(k) ?? "")}`)
      .join("&");
    const headers = signed.map((h) => `${h}:${String(req.headers[h] ?? "").trim()}\n`).join("");
    const canonical = [req.method, url.pathname, query, headers, signed.join(";"), payloadHash].join("\n");
    const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonical)}`;
    const expected = createHmac("sha256", accessKeySecret).update(stringToSign).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature, "hex")))
      return [400, "SignatureDoesNotMatch", "Specified signature does not match our calculation."];
    nonces.add(nonce);
    return null;
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://standin");
      if (req.method === "GET" && url.pathname === "/_inbox") {
        const phone = url.searchParams.get("phone");
        return reply(res, 200, phone ? inbox.filter((m) => m.phone === phone) : inbox);
      }
      const body = await readBody(req);
      if (req.method !== "POST" || url.pathname !== "/")
        return refuse(res, 404, "InvalidAction.NotFound", "Specified api is not found.");
      const bad = checkSignature(req, url, body);
      if (bad) return refuse(res, ...bad);
      if (req.headers["x-acs-action"] !== "SendSms" || req.headers["x-acs-version"] !== "2017-05-25")
        return refuse(res, 404, "InvalidAction.NotFound", "Specified api is not found.");
      const q = url.searchParams;
      const phone = q.get("PhoneNumbers") ?? "";
      const signName = q.get("SignName") ?? "";
      const templateCode = q.get("TemplateCode") ?? "";
      const requestId = randomUUID().toUpperCase();
      const business = (code: string, message: string) =>
        reply(res, 200, { RequestId: requestId, Code: code, Message: message });
      if (!/^1\d{10}$/.test(phone)) return business("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号");
      if (!signName) return business("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名");
      if (!/^SMS_\w+$/.test(templateCode)) return business("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板");
      let params: Record<string, string> = {};
      try {
        params = q.get("TemplateParam") ? (JSON.parse(q.get("TemplateParam")!) as Record<string, string>) : {};
      } catch {
        return business("isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值");
      }
      const refusal = refusedNumbers.get(phone);
      if (refusal) return business(refusal, "触发号码天级流控");
      const bizId = `${Date.now()}^0`;
      inbox.push({ phone, signName, templateCode, params, bizId, at: new Date().toISOString() });
      reply(res, 200, { RequestId: requestId, Code: "OK", Message: "OK", BizId: bizId });
    } catch (error) {
      reply(res, 500, { Code: "InternalError", Message: String(error) });
    }
  });
  const { url, close } = await listen(server, options.port);
  return {
    url,
    accessKeyId,
    accessKeySecret,
    inbox,
    refused,
    refuseNumber: (phone, code = "isv.BUSINESS_LIMIT_CONTROL") => refusedNumbers.set(phone, code),
    close,
  };
}
