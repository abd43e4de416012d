import { parseYuan } from "~/lib/money";
import { beijingDate } from "~/lib/time";

export interface ReportLine {
  kind: "income" | "spending";
  label: string;
  amountFen: number;
}

export type LineError =
  | { error: "tickets.reports.badLine" | "tickets.reports.badAmount"; line: number }
  | { error: "tickets.reports.noLines"; line: 0 };

/**
 * A service report's figures, one per line: "income,物业费,152300.00" (收入/支出 also read).
 * Commas in Chinese (，) and tabs also separate; exactly three fields, so an amount written with
 * a thousands separator ("8,000.50") is refused as a bad line rather than misread.
 */
export function parseReportLines(text: string): { ok: true; lines: ReportLine[] } | ({ ok: false } & LineError) {
  const lines: ReportLine[] = [];
  const rows = text.split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i].trim();
    if (!row) continue;
    const parts = row.split(/[,，\t]/).map((p) => p.trim());
    if (parts.length !== 3) return { ok: false, error: "tickets.reports.badLine", line: i + 1 };
    const kindText = parts[0].toLowerCase();
    const kind =
      kindText === "income" || kindText === "收入"
        ? "income"
        : kindText === "spending" || kindText === "支出"
          ? "spending"
          : null;
    const label = parts[1];
    if (!kind || !label || label.length > 100) return { ok: false, error: "tickets.reports.badLine", line: i + 1 };
    const amount = parseYuan(parts[2]);
    if (!amount.ok) return { ok: false, error: "tickets.reports.badAmount", line: i + 1 };
    lines.push({ kind, label, amountFen: amount.fen });
  }
  if (lines.length === 0) return { ok: false, error: "tickets.reports.noLines", line: 0 };
  if (lines.length > 200) return { ok: false, error: "tickets.reports.badLine", line: 201 };
  return { ok: true, lines };
}

/** Totals of a report: income, spending, and what is left (may be negative). All integer fen. */
export function reportTotals(lines: readonly ReportLine[]): {
  incomeFen: number;
  spendingFen: number;
  balanceFen: number;
} {
  let incomeFen = 0;
  let spendingFen = 0;
  for (const l of lines) {
    if (l.kind === "income") incomeFen += l.amountFen;
    else spendingFen += l.amountFen;
  }
  return { incomeFen, spendingFen, balanceFen: incomeFen - spendingFen };
}

/** A ledger's running balance after each entry (in the order given), and its totals. */
export function ledgerTotals(entries: readonly { direction: "in" | "out"; amountFen: number }[]): {
  inFen: number;
  outFen: number;
  balanceFen: number;
  running: number[];
} {
  let inFen = 0;
  let outFen = 0;
  const running: number[] = [];
  for (const e of entries) {
    if (e.direction === "in") inFen += e.amountFen;
    else outFen += e.amountFen;
    running.push(inFen - outFen);
  }
  return { inFen, outFen, balanceFen: inFen - outFen, running };
}

/** "2026-Q4" for the quarter an instant falls in (Beijing time). */
export function quarterOf(at: Date): string {
  const day = beijingDate(at);
  return `${day.slice(0, 4)}-Q${Math.ceil(Number(day.slice(5, 7)) / 3)}`;
}
