import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

test("an owner logs in and opens their estate; another estate is not found", async ({ page }) => {
  await logIn(page, "owner@demo.yishitang.cn");
  await expect(page.getByRole("heading", { name: "我的小区" })).toBeVisible();
  await page.getByRole("link", { name: "宜欣花园" }).click();
  await expect(page.getByRole("heading", { name: "宜欣花园" })).toBeVisible();
  await expect(page.getByText("冬季供暖管道检修")).toBeVisible();

  const response = await page.goto("/e/kangle");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
});

test("the language switch shows the site in English", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Welcome to Yishitang" })).toBeVisible();
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.getByRole("heading", { name: "欢迎来到议事堂" })).toBeVisible();
});

test("the page hydrates under the strict CSP", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("link", { name: "密码登录" }).click();
  await expect(page).toHaveURL(/by=password/);
  // Conform sets noValidate once React has hydrated (before that, the browser validates).
  await page.waitForFunction(() => document.querySelector<HTMLFormElement>("form#login")?.noValidate === true);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByText("此项必填").first()).toBeVisible();
  expect(page.url()).toMatch(/\/login\?by=password$/);
});
