import { describe, expect, it } from "vitest";
import { alipayMaxFen, fenToYuan, tryYuanToFen, yuanToFen } from "./alipay-amount";

describe("Alipay amounts: fen ↔ yuan strings, exactly", () => {
  it("writes fen as yuan with two decimals", () => {
    expect(fenToYuan(1)).toBe("0.01");
    expect(fenToYuan(10)).toBe("0.10");
    expect(fenToYuan(0)).toBe("0.00");
    expect(fenToYuan(99)).toBe("0.99");
    expect(fenToYuan(100)).toBe("1.00");
    expect(fenToYuan(10_000)).toBe("100.00");
    expect(fenToYuan(123_450)).toBe("1234.50");
    expect(fenToYuan(9_999_999_999)).toBe("99999999.99");
    expect(fenToYuan(alipayMaxFen)).toBe("100000000.00");
  });

  it("refuses fractions of a fen, negatives and unsafe integers", () => {
    expect(() => fenToYuan(0.5)).toThrow(RangeError);
    expect(() => fenToYuan(-1)).toThrow(RangeError);
    expect(() => fenToYuan(Number.NaN)).toThrow(RangeError);
    expect(() => fenToYuan(2 ** 53)).toThrow(RangeError);
  });

  it("reads yuan strings at the boundaries into integer fen", () => {
    expect(yuanToFen("0.01")).toBe(1);
    expect(yuanToFen("0.1")).toBe(10);
    expect(yuanToFen("0.10")).toBe(10);
    expect(yuanToFen("100")).toBe(10_000);
    expect(yuanToFen("100.00")).toBe(10_000);
    expect(yuanToFen("1234.5")).toBe(123_450);
    expect(yuanToFen("99999999.99")).toBe(9_999_999_999);
    expect(yuanToFen("100000000.00")).toBe(alipayMaxFen);
    expect(yuanToFen("0")).toBe(0);
    // The classic float trap: 0.1 + 0.2 and 1.005 * 100 are not what they look like.
    expect(yuanToFen("0.29")).toBe(29);
    expect(yuanToFen("1.15")).toBe(115);
    expect(yuanToFen("4.35")).toBe(435);
  });

  it("round-trips every fen value near the edges", () => {
    for (const fen of [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 9_999_999_998, 9_999_999_999])
      expect(yuanToFen(fenToYuan(fen))).toBe(fen);
    for (let fen = 0; fen < 2000; fen++) expect(yuanToFen(fenToYuan(fen))).toBe(fen);
  });

  it("refuses anything that is not an exact amount", () => {
    for (const bad of [
      "0.001",
      "1.234",
      "-1",
      "-0.01",
      "+1",
      "1e2",
      "1E2",
      "1.0e1",
      "",
      " 1",
      "1 ",
      "1.",
      ".5",
      "01",
      "00.01",
      "1,000",
      "¥1",
      "NaN",
      "Infinity",
      "0x10",
      "１",
      "100000000000",
    ])
      expect(() => yuanToFen(bad), bad).toThrow(RangeError);
    expect(() => yuanToFen(1 as unknown as string)).toThrow(RangeError);
    expect(tryYuanToFen("1.234")).toBeNull();
    expect(tryYuanToFen(undefined)).toBeNull();
    expect(tryYuanToFen("12.30")).toBe(1230);
  });
});
