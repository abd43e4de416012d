import { describe, expect, it } from "vitest";
import { composeMail, noticeSummary } from "~/notify/compose.server";
import { templates, type TemplateName } from "~/notify/templates.server";

const settings = {
  appUrl: "https://yst.example.org",
  secret: "a-secret-of-sufficient-length",
  from: "议事堂 <noreply@yst.example.org>",
};

/** Each template's preview props, as stored in the outbox. */
function storedSample(name: TemplateName): unknown {
  if (name === "password-reset") return { resetId: "5f1d2c3b-0000-4000-8000-000000000001" };
  const { ctx: _ctx, ...props } = (
    templates[name].template.Component as unknown as { PreviewProps: Record<string, unknown> }
  ).PreviewProps;
  return props;
}

describe("every template", () => {
  for (const name of Object.keys(templates) as TemplateName[]) {
    for (const locale of ["zh-CN", "en"] as const) {
      it(`${name} renders in ${locale} with a preheader, a plain-text part and an absolute link back`, async () => {
        const entry = templates[name];
        const mail = await composeMail(
          {
            id: "9a1d2c3b-0000-4000-8000-000000000002",
            template: name,
            props: storedSample(name),
            category: entry.template.category,
            userId: "0b7d1c52-8a57-4b8e-9a43-3f1d2a0e9c11",
            email: "owner@example.org",
            displayName: locale === "en" ? "Mei Chen" : "李建国",
            locale,
            estateName: entry.scope === "estate" ? "宜欣花园" : null,
          },
          settings,
        );
        expect(mail.subject.length).toBeGreaterThan(5);
        expect(mail.html).toMatch(new RegExp(`<html[^>]* lang="${locale}"`));
        // The preheader: hidden text at the top of the body.
        expect(mail.html).toMatch(/<div[^>]*data-skip-in-text="true"[^>]*>/);
        expect(mail.text).toContain(locale === "en" ? "Dear Mei Chen," : "李建国，您好：");
        expect(mail.text).toMatch(/https:\/\/yst\.example\.org\/\S+/);
        if (entry.scope === "estate") {
          expect(mail.subject).toContain("宜欣花园");
          expect(mail.text).toContain("宜欣花园");
          expect(mail.headers["List-Unsubscribe"]).toMatch(
            /^<https:\/\/yst\.example\.org\/unsubscribe\/one-click\/.+>$/,
          );
          expect(mail.text).toContain(locale === "en" ? "Unsubscribe" : "不再接收此类邮件");
        } else {
          expect(mail.headers["List-Unsubscribe"]).toBeUndefined();
          expect(mail.text).toContain(locale === "en" ? "always sent" : "无法退订");
        }
        // Chinese in a Chinese mail, none in the English frame.
        const frame = mail.text.replace(
          /宜欣花园|李建国|续聘苏州宜居物业服务有限公司|第三次业委会会议|1幢 101|3幢电梯异响|维修师傅已于今天下午更换导靴，请您试乘后确认。|维修资金第3笔支出是哪部电梯？|3幢1单元电梯，见业主大会第5号决议。/g,
          "",
        );
        expect(/[\u4e00-\u9fff]/.test(frame)).toBe(locale === "zh-CN");
      });
    }
  }

  it("gives the in-app notice the mail's subject and link", () => {
    const summary = noticeSummary(
      { template: "vote-opened", props: storedSample("vote-opened"), category: "votes", estateName: "宜欣花园" },
      "zh-CN",
      settings,
    );
    expect(summary).toEqual({
      title: "【宜欣花园】投票开始：续聘苏州宜居物业服务有限公司",
      path: "/e/yixin/votes/sample",
    });
    expect(
      noticeSummary({ template: "gone", props: {}, category: "votes", estateName: null }, "en", settings),
    ).toBeNull();
  });

  it("refuses a link that leaves the site", async () => {
    await expect(
      composeMail(
        {
          id: "9a1d2c3b-0000-4000-8000-000000000003",
          template: "vote-opened",
          props: { proposalTitle: "x", closesAt: "2026-01-01T00:00:00Z", path: "//evil.example/x" },
          category: "votes",
          userId: "0b7d1c52-8a57-4b8e-9a43-3f1d2a0e9c11",
          email: "a@b.c",
          displayName: "x",
          locale: "zh-CN",
          estateName: "x",
        },
        settings,
      ),
    ).rejects.toThrow("not a site path");
  });
});

describe("one event to many people", () => {
  it("gives each recipient their own name (escaped in HTML) and their own unsubscribe link", async () => {
    const base = {
      template: "vote-opened",
      props: storedSample("vote-opened"),
      category: "votes" as const,
      locale: "zh-CN",
      estateName: "宜欣花园",
    };
    const first = await composeMail(
      {
        ...base,
        id: "9a1d2c3b-0000-4000-8000-00000000000a",
        userId: "0b7d1c52-8a57-4b8e-9a43-3f1d2a0e9c11",
        email: "a@x.org",
        displayName: "<b>张&三</b>",
      },
      settings,
    );
    const second = await composeMail(
      {
        ...base,
        id: "9a1d2c3b-0000-4000-8000-00000000000b",
        userId: "0b7d1c52-8a57-4b8e-9a43-3f1d2a0e9c12",
        email: "b@x.org",
        displayName: "李四",
      },
      settings,
    );
    expect(first.html).toContain("&lt;b&gt;张&amp;三&lt;/b&gt;，您好：");
    expect(first.html).not.toContain("<b>张");
    expect(first.text).toContain("<b>张&三</b>，您好：");
    expect(second.text).toContain("李四，您好：");
    expect(second.text).not.toContain("张");
    const link = (mail: typeof first) =>
      /<(.+)>/.exec(mail.headers["List-Unsubscribe"])![1].replace("/one-click/", "/");
    expect(link(first)).not.toBe(link(second));
    expect(first.html).toContain(`href="${link(first)}"`);
    expect(second.html).toContain(`href="${link(second)}"`);
    expect(second.html).not.toContain(link(first));
    expect(first.html).not.toContain("__YST_");
    expect(second.text).not.toContain("__YST_");
  });
});
