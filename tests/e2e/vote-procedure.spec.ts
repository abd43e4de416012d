import type { Browser, Page } from "@playwright/test";
import { canMoveTime, withE2eDb } from "./db";
import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

/**
 * The procedure of issue 15 on the built site, each step by the person who takes it and read
 * back on the page: a vote scoped to two buildings (1幢 and 2幢: 李业主, owner@, owns 1幢 101 and
 * votes; member3@ owns in 4幢 and is outside the scope), its notice on the board with a poster,
 * the 15 days of notice, voting, the ballot-box log of a paper ballot, close, the preliminary
 * result, a query answered by the committee, the final result and the audited ballot list.
 *
 * The days a person would wait pass by SQL on the e2e database (tests/e2e/db.ts).
 */

const estate = "/e/yixin";
const title = `1、2 幢电梯更新 ${Date.now().toString(36)}`;
const body = "拟使用 1 幢、2 幢的专项维修资金更新电梯，由这两栋楼的业主表决。";
const pdf = (name: string) => ({
  name,
  mimeType: "application/pdf",
  buffer: Buffer.from(`%PDF-1.4\n% ${name}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`),
});

const chair = "committee@demo.yishitang.cn";
const secondMember = "member2@demo.yishitang.cn";
const owner = "owner@demo.yishitang.cn";
const outsider = "member3@demo.yishitang.cn";

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

async function moveTimes(set: "fifteen days pass" | "voting window ends" | "query period ends") {
  await withE2eDb(async (sql) => {
    const rows =
      set === "fifteen days pass"
        ? await sql`update proposal set noticed_at = noticed_at - interval '16 days', comment_ends_at = now() - interval '2 seconds', voting_starts_at = now() - interval '1 second' where title = ${title} and status = 'comment' returning id`
        : set === "voting window ends"
          ? await sql`update proposal set voting_ends_at = now() - interval '1 second' where title = ${title} and status = 'voting' returning id`
          : await sql`update proposal set query_ends_at = now() - interval '1 second' where title = ${title} and status = 'closed' returning id`;
    expect(rows, `${set}: the proposal is there`).toHaveLength(1);
  });
}

