import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  chainHash,
  genesisHash,
  ledgerCsv,
  publicLedgerCsv,
  type ChainedEntry,
  type LedgerEntry,
} from "../app/voting/ledger";
import { run } from "./verify-ledger";

const dir = mkdtempSync(path.join(tmpdir(), "yst-ledger-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const proposalId = "11111111-2222-3333-4444-555555555555";

/** A chain: three voters of 100.00 m² cast, the first changes its mind; a fourth (100.00 m²) stays away. */
function chain(): ChainedEntry[] {
  const raw: Omit<LedgerEntry, "seq">[] = [
    {
      receipt: "AAAA-AAAA-AAA2",
      choice: "oppose",
      channel: "online",
      areaCentiSqm: 10_000,
      headcount: 1,
      replaces: null,
      castAt: "2026-12-01T01:00:00.000Z",
    },
    {
      receipt: "BBBB-BBBB-BBB2",
      choice: "agree",
      channel: "paper",
      areaCentiSqm: 10_000,
      headcount: 1,
      replaces: null,
      castAt: "2026-12-01T02:00:00.000Z",
    },
    {
      receipt: "CCCC-CCCC-CCC2",
      choice: "agree",
      channel: "proxy",
      areaCentiSqm: 10_000,
      headcount: 1,
      replaces: null,
      castAt: "2026-12-01T03:00:00.000Z",
    },
    {
      receipt: "DDDD-DDDD-DDD2",
      choice: "agree",
      channel: "online",
      areaCentiSqm: 10_000,
      headcount: 1,
      replaces: "AAAA-AAAA-AAA2",
      castAt: "2026-12-01T04:00:00.000Z",
    },
  ];
  let prev = genesisHash;
  return raw.map((r, i) => {
    const entry = { ...r, seq: i + 1 };
    const hash = chainHash(prev, proposalId, entry);
    const out = { ...entry, prevHash: prev, hash };
    prev = hash;
    return out;
  });
}

function write(
  name: string,
  entries: ChainedEntry[],
  finalHash = entries.at(-1)!.hash,
  matter: "ordinary" | "major" = "major",
) {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    ledgerCsv({ proposalId, matter, totalAreaCentiSqm: 40_000, totalHeadcount: 4, finalHash }, entries),
  );
  return file;
}

describe("scripts/verify-ledger.ts", () => {
  it("recounts the headcount of the public ledger (no areas) and finds a receipt in it", async () => {
    const entries = chain();
    const file = path.join(dir, "public.csv");
    writeFileSync(
      file,
      publicLedgerCsv({ proposalId, matter: "major", totalHeadcount: 4, finalHash: entries.at(-1)!.hash }, entries),
    );
    const { code, output } = await run([file, "--receipt", "bbbb bbbb bbb2"]);
    expect(output).toContain("public ledger: 4 ballots, 3 counted, of 4 voters");
    expect(output).toContain("headcount taking part: 3 of 4 — 2/3 met");
    expect(output).toContain("  agree: 3");
    expect(output).toContain("receipt BBBB-BBBB-BBB2: in the ledger");
    expect(output).not.toMatch(/m²/);
    expect(code).toBe(0);
    const stuffed = path.join(dir, "public-stuffed.csv");
    writeFileSync(
      stuffed,
      publicLedgerCsv({ proposalId, matter: "major", totalHeadcount: 2, finalHash: entries.at(-1)!.hash }, entries),
    );
    const bad = await run([stuffed]);
    expect(bad.output).toContain("PROBLEM: more counted ballots (3) than voters (2)");
    expect(bad.code).toBe(1);
  });

  it("recomputes the chain and the tally of a sound ledger", async () => {
    const { code, output } = await run([write("good.csv", chain()), "--receipt", "dddd dddd ddd2"]);
    expect(output).toContain("4 ballots in the chain, 3 counted");
    expect(output).toContain("taking part: 300.00 m², 3 voters — quorum (2/3 of both) met");
    // Major matter: 3 of 3 agree.
    expect(output).toContain("result: PASSED");
    expect(output).toContain("receipt DDDD-DDDD-DDD2: ballot #4, agree, 100.00 m², counted");
    expect(output).toContain("OK: the chain and the tally check out.");
    expect(code).toBe(0);
  });

  it("catches a changed choice, a removed ballot, a wrong final hash and a double replacement", async () => {
    const tampered = chain();
    tampered[1] = { ...tampered[1], choice: "oppose" };
    const a = await run([write("tampered.csv", tampered)]);
    expect(a.code).toBe(1);
    expect(a.output).toMatch(/row 2: hash does not match/);

    const removed = chain().filter((e) => e.seq !== 2);
    const b = await run([write("removed.csv", removed)]);
    expect(b.code).toBe(1);
    expect(b.output).toMatch(/row 2: seq is 3, expected 2/);
    expect(b.output).toMatch(/prev_hash does not match/);

    const c = await run([write("final.csv", chain(), "f".repeat(64))]);
    expect(c.code).toBe(1);
    expect(c.output).toMatch(/DIFFERS from the published one/);

    const d = await run([write("good2.csv", chain()), "--receipt", "ZZZZ-ZZZZ-ZZZZ"]);
    expect(d.code).toBe(1);
    expect(d.output).toContain("NOT in the ledger");
  });

  it("runs from the command line", () => {
    const file = write("cli.csv", chain(), undefined, "ordinary");
    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/verify-ledger.ts", file], {
      encoding: "utf8",
    });
    expect(out).toContain("result: PASSED");
    expect(() =>
      execFileSync(
        process.execPath,
        ["--import", "tsx", "scripts/verify-ledger.ts", write("bad.csv", chain(), "0".repeat(64))],
        { stdio: "pipe" },
      ),
    ).toThrow();
  });
});
