import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { normalisePhone } from "~/lib/phone";
import { normaliseIdNumber } from "./identity";
import { decodeRoster, parseAreaCentiSqm, parseFloor, parseRoster, type RosterIssue } from "./roster-csv";

const utf8 = (text: string) => new TextEncoder().encode(text);
const zhHeader = "楼栋,房号,楼层,类型,专有面积,业主姓名,业主电话,开发商未售,产权证号";

function issuesOf(text: string | Uint8Array): RosterIssue[] {
  const result = parseRoster(typeof text === "string" ? utf8(text) : text);
  if (result.ok) throw new Error("expected the file to be refused");
  return result.issues;
}

function rowsOf(text: string | Uint8Array) {
  const result = parseRoster(typeof text === "string" ? utf8(text) : text);
  if (!result.ok) throw new Error(`expected a valid file, got ${JSON.stringify(result.issues)}`);
  return result;
}

describe("parseAreaCentiSqm", () => {
  it("reads up to two decimals into integer hundredths", () => {
    expect(parseAreaCentiSqm("89.5")).toEqual({ ok: true, value: 8950 });
    expect(parseAreaCentiSqm("89.05")).toEqual({ ok: true, value: 8905 });
    expect(parseAreaCentiSqm("120")).toEqual({ ok: true, value: 12000 });
    expect(parseAreaCentiSqm(" 0.01 ")).toEqual({ ok: true, value: 1 });
    expect(parseAreaCentiSqm(".5")).toEqual({ ok: true, value: 50 });
    expect(parseAreaCentiSqm("１２３．４５")).toEqual({ ok: true, value: 12345 }); // full-width digits
    expect(parseAreaCentiSqm("12.340")).toEqual({ ok: true, value: 1234 }); // a trailing zero is not precision
    // 0.1 + 0.2 style float errors cannot happen: 1.15 * 100 is 114.99999999999999 in floats.
    expect(parseAreaCentiSqm("1.15")).toEqual({ ok: true, value: 115 });
    expect(parseAreaCentiSqm("4.35")).toEqual({ ok: true, value: 435 });
  });

  it("refuses more decimals, signs, zero and words", () => {
    expect(parseAreaCentiSqm("12.345")).toEqual({ ok: false, code: "areaTooPrecise" });
    expect(parseAreaCentiSqm("-3")).toEqual({ ok: false, code: "areaNotPositive" });
    expect(parseAreaCentiSqm("0")).toEqual({ ok: false, code: "areaNotPositive" });
    expect(parseAreaCentiSqm("0.00")).toEqual({ ok: false, code: "areaNotPositive" });
    expect(parseAreaCentiSqm("abc")).toEqual({ ok: false, code: "areaInvalid" });
    expect(parseAreaCentiSqm("1,234.5")).toEqual({ ok: false, code: "areaInvalid" });
    expect(parseAreaCentiSqm("1e3")).toEqual({ ok: false, code: "areaInvalid" });
    expect(parseAreaCentiSqm("99999999")).toEqual({ ok: false, code: "areaTooLarge" });
  });
});

describe("small readers", () => {
  it("reads floors, basements included", () => {
    expect(parseFloor("12")).toBe(12);
    expect(parseFloor("-1")).toBe(-1);
    expect(parseFloor("B2")).toBe(-2);
    expect(parseFloor("地下1")).toBe(-1);
    expect(parseFloor("3层")).toBe(3);
    expect(parseFloor("three")).toBeNull();
    expect(parseFloor("1.5")).toBeNull();
  });

  it("keeps the digits of a phone number", () => {
    expect(normalisePhone("+86 139-1234-5678")).toBe("13912345678");
    expect(normalisePhone("0512-66668888")).toBe("051266668888");
    expect(normalisePhone("call me")).toBeNull();
  });

  it("decodes UTF-8 (BOM dropped) and falls back to GBK", () => {
    expect(decodeRoster(utf8("\uFEFF楼栋"))).toEqual({ text: "楼栋", encoding: "utf-8" });
    expect(decodeRoster(iconv.encode("楼栋,房号", "gbk"))).toEqual({ text: "楼栋,房号", encoding: "gbk" });
  });
});

