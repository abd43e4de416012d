import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

test("an owner downloads their data, deletes the account, is logged out and cannot log in again", async ({ page }) => {
  const email = `leaver-${Date.now()}@example.com`;
  const password = "leaving password 1";
  await page.goto("/signup");
  await page.getByRole("link", { name: "邮箱注册" }).click();
  await expect(page).toHaveURL(/by=email/);
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("称呼").fill("钱多多");
  await page.getByLabel("密码（至少 8 位）").fill(password);
  await page.getByLabel("再次输入密码").fill(password);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/login\?signedUp=1/);
  await logIn(page, email, password);

  await page.getByRole("navigation").getByRole("link", { name: "我的账号" }).click();
  await expect(page.getByRole("heading", { name: "我的账号" })).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "下载我的数据" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^yishitang-my-data-\d{4}-\d{2}-\d{2}\.json$/);
  const data = JSON.parse(await readFile((await download.path())!, "utf8")) as {
    account: { email: string; displayName: string };
    sessions: unknown[];
  };
  expect(data.account).toMatchObject({ email, displayName: "钱多多" });
  expect(data.sessions).toHaveLength(1);

  await page.getByRole("link", { name: "注销账号" }).click();
  await expect(page.getByRole("heading", { name: "注销账号" })).toBeVisible();
  // Without the tick the form does not go anywhere.
  await page.getByLabel("当前密码").fill(password);
  await page.getByRole("button", { name: "永久注销账号" }).click();
  await expect(page.getByText("请勾选确认")).toBeVisible();
  await page.getByLabel("我了解注销后无法恢复").check();
  await page.getByRole("button", { name: "永久注销账号" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("status")).toContainText("账号已注销");
  await expect(page.getByRole("navigation").getByRole("link", { name: "登录", exact: true })).toBeVisible();

  await page.goto("/login");
  await page.getByRole("link", { name: "密码登录" }).click();
  await expect(page).toHaveURL(/by=password/);
  await page.getByLabel(/邮箱或手机号/).fill(email);
  await page.getByLabel(/^密码$/).fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("navigation").getByRole("link", { name: "登录", exact: true })).toBeVisible();
});

test("a community admin reads the estate's audit log and filters it by act", async ({ page }) => {
  await logIn(page, "community@demo.yishitang.cn");
  await page.goto("/e/yixin");
  await page.getByRole("link", { name: "操作日志" }).click();
  await expect(page.getByRole("heading", { name: "操作日志" })).toBeVisible();
  // The demo opened a vote: its row is there, with who opened it.
  await page.getByLabel("操作类型").selectOption({ label: "开启表决" });
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/act=vote_open/);
  const rows = page.getByRole("row");
  await expect(rows.nth(1)).toContainText("开启表决");
  await expect(page.getByText(/^共 \d+ 条$/)).toBeVisible();
});
