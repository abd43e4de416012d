import { normalisePhone } from "~/lib/phone";
import { hasInvisible, normaliseLabel } from "~/lib/text";
import { parse } from "csv-parse/sync";
import type { UnitKind } from "#db/schema/places";
import { idTailOf, normaliseIdNumber, normaliseName, ownerIdentityKey } from "./identity";
import { rosterFields, rosterLimits, requiredRosterFields, type RosterField, type RosterLimits } from "./roster-fields";

/**
 * Roster CSV files: decoding (UTF-8 with or without BOM, or GBK as Chinese Excel saves it),
 * header recognition (Chinese or English names, any order), and validation of every row.
 * Pure: bytes in, rows or a list of problems out, each with its line number.
 */

export { requiredRosterFields, rosterFields, rosterLimits, type RosterField, type RosterLimits } from "./roster-fields";

/** Header names as people write them, compared after normaliseHeader. */
const headerAliases: Record<RosterField, string[]> = {
  building: ["楼栋", "楼栋号", "楼号", "楼幢", "幢", "栋", "幢号", "building", "buildingname", "bldg"],
  unit: ["房号", "房间号", "室号", "户号", "门牌号", "unit", "unitnumber", "unitno", "room", "roomnumber"],
  floor: ["楼层", "层", "所在楼层", "floor"],
  kind: ["类型", "房屋类型", "用途", "房屋用途", "kind", "type", "unittype", "unitkind"],
  area: ["专有面积", "专有部分面积", "面积", "产权面积", "exclusivearea", "area"],
  ownerNames: ["业主姓名", "业主", "姓名", "业主名称", "ownername", "ownernames", "owner", "owners", "name", "names"],
  ownerPhones: [
    "业主电话",
    "电话",
    "手机",
    "手机号",
    "联系电话",
    "ownerphone",
    "ownerphones",
    "phone",
    "phones",
    "mobile",
  ],
  developerUnsold: ["开发商未售", "未售", "开发商未售房", "developerunsold", "unsold"],
  registerRefs: [
    "产权证号",
    "不动产权证号",
    "产权证书号",
    "房产证号",
    "不动产登记号",
    "registerref",
    "registerrefs",
    "registerreference",
    "registerreferences",
    "ownerreference",
    "ownerref",
  ],
  idNumbers: ["身份证号", "身份证号码", "身份证", "公民身份号码", "idnumber", "idnumbers", "idcard", "idcardnumber"],
};

/** 专有面积（m²） → 专有面积; "Owner Name(s)" → ownername. */
export function normaliseHeader(header: string): string {
  return header
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\([^)]*\)/g, "")
    .replace(/[\s_\-.:*/]/g, "");
}

const fieldByHeader = new Map<string, RosterField>(
  rosterFields.flatMap((field) => headerAliases[field].map((alias) => [normaliseHeader(alias), field] as const)),
);

const kindByWord = new Map<string, UnitKind>([
  ["住宅", "residential"],
  ["住房", "residential"],
  ["residential", "residential"],
  ["商业", "commercial"],
  ["商铺", "commercial"],
  ["商用", "commercial"],
  ["commercial", "commercial"],
  ["车位", "parking"],
  ["车库", "parking"],
  ["停车位", "parking"],
  ["parking", "parking"],
  ["储藏室", "storage"],
  ["储藏间", "storage"],
  ["储物间", "storage"],
  ["storage", "storage"],
]);

const yes = new Set(["是", "yes", "y", "true", "1", "√", "✓"]);
const no = new Set(["", "否", "no", "n", "false", "0"]);

/** Several owners in one cell: 张三;李四, 张三、李四, 张三/李四 (full-width forms too). */
const listSeparator = /[;；、/／]/;

export interface RosterOwner {
  name: string;
  phone: string | null;
  /** The unit's property certificate number as the file gives it: kept, never used to recognise a person. */
  registerRef: string | null;
  /** The keyed hash of the owner's ID number (never the number itself), or null. */
  personKey: string | null;
  /** The ID number's last 4 characters, the only part ever shown. */
  idTail: string | null;
}

