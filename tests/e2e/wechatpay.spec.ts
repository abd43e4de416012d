import { devices } from "@playwright/test";
import { expect, test } from "./fixtures";
import { logIn, payNewestWechatOrder, setWechatPay } from "./helpers";

// WeChat Pay Native on a desktop screen, against the local WeChat Pay stand-in
// (tests/standins/wechatpay.ts): the community admin turns it on for 宜欣花园 with the estate's
// sub_mchid; an owner pays a bill by QR code; the stand-in "scans and pays", sends the signed
// callback, and the page that polls shows the payment and its receipt.
// The bills page tells devices apart by user agent (app/fees/pay-methods.ts): a desktop browser's.
test.use({
  viewport: { width: 1280, height: 800 },
  isMobile: false,
  hasTouch: false,
  userAgent: devices["Desktop Chrome"].userAgent,
});

test("an owner pays a bill with WeChat Pay by QR code on a desktop screen", async ({ page, browser }) => {
  await setWechatPay(browser, true);

  // The owner pays 1幢 101 2026-10. The demo has only four open bills of the owner's: payments.spec.ts
  // pays both 2026-11 ones and expects this one still owed when it runs (before this file, in the
  // alphabetical order of one worker); alipay.spec.ts pays 1幢 102 2026-10.
  await logIn(page, "owner@demo.yishitang.cn");
  await page.goto("/e/yixin/bills");
  await page.waitForFunction(() => document.querySelector<HTMLFormElement>("form#pay-bills")?.noValidate === true);
  const bill = page.getByLabel("选择 1幢 101 2026-10 物业服务费");
  const label = (await bill.getAttribute("aria-label"))!;
  await bill.check();
  await page.getByLabel("微信支付（扫码）").check();
  await page.getByRole("button", { name: "支付所选账单" }).click();

  // The QR code (Native): the page waits for the payment.
  await expect(page).toHaveURL(/\/e\/yixin\/bills\?checkout=/);
  await expect(page.getByRole("img", { name: "微信支付二维码" })).toBeVisible();
  await expect(page.getByText("正在等待付款结果…")).toBeVisible();

  // The payer scans and pays: the stand-in marks the order paid and sends the signed callback.
  await payNewestWechatOrder();

  // The page, polling, shows the payment and the receipt.
  const notice = page.getByRole("status").filter({ hasText: "支付成功" });
  await expect(notice).toBeVisible({ timeout: 15_000 });
  await expect(page.getByLabel(label)).toHaveCount(0);
  await notice.getByRole("link", { name: "查看收据" }).click();
  await expect(page).toHaveURL(/\/e\/yixin\/receipts\//);
  await expect(page.getByText(/YIXIN-2026-\d{6}/).first()).toBeVisible();

  await setWechatPay(browser, false);
});