test.describe.serial("a vote scoped to two buildings, from draft to the final result", () => {
  test.skip(!canMoveTime, "moving the vote's days needs the e2e server on PostgreSQL (DATABASE_URL)");

  test("the chair drafts the vote for 1幢 and 2幢 and publishes it for comment", async ({ page }) => {
    await logIn(page, chair);
    await page.goto(`${estate}/proposals/new`);
    await expect(page.getByRole("heading", { name: "起草议题" })).toBeVisible();
    await page.getByLabel("标题").fill(title);
    await page.getByLabel("事项类型").selectOption("fund_use");
    await page.getByLabel("正文").fill(body);
    await page.getByLabel("部分楼栋的业主").check();
    await page.getByLabel("1幢", { exact: true }).check();
    await page.getByLabel("2幢", { exact: true }).check();
    await page.getByRole("button", { name: "保存草稿" }).click();
    await expect(page.getByRole("status").filter({ hasText: "草稿已保存。" })).toBeVisible();
    await expect(page.getByTestId("scope").first()).toHaveText("表决范围：1幢、2幢");
    await page.getByRole("button", { name: "发布并征求意见" }).click();
    await expect(page.getByRole("status").filter({ hasText: "议题已发布，开始征求意见。" })).toBeVisible();
  });

  test("the chair posts the vote notice; it states the scope's headcount and area and is on the board with a poster", async ({
    page,
  }) => {
    await logIn(page, chair);
    await openProposal(page);
    await page.getByRole("button", { name: "张贴表决公告" }).click();
    await expect(page.getByRole("status").filter({ hasText: "表决公告已张贴。" })).toBeVisible();
    await page.getByRole("link", { name: "查看公告" }).first().click();
    const notice = page.locator("main");
    await expect(notice).toContainText(`关于“${title}”的业主表决公告`);
    await expect(notice).toContainText("1幢、2幢的业主");
    await expect(notice).toContainText(/范围内业主总人数 \d+ 人，专有部分总面积 [\d.,]+ 平方米。/);
    const noticePath = new URL(page.url()).pathname;

    await page.goto(`${estate}/board`);
    await expect(page.getByRole("link", { name: `关于“${title}”的业主表决公告` })).toBeVisible();
    await page.goto(`${noticePath}/print`);
    await expect(page.locator("svg").first()).toBeVisible();
    await expect(page.locator("body")).toContainText(title);
  });

  test("fifteen days later the chair opens voting", async ({ page }) => {
    await moveTimes("fifteen days pass");
    await logIn(page, chair);
    await openProposal(page);
    await page.getByRole("button", { name: "开始投票" }).click();
    await expect(page.getByRole("status").filter({ hasText: /投票已开始，共 \d+ 位投票人。/ })).toBeVisible();
  });

  test("an owner in 1幢 votes online; an owner in 4幢, outside the scope, gets no ballot", async ({
    page,
    browser,
  }) => {
    await logIn(page, owner);
    await openProposal(page);
    const ballot = page.locator("#ballot");
    await ballot.getByLabel("同意").check();
    await ballot.getByRole("button", { name: "投票" }).click();
    await expect(page.getByRole("status").filter({ hasText: /投票成功，回执码/ })).toBeVisible();

    const other = await as(browser, outsider);
    await openProposal(other);
    await expect(other.locator("#ballot").getByRole("button", { name: "投票" })).toHaveCount(0);
    await other.context().close();
  });

  test("paper: one member logs the ballot received, a second witnesses; one enters it with a scan, the other confirms", async ({
    page,
    browser,
  }) => {
    await logIn(page, chair);
    await openProposal(page);
    await page.getByRole("link", { name: "纸质表决票录入" }).click();
    const box = page.locator("#box");
    await box.getByLabel("收到的票：楼栋").fill("2幢");
    await box.getByLabel("收到的票：房号").fill("101");
    await box.getByRole("button", { name: "登记收到一张纸质票" }).click();
    await expect(page.getByRole("status").filter({ hasText: "已登记收到，请另一位委员见证。" })).toBeVisible();
    const paperPath = new URL(page.url()).pathname;

    const member = await as(browser, secondMember);
    await member.goto(paperPath);
    await member
      .locator("#box")
      .getByTestId("box-entry")
      .filter({ hasText: "2幢" })
      .getByRole("button", { name: "见证" })
      .click();
    await expect(member.getByRole("status").filter({ hasText: "已见证。" })).toBeVisible();

    await page.goto(paperPath);
    await page.getByLabel("楼栋", { exact: true }).fill("2幢");
    await page.getByLabel("房号", { exact: true }).fill("101");
    await page.getByLabel("反对").check();
    await page.getByLabel("表决票扫描件（PDF 或图片）").setInputFiles(pdf("2幢101表决票.pdf"));
    await page.getByRole("button", { name: "录入纸质票" }).click();
    await expect(page.getByRole("status").filter({ hasText: "纸质票已录入，等待另一位委员确认。" })).toBeVisible();

    await member.goto(paperPath);
    const pending = member.locator("li").filter({ hasText: "2幢 101" });
    await pending.getByRole("button", { name: "确认计入" }).click();
    await expect(member.getByRole("status").filter({ hasText: "纸质票已确认并计入。" })).toBeVisible();
    await member.context().close();
  });

  test("the window ends; the chair closes and the preliminary result is on the page and the board", async ({
    page,
  }) => {
    await moveTimes("voting window ends");
    await logIn(page, chair);
    await openProposal(page);
    await page.getByRole("button", { name: "结束投票并计票" }).click();
    await expect(page.getByRole("status").filter({ hasText: "投票已结束，结果已计出。" })).toBeVisible();
    await expect(page.getByTestId("result-phase")).toContainText("询异期至");
    await page.goto(`${estate}/board`);
    await expect(page.getByRole("link", { name: new RegExp(title) }).first()).toBeVisible();
  });

  test("an owner queries the result; the committee answers in the inquiries inbox", async ({ page, browser }) => {
    const question = `我的 1 幢 101 网上投了同意，请核对是否计入。${Date.now().toString(36)}`;
    await logIn(page, owner);
    await openProposal(page);
    await page.getByRole("link", { name: "表决结果", exact: true }).click();
    await page.getByLabel("您的问题").fill(question);
    await page.getByRole("button", { name: "向业委会提问" }).click();
    await expect(page.getByRole("status").filter({ hasText: "问题已提交，业委会将公开答复" })).toBeVisible();

    const committee = await as(browser, chair);
    await committee.goto(`${estate}/inquiries`);
    const item = committee.getByTestId("inbox-item").filter({ hasText: question });
    await expect(item).toContainText(title);
    await item.getByRole("link").last().click();
    const thread = committee.getByTestId("inquiry").filter({ hasText: question });
    await thread.getByLabel("以业委会名义答复").fill("已核对：您的网上票计入结果。");
    await thread.getByRole("button", { name: "公开答复" }).click();
    await expect(committee.getByTestId("inquiry").filter({ hasText: question })).toContainText(
      "已核对：您的网上票计入结果。",
    );
    await committee.goto(`${estate}/inquiries?show=answered`);
    await expect(committee.getByTestId("inbox-item").filter({ hasText: question })).toContainText("已答复");
    await committee.context().close();
  });

  test("the query period ends; the chair posts the final result, which is on the board", async ({ page }) => {
    await moveTimes("query period ends");
    await logIn(page, chair);
    await openProposal(page);
    await page.getByLabel("公示天数").fill("7");
    await page.getByRole("button", { name: "公示结果" }).click();
    await expect(page.getByRole("status").filter({ hasText: "结果已公示。" })).toBeVisible();
    await expect(page.getByTestId("result-phase")).toContainText("最终结果");
    await page.goto(`${estate}/board`);
    await expect(page.getByRole("link", { name: `表决最终结果：${title}` })).toBeVisible();
  });

  test("an owner inspects the full ballot list, and the chair finds that look in the audit log", async ({
    page,
    browser,
  }) => {
    await logIn(page, owner);
    await openProposal(page);
    const proposalPath = new URL(page.url()).pathname;
    await page.goto(`${proposalPath}/ledger?full=1`);
    // The full list: each ballot with its area and exact time, the online one and the paper one.
    const list = page.locator("table.ledger");
    await expect(list).toContainText("面积（平方米）");
    await expect(list).toContainText(/同意[\d.]+1网上\d{4}\/\d{1,2}\/\d{1,2} \d{1,2}:\d{2}:\d{2}/);
    await expect(list).toContainText(/反对[\d.]+1纸质/);

    const committee = await as(browser, chair);
    await committee.goto(`${estate}/audit`);
    await expect(committee.locator("main")).toContainText("查阅完整投票清单");
    await committee.context().close();
  });
});
