import { devices } from "@playwright/test";
import { canMoveTime } from "./db";
import { expect, test } from "./fixtures";
import {
  claimLetter,
  claimWithCode,
  payNewestWechatOrder,
  setWechatPay,
  smsSince,
  unclaimedUnitWithBill,
  type Sms,
} from "./helpers";

// An owner who has a mobile number and no email, end to end: the claim letter's QR code, sign-up
// by SMS code, the claim, a bill paid with WeChat Pay (Native: a QR code on a computer screen,
// scanned with the phone) and the receipt by SMS. Every SMS goes to the Alibaba Cloud stand-in,
// every payment through the WeChat Pay stand-in (tests/standins/).
test.use({
  viewport: { width: 1280, height: 800 },
  isMobile: false,
  hasTouch: false,
  userAgent: devices["Desktop Chrome"].userAgent,
});
test.skip(!canMoveTime, "reads the unit to claim from the e2e database (PostgreSQL only)");

const phone = `136${String(Date.now()).slice(-8)}`;
const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;

test("a phone-first owner: letter QR, sign-up by SMS code, claim, WeChat Pay by QR code, receipt by SMS", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const unit = await unclaimedUnitWithBill("8幢");
  expect(unit, "an unclaimed 8幢 unit with an unpaid bill").toBeTruthy();
  await setWechatPay(browser, true);

  // Staff print the unit's claim letter; its QR code holds the claim link.
  const { code, qrUrl } = await claimLetter(browser, unit);

  // The owner opens the link, signs up with the phone number and the code the SMS brings.
  await page.goto(qrUrl);
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
  await page.getByRole("link", { name: "注册", exact: true }).click();
  await page.getByRole("link", { name: "手机号注册" }).click();
  await expect(page).toHaveURL(/by=phone/);
  await page.getByLabel("手机号", { exact: true }).fill(phone);
  const asked = Date.now() - 1000;
  await page.getByRole("button", { name: "发送验证码" }).click();
  await expect(page.getByRole("status")).toContainText(masked);
  let signupCode = "";
  await expect
    .poll(async () => (signupCode = (await smsSince(phone, "code", asked)).at(-1)?.params.code ?? ""))
    .toMatch(/^\d{6}$/);
  await page.getByLabel("6 位验证码").fill(signupCode);
  await page.getByLabel("称呼").fill("扫码的王阿姨");
  await page.getByRole("button", { name: "注册", exact: true }).click();

  // Back on the claim page, the letter's code filled in: the owner claims the unit.
  await expect(page).toHaveURL(`/claim?code=${code}`);
  await expect(page.getByLabel("认领码", { exact: true })).toHaveValue(code);
  await claimWithCode(page, unit);

  // The unit's bill, paid with WeChat Pay: a QR code on this screen, scanned and paid with the phone.
  await page.goto("/e/yixin/bills");
  await page.waitForFunction(() => document.querySelector<HTMLFormElement>("form#pay-bills")?.noValidate === true);
  await page.getByLabel(`选择 ${unit.building} ${unit.number} ${unit.period} 物业服务费`).check();
  await page.getByLabel("微信支付（扫码）").check();
  const paying = Date.now() - 1000;
  await page.getByRole("button", { name: "支付所选账单" }).click();
  await expect(page.getByRole("img", { name: "微信支付二维码" })).toBeVisible();
  await payNewestWechatOrder();
  await expect(page.getByRole("status").filter({ hasText: "支付成功" })).toBeVisible({ timeout: 15_000 });

  // The receipt comes by SMS too (the owner has no email): the amount and a short link, nothing more.
  let receipts: Sms[] = [];
  await expect
    .poll(async () => (receipts = await smsSince(phone, "payment-receipt", paying)).length, { timeout: 30_000 })
    .toBe(1);
  expect(receipts[0].params.link).toMatch(/\/n$/);
  const fen = Number(unit.amount_fen);
  expect(receipts[0].params.amount).toBe(`${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, "0")}`);

  await setWechatPay(browser, false);
});
