// The real SDKs (@alicloud/dysmsapi20170525, tencentcloud-sdk-nodejs-sms) against local servers
// that check each request's signature as Alibaba Cloud (ACS3-HMAC-SHA256) and Tencent Cloud
// (TC3-HMAC-SHA256) do.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, schema } from "#db/client";
import { aliyunSmsProvider } from "~/sms/aliyun.server";
import { setSmsProvider } from "~/sms/factory.server";
import { sendSms } from "~/sms/send.server";
import { tencentSmsProvider } from "~/sms/tencent.server";
import { startAliyunSms, type AliyunSmsStandin } from "../standins/aliyun-sms";
import { startTencentSms, type TencentSmsStandin } from "../standins/tencent-sms";

const codes: Record<string, string> = { code: "SMS_100000001", "bill-due": "SMS_100000002" };

describe("Alibaba Cloud SMS through the real SDK", () => {
  let s: AliyunSmsStandin;
  beforeAll(async () => {
    s = await startAliyunSms();
  });
  afterAll(async () => {
    setSmsProvider(undefined);
    await s.close();
  });
  const provider = (secret = s.accessKeySecret) =>
    aliyunSmsProvider({
      accessKeyId: s.accessKeyId,
      accessKeySecret: secret,
      signName: "议事堂",
      templateCode: (t) => codes[t] ?? t,
      endpoint: s.url,
    });

  it("sends a signed request the stand-in accepts, with the sign name, template code and parameters", async () => {
    setSmsProvider(provider());
    const r = await sendSms({ phone: "13800138001", template: "code", params: { code: "482913" } });
    expect(r).toMatchObject({ ok: true, status: "sent" });
    expect(s.inbox.at(-1)).toMatchObject({
      phone: "13800138001",
      signName: "议事堂",
      templateCode: "SMS_100000001",
      params: { code: "482913" },
    });
    const [row] = await getDb().select().from(schema.smsMessages).where(eq(schema.smsMessages.id, r.id));
    expect(row).toMatchObject({ provider: "aliyun", status: "sent", params: { code: "••••••" } });
    expect(row.providerId).toBe(s.inbox.at(-1)!.bizId);
  });

  it("a wrong AccessKey secret fails the signature check: refused, nothing delivered, recorded failed", async () => {
    setSmsProvider(provider("not-the-secret"));
    const before = s.inbox.length;
    const r = await sendSms({ phone: "13800138002", template: "code", params: { code: "111111" } });
    expect(r.ok).toBe(false);
    expect(s.inbox.length).toBe(before);
    expect(s.refused.at(-1)?.code).toBe("SignatureDoesNotMatch");
    const [row] = await getDb().select().from(schema.smsMessages).where(eq(schema.smsMessages.id, r.id));
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/SignatureDoesNotMatch/);
  });

  it("a carrier's business refusal (HTTP 200, Code other than OK) is a failure with its code", async () => {
    setSmsProvider(provider());
    s.refuseNumber("13800138003");
    const r = await sendSms({ phone: "13800138003", template: "code", params: { code: "222222" } });
    expect(r.ok).toBe(false);
    const [row] = await getDb().select().from(schema.smsMessages).where(eq(schema.smsMessages.id, r.id));
    expect(row).toMatchObject({ status: "failed" });
    expect(row.error).toMatch(/isv\.BUSINESS_LIMIT_CONTROL/);
  });
});

describe("Tencent Cloud SMS through the real SDK", () => {
  let s: TencentSmsStandin;
  beforeAll(async () => {
    s = await startTencentSms();
  });
  afterAll(async () => {
    setSmsProvider(undefined);
    await s.close();
  });
  const provider = (secret = s.secretKey) =>
    tencentSmsProvider({
      secretId: s.secretId,
      secretKey: secret,
      sdkAppId: s.sdkAppId,
      signName: "议事堂",
      region: "ap-guangzhou",
      templateCode: (t) => ({ code: "1000001", "bill-due": "1000002" })[t] ?? t,
      endpoint: s.url,
    });

  it("sends a signed request the stand-in accepts, parameters in the template's order", async () => {
    setSmsProvider(provider());
    const r = await sendSms({ phone: "13900139001", template: "code", params: { code: "739120" } });
    expect(r).toMatchObject({ ok: true, status: "sent" });
    expect(s.inbox.at(-1)).toMatchObject({
      phone: "13900139001",
      signName: "议事堂",
      templateCode: "1000001",
      params: ["739120"],
    });
  });

  it("a wrong SecretKey fails the TC3 signature check: refused and recorded failed", async () => {
    setSmsProvider(provider("wrong-secret-key"));
    const before = s.inbox.length;
    const r = await sendSms({ phone: "13900139002", template: "code", params: { code: "333333" } });
    expect(r.ok).toBe(false);
    expect(s.inbox.length).toBe(before);
    expect(s.refused.at(-1)?.code).toBe("AuthFailure.SignatureFailure");
    const [row] = await getDb().select().from(schema.smsMessages).where(eq(schema.smsMessages.id, r.id));
    expect(row.error).toMatch(/credentials could not be validated/);
  });

  it("a refused message in SendStatusSet (Code other than Ok) is a failure with its code", async () => {
    setSmsProvider(provider());
    s.refuseNumber("13900139003");
    const r = await sendSms({ phone: "13900139003", template: "code", params: { code: "444444" } });
    expect(r.ok).toBe(false);
    const [row] = await getDb().select().from(schema.smsMessages).where(eq(schema.smsMessages.id, r.id));
    expect(row.error).toMatch(/LimitExceeded\.PhoneNumberDailyLimit/);
  });
});
