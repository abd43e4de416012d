import { describe, expect, it } from "vitest";
import { freeText, hasInvisible, labelField, nameField, normaliseLabel, stripBidi } from "./text";

describe("text: invisible characters in identifiers and names", () => {
  const invisible = [
    "\u200B",
    "\u200C",
    "\u200D",
    "\u200E",
    "\u200F",
    "\u202A",
    "\u202B",
    "\u202C",
    "\u202D",
    "\u202E",
    "\u2060",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\uFEFF",
  ];

  it("finds every bidi control and zero-width character, and nothing in ordinary text", () => {
    for (const c of invisible) expect(hasInvisible(`1${c}01`), `U+${c.charCodeAt(0).toString(16)}`).toBe(true);
    for (const text of ["101", "1幢 2单元", "王芳", "Zoë O'Brien", "👨‍👩‍👧".replace(/\u200D/g, ""), "＃１０１"])
      expect(hasInvisible(text)).toBe(false);
  });

  it("a unit number 1\\u200b01 beside 101 is refused; 101 is taken", () => {
    const field = labelField(20);
    expect(field.safeParse("1\u200b01").success).toBe(false);
    expect(field.safeParse("1\u200b01").error?.issues[0].message).toBe("common.errors.forbiddenCharacters");
    expect(field.parse(" 101 ")).toBe("101");
  });

  it("normalises labels: full-width to ASCII, white space collapsed and trimmed", () => {
    expect(normaliseLabel("１０１")).toBe("101");
    expect(normaliseLabel("  １幢\u3000\u3000A  ")).toBe("1幢 A");
    expect(labelField(20).parse("Ａ１０２")).toBe("A102");
  });

  it("names and titles refuse a right-to-left override", () => {
    expect(nameField(40).safeParse("王\u202Eexe.芳").success).toBe(false);
    expect(nameField(40).parse(" 王芳 ")).toBe("王芳");
    expect(nameField(3).safeParse("王芳芳芳").error?.issues[0].message).toBe("common.errors.tooLong");
  });
});

describe("text: free text", () => {
  it("loses bidi overrides and isolates, keeps zero-width joiners (emoji)", () => {
    expect(stripBidi("注意\u202Efdp.exe\u202C")).toBe("注意fdp.exe");
    expect(stripBidi("\u2066a\u2069")).toBe("a");
    expect(freeText(100).parse(" 👨\u200D👩\u200D👧 \u202E ")).toBe("👨\u200D👩\u200D👧");
    expect(freeText(2).safeParse("abc").success).toBe(false);
  });
});
