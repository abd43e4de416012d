import { PassThrough } from "node:stream";
import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";

/** The page as the server streams it, as bytes. */
function streamed(texts: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const body = new PassThrough();
    const chunks: Buffer[] = [];
    body.on("data", (c: Buffer) => chunks.push(c));
    body.on("end", () => resolve(Buffer.concat(chunks)));
    const { pipe } = renderToPipeableStream(
      createElement(
        "div",
        null,
        texts.map((text, i) => createElement("p", { key: i }, text)),
      ),
      {
        onAllReady: () => pipe(body),
        onError: reject,
      },
    );
  });
}

describe("the streaming renderer (scripts/patch-react-dom.mjs)", () => {
  it("sends Chinese text whole across its 2048-byte views: no NUL byte where a character meets the boundary", async () => {
    // Short texts go through the view (long ones are sent on their own): many paragraphs of
    // 3-byte characters, shifted by a byte or two, so that some character meets the boundary.
    for (const lead of ["", "a", "ab"]) {
      const texts = Array.from({ length: 300 }, () => `${lead}表决无效`);
      const bytes = await streamed(texts);
      expect(bytes.includes(0), `lead ${JSON.stringify(lead)}`).toBe(false);
      expect(bytes.toString("utf8")).toBe(`<div>${texts.map((t) => `<p>${t}</p>`).join("")}</div>`);
    }
  });
});
