// Recomputes a vote's ballot ledger from its public CSV: the hash chain, the final hash, and the
// tally under Civil Code Art. 278 (the thresholds of app/lib/law.ts: quorum 2/3 of area and headcount; major matters 3/4,
// ordinary ones more than half). A committee election's ledger (its header names the election)
// is recounted candidate by candidate, with the seats race by race. Usage:
//   npx tsx scripts/verify-ledger.ts ledger.csv [--receipt 7KQ2-M9XD-4HTP]
// Exit code 0 when the ledger is consistent, 1 when it is not, 2 on bad usage.
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { decodeMarks, isElectionLedger, parseElectionLedgerCsv, verifyElectionLedger } from "../app/committee/ledger";
import { law, meets, type Threshold } from "../app/lib/law";
import {
  isPublicLedger,
  LedgerFormatError,
  normaliseReceipt,
  parseLedgerCsv,
  recountPublic,
  verifyLedger,
} from "../app/voting/ledger";

const fraction = (t: Threshold) => `${t.inclusive ? "" : "more than "}${t.num}/${t.den}`;
const area = (centi: number) => `${Math.trunc(centi / 100)}.${String(centi % 100).padStart(2, "0")} m²`;

export async function run(args: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const file = args.find((a) => !a.startsWith("--") && args[args.indexOf(a) - 1] !== "--receipt");
  const receiptAt = args.indexOf("--receipt");
  const receipt = receiptAt >= 0 ? args[receiptAt + 1] : undefined;
  if (!file || (receiptAt >= 0 && !receipt)) {
    return { code: 2, output: "usage: npx tsx scripts/verify-ledger.ts ledger.csv [--receipt CODE]\n" };
  }
  const text = await readFile(file, "utf8");
  if (isPublicLedger(text)) return runPublic(text, receipt);
  if (isElectionLedger(text)) return runElection(text, receipt);
  let parsed;
  try {
    parsed = parseLedgerCsv(text);
  } catch (error) {
    if (error instanceof LedgerFormatError) return { code: 1, output: `not a valid ledger: ${error.message}\n` };
    throw error;
  }
  const { meta, entries } = parsed;
  const check = verifyLedger(meta, entries);
  lines.push(
    `proposal ${meta.proposalId} (${meta.matter} matter), ${entries.length} ballots in the chain, ${check.counted.length} counted`,
  );
  lines.push(
    `final hash ${check.finalHash} ${check.finalHash === meta.finalHash ? "(matches the published one)" : "(DIFFERS from the published one)"}`,
  );
  if (check.tally) {
    const r = check.tally;
    lines.push(`electorate: ${area(r.totalArea)}, ${r.totalHeadcount} voters`);
    lines.push(
      `taking part: ${area(r.participatingArea)}, ${r.participatingHeadcount} voters — quorum (${fraction(law.quorum)} of both) ${r.quorumMet ? "met" : "NOT met"}`,
    );
    lines.push(
      `agree ${area(r.agreeArea)} / ${r.agreeHeadcount}; oppose ${area(r.opposeArea)} / ${r.opposeHeadcount}; abstain ${area(r.abstainArea)} / ${r.abstainHeadcount}`,
    );
    lines.push(`result: ${r.passed ? "PASSED" : "NOT PASSED"}`);
  }
  if (receipt) {
    const code = normaliseReceipt(receipt);
    const entry = entries.find((e) => e.receipt === code);
    lines.push(
      entry
        ? `receipt ${code}: ballot #${entry.seq}, ${entry.choice}, ${area(entry.areaCentiSqm)}, ${check.counted.includes(code) ? "counted" : "replaced by a later ballot"}`
        : `receipt ${code}: NOT in the ledger`,
    );
  }
  for (const p of check.problems) lines.push(`PROBLEM: ${p}`);
  lines.push(check.ok ? "OK: the chain and the tally check out." : `FAILED: ${check.problems.length} problem(s).`);
  return {
    code: check.ok && (!receipt || entries.some((e) => e.receipt === normaliseReceipt(receipt))) ? 0 : 1,
    output: lines.join("\n") + "\n",
  };
}

/**
 * The public ledger anyone may download (no areas, no hash chain): the headcount is recounted and
 * a receipt looked up; the area and the chain need the full ledger that verified owners may read.
 */
