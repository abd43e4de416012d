import { describe, expect, it } from "vitest";
import { parseShanghaiLocal, percent, toShanghaiLocal } from "./dates";

describe("Beijing-time inputs", () => {
  it("read a datetime-local value as Asia/Shanghai time and back", () => {
    const d = parseShanghaiLocal("2026-12-01T09:30")!;
    expect(d.toISOString()).toBe("2026-12-01T01:30:00.000Z");
    expect(toShanghaiLocal(d)).toBe("2026-12-01T09:30");
    expect(parseShanghaiLocal("2026-12-01T00:10:05")!.toISOString()).toBe("2026-11-30T16:10:05.000Z");
  });

  it("refuse malformed and impossible dates", () => {
    expect(parseShanghaiLocal("2026-02-30T10:00")).toBeNull();
    expect(parseShanghaiLocal("2026-12-01 10:00")).toBeNull();
    expect(parseShanghaiLocal("2026-12-01T24:00")).toBeNull();
    expect(parseShanghaiLocal("")).toBeNull();
  });
});

describe("percent", () => {
  it("truncates, so 2/3 shows as 66.66 and never rounds up over a threshold", () => {
    expect(percent(2, 3)).toBe("66.66");
    expect(percent(1, 2)).toBe("50.00");
    expect(percent(0, 0)).toBe("0.00");
    expect(percent(3, 3)).toBe("100.00");
  });
});
