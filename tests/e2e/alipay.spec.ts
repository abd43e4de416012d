import { standinsOfRun } from "../standins/read";
import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

// Alipay wap pay on a phone, against the local Alipay gateway stand-in (tests/standins/alipay.ts):
// the community admin turns Alipay on for 宜欣花园 with the merchant's app_auth_token and seller
// id; an owner picks Alipay, is sent to the stand-in's cashier, pays there, comes back, and the
// bills page shows the payment (settled by the signed asynchronous notification) and the receipt.

const alipay = () =>
  standinsOfRun().info.alipay as {
    url: string;
    appId: string;
    merchant: { appAuthToken: string; authAppId: string; sellerId: string };
  };

/** The admin switches the provider off again, so the journeys after this one see the estate as they expect. */
async function switchOff(browser: import("@playwright/test").Browser) {
  const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const admin = await context.newPage();
  await logIn(admin, "community@demo.yishitang.cn");
  await admin.goto("/e/yixin/payments/settings");
  await admin.waitForFunction(
    () => document.querySelector<HTMLFormElement>("form#payment-alipay")?.noValidate === true,
  );
  await admin.locator("form#payment-alipay").getByLabel("向业主提供").uncheck();
  await admin.locator("form#payment-alipay").getByRole("button", { name: "保存" }).click();
  await expect(admin.getByText("收款方式已保存")).toBeVisible();
  await expect(admin.locator("form#payment-alipay").getByLabel("向业主提供")).not.toBeChecked();
  await context.close();
}

test("an owner pays a bill with Alipay on a phone, through the cashier and back", async ({ page, browser }) => {
  const { merchant } = alipay();
  // The admin turns Alipay on; the token is write-only.
  const adminContext = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const admin = await adminContext.newPage();
  await logIn(admin, "community@demo.yishitang.cn");
  await admin.goto("/e/yixin/payments/settings");
  await admin.waitForFunction(
    () => document.querySelector<HTMLFormElement>("form#payment-alipay")?.noValidate === true,
  );
  const form = admin.locator("form#payment-alipay");
  await form.getByLabel("应用授权令牌（app_auth_token）").fill(merchant.appAuthToken);
  await form.getByLabel("商户 PID（seller_id）").fill(merchant.sellerId);
  await form.getByLabel("向业主提供").check();
  await form.getByRole("button", { name: "保存" }).click();
  await expect(admin.getByText("收款方式已保存")).toBeVisible();
  const saved = admin.locator("form#payment-alipay");
  await expect(saved.getByText("已设置（留空则保持不变）")).toBeVisible();
  await expect(saved.getByLabel("应用授权令牌（app_auth_token）")).toHaveValue("");
  expect(await admin.content()).not.toContain(merchant.appAuthToken);
  await adminContext.close();

  // The owner, on the phone, pays 1幢 102 2026-10, a bill no other journey pays.
  await logIn(page, "owner@demo.yishitang.cn");
  await page.goto("/e/yixin/bills");
  await page.waitForFunction(() => document.querySelector<HTMLFormElement>("form#pay-bills")?.noValidate === true);
  const bill = page.getByLabel("选择 1幢 102 2026-10 物业服务费");
  const label = (await bill.getAttribute("aria-label"))!;
  await bill.check();
  await page.getByRole("radio", { name: "支付宝" }).check();
  await page.getByRole("button", { name: "支付所选账单" }).click();

  // The stand-in's phone cashier (wap pay), for the estate's merchant.
  await expect(page).toHaveTitle("支付宝 - 手机收银台（测试）");
  expect(page.url().startsWith(alipay().url)).toBe(true);
  await page.getByRole("button", { name: "确认付款" }).click();

  // Back on the bills page: paid, with the receipt.
  await expect(page).toHaveURL(/\/e\/yixin\/bills\?checkout=/);
  const notice = page.getByRole("status").filter({ hasText: "支付成功" });
  await expect(notice).toBeVisible({ timeout: 15_000 });
  await expect(page.getByLabel(label)).toHaveCount(0);
  await notice.getByRole("link", { name: "查看收据" }).click();
  await expect(page).toHaveURL(/\/e\/yixin\/receipts\//);
  await expect(page.getByText(/YIXIN-2026-\d{6}/).first()).toBeVisible();

  await switchOff(browser);
});
