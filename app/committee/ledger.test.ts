import { describe, expect, it } from "vitest";
import { genesisHash, linkHash } from "~/voting/ledger";
import {
  canonicalElectionEntry,
  decodeMarks,
  electionLedgerCsv,
  encodeMarks,
  parseElectionLedgerCsv,
  verifyElectionLedger,
  type ElectionLedgerEntry,
  type ElectionLedgerMeta,
} from "./ledger";

const a = "00000000-0000-4000-8000-00000000000a";
const b = "00000000-0000-4000-8000-00000000000b";
const x = "00000000-0000-4000-8000-00000000000c";
const zone = "11111111-1111-4111-8111-111111111111";

/** A chained ledger from ballots (marks, area, replaces), cast one minute apart. */
function chain(
  electionId: string,
  ballots: { marks: Record<string, "agree" | "oppose" | "abstain">; area: number; replaces?: string }[],
): ElectionLedgerEntry[] {
  let prev = genesisHash;
  return ballots.map((bl, i) => {
    const e = {
      seq: i + 1,
      receipt: `R${String(i + 1).padStart(3, "0")}`,
      marks: encodeMarks(bl.marks),
      channel: "online" as const,
      areaCentiSqm: bl.area,
      headcount: 1,
      replaces: bl.replaces ?? null,
      castAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
    };
    const hash = linkHash(prev, canonicalElectionEntry(electionId, e));
    const out = { ...e, prevHash: prev, hash };
    prev = hash;
    return out;
  });
}

function meta(entries: ElectionLedgerEntry[], over: Partial<ElectionLedgerMeta> = {}): ElectionLedgerMeta {
  return {
    electionId: "e1",
    committeeSize: null,
    totalAreaCentiSqm: 900,
    totalHeadcount: 9,
    races: [
      { race: zone, seats: 1 },
      { race: "X", seats: 1 },
    ],
    candidates: [
      { id: a, race: zone },
      { id: b, race: zone },
      { id: x, race: "X" },
    ],
    finalHash: entries.at(-1)?.hash ?? genesisHash,
    ...over,
  };
}

describe("election ballot marks", () => {
  it("are written in one canonical order, abstentions left out", () => {
    expect(encodeMarks({ [b]: "oppose", [a]: "agree", [x]: "abstain" })).toBe(`${a}=a;${b}=o`);
    expect(encodeMarks({})).toBe("");
    expect([...decodeMarks(`${a}=a;${b}=o`)]).toEqual([
      [a, "agree"],
      [b, "oppose"],
    ]);
  });
  it("refuse a malformed or doubled mark", () => {
    expect(() => decodeMarks(`${a}=x`)).toThrow();
    expect(() => decodeMarks(`${a}=a;${a}=o`)).toThrow();
  });
});

describe("an election ledger", () => {
  // 6 of 9 voters take part (exactly 2/3 of headcount and area): a needs more than half of them.
  const ballots = [
    ...Array.from({ length: 4 }, () => ({ marks: { [a]: "agree" as const, [x]: "agree" as const }, area: 100 })),
    ...Array.from({ length: 2 }, () => ({ marks: { [b]: "agree" as const, [x]: "oppose" as const }, area: 100 })),
  ];

  it("recounts the seats from the CSV alone, through the same count as the platform", () => {
    const entries = chain("e1", ballots);
    const parsed = parseElectionLedgerCsv(electionLedgerCsv(meta(entries), entries));
    const check = verifyElectionLedger(parsed.meta, parsed.entries);
    expect(check.problems).toEqual([]);
    expect(check.result!.races.map((r) => [r.race, r.elected])).toEqual([
      [zone, [a]],
      ["X", [x]],
    ]);
    expect(check.result!.candidates.find((c) => c.id === b)!.approved).toBe(false);
  });

  it("reports a tie it cannot break, with the seat left open", () => {
    // Two seats: a is elected; b and c are both approved (5 of 8) with the same headcount and area.
    const entries = chain("e1", [
      ...Array.from({ length: 3 }, () => ({ marks: { [a]: "agree" as const, [b]: "agree" as const }, area: 100 })),
      ...Array.from({ length: 3 }, () => ({ marks: { [a]: "agree" as const, [x]: "agree" as const }, area: 100 })),
      ...Array.from({ length: 2 }, () => ({ marks: { [b]: "agree" as const, [x]: "agree" as const }, area: 100 })),
    ]);
    const m = meta(entries, {
      races: [{ race: zone, seats: 2 }],
      candidates: [a, b, x].map((id) => ({ id, race: zone })),
    });
    const check = verifyElectionLedger(m, entries);
    expect(check.problems).toEqual([]);
    expect(check.result!.races[0]).toMatchObject({ elected: [a], tied: [b, x].sort(), tiedSeats: 1, unfilled: 0 });
  });

  it("counts only the later of a replaced pair", () => {
    const replacing = chain("e1", [...ballots, { marks: {}, area: 100, replaces: "R001" }]);
    const r = verifyElectionLedger(meta(replacing), replacing);
    expect(r.problems).toEqual([]);
    expect(r.counted).toEqual(["R002", "R003", "R004", "R005", "R006", "R007"]);
    // a keeps 3 of 6 agrees: not more than half.
    expect(r.result!.candidates.find((c) => c.id === a)!.approved).toBe(false);
  });

  it("finds an edited mark, too many agrees in a race, and a candidate who is not on the ballot", () => {
    const entries = chain("e1", ballots);
    const edited = entries.map((e, i) => (i === 2 ? { ...e, marks: `${b}=a;${x}=a` } : e));
    expect(verifyElectionLedger(meta(edited), edited).problems).toContain(
      `row 3: hash does not match its fields (recomputed ${linkHash(entries[1].hash, canonicalElectionEntry("e1", edited[2]))})`,
    );
    const greedy = chain("e1", [{ marks: { [a]: "agree", [b]: "agree" }, area: 100 }]);
    expect(verifyElectionLedger(meta(greedy), greedy).problems.join()).toMatch(/agrees to 2 candidates for 1 seat/);
    const stranger = chain("e1", [{ marks: { "99999999-9999-4999-8999-999999999999": "agree" }, area: 100 }]);
    expect(verifyElectionLedger(meta(stranger), stranger).problems.join()).toMatch(/who is not a candidate/);
  });

  it("is bound to its election: the same rows under another election's id do not verify", () => {
    const entries = chain("e1", ballots);
    expect(verifyElectionLedger(meta(entries, { electionId: "e2" }), entries).ok).toBe(false);
  });
});
