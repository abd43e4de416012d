// A local Tencent Cloud SMS endpoint (SendSms, version 2021-01-11) speaking the API as
// tencentcloud-sdk-nodejs-sms calls it: POST / with a JSON body and X-TC-* headers, signed
// TC3-HMAC-SHA256 (canonical request of method, path, query, the signed headers content-type and
// host, the body's SHA-256; signing key derived as HMAC chains of "TC3"+secret, date, service,
// "tc3_request"). A bad signature gets Tencent's error; accepted messages are kept for GET /_inbox.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listen, readBody, sendJson } from "./http";

export interface TencentSmsReceived {
  /** Eleven digits (the +86 stripped). */
  phone: string;
  signName: string;
  templateCode: string;
  sdkAppId: string;
  /** In order, as Tencent takes them. */
  params: string[];
  serialNo: string;
  at: string;
}

export interface TencentSmsStandin {
  url: string;
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  inbox: TencentSmsReceived[];
  refused: { code: string; message: string }[];
  /** Makes the next sends to this number fail with a business refusal (SendStatusSet[0].Code != "Ok"). */
  refuseNumber(phone: string, code?: string): void;
  close(): Promise<void>;
}

const sha256Hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();

export async function startTencentSms(
  options: { port?: number; secretId?: string; secretKey?: string; sdkAppId?: string } = {},
): Promise<TencentSmsStandin> {
  const secretId = options.secretId ?? `AKID${randomBytes(16).toString("hex")}`;
  const secretKey = options.secretKey ?? randomBytes(24).toString("base64url");
  const sdkAppId = options.sdkAppId ?? `14${String(randomBytes(4).readUInt32BE()).padStart(8, "0")}`;
  const inbox: TencentSmsReceived[] = [];
  const refused: { code: string; message: string }[] = [];
  const refusedNumbers = new Map<string, string>();

  function reply(res: ServerResponse, body: unknown) {
    // Tencent answers HTTP 200 with an Error object inside Response.
    sendJson(res, 200, { Response: body }, "application/json");
  }
  function refuse(res: ServerResponse, code: string, message: string) {
    refused.push({ code, message });
    reply(res, { Error: { Code: code, Message: message }, RequestId: randomUUID() });
  }

  /** The signature check of Tencent Cloud's API gateway; null when it holds, else [code, message]. */
  function checkSignature(req: IncomingMessage, url: URL, body: Buffer): [string, string] | null {
    const auth = req.headers.authorization ?? "";
    const m =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m)
      return [
        "AuthFailure.SignatureFailure",
        "The provided credentials could not be validated. Please check your signature is correct.",
      ];
    const [, id, date, service, signedHeaderList, signature] = m;
    if (id !== secretId)
      return [
        "AuthFailure.SecretIdNotFound",
        "The SecretId is not found, please ensure that your SecretId is correct.",
      ];
    const host = String(req.headers.host ?? "");
    const hostname = host.replace(/:\d+$/, "");
    // The gateway knows the service from the host it was called on (sms.tencentcloudapi.com → sms).
    if (service !== hostname.split(".")[0])
      return ["AuthFailure.SignatureFailure", "The credential scope names another service."];
    const timestamp = Number(req.headers["x-tc-timestamp"]);
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300)
      return [
        "AuthFailure.SignatureExpire",
        "Signature expired. Timestamp and server time cannot differ by more than 5 minutes.",
      ];
    if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date)
      return ["AuthFailure.SignatureFailure", "The date in the credential scope does not match X-TC-Timestamp."];
    const signed = signedHeaderList.split(";");
    if (!signed.includes("host") || !signed.includes("content-type"))
      return ["AuthFailure.SignatureFailure", "content-type and host must be signed."];
    const value = (h: string) => (h === "host" ? hostname : String(req.headers[h] ?? "").trim());
    const headers = signed.map((h) => `${h}:${value(h)}\n`).join("");
    const canonical = [req.method, url.pathname, url.search.slice(1), headers, signed.join(";"), sha256Hex(body)].join(
      "\n",
    );
    const stringToSign = [
      "TC3-HMAC-SHA256",
      String(timestamp),
      `${date}/${service}/tc3_request`,
      sha256Hex(canonical),
    ].join("\n");
    const key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), "tc3_request");
    if (!timingSafeEqual(hmac(key, stringToSign), Buffer.from(signature, "hex")))
      return [
        "AuthFailure.SignatureFailure",
        "The provided credentials could not be validated. Please check your signature is correct.",
      ];
    return null;
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://standin");
      if (req.method === "GET" && url.pathname === "/_inbox") {
        const phone = url.searchParams.get("phone");
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify(phone ? inbox.filter((m) => m.phone === phone) : inbox));
      }
      const body = await readBody(req);
      if (req.method !== "POST" || url.pathname !== "/")
        return refuse(res, "InvalidAction", "The action requested is invalid.");
      const bad = checkSignature(req, url, body);
      if (bad) return refuse(res, ...bad);
      if (req.headers["x-tc-action"] !== "SendSms" || req.headers["x-tc-version"] !== "2021-01-11")
        return refuse(res, "InvalidAction", "The action requested is invalid.");
      const input = JSON.parse(body.toString("utf8")) as {
        PhoneNumberSet?: string[];
        SmsSdkAppId?: string;
        SignName?: string;
        TemplateId?: string;
        TemplateParamSet?: string[];
      };
      if (input.SmsSdkAppId !== sdkAppId)
        return refuse(res, "FailedOperation.SmsSdkAppIdVerifyFail", "SdkAppId verification failed.");
      if (!input.SignName)
        return refuse(res, "InvalidParameterValue.MissingSignatureToModify", "SignName is required.");
      if (!input.TemplateId || !/^\w+$/.test(input.TemplateId))
        return refuse(res, "FailedOperation.TemplateIncorrectOrUnapproved", "Template is incorrect or unapproved.");
      const set = (input.PhoneNumberSet ?? []).map((number) => {
        const phone = number.replace(/^\+86/, "");
        const serialNo = `2433:${randomBytes(8).toString("hex")}`;
        const status = { SerialNo: serialNo, PhoneNumber: number, Fee: 1, SessionContext: "", IsoCode: "CN" };
        if (!/^1\d{10}$/.test(phone))
          return {
            ...status,
            Fee: 0,
            Code: "InvalidParameterValue.IncorrectPhoneNumber",
            Message: "incorrect phone number",
          };
        const refusal = refusedNumbers.get(phone);
        if (refusal) return { ...status, Fee: 0, Code: refusal, Message: "the number reached its daily limit" };
        inbox.push({
          phone,
          signName: input.SignName!,
          templateCode: input.TemplateId!,
          sdkAppId,
          params: input.TemplateParamSet ?? [],
          serialNo,
          at: new Date().toISOString(),
        });
        return { ...status, Code: "Ok", Message: "send success" };
      });
      reply(res, { SendStatusSet: set, RequestId: randomUUID() });
    } catch (error) {
      refuse(res, "InternalError", String(error));
    }
  });
  const { url, close } = await listen(server, options.port);
  return {
    url,
    secretId,
    secretKey,
    sdkAppId,
    inbox,
    refused,
    refuseNumber: (phone, code = "LimitExceeded.PhoneNumberDailyLimit") => refusedNumbers.set(phone, code),
    close,
  };
}
