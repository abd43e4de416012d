import { describe, expect, it } from "vitest";
import { safeRedirect } from "./safe-redirect";

describe("safeRedirect (finding: open redirect after login through a tab in the path)", () => {
  it.each([
    ["/", "/"],
    ["/e/yixin", "/e/yixin"],
    ["/e/yixin/proposals?tab=open#vote", "/e/yixin/proposals?tab=open#vote"],
    ["/invite/abc%20def", "/invite/abc%20def"],
    ["/e/./yixin/../yixin", "/e/yixin"],
  ])("keeps a path on this site: %j", (to, expected) => {
    expect(safeRedirect(to)).toBe(expected);
  });

  it.each([
    // The reported one: a tab after the first slash, which browsers drop.
    "/\t/127.0.0.1:9/pwned",
    "/%09/evil.example",
    "\t//evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\r\n/evil.example",
    "/\u0000",
    "/\u0000/evil.example",
    "/\u007f/evil.example",
    "/\u0085/evil.example",
    "/%0a/evil.example",
    "/%0D%0A/evil.example",
    "/%00",
    "//evil.example",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "\\/evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%252F%252Fevil.example/%E0%A4%A",
    "/..//evil.example",
    "/.//evil.example",
    "/./\\evil.example",
    "https://evil.example",
    "http:evil.example",
    "HTTPS://evil.example/",
    "//evil.example@yishitang.invalid",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    " /e/yixin",
    "",
    "/%",
    "/" + "a".repeat(3000),
  ])("refuses %j", (to) => {
    expect(safeRedirect(to)).toBe("/");
  });

  it("refuses what is not a string, and uses the fallback given", () => {
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect(new File([], "x"))).toBe("/");
    expect(safeRedirect("//evil.example", "/settings")).toBe("/settings");
  });

  it("never returns a value a browser would resolve off the site", () => {
    const site = "https://yishitang.example";
    const tries = [
      "/\t/evil",
      "/..//evil",
      "/%2e%2e//evil",
      "/%2e/%2fevil",
      "/a/../..//evil",
      "/;//evil",
      "/\u2028//evil",
      "/%E3%80%82/evil",
    ];
    for (const to of tries) {
      const out = safeRedirect(to);
      // What a browser does with a Location: strips tabs and newlines, reads \ as /.
      const asBrowser = new URL(out.replace(/[\t\n\r]/g, "").replace(/\\/g, "/"), site);
      expect(asBrowser.origin, to).toBe(site);
    }
  });
});
