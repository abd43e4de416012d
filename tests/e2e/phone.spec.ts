import { expect, test, type Page } from "@playwright/test";
import { standinsOfRun } from "../standins/read";

// A phone number of this run (the stand-in's inbox is per run, the database is per run too).
const phone = `137${String(Date.now()).slice(-8)}`;

/** The last code the Alibaba Cloud stand-in received for this number, once it arrives. */
async function codeFromStandin(page: Page, after: number): Promise<string> {
  const inbox = String(standinsOfRun().info["aliyun-sms"].inbox);
  let code = "";
  await expect
    .poll(async () => {
      const res = await page.request.get(`${inbox}?phone=${phone}`);
      const messages = (await res.json()) as { params: Record<string, string>; at: string }[];
      const fresh = messages.filter((m) => Date.parse(m.at) >= after && m.params.code);
      code = fresh.at(-1)?.params.code ?? "";
      return code;
    })
    .toMatch(/^\d{6}$/);
  return code;
}

test("sign up by phone and code, log out, log in by code", async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto("/signup?by=phone");
  await page.getByLabel("手机号", { exact: true }).fill(phone);
  let asked = Date.now() - 1000;
  await page.getByRole("button", { name: "发送验证码" }).click();
  await expect(page.getByRole("status")).toContainText(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
  const signupCode = await codeFromStandin(page, asked);
  await page.getByLabel("6 位验证码").fill(signupCode);
  await page.getByLabel("称呼").fill("王阿姨");
  await page.getByRole("button", { name: "注册", exact: true }).click();
  await expect(page).not.toHaveURL(/\/signup/);

  // Logged in: the account page shows the masked number, never the whole one.
  await page.goto("/account");
  await expect(page.getByText(`${phone.slice(0, 3)}****${phone.slice(-4)}`).first()).toBeVisible();
  await expect(page.getByText(phone)).toHaveCount(0);
  await page.getByRole("button", { name: "退出", exact: true }).click();
  await expect(page.getByRole("button", { name: "退出", exact: true })).toHaveCount(0);

  // Back by code (no password was ever set); the resend waits a minute per number.
  await page.goto("/login?by=code");
  await page.getByLabel("手机号", { exact: true }).fill(phone);
  await page.waitForTimeout(61_000);
  asked = Date.now() - 1000;
  await page.getByRole("button", { name: "发送验证码" }).click();
  await expect(page.getByRole("status")).toBeVisible();
  const loginCode = await codeFromStandin(page, asked);
  await page.getByLabel("6 位验证码").fill(loginCode);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/account");
  await expect(page.getByText(`${phone.slice(0, 3)}****${phone.slice(-4)}`).first()).toBeVisible();
});
