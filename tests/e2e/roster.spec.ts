import { expect, test } from "./fixtures";
import { logIn } from "./helpers";

const header = "楼栋,房号,楼层,类型,专有面积,业主姓名,业主电话,开发商未售,产权证号";
const csvFile = (name: string, ...lines: string[]) => ({
  name,
  mimeType: "text/csv",
  // With a BOM, as Excel's "CSV UTF-8" saves it.
  buffer: Buffer.from("\uFEFF" + [header, ...lines].join("\r\n") + "\r\n", "utf8"),
});

test("the community admin imports a roster: a bad row is refused with its line, a valid file is previewed and applied", async ({
  page,
}) => {
  await logIn(page, "community@demo.yishitang.cn");
  await page.goto("/e/yixin");
  await page.getByRole("link", { name: "业主名册管理" }).click();
  await expect(page.getByRole("heading", { name: "业主名册管理" })).toBeVisible();

  await page.getByRole("link", { name: "房屋列表" }).click();
  const total = page.getByTestId("units-total");
  await expect(total).toContainText("共 1200 户");

  // A file with one bad row: nothing is written, the row is named by its line.
  await page.goto("/e/yixin/roster");
  await page.getByRole("link", { name: "导入名册（CSV）" }).click();
  await page
    .getByLabel("CSV 文件")
    .setInputFiles(csvFile("bad.csv", "13幢,101,1,住宅,88.50,测试业主,,否,", "13幢,102,1,住宅,12.345,另一业主,,否,"));
  await page.getByRole("button", { name: "检查并预览" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("文件有 1 处错误，未写入任何数据");
  await expect(alert).toContainText("第 3 行：专有面积“12.345”最多保留两位小数。");
  await page.goto("/e/yixin/roster/units");
  await expect(total).toContainText("共 1200 户");
  await page.goto("/e/yixin");
  await expect(page.getByText("共 12 栋楼、1200 户")).toBeVisible();

  // A valid file: previewed, confirmed, and the new unit is in the list.
  await page.goto("/e/yixin/roster/import");
  await page
    .getByLabel("CSV 文件")
    .setInputFiles(csvFile("good.csv", "13幢,101,1,住宅,88.50,测试业主,13700000001,否,", "13幢,102,1,商业,120,,,是,"));
  await page.getByRole("button", { name: "检查并预览" }).click();
  await expect(page.getByRole("heading", { name: "导入预览" })).toBeVisible();
  await expect(page.getByTestId("count-unitsNew")).toHaveText("2");
  await expect(page.getByTestId("count-unitsNotInFile")).toHaveText("1200");
  await expect(page.getByText("测***")).toBeVisible();
  await page.getByRole("button", { name: "确认导入" }).click();

  await expect(page).toHaveURL(/\/e\/yixin\/roster\/units$/);
  await expect(page.getByRole("status")).toContainText("名册已导入：新增 2 户");
  await expect(total).toContainText("共 1202 户");
  await page.getByLabel("楼栋").selectOption("13幢");
  await page.getByRole("button", { name: "搜索" }).click();
  await expect(total).toContainText("共 2 户");
  const row = page.getByRole("row", { name: /13幢 101/ });
  await expect(row).toContainText("测***");
  await expect(row).toContainText("88.50");
  await expect(row).toContainText("未认领");
  await expect(page.getByText("13700000001")).toHaveCount(0);
  await expect(page.getByRole("row", { name: /13幢 102/ })).toContainText("开发商未售");

  // Its claim letter, ready to print: tick the unit, print the selected letters.
  await page.getByLabel("选择 13幢 101").check();
  await page.getByRole("button", { name: "打印所选房屋的认领函" }).click();
  await expect(page).toHaveURL(/\/roster\/letters\?unit=/);
  const letter = page.locator("article.letter");
  await expect(letter).toHaveCount(1);
  await expect(letter).toContainText("宜欣花园 业主认领函");
  await expect(letter).toContainText("致 13幢 101 业主 测***：");
  await expect(letter.getByTestId("claim-code")).toHaveText(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);
});