export interface RosterRow {
  /** The line of the file where the row starts (the header is line 1). */
  line: number;
  building: string;
  unit: string;
  floor: number;
  kind: UnitKind;
  areaCentiSqm: number;
  developerUnsold: boolean;
  owners: RosterOwner[];
}

/** Every reason a file or a row can be refused; each is a key under roster.csv in the catalogue. */
export const rosterIssueCodes = [
  "fileTooLarge",
  "tooManyRows",
  "empty",
  "noRows",
  "encoding",
  "malformed",
  "missingHeader",
  "duplicateHeader",
  "required",
  "tooLong",
  "floorInvalid",
  "kindInvalid",
  "areaInvalid",
  "areaTooPrecise",
  "areaNotPositive",
  "areaTooLarge",
  "unsoldInvalid",
  "ownerRequired",
  "unsoldWithOwners",
  "tooManyPhones",
  "tooManyRefs",
  "tooManyIds",
  "idNumberInvalid",
  "idBasisRequired",
  "phoneInvalid",
  "duplicateOwner",
  "duplicateUnit",
  "ownerConflict",
  "invisibleCharacters",
] as const;
export type RosterIssueCode = (typeof rosterIssueCodes)[number];

export interface RosterIssue {
  /** The line in the file, or null for a problem with the whole file. */
  line: number | null;
  code: RosterIssueCode;
  params?: Record<string, string | number>;
}

export type RosterParseResult =
  | {
      ok: true;
      rows: RosterRow[];
      encoding: "utf-8" | "gbk";
      /** How many owners carry an ID number (the import must then record its legal basis). */
      idNumbers: number;
    }
  | { ok: false; issues: RosterIssue[] };

/**
 * Turns a normalised ID number into the key kept instead of it (app/roster/person-key.server.ts
 * on the server; tests pass their own). The number itself never leaves the parser.
 */
export type PersonKeyer = (idNumber: string) => string;

const noKeyer: PersonKeyer = () => {
  throw new Error("parseRoster: the file has ID numbers but no person keyer was given");
};

/** UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else GBK as saved by Chinese Excel. */
export function decodeRoster(bytes: Uint8Array): { text: string; encoding: "utf-8" | "gbk" } | null {
  // UTF-16 ("Unicode text" in Excel) is not a CSV Excel writes; say so rather than show garbage.
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)))
    return null;
  const plausible = (text: string) => !text.includes("\u0000") && !text.includes("\uFFFD");
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return plausible(text) ? { text, encoding: "utf-8" } : null;
  } catch {
    try {
      const text = new TextDecoder("gbk", { fatal: true }).decode(bytes);
      return plausible(text) ? { text, encoding: "gbk" } : null;
    } catch {
      return null;
    }
  }
}

/**
 * 123.45 → 12345, without going through a float: digits before and after the point are read
 * as integers. More than two decimals, a sign, or anything else is refused.
 */
export function parseAreaCentiSqm(
  input: string,
):
  | { ok: true; value: number }
  | { ok: false; code: "areaInvalid" | "areaTooPrecise" | "areaNotPositive" | "areaTooLarge" } {
  const text = input.normalize("NFKC").trim();
  if (/^-\s*\d/.test(text)) return { ok: false, code: "areaNotPositive" };
  const match = /^\+?(\d+)(?:\.(\d*))?$/.exec(text) ?? /^\+?()\.(\d+)$/.exec(text);
  if (!match) return { ok: false, code: "areaInvalid" };
  const [, whole, fraction = ""] = match;
  if (fraction.length > 2 && /[1-9]/.test(fraction.slice(2))) return { ok: false, code: "areaTooPrecise" };
  const wholeDigits = whole.replace(/^0+(?=\d)/, "");
  // 1,000,000 m² is far beyond any unit and keeps the value well inside a 32-bit integer.
  if (wholeDigits.length > 7) return { ok: false, code: "areaTooLarge" };
  const value = Number(wholeDigits || "0") * 100 + Number((fraction.slice(0, 2) + "00").slice(0, 2));
  if (value <= 0) return { ok: false, code: "areaNotPositive" };
  if (value > 100_000_000) return { ok: false, code: "areaTooLarge" };
  return { ok: true, value };
}

