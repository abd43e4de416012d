import { describe, expect, it } from "vitest";
import { percent } from "./percent";

describe("percent", () => {
  it("truncates, so 2/3 shows as 66.66 and never rounds up over a threshold", () => {
    expect(percent(2, 3)).toBe("66.66");
    expect(percent(1, 2)).toBe("50.00");
    expect(percent(0, 0)).toBe("0.00");
    expect(percent(3, 3)).toBe("100.00");
  });
});
