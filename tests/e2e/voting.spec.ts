import postgres from "postgres";
import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

const title = "续聘苏州宜居物业服务有限公司（2027—2029年）";

/** The e2e server's own database (scripts/e2e-server.mjs), to end the voting window without waiting two weeks. */
async function endVotingWindow() {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/yst_e2e_${process.env.E2E_PORT ?? 3210}`;
  const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    const rows =
      await sql`update proposal set voting_ends_at = now() - interval '1 second' where title = ${title} and status = 'voting' returning id`;
    expect(rows).toHaveLength(1);
  } finally {
    await sql.end();
  }
}

test.describe.serial("an owner votes and checks the receipt in the public ledger", () => {
  let receipt = "";
  let firstReceipt = "";

  test("an owner reads the proposal, votes, changes the vote and sees the receipt", async ({ page }) => {
    await logIn(page, "owner@demo.yishitang.cn");
    await page.goto("/e/yixin");
    await page.getByRole("link", { name: "议事与表决" }).click();
    await page.getByRole("link", { name: title }).click();
    await expect(page.getByRole("heading", { name: title })).toBeVisible();
    await expect(page.getByText("物业费收缴率 82%")).toBeVisible();
    await expect(page.getByText("须参与表决专有部分面积过半数")).toBeVisible();

    const ballot = page.locator("#ballot");
    await expect(ballot.getByText("尚未投票。")).toBeVisible();
    await ballot.getByLabel("同意").check();
    await ballot.getByRole("button", { name: "投票" }).click();
    await expect(page.getByRole("status").filter({ hasText: "投票成功，回执码" })).toBeVisible();
    await expect(ballot.getByText(/当前有效票：同意/)).toBeVisible();
    firstReceipt = (await ballot.getByTestId("receipt").textContent())!.trim();
    expect(firstReceipt).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);

    await ballot.getByLabel("反对").check();
    await ballot.getByRole("button", { name: "更改投票" }).click();
    await expect(ballot.getByText(/当前有效票：反对/)).toBeVisible();
    receipt = (await ballot.getByTestId("receipt").textContent())!.trim();
    expect(receipt).not.toBe(firstReceipt);
    await expect(ballot.getByText(`已被替换的票：${firstReceipt}`)).toBeVisible();
    // The toast names the same receipt the page shows.
    await expect(page.getByRole("status").filter({ hasText: receipt })).toBeVisible();
  });

  test("after the committee closes the vote, the owner finds the receipt in the public ledger", async ({
    page,
    browser,
  }) => {
    test.skip(!process.env.DATABASE_URL, "ending the voting window needs the e2e server on PostgreSQL (DATABASE_URL)");
    expect(receipt, "the first test recorded a receipt").not.toBe("");
    await endVotingWindow();

    // The committee closes the vote through the page.
    const committee = await (await browser.newContext()).newPage();
    await logIn(committee, "committee@demo.yishitang.cn");
    await committee.goto("/e/yixin/proposals");
    await committee.getByRole("link", { name: title }).click();
    await committee.getByRole("button", { name: "结束投票并计票" }).click();
    await expect(committee.getByRole("heading", { name: `表决结果：${title}` })).toBeVisible();
    const finalHash = (await committee.getByTestId("final-hash").textContent())!.trim();
    expect(finalHash).toMatch(/^[0-9a-f]{64}$/);
    await committee.context().close();

    // The owner sees the result and finds the receipt in the ledger.
    await logIn(page, "owner@demo.yishitang.cn");
    await page.goto("/e/yixin/proposals");
    await page.getByRole("link", { name: title }).click();
    await page.getByRole("link", { name: "公开计票账本" }).click();
    await expect(page.getByRole("heading", { name: "计票账本" })).toBeVisible();
    await expect(page.getByText(finalHash)).toBeVisible();
    await page.getByLabel("查找回执码").fill(receipt.toLowerCase());
    await page.getByRole("button", { name: "查找" }).click();
    await expect(page.getByRole("status").filter({ hasText: "找到了：这张票计入结果。" })).toBeVisible();
    const row = page.locator("table.ledger tr.highlight");
    await expect(row).toContainText(receipt);
    await expect(row).toContainText("反对");
    await page.getByLabel("查找回执码").fill(firstReceipt);
    await page.getByRole("button", { name: "查找" }).click();
    await expect(page.getByRole("status").filter({ hasText: "已被替换，不计入" })).toBeVisible();

    // The CSV carries both ballots and the same final hash, without names.
    const csv = await (await page.request.get(`${new URL(page.url()).pathname}.csv`)).text();
    expect(csv).toContain(`# final_hash=${finalHash}`);
    expect(csv).toContain(`,${receipt},oppose,online,`);
    expect(csv).toContain(`,${firstReceipt},agree,online,`);
    expect(csv).not.toMatch(/李建国|1幢/);
  });
});
