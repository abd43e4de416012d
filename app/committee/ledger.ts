import { countInputs } from "~/voting/count";
import {
  LedgerFormatError,
  integer,
  parseLedgerRows,
  publicRow,
  splitLedgerFile,
  spoiledRuleLine,
  spoiledRuleOf,
  verifyChain,
  type ChainLink,
} from "~/voting/ledger";
import type { Choice } from "~/voting/tally";
import { countElection, type ElectionResult } from "./count";

/**
 * An election's public ballot ledger: the same hash chain as a proposal's (app/voting/ledger.ts,
 * linkHash), one row per ballot in cast order. A ballot's marks are written as the candidates
 * it agrees to or opposes, sorted by candidate id: "id=a;id=o" (an unmarked candidate is an
 * abstention, as on the ballot). The header lists the candidates with their race and the seats
 * of each race, so anyone holding the CSV can recompute the chain and the whole count.
 */
export interface ElectionLedgerEntry extends ChainLink {
  marks: string;
  channel: "online" | "paper" | "proxy";
  /** ISO 8601 in UTC with milliseconds. */
  castAt: string;
}

export interface ElectionLedgerMeta {
  electionId: string;
  /** The committee's size for a general election (it is constituted when more than half the seats are filled); null for a by-election. */
  committeeSize: number | null;
  totalAreaCentiSqm: number;
  totalHeadcount: number;
  races: { race: string; seats: number }[];
  candidates: { id: string; race: string }[];
  finalHash: string;
  /** Whether spoiled races take part (the election's rule); a file without the line says they do. */
  spoiledTakesPart?: boolean;
}

const letter: Record<Choice, string> = { agree: "a", oppose: "o", abstain: "" };

/**
 * The canonical form of a ballot's marks: agree and oppose marks by candidate id; abstentions
 * left out; a race the (paper) ballot spoils as "<race>=s" (its marks are not recorded). Sorted.
 */
export function encodeMarks(marks: Record<string, Choice>, spoiledRaces: readonly string[] = []): string {
  return [
    ...Object.entries(marks)
      .filter(([, c]) => c !== "abstain")
      .map(([id, c]) => `${id}=${letter[c]}`),
    ...spoiledRaces.map((race) => `${race}=s`),
  ]
    .sort()
    .join(";");
}

/** A ledger row's marks and spoiled races. */
export function decodeBallot(text: string): { marks: Map<string, Choice>; spoiledRaces: Set<string> } {
  const marks = new Map<string, Choice>();
  const spoiledRaces = new Set<string>();
  if (text === "") return { marks, spoiledRaces };
  for (const part of text.split(";")) {
    const spoiled = /^([0-9a-f-]{36}|X)=s$/.exec(part);
    if (spoiled) {
      if (spoiledRaces.has(spoiled[1])) throw new LedgerFormatError(`race ${spoiled[1]} spoiled twice`);
      spoiledRaces.add(spoiled[1]);
      continue;
    }
    const m = /^([0-9a-f-]{36})=([ao])$/.exec(part);
    if (!m) throw new LedgerFormatError(`bad mark ${JSON.stringify(part)}`);
    if (marks.has(m[1])) throw new LedgerFormatError(`candidate ${m[1]} marked twice`);
    marks.set(m[1], m[2] === "a" ? "agree" : "oppose");
  }
  return { marks, spoiledRaces };
}

export function decodeMarks(text: string): Map<string, Choice> {
  return decodeBallot(text).marks;
}

export function canonicalElectionEntry(electionId: string, e: Omit<ElectionLedgerEntry, "prevHash" | "hash">): string {
  return [
    "election",
    electionId,
    e.seq,
    e.receipt,
    e.marks,
    e.channel,
    e.areaCentiSqm,
    e.headcount,
    e.replaces ?? "",
    e.castAt,
  ].join("|");
}

const columns = [
  "seq",
  "receipt",
  "marks",
  "channel",
  "area_centi_sqm",
  "headcount",
  "replaces",
  "cast_at",
  "prev_hash",
  "hash",
] as const;

