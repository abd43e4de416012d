import { createHash, randomBytes } from "node:crypto";
import { parse } from "csv-parse/sync";
import { countInputs } from "./count";
import { tally, type BallotChoice, type Matter, type Tally } from "./tally";

/**
 * The public ballot ledger: every ballot of a vote in cast order, hash-chained. Each entry's
 * hash is sha256(previous hash + "\n" + its canonical fields); the first entry's previous hash
 * is 64 zeros. Only fields that are published are hashed, so anyone holding the CSV can
 * recompute the chain. A replacement ballot names the receipt it replaces; the ballots that
 * count are those no later ballot replaces.
 */
export interface LedgerEntry {
  seq: number;
  receipt: string;
  choice: BallotChoice;
  channel: "online" | "paper" | "proxy";
  areaCentiSqm: number;
  headcount: number;
  replaces: string | null;
  /** ISO 8601 in UTC with milliseconds. */
  castAt: string;
}

export interface ChainedEntry extends LedgerEntry {
  prevHash: string;
  hash: string;
}

export interface LedgerMeta {
  proposalId: string;
  matter: Matter;
  totalAreaCentiSqm: number;
  totalHeadcount: number;
  finalHash: string;
  /** Whether spoiled ballots take part (the vote's rule); a file without the line says they do. */
  spoiledTakesPart?: boolean;
}

/** The header line of the spoiled-ballot rule, written only where they do not take part (older files have none). */
export function spoiledRuleLine(spoiledTakesPart: boolean | undefined): string[] {
  return spoiledTakesPart === false ? ["# spoiled_takes_part=no"] : [];
}

/** The spoiled-ballot rule as a ledger file's header states it. */
export function spoiledRuleOf(meta: Map<string, string>): boolean {
  const v = meta.get("spoiled_takes_part");
  if (v === undefined || v === "yes") return true;
  if (v === "no") return false;
  throw new LedgerFormatError(`spoiled_takes_part must be yes or no, got ${v}`);
}

export const genesisHash = "0".repeat(64);

export function canonicalEntry(proposalId: string, e: LedgerEntry): string {
  return [
    proposalId,
    e.seq,
    e.receipt,
    e.choice,
    e.channel,
    e.areaCentiSqm,
    e.headcount,
    e.replaces ?? "",
    e.castAt,
  ].join("|");
}

/** One link of a hash chain: sha256(previous hash + "\n" + the entry's canonical text). Shared by proposal and election ledgers. */
export function linkHash(prevHash: string, canonical: string): string {
  return createHash("sha256").update(`${prevHash}\n${canonical}`).digest("hex");
}

export function chainHash(prevHash: string, proposalId: string, entry: LedgerEntry): string {
  return linkHash(prevHash, canonicalEntry(proposalId, entry));
}

/** What every chained ledger row has, whatever its ballot says. */
export interface ChainLink {
  seq: number;
  receipt: string;
  replaces: string | null;
  areaCentiSqm: number;
  headcount: number;
  prevHash: string;
  hash: string;
}

/**
 * Recomputes a chain: sequence numbers 1, 2, …; each row's prev_hash is the previous row's
 * hash and its hash matches its canonical text; receipts are unique; a replacement names an
 * earlier receipt not already replaced; one voter weighs headcount 1 and a positive area.
 * Returns the problems, the recomputed final hash and the rows that count (not replaced).
 */
