import { expect, type Page } from "@playwright/test";

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
