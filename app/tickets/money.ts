/*
 * Yuan as people type them, and integer fen as they are kept. No floats: "1,234.5" is parsed
 * digit by digit into 123450 fen.
 */

/** "1234.5", "1,234.50", "¥12" → fen; null when not a non-negative amount with at most two decimals. */
export function parseYuan(text: string): number | null {
  const clean = text.trim().replace(/^[¥￥]/, "").replace(/[,，\s]/g, "");
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(clean);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** Integer fen as yuan: 123456 → "1,234.56", -5 → "-0.05". */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(fen));
  const whole = Math.trunc(abs / 100).toLocaleString("en-US");
  return `${sign}${whole}.${String(abs % 100).padStart(2, "0")}`;
}

export interface ReportLine {
  kind: "income" | "spending";
  label: string;
  amountFen: number;
}

export type LineError = { error: "tickets.reports.badLine" | "tickets.reports.badAmount"; line: number } | { error: "tickets.reports.noLines"; line: 0 };

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
    const kind = kindText === "income" || kindText === "收入" ? "income" : kindText === "spending" || kindText === "支出" ? "spending" : null;
    const label = parts[1];
    if (!kind || !label || label.length > 100) return { ok: false, error: "tickets.reports.badLine", line: i + 1 };
    const amountFen = parseYuan(parts[2]);
    if (amountFen === null) return { ok: false, error: "tickets.reports.badAmount", line: i + 1 };
    lines.push({ kind, label, amountFen });
  }
  if (lines.length === 0) return { ok: false, error: "tickets.reports.noLines", line: 0 };
  if (lines.length > 200) return { ok: false, error: "tickets.reports.badLine", line: 201 };
  return { ok: true, lines };
}

/** Totals of a report: income, spending, and what is left (may be negative). All integer fen. */
export function reportTotals(lines: readonly ReportLine[]): { incomeFen: number; spendingFen: number; balanceFen: number } {
  let incomeFen = 0;
  let spendingFen = 0;
  for (const l of lines) {
    if (l.kind === "income") incomeFen += l.amountFen;
    else spendingFen += l.amountFen;
  }
  return { incomeFen, spendingFen, balanceFen: incomeFen - spendingFen };
}

/** A ledger's running balance after each entry (in the order given), and its totals. */
export function ledgerTotals(entries: readonly { direction: "in" | "out"; amountFen: number }[]): { inFen: number; outFen: number; balanceFen: number; running: number[] } {
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
  const d = new Date(at.getTime() + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}
