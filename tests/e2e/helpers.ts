import { devices, expect, type Browser, type Page } from "@playwright/test";
import { standinsOfRun } from "../standins/read";
import { withE2eDb } from "./db";

export const demoPassword = "yishitang-demo";

/** Logs in through the form, as a person would. */
export async function logIn(page: Page, email: string, password = demoPassword) {
  await page.goto("/login");
  // On a phone the code tab comes first; these people log in with a password.
  await page.getByRole("link", { name: /^密码登录$|^Log in with a password$/ }).click();
  await expect(page).toHaveURL(/by=password/);
  await page.getByLabel(/邮箱或手机号|Email or mobile/).fill(email);
  await page.getByLabel(/^密码$|^Password$/).fill(password);
  await page.getByRole("button", { name: /^登录$|^Log in$/ }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/**
 * A staff member's browser: an office computer's, whatever device the journey's owner uses (a
 * context made in a test takes the test's options, a WeChat user agent included).
 */
function officeBrowser(browser: Browser) {
  return browser.newContext({
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    userAgent: devices["Desktop Chrome"].userAgent,
    viewport: { width: 1280, height: 800 },
    isMobile: false,
    hasTouch: false,
  });
}

/** The WeChat Pay stand-in of this run (tests/standins/wechatpay.ts). */
export const wechatPayStandin = () => standinsOfRun().info.wechatpay as { url: string; subMchid: string };

/**
 * The community admin turns WeChat Pay on (with the stand-in's sub_mchid) or off for 宜欣花园 on
 * the payment settings page; a journey that turns it on turns it off at its end, so the journeys
 * after it see the estate as they expect.
 */
export async function setWechatPay(browser: Browser, on: boolean) {
  const context = await officeBrowser(browser);
  const admin = await context.newPage();
  await logIn(admin, "community@demo.yishitang.cn");
  await admin.goto("/e/yixin/payments/settings");
  await expect(admin.getByRole("heading", { name: "收款方式", level: 1 })).toBeVisible();
  await admin.waitForFunction(
    () => document.querySelector<HTMLFormElement>("form#payment-wechatpay")?.noValidate === true,
  );
  const form = admin.locator("form#payment-wechatpay");
  if (on) {
    await form.getByLabel("子商户号（sub_mchid）").fill(wechatPayStandin().subMchid);
    await form.getByLabel("向业主提供").check();
  } else await form.getByLabel("向业主提供").uncheck();
  await form.getByRole("button", { name: "保存" }).click();
  await expect(admin.getByText("收款方式已保存")).toBeVisible();
  const offered = admin.locator("form#payment-wechatpay").getByLabel("向业主提供");
  await (on ? expect(offered).toBeChecked() : expect(offered).not.toBeChecked());
  await context.close();
}

/** The payer scans the QR code and pays: the stand-in marks the newest order (its list is newest first) paid and sends the signed callback. */
export async function payNewestWechatOrder() {
  const orders = (await (await fetch(`${wechatPayStandin().url}/_orders`)).json()) as { out_trade_no: string }[];
  const paid = await fetch(`${wechatPayStandin().url}/_pay`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ out_trade_no: orders[0].out_trade_no }),
  });
  expect(((await paid.json()) as { status: number }).status).toBe(204);
}

/** An unclaimed unit of a 宜欣花园 building with one owner on the roster and an unpaid property bill (its oldest). */
export async function unclaimedUnitWithBill(building: string) {
  return withE2eDb(async (sql) => {
    const [row] = await sql<
      { id: string; building: string; number: string; owner: string; period: string; amount_fen: number }[]
    >`
      select u.id, b.name as building, u.number, min(o.name) as owner, bill.period_key as period, bill.amount_fen
      from unit u
      join building b on b.id = u.building_id
      join estate e on e.id = u.estate_id
      join ownership os on os.unit_id = u.id
      join owner o on o.id = os.owner_id
      join lateral (
        select bl.period_key, bl.amount_fen from bill bl
        where bl.unit_id = u.id and bl.status = 'unpaid' and bl.charge = 'property'
        order by bl.period_key limit 1
      ) bill on true
      where e.slug = 'yixin' and not u.developer_unsold and b.name = ${building}
      group by u.id, b.name, u.number, bill.period_key, bill.amount_fen
      having count(*) = 1 and bool_and(o.user_id is null)
      order by u.number
      limit 1`;
    return row;
  });
}

/** Staff open a unit's claim letter: its claim code and the link its QR code holds. */
export async function claimLetter(browser: Browser, unit: { id: string; building: string; number: string }) {
  const context = await officeBrowser(browser);
  const staff = await context.newPage();
  await logIn(staff, "community@demo.yishitang.cn");
  await staff.goto(`/e/yixin/roster/letters?unit=${unit.id}`);
  const letter = staff.getByRole("article", { name: `${unit.building} ${unit.number}` });
  const code = (await letter.getByTestId("claim-code").textContent())!;
  const qrUrl = (await letter.getByRole("img", { name: /^认领页面二维码：/ }).getAttribute("data-url"))!;
  await context.close();
  return { code, qrUrl };
}

export type Sms = { phone: string; templateCode: string; params: Record<string, string>; at: string };

/** The SMS of one template (app/sms/templates.ts) the Alibaba Cloud stand-in received for a number since `after`. */
export async function smsSince(phone: string, template: string, after: number): Promise<Sms[]> {
  const sms = standinsOfRun().info["aliyun-sms"] as { inbox: string; templates: Record<string, string> };
  const all = (await (await fetch(`${sms.inbox}?phone=${phone}`)).json()) as Sms[];
  return all.filter((m) => m.templateCode === sms.templates[template] && Date.parse(m.at) >= after);
}

/** On the claim page (the letter's code already filled in), the owner claims the unit by the name on the roster. */
export async function claimWithCode(page: Page, unit: { building: string; number: string; owner: string }) {
  await page.getByLabel("登记姓名", { exact: true }).fill(unit.owner);
  await page.getByRole("button", { name: "认领", exact: true }).click();
  await expect(
    page.getByRole("status").filter({ hasText: `认领成功：宜欣花园 ${unit.building} ${unit.number}` }),
  ).toBeVisible();
}
