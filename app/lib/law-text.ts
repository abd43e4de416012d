import type { TFunction } from "i18next";
import type { Threshold } from "./law";

const numeralKeys = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

function numeral(t: TFunction, n: number): string {
  return (numeralKeys as readonly number[]).includes(n)
    ? t(`law.numerals.n${n as (typeof numeralKeys)[number]}`)
    : String(n);
}

/**
 * A threshold in words, from the table (app/lib/law.ts): "四分之三以上" / "at least 3/4",
 * "过半数" / "more than half". Pages write the law's fractions only through this.
 */
export function shareText(t: TFunction, threshold: Threshold): string {
  if (threshold.num * 2 === threshold.den)
    return t(threshold.inclusive ? "law.share.atLeastHalf" : "law.share.moreThanHalf");
  return t(threshold.inclusive ? "law.share.atLeast" : "law.share.moreThan", {
    num: numeral(t, threshold.num),
    den: numeral(t, threshold.den),
  });
}
