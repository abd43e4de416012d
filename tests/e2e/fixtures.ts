import { test as base, expect } from "@playwright/test";

/**
 * Every browser test fails on a console error or an uncaught page error (a CSP violation, a
 * hydration mismatch, a failed fetch), so a page that looks right but is broken does not pass.
 */
export const test = base.extend<{ failOnConsoleErrors: void }>({
  failOnConsoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (msg) => {
        // A 4xx that the test itself asked for is logged by Chromium as a failed resource load.
        if (msg.type() === "error" && !/status of (403|404|409|410|422|429)/.test(msg.text())) errors.push(msg.text());
      });
      page.on("pageerror", (err) => errors.push(err.message));
      await use();
      expect(errors, "console errors on the page").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