describe("parseRoster", () => {
  it("reads a file with Chinese headers", () => {
    const result = rowsOf(
      [
        zhHeader,
        "1幢,101,1,住宅,89.50,张三,13900000001,否,",
        "1幢,102,1,住宅,120,李四;王五,13900000002;13900000003,,SZ001;SZ002",
        "1幢,103,1,住宅,95.1,,,是,",
        "地下,B1-01,-1,车位,12.5,赵六、钱七,,0,",
      ].join("\n"),
    );
    expect(result.encoding).toBe("utf-8");
    expect(result.rows).toEqual([
      {
        line: 2,
        building: "1幢",
        unit: "101",
        floor: 1,
        kind: "residential",
        areaCentiSqm: 8950,
        developerUnsold: false,
        owners: [{ name: "张三", phone: "13900000001", registerRef: null, personKey: null, idTail: null }],
      },
      {
        line: 3,
        building: "1幢",
        unit: "102",
        floor: 1,
        kind: "residential",
        areaCentiSqm: 12000,
        developerUnsold: false,
        owners: [
          { name: "李四", phone: "13900000002", registerRef: "SZ001", personKey: null, idTail: null },
          { name: "王五", phone: "13900000003", registerRef: "SZ002", personKey: null, idTail: null },
        ],
      },
      {
        line: 4,
        building: "1幢",
        unit: "103",
        floor: 1,
        kind: "residential",
        areaCentiSqm: 9510,
        developerUnsold: true,
        owners: [],
      },
      {
        line: 5,
        building: "地下",
        unit: "B1-01",
        floor: -1,
        kind: "parking",
        areaCentiSqm: 1250,
        developerUnsold: false,
        owners: [
          { name: "赵六", phone: null, registerRef: null, personKey: null, idTail: null },
          { name: "钱七", phone: null, registerRef: null, personKey: null, idTail: null },
        ],
      },
    ]);
  });

  it("reads English headers in any order, with a BOM, CRLF and extra columns", () => {
    const text =
      '\uFEFFOwner names,Unit,Building,Area (m²),Kind,Floor,Notes,Developer unsold\r\n"Wang Fang/Li Lei",201,2,88.8,commercial,2,corner shop,no\r\n';
    const { rows } = rowsOf(text);
    expect(rows).toEqual([
      {
        line: 2,
        building: "2",
        unit: "201",
        floor: 2,
        kind: "commercial",
        areaCentiSqm: 8880,
        developerUnsold: false,
        owners: [
          { name: "Wang Fang", phone: null, registerRef: null, personKey: null, idTail: null },
          { name: "Li Lei", phone: null, registerRef: null, personKey: null, idTail: null },
        ],
      },
    ]);
  });

  it("reads GBK bytes as Chinese Excel saves them", () => {
    const bytes = iconv.encode(`${zhHeader}\r\n3幢,301,3,储藏室,6.25,周八,,否,\r\n`, "gbk");
    const result = rowsOf(bytes);
    expect(result.encoding).toBe("gbk");
    expect(result.rows[0]).toMatchObject({
      building: "3幢",
      unit: "301",
      kind: "storage",
      areaCentiSqm: 625,
      owners: [{ name: "周八" }],
    });
  });

  it("accepts the separators ; 、 ／ / and keeps phones in the names' order", () => {
    const { rows } = rowsOf(`${zhHeader}\n1幢,101,1,住宅,90,甲；乙、丙／丁/戊,1390000001;;1390000003,,\n`);
    expect(rows[0].owners.map((o) => o.name)).toEqual(["甲", "乙", "丙", "丁", "戊"]);
    expect(rows[0].owners.map((o) => o.phone)).toEqual(["1390000001", null, "1390000003", null, null]);
  });

  it("reports every bad row with its line number and reason", () => {
    const issues = issuesOf(
      [
        zhHeader,
        "1幢,101,1,住宅,12.345,张三,,,", // 2
        "1幢,102,1,住宅,-3,张三,,,", // 3
        "", // 4: empty lines keep the numbering
        "1幢,103,1,住宅,abc,张三,,,", // 5
        "1幢,104,1,住宅,90,,,,", // 6: no owner
        "1幢,101,1,住宅,90,李四,,,", // 7: duplicate unit
        "1幢,105,一,别墅,90,王五,,也许,", // 8
        "1幢,106,1,住宅,90,王五,13900000001;13900000002,,", // 9: more phones than names
        "1幢,107,1,住宅,90,赵六,,是,", // 10: unsold with an owner
        ",,1,住宅,90,钱七,,,", // 11
        "1幢,108,1,住宅,90,孙八,not-a-phone,,", // 12
      ].join("\n"),
    );
    expect(issues).toEqual([
      { line: 2, code: "areaTooPrecise", params: { value: "12.345" } },
      { line: 3, code: "areaNotPositive", params: { value: "-3" } },
      { line: 5, code: "areaInvalid", params: { value: "abc" } },
      { line: 6, code: "ownerRequired", params: undefined },
      { line: 7, code: "duplicateUnit", params: { building: "1幢", unit: "101", firstLine: 2 } },
      { line: 8, code: "floorInvalid", params: { value: "一" } },
      { line: 8, code: "kindInvalid", params: { value: "别墅" } },
      { line: 8, code: "unsoldInvalid", params: { value: "也许" } },
      { line: 9, code: "tooManyPhones", params: undefined },
      { line: 10, code: "unsoldWithOwners", params: undefined },
      { line: 11, code: "required", params: { column: "building" } },
      { line: 11, code: "required", params: { column: "unit" } },
      { line: 12, code: "phoneInvalid", params: { value: "not-a-phone" } },
    ]);
  });

  it("counts lines inside quoted cells that span lines", () => {
    const issues = issuesOf(`${zhHeader}\n1幢,101,1,住宅,90,"张三\n李四",,,\n1幢,102,1,住宅,x,王五,,,\n`);
    expect(issues).toEqual([{ line: 4, code: "areaInvalid", params: { value: "x" } }]);
  });

  it("refuses a file without a required column, naming the column", () => {
    expect(issuesOf("楼栋,房号,楼层,类型,业主姓名\n1幢,101,1,住宅,张三\n")).toEqual([
      { line: 1, code: "missingHeader", params: { column: "area" } },
    ]);
    expect(issuesOf("楼栋,building,房号,楼层,类型,面积,业主\n")).toEqual([
      { line: 1, code: "duplicateHeader", params: { column: "building", header: "building" } },
    ]);
  });

  it("refuses an empty file, a header without rows, broken quotes", () => {
    expect(issuesOf("")).toEqual([{ line: null, code: "empty" }]);
    expect(issuesOf(`${zhHeader}\n\n`)).toEqual([{ line: null, code: "noRows" }]);
    expect(issuesOf(`${zhHeader}\n1幢,101,1,住宅,90,"张三,,,\n`)[0]).toMatchObject({ code: "malformed" });
  });

  it("refuses the same owner twice in a unit", () => {
    expect(issuesOf(`${zhHeader}\n1幢,101,1,住宅,90,张三;张三,,,\n`)).toEqual([
      { line: 2, code: "duplicateOwner", params: { name: "张三" } },
    ]);
  });

  it("enforces the size and row limits", () => {
    const text = `${zhHeader}\n1幢,101,1,住宅,90,张三,,,\n1幢,102,1,住宅,90,李四,,,\n`;
    expect(parseRoster(utf8(text), { maxBytes: 20, maxRows: 10 })).toEqual({
      ok: false,
      issues: [{ line: null, code: "fileTooLarge", params: { maxMb: 0 } }],
    });
    expect(parseRoster(utf8(text), { maxBytes: 10_000, maxRows: 1 })).toEqual({
      ok: false,
      issues: [{ line: null, code: "tooManyRows", params: { max: 1 } }],
    });
  });

  it("refuses bytes that are neither UTF-8 nor GBK", () => {
    expect(issuesOf(new Uint8Array([0xff, 0xfe, 0x41, 0x00]))).toEqual([{ line: null, code: "encoding" }]);
  });
});

