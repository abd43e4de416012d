import type { Browser, Page } from "@playwright/test";
import { canMoveTime, withE2eDb } from "./db";
import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

/**
 * A proposal's whole life on the built site, each step by the person who takes it, read back on
 * the page as that person reads it: the committee drafts (with an attachment) and publishes it
 * for comment, an owner comments, the community admin sets the estate's rule that a ballot is
 * final, the committee opens the vote, the owner votes and finds the ballot cannot be changed, a
 * member enters a paper ballot and a second member confirms it, the committee closes the vote,
 * publishes the result and records it carried out, and the owner reads the result.
 *
 * The other journeys are in their own specs: a meeting from notice to signed minutes
 * (committee.spec.ts), the property staff answering a ticket (tickets.spec.ts), a roster import
 * (roster.spec.ts), signing up and claiming a unit (claims.spec.ts), changing a ballot and the
 * public ledger (voting.spec.ts), paying a bill (payments.spec.ts).
 *
 * The comment period and the voting window end by SQL on the e2e database (tests/e2e/db.ts),
 * the one thing a person would wait days for.
 */

const estate = "/e/yixin";
const title = `公共收益用于更换 6 幢门禁 ${Date.now().toString(36)}`;
const body = "拟使用公共收益更换 6 幢单元门禁系统，预算 3.2 万元，报价单见附件。";
// A PDF, as the server sniffs it (%PDF-): the quotation, and a paper ballot's scan.
const pdf = (name: string) => ({
  name,
  mimeType: "application/pdf",
  buffer: Buffer.from(`%PDF-1.4\n% ${name}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`),
});

const chair = "committee@demo.yishitang.cn";
const secondMember = "member2@demo.yishitang.cn";
const owner = "owner@demo.yishitang.cn";
const admin = "community@demo.yishitang.cn";

async function as(browser: Browser, email: string) {
  const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  await logIn(page, email);
  return page;
}

async function openProposal(page: Page) {
  await page.goto(`${estate}/proposals`);
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
}

/** Moves the proposal's times as if days had passed. */
async function timePasses(set: "comment period ends" | "voting window ends" | "query period ends") {
  await withE2eDb(async (sql) => {
    const rows =
      set === "query period ends"
        ? await sql`update proposal set query_ends_at = now() - interval '1 second' where title = ${title} and status = 'closed' returning id`
        : set === "comment period ends"
          ? // The notice was posted 16 days ago, so that voting may open today.
            await sql`update proposal set noticed_at = now() - interval '16 days', comment_ends_at = now() - interval '2 seconds', voting_starts_at = now() - interval '1 second' where title = ${title} and status = 'comment' and notice_id is not null returning id`
          : await sql`update proposal set voting_ends_at = now() - interval '1 second' where title = ${title} and status = 'voting' returning id`;
    expect(rows, `${set}: the proposal is there`).toHaveLength(1);
  });
}