export function electionLedgerCsv(meta: ElectionLedgerMeta, entries: ElectionLedgerEntry[]): string {
  const lines = [
    "# yishitang election ballot ledger; verify with: npx tsx scripts/verify-ledger.ts <this file>",
    `# election=${meta.electionId}`,
    `# committee_size=${meta.committeeSize ?? ""}`,
    `# total_area_centi_sqm=${meta.totalAreaCentiSqm}`,
    `# total_headcount=${meta.totalHeadcount}`,
    `# races=${meta.races.map((r) => `${r.race}:${r.seats}`).join(";")}`,
    `# candidates=${meta.candidates.map((c) => `${c.id}:${c.race}`).join(";")}`,
    ...spoiledRuleLine(meta.spoiledTakesPart),
    `# final_hash=${meta.finalHash}`,
    columns.join(","),
  ];
  for (const e of entries) {
    lines.push(
      [
        e.seq,
        e.receipt,
        e.marks,
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

const publicColumns = ["seq", "receipt", "marks", "channel", "headcount", "replaces", "cast_at"] as const;

/** The election's public ledger: as the proposal's (app/voting/ledger.ts publicLedgerCsv), no areas, no hashes, times to the minute. */
export function publicElectionLedgerCsv(
  meta: Omit<ElectionLedgerMeta, "totalAreaCentiSqm">,
  entries: ElectionLedgerEntry[],
): string {
  const lines = [
    "# yishitang public election ballot ledger: no areas, times to the minute; recount the headcount with: npx tsx scripts/verify-ledger.ts <this file>",
    "# ledger=public",
    `# election=${meta.electionId}`,
    `# total_headcount=${meta.totalHeadcount}`,
    `# races=${meta.races.map((r) => `${r.race}:${r.seats}`).join(";")}`,
    `# candidates=${meta.candidates.map((c) => `${c.id}:${c.race}`).join(";")}`,
    ...spoiledRuleLine(meta.spoiledTakesPart),
    `# final_hash=${meta.finalHash}`,
    publicColumns.join(","),
  ];
  for (const e of entries.map(publicRow))
    lines.push([e.seq, e.receipt, e.marks, e.channel, e.headcount, e.replaces ?? "", e.castAt].join(","));
  return lines.join("\n") + "\n";
}

/** Whether a ledger file is an election's (its header names an election) rather than a proposal's. */
export function isElectionLedger(text: string): boolean {
  return splitLedgerFile(text).meta.has("election");
}

export function parseElectionLedgerCsv(text: string): { meta: ElectionLedgerMeta; entries: ElectionLedgerEntry[] } {
  const { body, need, meta: header } = splitLedgerFile(text);
  const size = need("committee_size");
  const pairs = (key: string) =>
    need(key)
      .split(";")
      .filter(Boolean)
      .map((p) => {
        const at = p.lastIndexOf(":");
        if (at <= 0) throw new LedgerFormatError(`${key}: bad entry ${JSON.stringify(p)}`);
        return [p.slice(0, at), p.slice(at + 1)] as const;
      });
  const meta: ElectionLedgerMeta = {
    electionId: need("election"),
    committeeSize: size === "" ? null : integer(size, "committee_size"),
    totalAreaCentiSqm: integer(need("total_area_centi_sqm"), "total_area_centi_sqm"),
    totalHeadcount: integer(need("total_headcount"), "total_headcount"),
    races: pairs("races").map(([race, seats]) => ({ race, seats: integer(seats, `seats of ${race}`) })),
    candidates: pairs("candidates").map(([id, race]) => ({ id, race })),
    finalHash: need("final_hash"),
    spoiledTakesPart: spoiledRuleOf(header),
  };
  const entries = parseLedgerRows(body, columns, (r, link, row): ElectionLedgerEntry => {
    if (decodeBallot(r.marks).spoiledRaces.size > 0 && link.channel !== "paper")
      throw new LedgerFormatError(`${row}: only a paper ballot can spoil a race`);
    return { ...link, marks: r.marks };
  });
  return { meta, entries };
}

export interface ElectionVerification {
  ok: boolean;
  problems: string[];
  finalHash: string;
  counted: string[];
  result: ElectionResult | null;
}

/**
 * Recomputes the chain and the count: each candidate's ordinary approval over the counted
 * ballots (the voters who did not take part stand in the header's totals), then the seats race
 * by race (app/committee/count.ts, the same function the platform counts with).
 */
export function verifyElectionLedger(meta: ElectionLedgerMeta, entries: ElectionLedgerEntry[]): ElectionVerification {
  const { problems, finalHash, counted } = verifyChain(
    entries,
    (e) => canonicalElectionEntry(meta.electionId, e),
    meta.finalHash,
  );
  const known = new Map(meta.candidates.map((c) => [c.id, c.race]));
  const races = new Set(meta.races.map((r) => r.race));
  for (const c of meta.candidates)
    if (!races.has(c.race)) problems.push(`candidate ${c.id} stands in race ${c.race}, which is not listed`);
  const ballots: { areaCentiSqm: number; marks: Map<string, Choice>; spoiledRaces: Set<string> }[] = [];
  counted.forEach((e) => {
    const { marks, spoiledRaces } = decodeBallot(e.marks);
    for (const id of marks.keys())
      if (!known.has(id)) problems.push(`ballot ${e.receipt} marks ${id}, who is not a candidate`);
    for (const race of spoiledRaces) {
      if (!races.has(race)) problems.push(`ballot ${e.receipt} spoils race ${race}, which is not listed`);
      if ([...marks.keys()].some((id) => known.get(id) === race))
        problems.push(`ballot ${e.receipt} both spoils race ${race} and marks a candidate in it`);
    }
    for (const r of meta.races) {
      const agrees = [...marks].filter(([id, c]) => c === "agree" && known.get(id) === r.race).length;
      if (agrees > r.seats)
        problems.push(`ballot ${e.receipt} agrees to ${agrees} candidates for ${r.seats} seat(s) in race ${r.race}`);
    }
    ballots.push({ areaCentiSqm: e.areaCentiSqm, marks, spoiledRaces });
  });
  let result: ElectionResult | null = null;
  try {
    const input = countInputs(
      { headcount: meta.totalHeadcount, areaCentiSqm: meta.totalAreaCentiSqm },
      ballots.map((b) => ({ areaCentiSqm: b.areaCentiSqm, choice: "abstain" as const })),
    );
    result = countElection(
      input.voters,
      input.ballots.map((b, i) => ({
        voterId: b.voterId,
        marks: ballots[i].marks,
        spoiledRaces: ballots[i].spoiledRaces,
      })),
      meta.candidates.map((c) => ({
        id: c.id,
        seat: c.race === "X" ? ("X" as const) : ("N" as const),
        zoneId: c.race === "X" ? null : c.race,
      })),
      meta.races.map((r) => ({ race: r.race, zoneId: r.race === "X" ? null : r.race, seats: r.seats })),
      meta.committeeSize,
      { spoiledTakesPart: meta.spoiledTakesPart ?? true },
    );
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    problems.push(`the count cannot be made (${error.message})`);
  }
  return { ok: problems.length === 0, problems, finalHash, counted: counted.map((e) => e.receipt), result };
}
