import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatFen, maxAmountFen, parseYuan, yuanInputPattern } from "./money";

const fen = (text: string, maxFen?: number) => {
  const r = parseYuan(text, { maxFen });
  return r.ok ? r.fen : r.error;
};

describe("money: one grammar for yuan typed by people", () => {
  it("reads whole yuan, one or two decimals, ¥ and thousands commas into integer fen", () => {
    expect(fen("12")).toBe(1200);
    expect(fen("12.3")).toBe(1230);
    expect(fen("12.34")).toBe(1234);
    expect(fen("0.1")).toBe(10);
    expect(fen("0.29")).toBe(29); // 0.29 * 100 is 28.999… as a float
    expect(fen("1.85")).toBe(185);
    expect(fen(" 12.05 ")).toBe(1205);
    expect(fen("¥12")).toBe(1200);
    expect(fen("￥ 12")).toBe(1200);
    expect(fen("1,234.5")).toBe(123_450);
    expect(fen("1,234,567.89")).toBe(123_456_789);
    expect(fen("152300.00")).toBe(15_230_000);
    expect(fen("0")).toBe(0);
    expect(fen("007")).toBe(700);
  });

  it("refuses what is not an amount, each with a clear reason", () => {
    expect(fen("")).toBe("common.money.empty");
    expect(fen("   ")).toBe("common.money.empty");
    expect(fen("¥")).toBe("common.money.empty");
    expect(fen("-1")).toBe("common.money.negative");
    expect(fen("¥-1")).toBe("common.money.negative");
    expect(fen("1.234")).toBe("common.money.decimals");
    expect(fen("1.855")).toBe("common.money.decimals");
    for (const bad of [
      "abc",
      "1e3",
      "1.2.3",
      "１２",
      "12.",
      ".5",
      "1,23",
      "12,3456",
      "1 234",
      "1，234",
      "+1",
      "0x10",
      "Infinity",
      "NaN",
    ]) {
      expect(fen(bad), bad).toBe("common.money.invalid");
    }
  });

  it("refuses an amount over the ceiling, the platform's or the caller's", () => {
    expect(fen("1,000,000,000.00")).toBe(maxAmountFen);
    expect(fen("1000000000.01")).toBe("common.money.tooLarge");
    expect(fen("99999999999999999999999")).toBe("common.money.tooLarge");
    expect(fen("100000", 10_000_000)).toBe(10_000_000);
    expect(fen("100000.01", 10_000_000)).toBe("common.money.tooLarge");
  });

  it("writes fen as yuan with thousands commas and two decimals", () => {
    expect(formatFen(123_456)).toBe("1,234.56");
    expect(formatFen(123_456_789)).toBe("1,234,567.89");
    expect(formatFen(5)).toBe("0.05");
    expect(formatFen(0)).toBe("0.00");
    expect(formatFen(28_350)).toBe("283.50");
    expect(formatFen(-5)).toBe("-0.05");
    expect(formatFen(-250)).toBe("-2.50");
    expect(formatFen(maxAmountFen)).toBe("1,000,000,000.00");
  });

  it("reads back what it writes, for every amount up to the ceiling", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(maxAmountFen) }).map(Number), (n) => fen(formatFen(n)) === n),
    );
  });
});

describe("the browser's pattern", () => {
  it("takes what the parser takes (the browser anchors it and uses the v flag)", () => {
    const browser = new RegExp(`^(?:${yuanInputPattern})$`, "v");
    for (const good of ["12", "12.3", "12.34", "¥12", "￥ 1,234.56"]) expect(browser.test(good), good).toBe(true);
    for (const bad of ["", "-1", "abc", "1e3", "12."]) expect(browser.test(bad), bad).toBe(false);
  });
});
