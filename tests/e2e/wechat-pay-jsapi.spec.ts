import { standinsOfRun } from "../standins/read";
import { canMoveTime } from "./db";
import { expect, test } from "./fixtures";
import {
  claimLetter,
  claimWithCode,
  payNewestWechatOrder,
  setWechatPay,
  smsSince,
  unclaimedUnitWithBill,
} from "./helpers";

// Inside WeChat, end to end: an owner opens the claim letter's link in WeChat's browser, is known
// by the official account (web authorisation against the local stand-in), binds by SMS code,
// claims the unit, pays a bill with WeChat Pay JSAPI and gets the receipt as a WeChat template
// message. WeChat's client is the one thing a browser test cannot run: the page's
// WeixinJSBridge is played by the test, which pays the order at the WeChat Pay stand-in the way
// the client would after the owner confirms.
const wechatUa =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322f) NetType/WIFI Language/zh_CN";
test.use({ userAgent: wechatUa });
test.skip(!canMoveTime, "reads the unit to claim from the e2e database (PostgreSQL only)");

type TemplateMessage = { touser: string; template_id: string; data: Record<string, { value: string }> };

test("inside WeChat: bind by SMS code, claim from the letter, pay with WeChat Pay JSAPI, receipt as a template message", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const wx = standinsOfRun().info["wechat-oa"] as { url: string; inbox: string };
  const openid = `o_jsapi_${Date.now()}`;
  const phone = `135${String(Date.now()).slice(-8)}`;
  const unit = await unclaimedUnitWithBill("9幢");
  expect(unit, "an unclaimed 9幢 unit with an unpaid bill").toBeTruthy();
  await setWechatPay(browser, true);
  const { code, qrUrl } = await claimLetter(browser, unit);

  // WeChat's client: the bridge the page calls to pay. It asks for the payment the page prepared
  // (prepay_id) and, once the stand-in has taken it, answers as WeChat does.
  const asked: Record<string, string>[] = [];
  await page.exposeFunction("payInWechat", async (params: Record<string, string>) => {
    asked.push(params);
    await payNewestWechatOrder();
  });
  await page.addInitScript(() => {
    const pay = (window as unknown as { payInWechat: (p: unknown) => Promise<void> }).payInWechat;
    (window as unknown as { WeixinJSBridge: unknown }).WeixinJSBridge = {
      invoke(name: string, params: unknown, done: (res: { err_msg: string }) => void) {
        if (name !== "getBrandWCPayRequest") return done({ err_msg: `${name}:fail` });
        void pay(params).then(() => done({ err_msg: "get_brand_wcpay_request:ok" }));
      },
    };
  });
  await page.context().addCookies([{ name: "wx_openid", value: openid, url: wx.url }]);

  // The letter's link, opened in WeChat: silently through the official account, then bind by code.
  await page.goto(qrUrl);
  await expect(page).toHaveURL(/\/wechat\/bind(#wechat_redirect)?$/);
  await page.getByLabel("手机号").fill(phone);
  const sent = Date.now() - 1000;
  await page.getByRole("button", { name: "获取验证码" }).click();
  let smsCode = "";
  await expect
    .poll(async () => (smsCode = (await smsSince(phone, "code", sent)).at(-1)?.params.code ?? ""))
    .toMatch(/^\d{6}$/);
  await page.getByLabel("短信验证码").fill(smsCode);
  await page.getByLabel("称呼（新账号使用）").fill("微信里的李阿姨");
  await page.getByRole("button", { name: "验证并绑定" }).click();

  // Back on the claim page the letter opened.
  await expect(page).toHaveURL(new RegExp(`/claim\\?code=${code}(#wechat_redirect)?$`));
  await claimWithCode(page, unit);

  // Inside WeChat the bills page offers WeChat Pay, and not Alipay (WeChat blocks its pages).
  await page.goto("/e/yixin/bills");
  await page.waitForFunction(() => document.querySelector<HTMLFormElement>("form#pay-bills")?.noValidate === true);
  await expect(page.getByLabel("微信支付", { exact: true })).toBeVisible();
  await expect(page.getByLabel(/支付宝/)).toHaveCount(0);
  await page.getByLabel(`选择 ${unit.building} ${unit.number} ${unit.period} 物业服务费`).check();
  await page.getByLabel("微信支付", { exact: true }).check();
  await page.getByRole("button", { name: "支付所选账单" }).click();

  // The page hands the payment to WeChat (JSAPI, signed for this WeChat user), then shows it paid.
  await expect(page.getByRole("status").filter({ hasText: "支付成功" })).toBeVisible({ timeout: 20_000 });
  expect(asked).toHaveLength(1);
  expect(asked[0]).toMatchObject({ signType: "RSA" });
  expect(asked[0].package).toMatch(/^prepay_id=/);

  // The receipt reaches the owner as a template message from the official account.
  let received: TemplateMessage[] = [];
  await expect
    .poll(
      async () => {
        const all = (await (await fetch(wx.inbox)).json()) as TemplateMessage[];
        received = all.filter((m) => m.touser === openid);
        return received.length;
      },
      { timeout: 30_000 },
    )
    .toBe(1);
  expect(received[0].template_id).toBe("TPL_payment_receipt");

  await setWechatPay(browser, false);
});
