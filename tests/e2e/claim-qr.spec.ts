import { canMoveTime, withE2eDb } from "./db";
import { expect, test } from "./fixtures";
import { claimWithCode, logIn } from "./helpers";

/** An unclaimed unit of the demo estate with one owner on the roster (not the units other journeys claim). */
async function unclaimedUnit() {
  return withE2eDb(async (sql) => {
    const [row] = await sql<{ id: string; building: string; number: string; owner: string }[]>`
      select u.id, b.name as building, u.number, min(o.name) as owner
      from unit u
      join building b on b.id = u.building_id
      join estate e on e.id = u.estate_id
      join ownership os on os.unit_id = u.id
      join owner o on o.id = os.owner_id
      where e.slug = 'yixin' and not u.developer_unsold and b.name = '7幢'
      group by u.id, b.name, u.number
      having count(*) = 1 and bool_and(o.user_id is null)
      order by u.number
      limit 1`;
    return row;
  });
}

test.skip(!canMoveTime, "reads the unit to claim from the e2e database (PostgreSQL only)");

test("staff print a claim letter; an owner scans its QR code, signs up, finds the code filled in and claims the unit", async ({
  page,
  browser,
}) => {
  const unit = await unclaimedUnit();
  expect(unit, "an unclaimed unit in 7幢").toBeTruthy();

  // The community admin names whom owners ask, then opens the unit's letter.
  await logIn(page, "community@demo.yishitang.cn");
  await page.goto("/e/yixin/settings");
  await page.getByLabel("业主有疑问时联系谁").fill("宜欣花园物业服务中心 0512-6888 0000");
  await page.getByRole("button", { name: "保存联系人" }).click();
  await expect(page.getByRole("status").filter({ hasText: "认领函联系人已保存" })).toBeVisible();

  await page.goto(`/e/yixin/roster/letters?unit=${unit.id}`);
  const letter = page.getByRole("article", { name: `${unit.building} ${unit.number}` });
  await expect(letter).toContainText("宜欣花园 业主认领函");
  await expect(letter).toContainText(
    new Intl.DateTimeFormat("zh-CN", { dateStyle: "long", timeZone: "Asia/Shanghai" }).format(new Date()),
  );
  await expect(letter).toContainText("如有疑问，请联系：宜欣花园物业服务中心 0512-6888 0000");
  // This build runs on a local address (ALLOW_LOCAL_APP_URL=1): the page says the links are a development one.
  await expect(page.getByRole("status").filter({ hasText: "这是开发环境的网址" })).toBeVisible();
  const code = (await letter.getByTestId("claim-code").textContent())!;
  const qr = letter.getByRole("img", { name: /^认领页面二维码：/ });
  await expect(qr.locator("svg")).toBeVisible();
  const qrUrl = (await qr.getAttribute("data-url"))!;
  expect(qrUrl).toBe(`${new URL(page.url()).origin}/claim?code=${code}`);
  await expect(qr).toHaveAttribute("aria-label", `认领页面二维码：${qrUrl}`);

  // The owner's phone opens the QR code's link: not logged in, so log in or sign up first.
  const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const owner = await context.newPage();
  await owner.goto(qrUrl);
  await expect(owner).toHaveURL(/\/login\?redirectTo=/);
  await owner.getByRole("link", { name: "注册", exact: true }).click();
  await expect(owner).toHaveURL(/\/signup\?redirectTo=/);
  await owner.getByRole("link", { name: "邮箱注册" }).click();
  await expect(owner).toHaveURL(/by=email/);
  const email = `qr-${Date.now()}@example.com`;
  await owner.getByLabel("邮箱", { exact: true }).fill(email);
  await owner.getByLabel("称呼").fill("扫码业主");
  await owner.getByLabel("密码（至少 8 位）").fill("a long enough password");
  await owner.getByLabel("再次输入密码").fill("a long enough password");
  await owner.getByRole("button", { name: "注册" }).click();
  await expect(owner).toHaveURL(/\/login\?signedUp=1/);
  await owner.getByLabel("邮箱或手机号").fill(email);
  await owner.getByLabel("密码", { exact: true }).fill("a long enough password");
  await owner.getByRole("button", { name: "登录", exact: true }).click();

  // Back on the claim page the letter opened, the code filled in; nothing was sent for them.
  await expect(owner).toHaveURL(`/claim?code=${code}`);
  await expect(owner.getByLabel("认领码", { exact: true })).toHaveValue(code);
  await expect(owner.getByRole("status").filter({ hasText: "认领码已按认领函上的二维码填好" })).toBeVisible();
  await expect(owner.getByText("暂无认领申请")).toBeVisible();
  await claimWithCode(owner, unit);
  await expect(owner).toHaveURL("/e/yixin/units");
  await expect(owner.getByRole("article", { name: `${unit.building} ${unit.number}` })).toBeVisible();
  await context.close();
});