export function verifyChain<E extends ChainLink>(
  entries: E[],
  canonical: (e: E) => string,
  publishedFinalHash: string,
) {
  const problems: string[] = [];
  let prev = genesisHash;
  const seen = new Set<string>();
  const replaced = new Set<string>();
  entries.forEach((e, i) => {
    if (e.seq !== i + 1) problems.push(`row ${i + 1}: seq is ${e.seq}, expected ${i + 1}`);
    if (e.prevHash !== prev) problems.push(`row ${i + 1}: prev_hash does not match the previous row's hash`);
    const hash = linkHash(prev, canonical(e));
    if (hash !== e.hash) problems.push(`row ${i + 1}: hash does not match its fields (recomputed ${hash})`);
    if (seen.has(e.receipt)) problems.push(`row ${i + 1}: receipt ${e.receipt} appears twice`);
    if (e.headcount !== 1) problems.push(`row ${i + 1}: headcount must be 1`);
    if (e.areaCentiSqm <= 0) problems.push(`row ${i + 1}: area must be positive`);
    if (e.replaces !== null) {
      if (!seen.has(e.replaces)) problems.push(`row ${i + 1}: replaces ${e.replaces}, which is not an earlier receipt`);
      else if (replaced.has(e.replaces)) problems.push(`row ${i + 1}: ${e.replaces} was already replaced`);
      replaced.add(e.replaces);
    }
    seen.add(e.receipt);
    prev = hash;
  });
  if (prev !== publishedFinalHash)
    problems.push(`the final hash is ${prev}, the ledger's header says ${publishedFinalHash}`);
  return { problems, finalHash: prev, counted: entries.filter((e) => !replaced.has(e.receipt)) };
}

/** `# key=value` header lines and the CSV body of a ledger file. */
export function splitLedgerFile(text: string): {
  meta: Map<string, string>;
  body: string[];
  need: (key: string) => string;
} {
  const meta = new Map<string, string>();
  const body: string[] = [];
  for (const line of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    if (line.startsWith("#")) {
      const m = /^#\s*([a-z_]+)=(.*)$/.exec(line);
      if (m) meta.set(m[1], m[2].trim());
    } else if (line.trim() !== "") body.push(line);
  }
  const need = (key: string) => {
    const v = meta.get(key);
    if (v === undefined) throw new LedgerFormatError(`missing header line "# ${key}=…"`);
    return v;
  };
  return { meta, body, need };
}

const receiptAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** A receipt code like 7KQ2-M9XD-4HTP: 12 unambiguous characters (about 59 bits). */
export function newReceipt(): string {
  const limit = 256 - (256 % receiptAlphabet.length);
  let code = "";
  while (code.length < 12) {
    for (const byte of randomBytes(24)) {
      if (byte < limit && code.length < 12) code += receiptAlphabet[byte % receiptAlphabet.length];
    }
  }
  return code.replace(/(.{4})(?=.)/g, "$1-");
}

/** What an owner types when looking up a receipt: case, spaces and dashes do not matter. */
export function normaliseReceipt(input: string): string {
  return input
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, "")
    .replace(/(.{4})(?=.)/g, "$1-");
}

const columns = [
  "seq",
  "receipt",
  "choice",
  "channel",
  "area_centi_sqm",
  "headcount",
  "replaces",
  "cast_at",
  "prev_hash",
  "hash",
] as const;

export function ledgerCsv(meta: LedgerMeta, entries: ChainedEntry[]): string {
  const lines = [
    "# yishitang ballot ledger; verify with: npx tsx scripts/verify-ledger.ts <this file>",
    `# proposal=${meta.proposalId}`,
    `# matter=${meta.matter}`,
    `# total_area_centi_sqm=${meta.totalAreaCentiSqm}`,
    `# total_headcount=${meta.totalHeadcount}`,
    ...spoiledRuleLine(meta.spoiledTakesPart),
    `# final_hash=${meta.finalHash}`,
    columns.join(","),
  ];
  for (const e of entries) {
    lines.push(
      [
        e.seq,
        e.receipt,
        e.choice,
        e.channel,
        e.areaCentiSqm,
        e.headcount,
        e.replaces ?? "",
        e.castAt,
        e.prevHash,
        e.hash,
      ].join(","),
    );
  }
  return lines.join("\n") + "\n";
}

/**
 * The public ledger (DESIGN.md: "anonymous: receipt, choice, channel, time to the minute; no
 * area"): areas identify units (most units of an estate have an area of their own) and exact
 * times can be matched against the turnout list, so it has neither, nor the hashes (which would
 * let anyone search out both). Anyone recounts the headcount from it; the full ledger (verified
 * owners, after close, audited) rechecks the chain.
 */
export interface PublicLedgerRow {
  seq: number;
  receipt: string;
  channel: "online" | "paper" | "proxy";
  headcount: number;
  replaces: string | null;
  /** ISO 8601 in UTC, to the minute. */
  castAt: string;
}