test.describe.serial("a proposal from draft to a published result, started from the pages", () => {
  test.skip(
    !canMoveTime,
    "ending the comment period and the voting window needs the e2e server on PostgreSQL (DATABASE_URL)",
  );
  let proposalPath = "";

  test("the chair drafts a proposal with an attachment and publishes it for comment", async ({ page }) => {
    await logIn(page, chair);
    await page.goto(estate);
    await page.getByRole("link", { name: "议事与表决" }).click();
    const draftLink = page.getByRole("link", { name: "起草议题" });
    await expect(draftLink).toBeVisible();
    await draftLink.click();
    await draftOnTheForm(page);
    await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await expect(page.getByText("草稿", { exact: true }).first()).toBeVisible();
    await expect(page.getByText("一般事项").first()).toBeVisible();
    proposalPath = new URL(page.url()).pathname;

    await page.getByLabel("上传附件（PDF 或图片，每个不超过 10 MB）").setInputFiles(pdf("门禁报价单.pdf"));
    await page.getByRole("button", { name: "上传", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "附件已上传。" })).toBeVisible();
    const attachment = page.locator("#files").getByRole("link", { name: "门禁报价单.pdf" });
    await expect(attachment).toBeVisible();
    const file = await page.request.get((await attachment.getAttribute("href"))!);
    expect(file.status()).toBe(200);
    expect((await file.body()).subarray(0, 5).toString()).toBe("%PDF-");

    await page.getByRole("button", { name: "发布并征求意见" }).click();
    await expect(page.getByRole("status").filter({ hasText: "议题已发布，开始征求意见。" })).toBeVisible();
    await expect(page.getByText("征求意见", { exact: true }).first()).toBeVisible();
  });

  test("an owner reads it and comments", async ({ page }) => {
    expect(proposalPath, "the chair drafted the proposal").not.toBe("");
    await logIn(page, owner);
    await page.goto(estate);
    await page.getByRole("link", { name: "议事与表决" }).click();
    await page.getByRole("link", { name: title }).click();
    await expect(page.getByText(body)).toBeVisible();
    await expect(page.locator("#files").getByRole("link", { name: "门禁报价单.pdf" })).toBeVisible();
    await page.getByLabel("您的意见").fill("建议同时更换 6 幢地库入口的门禁。");
    await page.getByRole("button", { name: "发表意见" }).click();
    await expect(page.getByRole("status").filter({ hasText: "意见已发表。" })).toBeVisible();
    await expect(page.locator("#comments")).toContainText("建议同时更换 6 幢地库入口的门禁。");
  });

  test("the community admin records that a ballot, once cast, is final", async ({ page }) => {
    await logIn(page, admin);
    await page.goto(estate);
    await page.getByRole("link", { name: "表决规则设置" }).click();
    await expect(page.getByRole("heading", { name: "表决规则" })).toBeVisible();
    await page.getByLabel("不能修改（如北京）").check();
    await page.getByRole("button", { name: "保存规则" }).click();
    await expect(page.getByRole("status").filter({ hasText: "表决规则已保存。" })).toBeVisible();
    await expect(page.getByLabel("不能修改（如北京）")).toBeChecked();
  });

  test("when the comment period is over the chair opens the vote, under the rule of that moment", async ({
    page,
    browser,
  }) => {
    await logIn(page, chair);
    await openProposal(page);
    // The vote notice is posted from the proposal page, with the drafted window; then the 15 days pass.
    await page.getByRole("button", { name: "张贴表决公告" }).click();
    await expect(page.getByRole("status").filter({ hasText: "表决公告已张贴。" })).toBeVisible();
    await timePasses("comment period ends");
    await openProposal(page);
    await expect(page.getByText("意见征集已结束。")).toBeVisible();
    await page.getByRole("button", { name: "开始投票" }).click();
    await expect(page.getByRole("status").filter({ hasText: /投票已开始，共 \d+ 位投票人。/ })).toBeVisible();
    await expect(page.getByText("表决中", { exact: true }).first()).toBeVisible();

    // The rule is fixed for this vote: the admin puts the estate's rule back for the votes after it.
    const adminPage = await as(browser, admin);
    await adminPage.goto(`${estate}/settings`);
    await adminPage.getByLabel("可以修改，以最后一次为准").check();
    await adminPage.getByRole("button", { name: "保存规则" }).click();
    await expect(adminPage.getByRole("status").filter({ hasText: "表决规则已保存。" })).toBeVisible();
    await adminPage.context().close();
  });

  test("the owner votes; the estate's rule makes the ballot final", async ({ page }) => {
    await logIn(page, owner);
    await openProposal(page);
    const ballot = page.locator("#ballot");
    await expect(ballot.getByText("尚未投票。")).toBeVisible();
    await expect(ballot.getByText("本小区规定：投票后不可更改。")).toBeVisible();
    await ballot.getByLabel("同意").check();
    await ballot.getByRole("button", { name: "投票" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: /投票成功，回执码 [2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}/ }),
    ).toBeVisible();
    await expect(ballot.getByText(/当前有效票：同意（网上/)).toBeVisible();
    // No way to change it: neither the choice nor the button is offered again.
    await expect(ballot.getByRole("button", { name: "更改投票" })).toHaveCount(0);
    await expect(ballot.getByLabel("反对")).toHaveCount(0);
  });

  test("a member enters a paper ballot; a second member checks the scan and confirms it", async ({ page, browser }) => {
    await logIn(page, chair);
    await openProposal(page);
    await page.getByRole("link", { name: "纸质表决票录入" }).click();
    await expect(page.getByRole("heading", { name: "纸质表决票" })).toBeVisible();
    await page.getByLabel("楼栋", { exact: true }).fill("6幢");
    await page.getByLabel("房号", { exact: true }).fill("101");
    await page.getByLabel("反对").check();
    await page.getByLabel("表决票扫描件（PDF 或图片）").setInputFiles(pdf("6幢101表决票.pdf"));
    await page.getByRole("button", { name: "录入纸质票" }).click();
    await expect(page.getByRole("status").filter({ hasText: "纸质票已录入，等待另一位委员确认。" })).toBeVisible();
    await expect(page.getByText("这是您录入的，需由另一位委员确认。")).toBeVisible();
    await expect(page.getByRole("button", { name: "确认计入" })).toHaveCount(0);
    const paperPath = new URL(page.url()).pathname;

    const member = await as(browser, secondMember);
    await member.goto(paperPath);
    const pending = member.locator("li").filter({ hasText: "6幢 101" });
    await expect(pending).toContainText("反对");
    const scan = await member.request.get(
      (await pending.getByRole("link", { name: "查看扫描件" }).getAttribute("href"))!,
    );
    expect(scan.status()).toBe(200);
    await pending.getByRole("button", { name: "确认计入" }).click();
    await expect(member.getByRole("status").filter({ hasText: "纸质票已确认并计入。" })).toBeVisible();
    await expect(member.getByText("没有待确认的纸质票。")).toBeVisible();
    await expect(member.getByRole("row", { name: /6幢 101/ })).toContainText("已计入");
    await member.context().close();
  });

  test("when the window is over the chair closes the vote, publishes the result and records it carried out", async ({
    page,
  }) => {
    await timePasses("voting window ends");
    await logIn(page, chair);
    await openProposal(page);
    await page.getByRole("button", { name: "结束投票并计票" }).click();
    await expect(page.getByRole("status").filter({ hasText: "投票已结束，结果已计出。" })).toBeVisible();
    await expect(page.getByRole("heading", { name: `表决结果：${title}` })).toBeVisible();
    // Two ballots of some 1,200 households: no quorum.
    await expect(page.getByText("参与表决的业主未达到法定比例（须三分之二以上），表决无效。")).toBeVisible();
    await expect(page.getByText(/参与表决 [1-4] 人/)).toBeVisible();
    await expect(page.getByTestId("final-hash")).toHaveText(/^[0-9a-f]{64}$/);

    // The preliminary result stands for the query period; when it is over the final result is published.
    await timePasses("query period ends");
    await openProposal(page);
    await page.getByLabel("公示天数").fill("7");
    await page.getByRole("button", { name: "公示结果" }).click();
    await expect(page.getByRole("status").filter({ hasText: "结果已公示。" })).toBeVisible();
    await expect(page.getByText(/公示至 /)).toBeVisible();

    await openProposal(page);
    await page.getByLabel("执行情况").fill("表决未达到参与门槛，门禁更换暂缓，明年重新提议。");
    await page.getByRole("button", { name: "记录执行情况" }).click();
    await expect(page.getByRole("status").filter({ hasText: "执行情况已记录。" })).toBeVisible();
    await expect(page.getByText("执行记录：表决未达到参与门槛，门禁更换暂缓，明年重新提议。")).toBeVisible();
  });

  test("the owner reads the result and finds the ballot in the public ledger", async ({ page }) => {
    await logIn(page, owner);
    await page.goto(`${estate}/proposals`);
    const item = page.locator("li").filter({ has: page.getByRole("link", { name: title }) });
    await expect(item).toContainText("未通过");
    await item.getByRole("link", { name: title }).click();
    const receipt = (await page.locator("#ballot").getByTestId("receipt").textContent())!.trim();
    await page.getByRole("link", { name: "表决结果", exact: true }).click();
    await expect(page.getByRole("heading", { name: `表决结果：${title}` })).toBeVisible();
    await expect(page.getByText("参与表决的业主未达到法定比例（须三分之二以上），表决无效。")).toBeVisible();
    await page.goto(`${proposalPath}/ledger`);
    await page.getByLabel("查找回执码").fill(receipt);
    await page.getByRole("button", { name: "查找" }).click();
    await expect(page.getByRole("status").filter({ hasText: "找到了：这张票计入结果。" })).toBeVisible();
    // The paper ballot is in the ledger too, as paper, without its unit.
    await expect(page.locator("table.ledger")).toContainText("纸质");
    await expect(page.locator("table.ledger")).not.toContainText("6幢");
  });
});

