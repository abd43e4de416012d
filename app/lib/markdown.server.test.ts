import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown.server";

describe("Markdown from people (proposals, minutes)", () => {
  it("renders headings, lists and tables", () => {
    const html = renderMarkdown(
      "# 会议纪要\n\n- 出席：7 人\n- 缺席：2 人\n\n| 议题 | 结果 |\n|---|---|\n| 续聘 | 通过 |",
    );
    expect(html).toContain("<h2>会议纪要</h2>");
    expect(html).toContain("<li>出席：7 人</li>");
    expect(html).toContain("<td>通过</td>");
  });

  it("removes scripts, event handlers, images, styles and javascript links", () => {
    const html = renderMarkdown(
      '<script>alert(1)</script><img src=x onerror="alert(2)"><p style="color:red" onclick="alert(3)">hi</p>[x](javascript:alert(4)) <iframe src="https://evil.example"></iframe>',
    );
    expect(html).not.toMatch(/<script|onerror|onclick|<img|style=|href="javascript:|iframe/i);
    expect(html).toContain("hi");
  });

  it("opens links safely", () => {
    expect(renderMarkdown("[合同](https://example.org/c.pdf)").trim()).toBe(
      '<p><a href="https://example.org/c.pdf" rel="noopener noreferrer nofollow" target="_blank">合同</a></p>',
    );
  });

  it("overwrites the rel and target an author writes", () => {
    expect(renderMarkdown('<a href="https://example.org" rel="opener" target="_self">x</a>').trim()).toBe(
      '<p><a href="https://example.org" rel="noopener noreferrer nofollow" target="_blank">x</a></p>',
    );
  });
});
