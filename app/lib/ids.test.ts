import { describe, expect, it } from "vitest";
import { isUuid, uuidSchema } from "./ids";

describe("ids", () => {
  it("takes a UUID in either case and nothing else", () => {
    expect(isUuid("0190a6f2-3b1c-7d4e-8f00-123456789abc")).toBe(true);
    expect(isUuid("0190A6F2-3B1C-7D4E-8F00-123456789ABC")).toBe(true);
    for (const bad of [
      "",
      "0190a6f2-3b1c-7d4e-8f00-123456789ab",
      "0190a6f2-3b1c-7d4e-8f00-123456789abcd",
      "0190a6f2x3b1c-7d4e-8f00-123456789abc",
      "g190a6f2-3b1c-7d4e-8f00-123456789abc",
      " 0190a6f2-3b1c-7d4e-8f00-123456789abc",
      "1' or '1'='1",
      undefined,
      null,
      42,
    ]) {
      expect(isUuid(bad), String(bad)).toBe(false);
    }
  });

  it("the schema agrees with the check", () => {
    expect(uuidSchema.safeParse("0190a6f2-3b1c-7d4e-8f00-123456789abc").success).toBe(true);
    expect(uuidSchema.safeParse("nope").success).toBe(false);
  });
});
