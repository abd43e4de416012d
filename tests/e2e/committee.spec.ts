import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

/** An hour ago as a datetime-local value in Beijing time. */
function anHourAgoInBeijing() {
  return new Date(Date.now() - 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}

async function switchTo(page: Page, email: string) {
  await page.context().clearCookies();
  await logIn(page, email);
}

test("a committee member records a meeting and publishes the minutes; an owner asks and the committee answers", async ({
  page,
}) => {
  const title = `业委会临时会议 ${Date.now().toString(36)}`;

  // The chair records the meeting: schedule, attendance, votes, minutes.
  await logIn(page, "committee@demo.yishitang.cn");
  await page.goto("/e/yixin");
  await page.getByRole("link", { name: "业主委员会" }).click();
  await expect(page.getByRole("heading", { name: "第三届业主委员会" })).toBeVisible();
  await expect(page.getByTestId("member")).toHaveCount(9);
  await page.screenshot({ path: "test-results/e2e-committee/committee.png", fullPage: true });
  await page.getByRole("link", { name: "安排会议" }).click();
  await page.getByLabel("会议名称").fill(title);
  await page.getByLabel("会议时间（北京时间）").fill(anHourAgoInBeijing());
  await page.getByLabel("地点").fill("物业服务中心会议室");
  await page.getByLabel("第 1 项", { exact: true }).fill("增设电动自行车充电桩");
  await page.getByRole("button", { name: "发出通知" }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByText("通知不足 7 天").first()).toBeVisible();

  // Five of nine present: 1幢 (chair), 2幢, 4幢, 6幢, 7幢.
  for (const b of ["1幢", "2幢", "4幢", "6幢", "7幢"]) await page.getByLabel(new RegExp(`· ${b}( ·|$)`)).check();
  await page.getByRole("button", { name: "保存出席情况" }).click();
  await expect(page.getByTestId("quorum")).toContainText("出席 5 人，全体委员 9 人：已过半数");

  const votes = page.locator("form.votes-form");
  await votes.getByLabel("决定内容").fill("同意在 3 幢、7 幢增设充电桩。");
  const agree = votes.locator('input[type="radio"][value="agree"]');
  await expect(agree).toHaveCount(5);
  for (let i = 0; i < 5; i++) await agree.nth(i).check();
  await votes.getByRole("button", { name: "保存表决" }).click();
  await expect(page.getByText("表决已保存")).toBeVisible();

  await page.getByLabel("纪要（Markdown）").fill("# 会议纪要\n\n- 出席 5 人\n\n增设充电桩：同意 5 票，**通过**。");
  await page.getByRole("button", { name: "保存纪要" }).click();
  await expect(page.getByText("纪要已保存")).toBeVisible();
  await page.getByRole("button", { name: "签署纪要" }).click();
  await expect(page.getByText("已签署 1 人")).toBeVisible();
  const meetingUrl = page.url().replace(/#.*$/, "");

  // Two more attendees sign: three of five is a majority, and the minutes are published.
  for (const email of ["member2@demo.yishitang.cn", "member3@demo.yishitang.cn"]) {
    await switchTo(page, email);
    await page.goto(meetingUrl);
    await page.getByRole("button", { name: "签署纪要" }).click();
    await expect(page.getByRole("button", { name: "签署纪要" })).toHaveCount(0);
  }
  await expect(page.getByText("已签署，纪要已公布并通知业主")).toBeVisible();
  await page.screenshot({ path: "test-results/e2e-committee/meeting.png", fullPage: true });

  // An owner finds the minutes in the archive, reads them and asks a question.
  await switchTo(page, "owner@demo.yishitang.cn");
  await page.goto("/e/yixin/committee/meetings");
  await page.getByLabel("议题").fill("充电桩");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(page.getByTestId("archive-item")).toHaveCount(1);
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { name: "会议纪要", exact: true }).first()).toBeVisible();
  await expect(page.locator(".minutes")).toContainText("增设充电桩：同意 5 票，通过。");
  await expect(page.getByText("通过", { exact: true }).first()).toBeVisible();
  await page.getByLabel("您的问题").fill("充电桩的电费怎么收？");
  await page.getByRole("button", { name: "向业委会提问" }).click();
  await expect(page.getByTestId("inquiry")).toContainText("充电桩的电费怎么收？");
  await expect(page.getByTestId("inquiry")).toContainText("待答复");

  // The committee answers in public.
  await switchTo(page, "committee@demo.yishitang.cn");
  await page.goto(meetingUrl);
  await page.getByPlaceholder("以业委会名义答复").fill("按电表计量，由使用者扫码支付，不占用公共收益。");
  await page.getByRole("button", { name: "公开答复" }).click();
  await expect(page.getByText("答复已公开")).toBeVisible();

  // The owner sees the answer.
  await switchTo(page, "owner@demo.yishitang.cn");
  await page.goto(meetingUrl);
  const thread = page.getByTestId("inquiry");
  await expect(thread).toContainText("业委会答复（陈**）");
  await expect(thread).toContainText("按电表计量，由使用者扫码支付");
  await expect(thread).toContainText("已答复");
});

test("owners of another estate cannot see the committee", async ({ page }) => {
  await logIn(page, "owner2@demo.yishitang.cn");
  const response = await page.goto("/e/yixin/committee");
  expect(response?.status()).toBe(404);
});

test("a community admin calls an election; an owner stands for an N seat in their zone", async ({ page }) => {
  await logIn(page, "community@demo.yishitang.cn");
  await page.goto("/e/yixin/committee/elections");
  await page.getByLabel("名称", { exact: true }).first().fill("第四届业主委员会");
  await page
    .getByLabel("片区（每行一个）")
    .fill("一区: 1幢, 2幢, 3幢\n二区: 4幢, 5幢, 6幢\n三区: 7幢, 8幢\n四区: 9幢, 10幢, 11幢, 12幢");
  await page.getByRole("button", { name: "发起", exact: true }).first().click();
  await expect(page.getByRole("heading", { name: "第四届业主委员会" })).toBeVisible();
  await expect(page.getByText("（2 席）")).toHaveCount(4); // three zones and the X seats
  await expect(page.getByText("（1 席）")).toHaveCount(1);

  await page.context().clearCookies();
  await logIn(page, "owner@demo.yishitang.cn");
  await page.goto("/e/yixin/committee/elections");
  await page.getByRole("link", { name: "第四届业主委员会" }).click();
  await page.getByLabel("参选说明（可选）").fill("愿意为一区业主服务。");
  await page.getByRole("button", { name: "报名", exact: true }).click();
  await expect(page.getByText("已报名")).toBeVisible();
  await expect(page.getByTestId("candidate")).toContainText("李**");
  await page.screenshot({ path: "test-results/e2e-committee/election.png", fullPage: true });
});