/** 12, -1, B1 (basement 1 → -1), 地下1 → -1. */
export function parseFloor(input: string): number | null {
  const text = input
    .normalize("NFKC")
    .trim()
    .replace(/[层楼fF]$/, "");
  let match = /^-?\d{1,3}$/.exec(text);
  if (match) return Number(text);
  match = /^(?:[bB]|地下)(\d{1,2})$/.exec(text);
  if (match) return -Number(match[1]);
  return null;
}

/** NFKC, white space collapsed, trimmed: the same label normalisation as every form (app/lib/text.ts). */
const cleanText = normaliseLabel;

function splitList(value: string): string[] {
  return value.split(listSeparator).map((part) => cleanText(part));
}

const maxLength: Partial<Record<RosterField, number>> = { building: 50, unit: 50 };
const maxNameLength = 50;
const maxRefLength = 100;

/** The line where a record starts: csv-parse reports the line where it ends, after any line breaks inside quoted cells. */
function startLine(endLine: number, record: string[]): number {
  let breaks = 0;
  for (const cell of record) for (let i = cell.indexOf("\n"); i !== -1; i = cell.indexOf("\n", i + 1)) breaks++;
  return endLine - breaks;
}

export function parseRoster(
  bytes: Uint8Array,
  limits: RosterLimits = rosterLimits,
  personKey: PersonKeyer = noKeyer,
): RosterParseResult {
  if (bytes.byteLength > limits.maxBytes) {
    return {
      ok: false,
      issues: [{ line: null, code: "fileTooLarge", params: { maxMb: Math.floor(limits.maxBytes / 1024 / 1024) } }],
    };
  }
  const decoded = decodeRoster(bytes);
  if (!decoded) return { ok: false, issues: [{ line: null, code: "encoding" }] };
  // One line ending everywhere, so line numbers hold for files saved on any system.
  const text = decoded.text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true });
  } catch (error) {
    const line = typeof (error as { lines?: unknown }).lines === "number" ? (error as { lines: number }).lines : null;
    return { ok: false, issues: [{ line, code: "malformed" }] };
  }
  const nonEmpty = records.filter((r) => r.record.some((cell) => cell.trim() !== ""));
  if (nonEmpty.length === 0) return { ok: false, issues: [{ line: null, code: "empty" }] };

  const [header, ...body] = nonEmpty;
  const headerLine = startLine(header.info.lines, header.record);
  const issues: RosterIssue[] = [];
  const column = new Map<RosterField, number>();
  header.record.forEach((name, index) => {
    const field = fieldByHeader.get(normaliseHeader(name));
    if (!field) return; // Extra columns (备注…) are allowed and ignored.
    if (column.has(field))
      issues.push({ line: headerLine, code: "duplicateHeader", params: { column: field, header: name.trim() } });
    else column.set(field, index);
  });
  for (const field of requiredRosterFields) {
    if (!column.has(field)) issues.push({ line: headerLine, code: "missingHeader", params: { column: field } });
  }
  if (issues.length) return { ok: false, issues };
  if (body.length === 0) return { ok: false, issues: [{ line: null, code: "noRows" }] };
  if (body.length > limits.maxRows)
    return { ok: false, issues: [{ line: null, code: "tooManyRows", params: { max: limits.maxRows } }] };

  const rows: RosterRow[] = [];
  const unitLines = new Map<string, number>();
  // One ID number is one person: the same number under two different names is a mistake in the file.
  const idOwners = new Map<string, { name: string; line: number }>();
  let idNumbers = 0;
  for (const { record, info } of body) {
    const line = startLine(info.lines, record);
    const cell = (field: RosterField) => {
      const index = column.get(field);
      return index === undefined ? "" : (record[index] ?? "");
    };
    const rowIssues: RosterIssue[] = [];
    const issue = (code: RosterIssueCode, params?: RosterIssue["params"]) => rowIssues.push({ line, code, params });

    const text = (field: "building" | "unit") => {
      const value = cleanText(cell(field));
      if (!value) issue("required", { column: field });
      else if (hasInvisible(cell(field).trim())) issue("invisibleCharacters", { column: field });
      else if (value.length > (maxLength[field] ?? 100))
        issue("tooLong", { column: field, max: maxLength[field] ?? 100 });
      return value;
    };
    const building = text("building");
    const unit = text("unit");

    const floorText = cell("floor").trim();
    const floor = parseFloor(floorText);
    if (!floorText) issue("required", { column: "floor" });
    else if (floor === null) issue("floorInvalid", { value: floorText });

    const kindText = cleanText(cell("kind"));
    const kind = kindByWord.get(kindText.toLowerCase());
    if (!kindText) issue("required", { column: "kind" });
    else if (!kind) issue("kindInvalid", { value: kindText });

    const areaText = cell("area").trim();
    const area = areaText ? parseAreaCentiSqm(areaText) : null;
    if (!area) issue("required", { column: "area" });
    else if (!area.ok) issue(area.code, { value: areaText });

    const unsoldText = cleanText(cell("developerUnsold")).toLowerCase();
    const developerUnsold = yes.has(unsoldText);
    if (!developerUnsold && !no.has(unsoldText)) issue("unsoldInvalid", { value: cell("developerUnsold").trim() });

    const names = splitList(cell("ownerNames")).filter((n) => n !== "");
    if (hasInvisible(cell("ownerNames").trim())) issue("invisibleCharacters", { column: "ownerNames" });
    const trailing = (list: string[]) => {
      while (list.length && list[list.length - 1] === "") list.pop();
      return list;
    };
    const phones = trailing(splitList(cell("ownerPhones")));
    const refs = trailing(splitList(cell("registerRefs")));
    const ids = trailing(splitList(cell("idNumbers")));
    if (developerUnsold && names.length) issue("unsoldWithOwners");
    if (!developerUnsold && !names.length) issue("ownerRequired");
    if (phones.length > names.length) issue("tooManyPhones");
    if (refs.length > names.length) issue("tooManyRefs");
    if (ids.length > names.length) issue("tooManyIds");
    // One certificate number for co-owners: it is the unit's title, so it is every co-owner's.
    const sharedRef = refs.length === 1 && names.length > 1 ? refs[0] : null;

    const owners: RosterOwner[] = [];
    const seen = new Set<string>();
    names.forEach((name, i) => {
      if (name.length > maxNameLength) issue("tooLong", { column: "ownerNames", max: maxNameLength });
      let phone: string | null = null;
      if (phones[i]) {
        phone = normalisePhone(phones[i]);
        if (!phone) issue("phoneInvalid", { value: phones[i] });
      }
      const refText = sharedRef ?? refs[i];
      const registerRef = refText ? refText.toUpperCase() : null;
      if (registerRef && registerRef.length > maxRefLength)
        issue("tooLong", { column: "registerRefs", max: maxRefLength });
      let key: string | null = null;
      let idTail: string | null = null;
      if (ids[i]) {
        const id = normaliseIdNumber(ids[i]);
        // The message shows only the last 4 characters of what was typed.
        if (!id) issue("idNumberInvalid", { name, tail: idTailOf(ids[i].trim()) });
        else {
          key = personKey(id);
          idTail = idTailOf(id);
          idNumbers++;
          const first = idOwners.get(key);
          if (!first) idOwners.set(key, { name, line });
          else if (normaliseName(first.name) !== normaliseName(name))
            issue("ownerConflict", { tail: idTail, firstLine: first.line, firstName: first.name, name });
        }
      }
      const owner: RosterOwner = { name, phone, registerRef, personKey: key, idTail };
      const identity = ownerIdentityKey(owner, `${building}/${unit}`);
      if (seen.has(identity)) issue("duplicateOwner", { name });
      seen.add(identity);
      owners.push(owner);
    });

    if (building && unit) {
      const unitKey = `${building}\u0000${unit}`;
      const firstLine = unitLines.get(unitKey);
      if (firstLine !== undefined) issue("duplicateUnit", { building, unit, firstLine });
      else unitLines.set(unitKey, line);
    }

    if (rowIssues.length) issues.push(...rowIssues);
    else {
      rows.push({
        line,
        building,
        unit,
        floor: floor!,
        kind: kind!,
        areaCentiSqm: (area as { value: number }).value,
        developerUnsold,
        owners,
      });
    }
  }
  if (issues.length) return { ok: false, issues };
  return { ok: true, rows, encoding: decoded.encoding, idNumbers };
}
