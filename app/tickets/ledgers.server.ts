import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import type { LedgerKind } from "#db/schema/tickets";
import { recordAudit } from "~/audit/audit.server";
import { rowsOf } from "~/notify/outbox.server";
import { servingCompany, type Failure, type Ok } from "./company.server";
import { ledgerTotals, reportTotals, type ReportLine } from "./money";

const { ledgerEntries, proposals, serviceReportLines, serviceReports } = schema;

// ------------------------------------------------------------- service reports

/** The company's quarterly report: text and figures, published once per quarter, never edited. */
export async function publishReport(input: {
  estateId: string;
  userId: string;
  quarter: string;
  title: string;
  body: string;
  lines: ReportLine[];
  now?: Date;
}): Promise<Ok<{ id: string }> | Failure> {
  const now = input.now ?? new Date();
  return getDb().transaction(async (tx) => {
    const company = await servingCompany(tx, input.estateId);
    const [report] = await tx
      .insert(serviceReports)
      .values({
        estateId: input.estateId,
        companyId: company?.id ?? null,
        quarter: input.quarter,
        title: input.title,
        body: input.body,
        publishedBy: input.userId,
        publishedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: serviceReports.id });
    if (!report) return { ok: false, error: "tickets.reports.exists" } as const;
    await tx.insert(serviceReportLines).values(
      input.lines.map((l, i) => ({
        estateId: input.estateId,
        reportId: report.id,
        position: i + 1,
        kind: l.kind,
        label: l.label,
        amountFen: l.amountFen,
      })),
    );
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.userId,
      act: "service_report_publish",
      subjectType: "service_report",
      subjectId: report.id,
      detail: { quarter: input.quarter },
      at: now,
    });
    return { ok: true, id: report.id } as const;
  });
}

/** Every report of the estate, newest first, with its lines and totals (sums in SQL as bigint, checked against the lines). */
export async function listReports(estateId: string) {
  const db = getDb();
  const reports = await db
    .select()
    .from(serviceReports)
    .where(eq(serviceReports.estateId, estateId))
    .orderBy(desc(serviceReports.quarter));
  if (reports.length === 0) return [];
  const lines = await db
    .select()
    .from(serviceReportLines)
    .where(
      and(
        eq(serviceReportLines.estateId, estateId),
        inArray(
          serviceReportLines.reportId,
          reports.map((r) => r.id),
        ),
      ),
    )
    .orderBy(asc(serviceReportLines.position));
  return reports.map((r) => {
    const mine = lines
      .filter((l) => l.reportId === r.id)
      .map((l) => ({ kind: l.kind as ReportLine["kind"], label: l.label, amountFen: Number(l.amountFen) }));
    return {
      id: r.id,
      quarter: r.quarter,
      title: r.title,
      body: r.body,
      publishedAt: r.publishedAt.toISOString(),
      lines: mine,
      totals: reportTotals(mine),
    };
  });
}

// ------------------------------------------------------------- ledgers

export interface LedgerInput {
  estateId: string;
  userId: string;
  ledger: LedgerKind;
  direction: "in" | "out";
  occurredOn: string;
  description: string;
  counterparty?: string | null;
  amountFen: number;
  proposalId?: string | null;
  correctsSeq?: number | null;
  now?: Date;
}

/**
 * The committee records an entry. A payment out of the maintenance fund must name the owners'
 * vote that approved it (a fund_use proposal whose result is published and passed); a correction
 * names the entry it corrects and goes the other way. Numbers count up per ledger, under a lock.
 */