/** An ISO 8601 time cut to the minute ("2026-12-01T09:41Z"). */
export function toMinute(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16)}Z`;
}

/** A chained row as the public ledger shows it: no area, no hashes, the time to the minute. */
export function publicRow<E extends ChainLink & { channel: "online" | "paper" | "proxy"; castAt: string }>(
  e: E,
): PublicLedgerRow & Omit<E, "areaCentiSqm" | "prevHash" | "hash"> {
  const { areaCentiSqm: _area, prevHash: _prev, hash: _hash, ...rest } = e;
  return { ...rest, castAt: toMinute(e.castAt) };
}

const publicColumns = ["seq", "receipt", "choice", "channel", "headcount", "replaces", "cast_at"] as const;

export function publicLedgerCsv(meta: Omit<LedgerMeta, "totalAreaCentiSqm">, entries: ChainedEntry[]): string {
  const lines = [
    "# yishitang public ballot ledger: no areas, times to the minute; recount the headcount with: npx tsx scripts/verify-ledger.ts <this file>",
    "# ledger=public",
    `# proposal=${meta.proposalId}`,
    `# matter=${meta.matter}`,
    `# total_headcount=${meta.totalHeadcount}`,
    ...spoiledRuleLine(meta.spoiledTakesPart),
    `# final_hash=${meta.finalHash}`,
    publicColumns.join(","),
  ];
  for (const e of entries.map(publicRow))
    lines.push([e.seq, e.receipt, e.choice, e.channel, e.headcount, e.replaces ?? "", e.castAt].join(","));
  return lines.join("\n") + "\n";
}

/** Whether a ledger file is a public one (no areas, no hash chain): only the headcount can be recounted from it. */
export function isPublicLedger(text: string): boolean {
  return splitLedgerFile(text).meta.get("ledger") === "public";
}

/**
 * The headcount recount of a public ledger: the rows that count (no later row replaces them) by
 * what they say (`key`: a proposal ballot's choice, or an election ballot's marks).
 */
