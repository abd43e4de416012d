import { containsText, gpsMarker, phoneJpeg } from "../ticket-photos";
import { expect, test } from "./fixtures";
import { logIn } from "./helpers";
import { beijingMonth } from "../../app/lib/time";

const description = "3幢电梯异响，运行时咔咔作响";

test.describe
  .serial("an owner reports a problem, the property company resolves it, the owner rates it, the scorecard shows it", () => {
  let ticketPath = "";

  test("an owner files a ticket with a photo, stripped of its location", async ({ page }) => {
    await logIn(page, "owner@demo.yishitang.cn");
    await page.goto("/e/yixin");
    await page.getByRole("link", { name: "报事报修" }).click();
    await page.getByRole("link", { name: "我要报修" }).first().click();
    await expect(page.getByRole("heading", { name: "我要报修" })).toBeVisible();
    await page.waitForFunction(() => document.querySelector<HTMLFormElement>("form#new-ticket")?.noValidate === true);

    await page.getByLabel("类别").selectOption("repair");
    await expect(page.getByText("本类别：4 小时 内受理，3 天 内解决。")).toBeVisible();
    await page.getByRole("radio", { name: "楼栋" }).check();
    await page.getByRole("combobox", { name: "楼栋" }).selectOption({ label: "3幢" });
    await page.getByLabel("具体位置").fill("2单元电梯");
    await page.getByLabel("问题描述").fill(description);
    await page
      .getByLabel("照片（最多 6 张）")
      .setInputFiles({ name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: Buffer.from(phoneJpeg(6)) });
    await page.getByRole("button", { name: "提交报修" }).click();

    await expect(page.getByRole("status").filter({ hasText: /报修已提交，编号 #\d+/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: /工单 #\d+ · 维修/ })).toBeVisible();
    await expect(page.getByText(description)).toBeVisible();
    await expect(page.getByText("待受理")).toBeVisible();
    ticketPath = new URL(page.url()).pathname;

    // The photo shows, and what the server sends has no GPS left in it.
    const photo = page.getByRole("img", { name: "工单照片 1" });
    await expect(photo).toBeVisible();
    // The 24×16 picture was taken with the phone turned (EXIF orientation 6): shown upright, 16×24.
    await expect
      .poll(() =>
        photo.evaluate((img: HTMLImageElement) => (img.complete ? `${img.naturalWidth}x${img.naturalHeight}` : "")),
      )
      .toBe("16x24");
    const src = (await photo.getAttribute("src"))!;
    const bytes = new Uint8Array(await (await page.request.get(src)).body());
    expect(containsText(bytes, gpsMarker)).toBe(false);
    expect(bytes.length).toBeGreaterThan(500);
  });

  test("the property staff acknowledge and resolve it", async ({ page }) => {
    expect(ticketPath, "the owner filed a ticket").not.toBe("");
    await logIn(page, "staff@demo.yishitang.cn");
    await page.goto("/e/yixin/tickets?scope=queue");
    await page
      .getByRole("link", { name: new RegExp(description.slice(0, 8)) })
      .first()
      .click();
    await expect(page).toHaveURL(new RegExp(`${ticketPath}$`));
    await page.getByRole("button", { name: "受理", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "已受理。" })).toBeVisible();
    await expect(page.getByText("物业已受理")).toBeVisible();
    await page.getByLabel("处理说明").fill("已更换2单元电梯导靴，运行正常");
    await page.getByRole("button", { name: "标记为已解决" }).click();
    await expect(page.getByRole("status").filter({ hasText: "已标记为解决，等待报修人确认。" })).toBeVisible();
    await expect(page.getByText("已解决，待确认").first()).toBeVisible();
  });

  test("the owner confirms it and rates it five stars", async ({ page }) => {
    await logIn(page, "owner@demo.yishitang.cn");
    await page.goto(ticketPath);
    await expect(page.getByText("已更换2单元电梯导靴，运行正常")).toBeVisible();
    await expect(page.getByText(/若您不确认，将于 .* 自动关闭/)).toBeVisible();
    await page.getByLabel("5 星：很满意").check();
    await page.getByLabel("评价（可选）").fill("维修很及时");
    await page.getByRole("button", { name: "确认已解决" }).click();
    await expect(page.getByRole("status").filter({ hasText: "谢谢您的评价，工单已关闭。" })).toBeVisible();
    await expect(page.getByText("已关闭", { exact: true })).toBeVisible();
    await expect(page.locator("dd").filter({ hasText: "5 星" })).toContainText("维修很及时");
  });

  test("this month's scorecard counts the ticket, its response and its rating", async ({ page }) => {
    await logIn(page, "owner@demo.yishitang.cn");
    await page.goto("/e/yixin");
    await page.getByRole("link", { name: "物业服务评分" }).click();
    await expect(page.getByRole("heading", { name: "物业服务月度评分" })).toBeVisible();
    await expect(page.getByText("物业公司：苏州宜居物业服务有限公司")).toBeVisible();
    const tile = (key: string) => page.locator(`[data-figure="${key}"] dd`);
    await expect(tile("opened")).toHaveText("1");
    await expect(tile("avgRating")).toContainText("5.0");
    await expect(tile("avgRating")).toContainText("1 条评价");
    await expect(tile("withinTarget")).toHaveText("100.0%");
    await expect(tile("reopenRate")).toHaveText("0.0%");
    await expect(tile("medianResponse")).toContainText("小时");
    // The twelve-month trend is drawn, with the earlier months of the demo history in it.
    // Twelve months ending with this one (Beijing time), where the new ticket is the only one.
    await expect(
      page.getByRole("img", {
        name: new RegExp(`^新增工单: (\\d{4}-\\d{2} \\d+, ){11}${beijingMonth(new Date())} 1$`),
      }),
    ).toBeVisible();
    await expect(page.locator(".score-table tbody tr")).toHaveCount(12);

    // The public board lists it without the owner's name or home.
    await page.goto("/e/yixin/tickets/board");
    const item = page.locator(".ticket-list li").filter({ hasText: description.slice(0, 8) });
    await expect(item).toContainText("已关闭");
    await expect(item).not.toContainText("李");
    await expect(item).not.toContainText("101");
  });
});
