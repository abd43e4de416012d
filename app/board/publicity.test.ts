import { describe, expect, it } from "vitest";
import { lastPublicityDay, longBeijingDate, publicityState } from "./publicity";

describe("publicity", () => {
  it("names the last day of a period ending at 24:00 Beijing", () => {
    expect(lastPublicityDay(new Date("2026-11-16T16:00:00Z"))).toBe("2026-11-16");
  });

  it("runs until its end, exclusive", () => {
    const end = new Date("2026-11-16T16:00:00Z");
    expect(publicityState(end, new Date("2026-11-16T15:59:59Z"))).toBe("running");
    expect(publicityState(end, end)).toBe("over");
    expect(publicityState(null, end)).toBe("none");
  });

  it("prints a Beijing date in the reader's language", () => {
    expect(longBeijingDate("2026-11-16", "zh-CN")).toBe("2026年11月16日");
    expect(longBeijingDate("2026-11-16", "en")).toBe("November 16, 2026");
  });
});
