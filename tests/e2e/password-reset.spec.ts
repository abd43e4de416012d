import { startSmtpSink, type SmtpSink } from "../smtp-sink";
import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

// The e2e server sends mail to SMTP_URL=smtp://127.0.0.1:<E2E_SMTP_PORT> (scripts/e2e-server.mjs);
// this test is the SMTP server there and reads what arrives.
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 2526);

let smtp: SmtpSink;
test.beforeAll(async () => {
  smtp = await startSmtpSink({ port: smtpPort });
});
test.afterAll(async () => {
  await smtp?.close();
});

test("forgot password: the mail's link sets a new password, which logs in; the link works once", async ({ page }) => {
  const email = `reset-${Date.now()}@example.com`;
  await page.goto("/signup");
  await page.getByRole("link", { name: "邮箱注册" }).click();
  await expect(page).toHaveURL(/by=email/);
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("称呼").fill("王秀英");
  await page.getByLabel("密码（至少 8 位）").fill("first password 1");
  await page.getByLabel("再次输入密码").fill("first password 1");
  await page.getByRole("button", { name: "注册" }).click();
  // Signing up starts no session: it says to check the mail (a welcome mail comes), then log in.
  await expect(page).toHaveURL(/\/login\?signedUp=1/);
  await expect(page.getByRole("navigation").getByRole("link", { name: "登录", exact: true })).toBeVisible();

  await page.goto("/login");
  await page.getByRole("link", { name: "密码登录" }).click();
  await expect(page).toHaveURL(/by=password/);
  await page.getByRole("link", { name: "忘记密码？" }).click();
  await expect(page.getByRole("heading", { name: "找回密码" })).toBeVisible();
  await page.getByLabel("邮箱").fill(email.toUpperCase());
  await page.getByRole("button", { name: "发送重设邮件" }).click();
  await expect(page.getByRole("status")).toContainText("如果该邮箱已注册");

  // The in-process worker polls the outbox and sends to our SMTP server.
  const resetMails = () => smtp.mails.filter((m) => m.envelope.to[0] === email && m.subject === "议事堂：重设密码");
  await expect.poll(() => resetMails().length, { timeout: 30_000 }).toBe(1);
  const mail = resetMails()[0];
  expect(mail.subject).toBe("议事堂：重设密码");
  expect(mail.headers.has("list-unsubscribe")).toBe(false);
  const link = /https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
  expect(link, mail.text).toBeTruthy();
  const path = new URL(link!).pathname;

  await page.goto(path);
  await expect(page.getByRole("heading", { name: "设置新密码" })).toBeVisible();
  await page.getByLabel("新密码（至少 8 位）").fill("second password 2");
  await page.getByLabel("再次输入新密码").fill("second password 2");
  await page.getByRole("button", { name: "保存新密码" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByText("密码已更新")).toBeVisible();

  await logIn(page, email, "second password 2");
  await expect(page.getByRole("button", { name: "退出" })).toBeVisible();

  // Spent: the same link now says so.
  const again = await page.goto(path);
  expect(again?.status()).toBe(410);
  await expect(page.getByText("这个重设链接无效、已过期或已被使用。")).toBeVisible();
});
