import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

async function switchTo(page: Page, email: string) {
  await page.context().clearCookies();
  await logIn(page, email);
}

test("an owner asks about the maintenance fund on the ledgers page; the committee answers there; the owner is told and reads it", async ({
  page,
}) => {
  const question = `维修资金今年用在哪些地方？ ${Date.now().toString(36)}`;
  await logIn(page, "owner@demo.yishitang.cn");
  await page.goto("/e/yixin/ledgers");
  const fund = page.locator("#maintenance_fund");
  await fund.getByLabel("您的问题").fill(question);
  await fund.getByRole("button", { name: "向业委会提问" }).click();
  await expect(page.getByText("问题已提交，业委会将公开答复")).toBeVisible();
  const thread = fund.getByTestId("inquiry").filter({ hasText: question });
  await expect(thread).toContainText("待答复");
  // The form empties once the question is in.
  await expect(fund.getByLabel("您的问题")).toHaveValue("");

  await switchTo(page, "committee@demo.yishitang.cn");
  await page.goto("/e/yixin/ledgers");
  const open = page.locator("#maintenance_fund").getByTestId("inquiry").filter({ hasText: question });
  await open.getByPlaceholder("以业委会名义答复").fill("电梯更换和外墙维修，均经业主大会表决，见账目第 1、2 笔。");
  await open.getByRole("button", { name: "公开答复" }).click();
  await expect(page.getByText("答复已公开")).toBeVisible();

  await switchTo(page, "owner2@demo.yishitang.cn");
  const other = await page.goto("/e/yixin/ledgers");
  expect(other?.status()).toBe(404);

  await switchTo(page, "owner@demo.yishitang.cn");
  await page.goto("/notices");
  await expect(page.getByText("业委会答复了您的提问").first()).toBeVisible();
  await page.goto("/e/yixin/ledgers");
  const answered = page.locator("#maintenance_fund").getByTestId("inquiry").filter({ hasText: question });
  await expect(answered).toContainText("已答复");
  await expect(answered).toContainText("电梯更换和外墙维修");
});