function runPublic(text: string, receipt: string | undefined): { code: number; output: string } {
  let count;
  try {
    const election = isElectionLedger(text);
    count = recountPublic(text, (r) =>
      election ? [...decodeMarks(r.marks)].map(([candidate, choice]) => `${candidate} ${choice}`) : [r.choice],
    );
  } catch (error) {
    if (error instanceof LedgerFormatError) return { code: 1, output: `not a valid ledger: ${error.message}\n` };
    throw error;
  }
  const lines = [`public ledger: ${count.total} ballots, ${count.counted} counted, of ${count.totalHeadcount} voters`];
  // Art. 278's quorum by headcount, from the law's table.
  lines.push(
    `headcount taking part: ${count.counted} of ${count.totalHeadcount} — ${fraction(law.quorum)} ${meets(law.quorum, count.counted, count.totalHeadcount) ? "met" : "NOT met"}`,
  );
  for (const [key, n] of [...count.byKey].sort()) lines.push(`  ${key}: ${n}`);
  lines.push(
    "areas and the hash chain are not in the public ledger: check them with the full ledger (verified owners, after close).",
  );
  let code = count.counted <= count.totalHeadcount ? 0 : 1;
  if (code) lines.push(`PROBLEM: more counted ballots (${count.counted}) than voters (${count.totalHeadcount})`);
  if (receipt) {
    const found = recountPublicReceipt(text, normaliseReceipt(receipt));
    lines.push(
      found
        ? `receipt ${normaliseReceipt(receipt)}: in the ledger`
        : `receipt ${normaliseReceipt(receipt)}: NOT in the ledger`,
    );
    if (!found) code = 1;
  }
  return { code, output: lines.join("\n") + "\n" };
}

function recountPublicReceipt(text: string, receipt: string): boolean {
  return text.split("\n").some((line) => !line.startsWith("#") && line.split(",")[1] === receipt);
}

async function runElection(text: string, receipt: string | undefined): Promise<{ code: number; output: string }> {
  let parsed;
  try {
    parsed = parseElectionLedgerCsv(text);
  } catch (error) {
    if (error instanceof LedgerFormatError) return { code: 1, output: `not a valid ledger: ${error.message}\n` };
    throw error;
  }
  const { meta, entries } = parsed;
  const check = verifyElectionLedger(meta, entries);
  const lines: string[] = [];
  lines.push(
    `election ${meta.electionId}, ${meta.candidates.length} candidates, ${entries.length} ballots in the chain, ${check.counted.length} counted`,
  );
  lines.push(
    `final hash ${check.finalHash} ${check.finalHash === meta.finalHash ? "(matches the published one)" : "(DIFFERS from the published one)"}`,
  );
  lines.push(`electorate: ${area(meta.totalAreaCentiSqm)}, ${meta.totalHeadcount} voters`);
  if (check.result) {
    for (const c of check.result.candidates) {
      const t = c.tally;
      lines.push(
        `candidate ${c.id} (${c.seat === "X" ? "X" : `zone ${c.zoneId}`}): agree ${area(t.agreeArea)} / ${t.agreeHeadcount}; quorum ${t.quorumMet ? "met" : "NOT met"}; ${c.approved ? "APPROVED" : "not approved"}`,
      );
    }
    for (const r of check.result.races) {
      lines.push(
        `race ${r.race}: ${r.seats} seat(s); elected ${r.elected.join(" ") || "none"}${r.tied.length ? `; TIED for ${r.tiedSeats}: ${r.tied.join(" ")}` : ""}${r.unfilled ? `; ${r.unfilled} unfilled` : ""}`,
      );
    }
    if (check.result.constituted !== null)
      lines.push(
        `committee ${check.result.constituted ? "constituted" : "NOT constituted"} (more than half of ${meta.committeeSize} seats needed)`,
      );
  }
  const code = receipt ? normaliseReceipt(receipt) : null;
  if (code) {
    const entry = entries.find((e) => e.receipt === code);
    lines.push(
      entry
        ? `receipt ${code}: ballot #${entry.seq}, ${area(entry.areaCentiSqm)}, ${check.counted.includes(code) ? "counted" : "replaced by a later ballot"}`
        : `receipt ${code}: NOT in the ledger`,
    );
  }
  for (const p of check.problems) lines.push(`PROBLEM: ${p}`);
  lines.push(check.ok ? "OK: the chain and the count check out." : `FAILED: ${check.problems.length} problem(s).`);
  return {
    code: check.ok && (!code || entries.some((e) => e.receipt === code)) ? 0 : 1,
    output: lines.join("\n") + "\n",
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { code, output } = await run(process.argv.slice(2));
  process.stdout.write(output);
  process.exit(code);
}