export async function recordEntry(input: LedgerInput): Promise<Ok<{ seq: number }> | Failure> {
  const now = input.now ?? new Date();
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
    return { ok: false, error: "tickets.ledgers.badAmount" };
  return getDb().transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext('ledger_entry'), hashtext(${`${input.estateId}/${input.ledger}`}))`,
    );
    let correctsId: string | null = null;
    if (input.correctsSeq) {
      const [target] = await tx
        .select()
        .from(ledgerEntries)
        .where(
          and(
            eq(ledgerEntries.estateId, input.estateId),
            eq(ledgerEntries.ledger, input.ledger),
            eq(ledgerEntries.seq, input.correctsSeq),
          ),
        );
      if (!target || target.direction === input.direction)
        return { ok: false, error: "tickets.ledgers.badCorrects" } as const;
      correctsId = target.id;
    }
    if (input.ledger === "maintenance_fund" && input.direction === "out" && !correctsId) {
      if (!input.proposalId) return { ok: false, error: "tickets.ledgers.fundUseNeedsVote" } as const;
      const [vote] = await tx
        .select({ id: proposals.id, result: proposals.result, status: proposals.status })
        .from(proposals)
        .where(
          and(
            eq(proposals.id, input.proposalId),
            eq(proposals.estateId, input.estateId),
            eq(proposals.type, "fund_use"),
          ),
        );
      const passed =
        vote &&
        (vote.status === "published" || vote.status === "carried_out") &&
        Boolean((vote.result as { passed?: boolean } | null)?.passed);
      if (!passed) return { ok: false, error: "tickets.ledgers.fundUseNeedsVote" } as const;
    }
    const [{ next }] = rowsOf<{ next: number }>(
      await tx.execute(
        sql`select coalesce(max(seq), 0) + 1 as next from ledger_entry where estate_id = ${input.estateId} and ledger = ${input.ledger}`,
      ),
    );
    const seq = Number(next);
    await tx.insert(ledgerEntries).values({
      estateId: input.estateId,
      ledger: input.ledger,
      seq,
      direction: input.direction,
      occurredOn: input.occurredOn,
      description: input.description,
      counterparty: input.counterparty?.trim() || null,
      amountFen: input.amountFen,
      proposalId: input.proposalId ?? null,
      correctsId,
      recordedBy: input.userId,
      recordedAt: now,
    });
    return { ok: true, seq } as const;
  });
}

/** A ledger in the order entered, with the running balance; the totals are also summed in SQL and must agree. */
export async function ledger(estateId: string, kind: LedgerKind) {
  const db = getDb();
  const rows = await db
    .select({ e: ledgerEntries, proposalTitle: proposals.title })
    .from(ledgerEntries)
    .leftJoin(proposals, eq(proposals.id, ledgerEntries.proposalId))
    .where(and(eq(ledgerEntries.estateId, estateId), eq(ledgerEntries.ledger, kind)))
    .orderBy(asc(ledgerEntries.seq));
  const bySeq = new Map(rows.map((r) => [r.e.id, r.e.seq]));
  const entries = rows.map(({ e, proposalTitle }) => ({
    id: e.id,
    seq: e.seq,
    direction: e.direction as "in" | "out",
    occurredOn: e.occurredOn,
    description: e.description,
    counterparty: e.counterparty,
    amountFen: Number(e.amountFen),
    proposalId: e.proposalId,
    proposalTitle,
    correctsSeq: e.correctsId ? (bySeq.get(e.correctsId) ?? null) : null,
  }));
  const totals = ledgerTotals(entries);
  const [sqlTotals] = rowsOf<{ in_fen: string | number; out_fen: string | number }>(
    await db.execute(sql`
      select coalesce(sum(amount_fen) filter (where direction = 'in'), 0)::bigint as in_fen,
             coalesce(sum(amount_fen) filter (where direction = 'out'), 0)::bigint as out_fen
      from ledger_entry where estate_id = ${estateId} and ledger = ${kind}
    `),
  );
  if (Number(sqlTotals.in_fen) !== totals.inFen || Number(sqlTotals.out_fen) !== totals.outFen)
    throw new Error(`ledger ${kind} of ${estateId} does not add up`);
  return {
    entries: entries.map((e, i) => ({ ...e, balanceFen: totals.running[i] })),
    inFen: totals.inFen,
    outFen: totals.outFen,
    balanceFen: totals.balanceFen,
  };
}

/** Passed fund-use votes the committee can cite for a payment out of the fund. */
export async function fundUseVotes(estateId: string) {
  const rows = await getDb()
    .select({ id: proposals.id, title: proposals.title, result: proposals.result })
    .from(proposals)
    .where(
      and(
        eq(proposals.estateId, estateId),
        eq(proposals.type, "fund_use"),
        inArray(proposals.status, ["published", "carried_out"]),
      ),
    )
    .orderBy(desc(proposals.createdAt));
  return rows
    .filter((r) => Boolean((r.result as { passed?: boolean } | null)?.passed))
    .map((r) => ({ id: r.id, title: r.title }));
}
