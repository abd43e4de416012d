import { startSmtpSink, type SmtpSink } from "../smtp-sink";
import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

// The e2e server sends mail to SMTP_URL=smtp://127.0.0.1:<E2E_SMTP_PORT> (scripts/e2e-server.mjs);
// this test is the SMTP server there and reads the receipt that arrives.
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 2526);

let smtp: SmtpSink;
test.beforeAll(async () => {
  smtp = await startSmtpSink({ port: smtpPort });
});
test.afterAll(async () => {
  await smtp?.close();
});

/** "2026-11 收缴率 52.3%（627/1200 户）" → 627. */
async function paidUnits(page: import("@playwright/test").Page, period: string): Promise<number> {
  await page.goto("/e/yixin/collection");
  const row = page.locator(`tr[data-period="${period}"]`);
  await expect(row).toBeVisible();
  const text = (await row.locator("td").nth(3).textContent()) ?? "";
  const match = /(\d+)\s*\/\s*(\d+)/.exec(text);
  expect(match, text).toBeTruthy();
  return Number(match![1]);
}

test("an owner pays two bills in one sandbox checkout, gets the receipt by mail, and the collection rate moves", async ({
  page,
}) => {
  await logIn(page, "owner@demo.yishitang.cn");
  const before = await paidUnits(page, "2026-11");
  await expect(page.getByRole("img", { name: "各账期按金额计的收缴率柱状图" })).toBeVisible();

  await page.goto("/e/yixin");
  await page.getByRole("link", { name: "物业费", exact: true }).click();
  await expect(page.getByRole("heading", { name: "物业费" })).toBeVisible();
  await expect(page.getByText(/其中 \d 笔已逾期/)).toBeVisible();
  // The checkboxes are React's: wait for hydration (Conform sets noValidate) before ticking them.
  await page.waitForFunction(() => document.querySelector<HTMLFormElement>("form#pay-bills")?.noValidate === true);
  await page.getByLabel("选择 1幢 101 2026-11 物业服务费").check();
  await page.getByLabel("选择 1幢 102 2026-11 物业服务费").check();
  await expect(page.getByText(/已选 2 笔，共 [\d,.]+ 元/)).toBeVisible();
  const total = /共 ([\d,.]+) 元/.exec((await page.getByText(/已选 2 笔/).textContent()) ?? "")![1];
  await page.getByRole("button", { name: "支付所选账单" }).click();

  // The sandbox checkout: clearly labelled, one session for both bills.
  await expect(page).toHaveURL(/\/pay\/sandbox\/cs_sandbox_/);
  await expect(page.getByRole("note")).toContainText("不会真的扣钱");
  await expect(page.getByText("1幢 101 · 2026-11 · 物业服务费")).toBeVisible();
  await expect(page.getByText("1幢 102 · 2026-11 · 物业服务费")).toBeVisible();
  await page.getByLabel("支付宝").check();
  await page.getByRole("button", { name: `确认支付 ${total} 元` }).click();

  // Back on the bills page: paid, with a receipt number.
  await expect(page).toHaveURL(/\/e\/yixin\/bills\?checkout=/);
  const notice = page.getByRole("status").filter({ hasText: "支付成功" });
  await expect(notice).toBeVisible();
  const receiptNo = /YIXIN-2026-\d{6}/.exec((await notice.textContent()) ?? "")![0];
  await expect(page.getByLabel("选择 1幢 101 2026-11 物业服务费")).toHaveCount(0);
  await expect(page.getByRole("link", { name: receiptNo })).toHaveCount(2); // both bills in the history, one receipt
  await expect(page.getByLabel("选择 1幢 101 2026-10 物业服务费")).toBeEnabled(); // October is still owed

  // The receipt mail arrives through the outbox worker.
  const receiptMail = () =>
    smtp.mails.find((m) => m.envelope.to[0] === "owner@demo.yishitang.cn" && m.text.includes(receiptNo));
  await expect.poll(() => Boolean(receiptMail()), { timeout: 30_000, message: "the receipt mail arrives" }).toBe(true);
  const mail = receiptMail()!;
  // A sandbox receipt says so on its face: no money was charged.
  expect(mail.subject).toBe(`【沙箱/测试】【宜欣花园】缴费成功：${total} 元`);
  expect(mail.text).toContain("未实际扣款");
  const link = new RegExp(`https?://\\S+/e/yixin/receipts/[0-9a-f-]{36}`).exec(mail.text)?.[0];
  expect(link, mail.text).toBeTruthy();

  // The printable receipt the mail links to.
  await page.goto(new URL(link!).pathname);
  await expect(page.getByRole("heading", { name: "缴费收据" })).toBeVisible();
  await expect(page.getByText(receiptNo)).toBeVisible();
  await expect(page.getByText("沙箱/测试收据：未实际扣款，不是缴费凭证。")).toBeVisible();
  await expect(page.getByText("在线支付")).toBeVisible();
  await expect(page.getByText(`${total} 元`)).toBeVisible();

  // The collection rate moved by the two units.
  expect(await paidUnits(page, "2026-11")).toBe(before + 2);
});

test("the property staff see the payment in the ledger and export it", async ({ page }) => {
  await logIn(page, "staff@demo.yishitang.cn");
  await page.goto("/e/yixin/fees?period=2026-11&status=paid&unit=101");
  await expect(page.getByRole("heading", { name: "收费台账" })).toBeVisible();
  await expect(page.getByRole("link", { name: "1幢 101", exact: true })).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "导出 CSV" }).click();
  const csv = await (await download).path();
  const { readFile } = await import("node:fs/promises");
  const text = (await readFile(csv, "utf8")).replace(/^\uFEFF/, "");
  expect(text.split("\r\n")[0]).toBe(
    "楼栋,房号,账期,项目,面积（平方米）,单价（元）,月数,金额（元）,缴费截止,状态,收据编号,支付方式,缴费时间",
  );
  expect(text).toMatch(/^1幢,101,2026-11,物业服务费,.*,已缴,YIXIN-2026-\d{6},在线支付,/m);
});

test("the webhook endpoint takes a signed delivery over HTTP (raw body, no origin) and refuses an unsigned one", async ({
  request,
}) => {
  const { default: Stripe } = await import("stripe");
  const { createHmac } = await import("node:crypto");
  // The sandbox's secret, derived from the e2e server's SESSION_SECRET (scripts/e2e-server.mjs) as app/payments/provider.server.ts does.
  const secret = `whsec_sandbox_${createHmac("sha256", "e2e-only-secret-0123456789").update("yishitang sandbox webhook").digest("hex").slice(0, 32)}`;
  const body = JSON.stringify({
    id: `evt_e2e_${Date.now()}`,
    object: "event",
    type: "checkout.session.expired",
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: "cs_sandbox_unknown", object: "checkout.session", metadata: {}, status: "expired" } },
  });
  const unsigned = await request.post("/webhooks/stripe", {
    data: body,
    headers: { "Content-Type": "application/json" },
  });
  expect(unsigned.status()).toBe(400);
  const signed = await request.post("/webhooks/stripe", {
    data: body,
    headers: {
      "Content-Type": "application/json",
      "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret }),
    },
  });
  expect(signed.status()).toBe(200);
  expect(await signed.json()).toEqual({ received: true, outcome: "ignored" });
  const again = await request.post("/webhooks/stripe", {
    data: body,
    headers: {
      "Content-Type": "application/json",
      "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret }),
    },
  });
  expect(await again.json()).toEqual({ received: true, outcome: "duplicate" });
});
