import type { Page } from "@playwright/test";
import { demoClaim } from "../../db/seed";
import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

/** Fills in the sign-up form on the page that shows it. */
async function fillSignUp(page: Page, name: string) {
  const email = `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;
  await page.getByRole("link", { name: "邮箱注册" }).click();
  await expect(page).toHaveURL(/by=email/);
  await page.getByLabel("邮箱", { exact: true }).fill(email);
  await page.getByLabel("称呼").fill(name);
  await page.getByLabel("密码（至少 8 位）").fill("a long enough password");
  await page.getByLabel("再次输入密码").fill("a long enough password");
  await page.getByRole("button", { name: "注册" }).click();
  // Sign-up answers the same for a new and a registered email: check your mail, then log in
  // (on the login page, which keeps where to go next).
  await expect(page).toHaveURL(/\/login\?signedUp=1/);
  await expect(page.getByRole("status").filter({ hasText: "请查收邮件" })).toBeVisible();
  await page.getByLabel("邮箱或手机号").fill(email);
  await page.getByLabel("密码", { exact: true }).fill("a long enough password");
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
  return email;
}

async function signUp(page: Page, name: string) {
  await page.goto("/signup");
  return fillSignUp(page, name);
}

// Runs before the claim below (one worker, file order): the demo unit is still unclaimed here,
// and a rejected request leaves it so.
test("a name that does not match becomes a request; the committee rejects it with a reason the requester sees", async ({
  page,
  browser,
}) => {
  await signUp(page, "冒名者");
  await page.goto("/claim");
  await page.getByLabel("认领码", { exact: true }).fill(demoClaim.code);
  await page.getByLabel("登记姓名", { exact: true }).fill("王秀音");
  await page.getByRole("button", { name: "认领", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "已为 宜欣花园 2幢 101 提交认领申请" })).toBeVisible();
  await expect(page.getByText("待审核")).toBeVisible();
  await expect(page.getByLabel("登记姓名", { exact: true })).toHaveValue("");

  const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const committee = await context.newPage();
  await logIn(committee, "committee@demo.yishitang.cn");
  await committee.goto("/e/yixin/claims");
  const request = committee.getByRole("article", { name: "2幢 101" });
  await expect(request.getByText("王秀音")).toBeVisible();
  // The reviewer checks the name given against the roster's, in full, with the roster phone's last
  // 4 digits (the look is audited); the full phone never shows.
  await expect(request.getByRole("radio", { name: new RegExp(`^业主 1：${demoClaim.ownerName}（名册`) })).toBeChecked();
  await expect(request).not.toContainText(/1\d{10}/);
  // No reason, no rejection (checked in the browser before anything is sent).
  await request.getByRole("button", { name: "驳回" }).click();
  await expect(request.getByText("此项必填")).toBeVisible();
  await request.getByLabel("驳回理由").fill("姓名与房产证不符，请携带房产证到社区核实");
  await request.getByRole("button", { name: "驳回" }).click();
  await expect(committee.getByRole("status").filter({ hasText: "已驳回认领申请" })).toBeVisible();
  await expect(committee.getByRole("article", { name: "2幢 101" })).toHaveCount(0);
  await context.close();

  await page.goto("/claim");
  await expect(page.getByText("已驳回")).toBeVisible();
  await expect(page.getByText("驳回理由：姓名与房产证不符，请携带房产证到社区核实")).toBeVisible();
});

test("a newcomer signs up, claims a unit with the code from the letter and sees it under my units", async ({
  page,
}) => {
  await signUp(page, "王阿姨");
  await page.goto("/claim");
  await expect(page.getByRole("heading", { name: "认领房屋" })).toBeVisible();
  // Typed as an elderly owner might: lower case, with the dash from the letter.
  const typed = `${demoClaim.code.slice(0, 5)}-${demoClaim.code.slice(5)}`.toLowerCase();
  await page.getByLabel("认领码", { exact: true }).fill(typed);
  await page.getByLabel("登记姓名", { exact: true }).fill(demoClaim.ownerName);
  await page.getByRole("button", { name: "认领", exact: true }).click();

  await expect(page).toHaveURL(`/e/${demoClaim.estate}/units`);
  await expect(
    page.getByRole("status").filter({ hasText: `认领成功：宜欣花园 ${demoClaim.building} ${demoClaim.unit}` }),
  ).toBeVisible();
  await expect(page.getByRole("heading", { name: "我的房屋" })).toBeVisible();
  const unit = page.getByRole("article", { name: `${demoClaim.building} ${demoClaim.unit}` });
  await expect(unit).toBeVisible();
  await expect(unit.getByText("平方米")).toBeVisible();

  // The letter's code, once more: the unit is already this account's.
  await page.goto("/claim");
  await page.getByLabel("认领码", { exact: true }).fill(demoClaim.code);
  await page.getByLabel("登记姓名", { exact: true }).fill(demoClaim.ownerName);
  await page.getByRole("button", { name: "认领", exact: true }).click();
  await expect(page).toHaveURL(`/e/${demoClaim.estate}/units`);
  await expect(page.getByRole("status").filter({ hasText: "您已是 宜欣花园 2幢 101 的业主" })).toBeVisible();
});

test("an owner invites a family member, who accepts the link and sees the unit", async ({ page, browser }) => {
  await logIn(page, "owner@demo.yishitang.cn");
  await page.goto("/e/yixin/units");
  const unit = page.getByRole("article", { name: "1幢 102" });
  await unit.getByLabel("关系").selectOption("family");
  await unit.getByRole("button", { name: "生成邀请链接" }).click();
  const linkBox = unit.getByLabel("邀请链接");
  await expect(linkBox).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const link = await linkBox.inputValue();

  // The family member opens the link in their own browser: log in, or sign up, and come back.
  const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const other = await context.newPage();
  await other.goto(new URL(link).pathname);
  await expect(other).toHaveURL(/\/login\?redirectTo=%2Finvite%2F/);
  await other.getByRole("link", { name: "注册", exact: true }).click();
  await expect(other).toHaveURL(/\/signup\?redirectTo=%2Finvite%2F/);
  await fillSignUp(other, "小李");
  await expect(other).toHaveURL(new URL(link).pathname);
  await expect(other.getByText("宜欣花园 1幢 102 的业主邀请您以「家属」身份加入")).toBeVisible();
  await other.getByRole("button", { name: "接受邀请" }).click();
  await expect(other).toHaveURL("/e/yixin/units");
  await expect(other.getByRole("heading", { name: "我居住的房屋" })).toBeVisible();
  await expect(other.getByText("1幢 102", { exact: true })).toBeVisible();
  // The link works once.
  const again = await other.goto(new URL(link).pathname);
  expect(again?.status()).toBe(410);
  await context.close();

  await page.reload();
  await expect(page.getByRole("article", { name: "1幢 102" }).getByText("小*")).toBeVisible();
});

test("an owner of one estate opening another estate's units page gets not found", async ({ page }) => {
  await logIn(page, "owner@demo.yishitang.cn");
  const own = await page.goto("/e/yixin/units");
  expect(own?.status()).toBe(200);
  await expect(page.getByRole("article", { name: "1幢 101" })).toBeVisible();

  const other = await page.goto("/e/kangle/units");
  expect(other?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  const claims = await page.goto("/e/kangle/claims");
  expect(claims?.status()).toBe(404);
});

test("an owner of the second estate cannot see the first estate's units page", async ({ page }) => {
  await logIn(page, "owner2@demo.yishitang.cn");
  const own = await page.goto("/e/kangle/units");
  expect(own?.status()).toBe(200);
  const other = await page.goto("/e/yixin/units");
  expect(other?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
});