describe("invisible characters in a roster (issue 12: `1\\u200b01` beside `101`)", () => {
  it("refuses a zero-width or bidi character in a unit number, building label or owner name, naming the column", () => {
    const issues = issuesOf(
      [
        zhHeader,
        "1幢,101,1,住宅,89.5,张三,,否,",
        "1幢,1\u200b01,1,住宅,89.5,李四,,否,",
        "1\u2066幢,102,1,住宅,89.5,王五,,否,",
        "1幢,103,1,住宅,89.5,赵\u202E六,,否,",
        "1幢,104,1,住宅,89.5,钱\uFEFF七,,否,",
      ].join("\n"),
    );
    expect(issues.filter((i) => i.code === "invisibleCharacters")).toEqual([
      { line: 3, code: "invisibleCharacters", params: { column: "unit" } },
      { line: 4, code: "invisibleCharacters", params: { column: "building" } },
      { line: 5, code: "invisibleCharacters", params: { column: "ownerNames" } },
      { line: 6, code: "invisibleCharacters", params: { column: "ownerNames" } },
    ]);
  });

  it("reads a full-width unit number as the ASCII one, so １０１ and 101 are the same unit", () => {
    const issues = issuesOf(
      [zhHeader, "1幢,101,1,住宅,89.5,张三,,否,", "１幢,１０１,1,住宅,89.5,李四,,否,"].join("\n"),
    );
    expect(issues).toEqual([
      { line: 3, code: "duplicateUnit", params: { building: "1幢", unit: "101", firstLine: 2 } },
    ]);
  });
});

