import { describe, expect, it } from "vitest";
import { maxSignNameLength, paramLimits, smsLength, smsParam, smsTemplates } from "./templates";

const signature = `【${"签".repeat(maxSignNameLength)}】`;

describe("every SMS template fits one message at its longest", () => {
  for (const [name, template] of Object.entries(smsTemplates)) {
    it(`${name}: ≤ ${smsLength} characters with the signature at the worst-case parameters`, () => {
      const params = Object.fromEntries(
        template.params.map((p: string) => {
          expect(paramLimits[p], `a limit for parameter ${p}`).toBeGreaterThan(0);
          return [p, "字".repeat(paramLimits[p])];
        }),
      );
      const text = signature + (template.text as (p: Record<string, string>) => string)(params);
      expect([...text].length, text).toBeLessThanOrEqual(smsLength);
    });
  }

  it("cuts a parameter to its limit by characters, not bytes", () => {
    expect(smsParam("estate", "宜欣花园二期东区北门业委会")).toBe("宜欣花园二期东区");
    expect(smsParam("estate", "宜欣花园")).toBe("宜欣花园");
  });
});