/** Fills in and saves the draft form, as the chair does. */
async function draftOnTheForm(page: Page) {
  await expect(page.getByRole("heading", { name: "起草议题" })).toBeVisible();
  await page.getByLabel("标题").fill(title);
  await page.getByLabel("事项类型").selectOption("fund_use");
  await page.getByLabel("正文").fill(body);
  // The form's default times (comments for 15 days, then two weeks of voting) are kept.
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByRole("status").filter({ hasText: "草稿已保存。" })).toBeVisible();
}

test("the draft form refuses a draft without a title, saves one, and the edit form changes it", async ({ page }) => {
  await logIn(page, chair);
  await page.goto(`${estate}/proposals`);
  await page.getByRole("link", { name: "起草议题" }).click();
  await expect(page.getByRole("heading", { name: "起草议题" })).toBeVisible();
  await page.waitForFunction(() => document.querySelector<HTMLFormElement>("form#proposal-draft")?.noValidate === true);
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("此项必填").first()).toBeVisible();
  const draftTitle = `草稿 ${Date.now().toString(36)}`;
  await page.getByLabel("标题").fill(draftTitle);
  await page.getByLabel("事项类型").selectOption("other_major");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByRole("status").filter({ hasText: "草稿已保存。" })).toBeVisible();
  await expect(page.getByRole("heading", { name: draftTitle })).toBeVisible();

  await page.getByRole("link", { name: "修改草稿" }).click();
  await expect(page.getByRole("heading", { name: "修改草稿" })).toBeVisible();
  await expect(page.getByLabel("标题")).toHaveValue(draftTitle);
  await page.getByLabel("标题").fill(`${draftTitle}（修订）`);
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByRole("status").filter({ hasText: "草稿已更新。" })).toBeVisible();
  await expect(page.getByRole("heading", { name: `${draftTitle}（修订）` })).toBeVisible();
});