describe("ID numbers (the person key) and certificate numbers", () => {
  const idHeader = `${zhHeader},身份证号`;
  // Valid GB 11643 numbers (check characters computed), and one with a wrong check digit.
  const idA = "11010519491231002X";
  const idB = "440524188001010014";
  const badCheck = "110105194912310021";
  /** A stand-in for the server's HMAC: what matters here is that the number itself never comes out. */
  const keyer = (id: string) => `K(${id.length}:${id.slice(-4)})`;
  const parse = (lines: string[]) => parseRoster(utf8([idHeader, ...lines].join("\n")), undefined, keyer);

  it("checks the check character of an ID number", () => {
    expect(normaliseIdNumber(idA)).toBe(idA);
    expect(normaliseIdNumber(" 11010519491231002x ")).toBe(idA);
    expect(normaliseIdNumber(idB)).toBe(idB);
    expect(normaliseIdNumber(badCheck)).toBeNull();
    expect(normaliseIdNumber("11010519491231002")).toBeNull();
    expect(normaliseIdNumber("E12345678")).toBeNull();
  });

  it("keeps only the key and the last 4 characters; the number itself is nowhere in the rows", () => {
    const result = parse([`1幢,101,1,住宅,90,王芳,13900000001,否,SZ-1,${idA}`]);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.idNumbers).toBe(1);
    expect(result.rows[0].owners).toEqual([
      { name: "王芳", phone: "13900000001", registerRef: "SZ-1", personKey: "K(18:002X)", idTail: "002X" },
    ]);
    expect(JSON.stringify(result.rows)).not.toContain(idA.slice(0, 14));
  });

  it("reads one person with two flats under two certificate numbers as one key", () => {
    const result = parse([`1幢,101,1,住宅,90,王芳,,否,SZ-1,${idA}`, `2幢,201,2,住宅,60,王芳,,否,SZ-2,${idA}`]);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.rows.map((r) => r.owners[0].personKey)).toEqual(["K(18:002X)", "K(18:002X)"]);
  });

  it("imports a co-owned flat with one shared certificate number, given once or for each co-owner", () => {
    for (const refs of ["SZ-7", "SZ-7;SZ-7"]) {
      const result = parse([`1幢,101,1,住宅,90,张三;李四,,否,${refs},`]);
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      expect(result.rows[0].owners.map((o) => [o.name, o.registerRef])).toEqual([
        ["张三", "SZ-7"],
        ["李四", "SZ-7"],
      ]);
    }
  });

  it("refuses a wrong ID number (showing only its last 4 characters), too many, and one number for two names", () => {
    expect(parse([`1幢,101,1,住宅,90,王芳,,否,,${badCheck}`])).toEqual({
      ok: false,
      issues: [{ line: 2, code: "idNumberInvalid", params: { name: "王芳", tail: "0021" } }],
    });
    expect(parse([`1幢,101,1,住宅,90,王芳,,否,,${idA};${idB}`])).toEqual({
      ok: false,
      issues: [{ line: 2, code: "tooManyIds" }],
    });
    expect(parse([`1幢,101,1,住宅,90,王芳,,否,,${idA}`, `1幢,102,1,住宅,90,李雷,,否,,${idA}`])).toEqual({
      ok: false,
      issues: [
        { line: 3, code: "ownerConflict", params: { tail: "002X", firstLine: 2, firstName: "王芳", name: "李雷" } },
      ],
    });
  });

  it("needs a keyer only when the file carries ID numbers", () => {
    expect(parseRoster(utf8(`${idHeader}\n1幢,101,1,住宅,90,王芳,,否,,\n`))).toMatchObject({ ok: true, idNumbers: 0 });
    expect(() => parseRoster(utf8(`${idHeader}\n1幢,101,1,住宅,90,王芳,,否,,${idA}\n`))).toThrow(/keyer/);
  });
});
