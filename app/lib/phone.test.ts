import { describe, expect, it } from "vitest";
import { normalisePhone } from "./phone";

describe("normalisePhone", () => {
  it("keeps digits and drops China's prefix from a mobile number", () => {
    expect(normalisePhone("+86 139-1234-5678")).toBe("13912345678");
    expect(normalisePhone("8613912345678")).toBe("13912345678");
    expect(normalisePhone("0086 139 1234 5678")).toBe("13912345678");
    expect(normalisePhone("１３９１２３４５６７８")).toBe("13912345678");
    expect(normalisePhone("0512-66668888")).toBe("051266668888");
  });
  it("is null for what is not a phone number", () => {
    expect(normalisePhone("call me")).toBeNull();
    expect(normalisePhone("1234")).toBeNull();
    expect(normalisePhone("139 1234 567x")).toBeNull();
  });
});
