import { expect, type Browser, type Page } from "@playwright/test";
import { standinsOfRun } from "../standins/read";

export const demoPassword = "yishitang-demo";

/** Logs in through the form, as a person would. */
export async function logIn(page: Page, email: string, password = demoPassword) {
  await page.goto("/login");
  // On a phone the code tab comes first; these people log in with a password.
  await page.getByRole("link", { name: /^密码登录$|^Log in with a password$/ }).click();
  await expect(page).toHaveURL(/by=password/);
  await page.getByLabel(/邮箱或手机号|Email or mobile/).fill(email);
  await page.getByLabel(/^密码$|^Password$/).fill(password);
  await page.getByRole("button", { name: /^登录$|^Log in$/ }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** The WeChat Pay stand-in of this run (tests/standins/wechatpay.ts). */
export const wechatPayStandin = () => standinsOfRun().info.wechatpay as { url: string; subMchid: string };

/**
 * The community admin turns WeChat Pay on (with the stand-in's sub_mchid) or off for 宜欣花园 on
 * the payment settings page; a journey that turns it on turns it off at its end, so the journeys
 * after it see the estate as they expect.
 */
export async function setWechatPay(browser: Browser, on: boolean) {
  const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const admin = await context.newPage();
  await logIn(admin, "community@demo.yishitang.cn");
  await admin.goto("/e/yixin/payments/settings");
  await expect(admin.getByRole("heading", { name: "收款方式", level: 1 })).toBeVisible();
  await admin.waitForFunction(
    () => document.querySelector<HTMLFormElement>("form#payment-wechatpay")?.noValidate === true,
  );
  const form = admin.locator("form#payment-wechatpay");
  if (on) {
    await form.getByLabel("子商户号（sub_mchid）").fill(wechatPayStandin().subMchid);
    await form.getByLabel("向业主提供").check();
  } else await form.getByLabel("向业主提供").uncheck();
  await form.getByRole("button", { name: "保存" }).click();
  await expect(admin.getByText("收款方式已保存")).toBeVisible();
  const offered = admin.locator("form#payment-wechatpay").getByLabel("向业主提供");
  await (on ? expect(offered).toBeChecked() : expect(offered).not.toBeChecked());
  await context.close();
}

/** The payer scans the QR code and pays: the stand-in marks the newest order (its list is newest first) paid and sends the signed callback. */
export async function payNewestWechatOrder() {
  const orders = (await (await fetch(`${wechatPayStandin().url}/_orders`)).json()) as { out_trade_no: string }[];
  const paid = await fetch(`${wechatPayStandin().url}/_pay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ out_trade_no: orders[0].out_trade_no }),
  });
  expect(((await paid.json()) as { status: number }).status).toBe(204);
}
