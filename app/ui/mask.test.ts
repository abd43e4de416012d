import { describe, expect, it } from "vitest";
import { deletedUserName, formatArea, maskName, maskPhone } from "./mask";

describe("masking", () => {
  it("keeps the first character of a name only", () => {
    expect(maskName("张三丰")).toBe("张**");
    expect(maskName("李四")).toBe("李*");
    expect(maskName("王")).toBe("王*");
    expect(maskName("  Alice ")).toBe("A****");
    expect(maskName("𠀀二")).toBe("𠀀*");
  });
  it("leaves a deleted account's placeholder readable: it names nobody", () => {
    expect(maskName(deletedUserName)).toBe("已注销用户");
  });
  it("shows only the ends of a phone number", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
    expect(maskPhone("12345")).toBe("*****");
  });
  it("formats hundredths of m² exactly", () => {
    expect(formatArea(12345)).toBe("123.45");
    expect(formatArea(100)).toBe("1.00");
    expect(formatArea(7)).toBe("0.07");
  });
});
