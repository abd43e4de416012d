import { describe, expect, it } from "vitest";
import { defaultZoneText, parseZoneLines } from "./zones";

const buildings = [
  { id: "b1", name: "1幢" },
  { id: "b2", name: "2幢" },
  { id: "b3", name: "3幢" },
];

describe("zone lines", () => {
  it("reads names, buildings and optional seats, in half- or full-width punctuation", () => {
    expect(parseZoneLines("东区: 1幢, 2幢\n\n西区：3幢 ＝ 2", buildings)).toEqual({
      ok: true,
      zones: [
        { name: "东区", buildingIds: ["b1", "b2"], seats: null },
        { name: "西区", buildingIds: ["b3"], seats: 2 },
      ],
    });
    expect(parseZoneLines("全区：1幢、2幢 3幢=5", buildings)).toEqual({
      ok: true,
      zones: [{ name: "全区", buildingIds: ["b1", "b2", "b3"], seats: 5 }],
    });
  });
  it("names the line that is wrong", () => {
    expect(parseZoneLines("东区 1幢", buildings)).toEqual({ ok: false, error: "zoneLine", line: 1, text: "东区 1幢" });
    expect(parseZoneLines("东区: 1幢\n西区: 9幢", buildings)).toEqual({
      ok: false,
      error: "buildingUnknown",
      line: 2,
      text: "9幢",
    });
    expect(parseZoneLines("东区:", buildings)).toMatchObject({ ok: false, error: "zoneLine" });
    expect(parseZoneLines("东区: 1幢 = x", buildings)).toMatchObject({ ok: false, error: "zoneLine" });
  });
  it("starts with one zone per building", () => {
    expect(defaultZoneText(buildings)).toBe("1幢: 1幢\n2幢: 2幢\n3幢: 3幢");
    expect(parseZoneLines(defaultZoneText(buildings), buildings)).toMatchObject({ ok: true });
  });
});
