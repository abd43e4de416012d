import { describe, expect, it } from "vitest";
import { feeCharges } from "#db/schema/fees";
import { unitKind } from "#db/schema/places";
import { chargeBasis, rateLines } from "./kinds";
import { fees } from "./fees.messages";

describe("rate lines", () => {
  it("bill every charge of the schema on one basis, each line once, with a name and a field label in both languages", () => {
    expect(Object.keys(chargeBasis).sort()).toEqual([...feeCharges].sort());
    for (const line of rateLines) {
      expect(chargeBasis[line.charge], line.id).toBe(line.basis);
      expect(unitKind.enumValues).toContain(line.unitKind);
      for (const locale of ["zh-CN", "en"] as const) {
        expect(fees[locale].charges[line.charge], `${locale} ${line.charge}`).toBeTruthy();
        expect(fees[locale].settings.rates[line.id], `${locale} ${line.id}`).toBeTruthy();
      }
    }
    expect(new Set(rateLines.map((l) => l.id)).size).toBe(rateLines.length);
    expect(new Set(rateLines.map((l) => `${l.charge}/${l.unitKind}`)).size).toBe(rateLines.length);
  });
});