export function recountPublic(text: string, key: (r: Record<string, string>) => string[]) {
  const { body, need } = splitLedgerFile(text);
  const records = parse(body.join("\n"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const replaced = new Set(records.map((r) => r.replaces).filter(Boolean));
  const counted = records.filter((r) => !replaced.has(r.receipt));
  const byKey = new Map<string, number>();
  for (const r of counted) for (const k of key(r)) byKey.set(k, (byKey.get(k) ?? 0) + 1);
  return {
    total: records.length,
    counted: counted.length,
    totalHeadcount: integer(need("total_headcount"), "total_headcount"),
    finalHash: need("final_hash"),
    byKey,
  };
}

export class LedgerFormatError extends Error {}

export function integer(value: string, what: string): number {
  if (!/^-?\d+$/.test(value)) throw new LedgerFormatError(`${what}: not an integer: ${JSON.stringify(value)}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new LedgerFormatError(`${what}: out of range`);
  return n;
}

/** The fields every chained ledger row has, whatever its ballot says, as read from the CSV. */
export type ChainRow = ChainLink & { channel: "online" | "paper" | "proxy"; castAt: string };

/**
 * The rows of a ledger file's body (proposal or election): the header must name `columns`; each
 * row's chain fields are read and checked here, and `entry` adds what the ballot says.
 */
export function parseLedgerRows<T>(
  body: string[],
  columns: readonly string[],
  entry: (r: Record<string, string>, link: ChainRow, row: string) => T,
): T[] {
  if (body.length > 0 && columns.some((c) => !body[0].split(",").includes(c))) {
    throw new LedgerFormatError(`the header row must be: ${columns.join(",")}`);
  }
  const records = parse(body.join("\n"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return records.map((r, i) => {
    const row = `row ${i + 1}`;
    if (r.channel !== "online" && r.channel !== "paper" && r.channel !== "proxy")
      throw new LedgerFormatError(`${row}: bad channel ${r.channel}`);
    const link: ChainRow = {
      seq: integer(r.seq, `${row} seq`),
      receipt: r.receipt,
      channel: r.channel,
      areaCentiSqm: integer(r.area_centi_sqm, `${row} area_centi_sqm`),
      headcount: integer(r.headcount, `${row} headcount`),
      replaces: r.replaces === "" ? null : r.replaces,
      castAt: r.cast_at,
      prevHash: r.prev_hash,
      hash: r.hash,
    };
    return entry(r, link, row);
  });
}

export function parseLedgerCsv(text: string): { meta: LedgerMeta; entries: ChainedEntry[] } {
  const { body, need, meta: header } = splitLedgerFile(text);
  const matter = need("matter");
  if (matter !== "ordinary" && matter !== "major")
    throw new LedgerFormatError(`matter must be ordinary or major, got ${matter}`);
  const meta: LedgerMeta = {
    proposalId: need("proposal"),
    matter,
    totalAreaCentiSqm: integer(need("total_area_centi_sqm"), "total_area_centi_sqm"),
    totalHeadcount: integer(need("total_headcount"), "total_headcount"),
    finalHash: need("final_hash"),
    spoiledTakesPart: spoiledRuleOf(header),
  };
  const entries = parseLedgerRows(body, columns, (r, link, row): ChainedEntry => {
    if (r.choice !== "agree" && r.choice !== "oppose" && r.choice !== "abstain" && r.choice !== "spoiled")
      throw new LedgerFormatError(`${row}: bad choice ${r.choice}`);
    if (r.choice === "spoiled" && link.channel !== "paper")
      throw new LedgerFormatError(`${row}: only a paper ballot can be spoiled`);
    return { ...link, choice: r.choice };
  });
  return { meta, entries };
}

export interface Verification {
  ok: boolean;
  problems: string[];
  /** The hash of the last entry as recomputed (the genesis hash for an empty ledger). */
  finalHash: string;
  /** Receipts of the ballots that count. */
  counted: string[];
  tally: Tally | null;
}

/**
 * Recomputes the chain and the tally. The voters who did not take part are not in the ledger;
 * the electorate's totals in the header stand for them (countInputs).
 */
export function verifyLedger(meta: LedgerMeta, entries: ChainedEntry[]): Verification {
  const {
    problems,
    finalHash: prev,
    counted,
  } = verifyChain(entries, (e) => canonicalEntry(meta.proposalId, e), meta.finalHash);
  let result: Tally | null = null;
  try {
    const input = countInputs(
      { headcount: meta.totalHeadcount, areaCentiSqm: meta.totalAreaCentiSqm },
      counted.map((e) => ({ areaCentiSqm: e.areaCentiSqm, choice: e.choice })),
    );
    result = tally(meta.matter, input.voters, input.ballots, { spoiledTakesPart: meta.spoiledTakesPart ?? true });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    problems.push(`the counted ballots do not fit in the electorate's totals (${error.message})`);
  }
  return {
    ok: problems.length === 0,
    problems,
    finalHash: prev,
    counted: counted.map((e) => e.receipt),
    tally: result,
  };
}

/**
 * One page of a published ledger (`?page=`), or the page holding the receipt looked up
 * (`?receipt=`, as typed), each row marked whether it still counts (no later ballot replaces it).
 */
export function ledgerPage<E extends { seq: number; receipt: string; replaces: string | null }>(
  entries: E[],
  url: URL,
  pageSize = 200,
) {
  const query = url.searchParams.get("receipt");
  const receipt = query ? normaliseReceipt(query) : null;
  const replaced = new Set(entries.flatMap((e) => (e.replaces ? [e.replaces] : [])));
  const found = receipt ? (entries.find((e) => e.receipt === receipt) ?? null) : null;
  const pages = Math.max(1, Math.ceil(entries.length / pageSize));
  const requested = Number(url.searchParams.get("page") ?? 1);
  const page = found
    ? Math.ceil(found.seq / pageSize)
    : Number.isInteger(requested)
      ? Math.min(Math.max(1, requested), pages)
      : 1;
  return {
    total: entries.length,
    page,
    pages,
    query: receipt,
    found: found ? { seq: found.seq, counted: !replaced.has(found.receipt) } : null,
    rows: entries
      .slice((page - 1) * pageSize, page * pageSize)
      .map((e) => ({ ...e, counted: !replaced.has(e.receipt) })),
  };
}
