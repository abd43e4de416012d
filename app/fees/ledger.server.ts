import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { schema, type Queryable } from "#db/client";
import { isUuid } from "~/lib/ids";
import { beijingDate } from "~/lib/time";
import { enqueue } from "~/notify/outbox.server";
import type { ProviderSession } from "~/payments/provider.server";
import { recordAudit } from "~/audit/audit.server";

const {
  bills,
  checkoutBills,
  checkouts,
  estates,
  feeSettings,
  ownerships,
  owners,
  paymentBills,
  paymentEvents,
  payments,
  refunds,
} = schema;

export type CheckoutRow = typeof checkouts.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;

/*
 * The ledger's commands. Each runs inside the caller's transaction, so the webhook, the
 * reconciliation job and the staff's offline payments change bills, payments, receipts and
 * the outbox together or not at all. Lock order, to keep concurrent transactions from
 * deadlocking: checkout → payment → bills (by id) → the estate's fee_settings row (the
 * receipt counter, taken last).
 */

/** "YIXIN-2026-000123": the estate's prefix, the Beijing year of payment, a per-estate counter. */
export function formatReceiptNo(slug: string, paidAt: Date, seq: number): string {
  const prefix =
    slug
      .replace(/[^a-z0-9]/gi, "")
      .toUpperCase()
      .slice(0, 10) || "YST";
  return `${prefix}-${beijingDate(paidAt).slice(0, 4)}-${String(seq).padStart(6, "0")}`;
}

function placeholderReceiptNo(paymentId: string): string {
  return `pending:${paymentId}`;
}

/**
 * Gives a payment the estate's next receipt number. The counter row stays locked until the
 * transaction ends, so payments of one estate queue here: callers do it last, just before
 * they commit, to hold the lock as briefly as they can.
 */
export async function assignReceiptNo(
  tx: Queryable,
  paymentId: string,
  estateId: string,
  slug: string,
  paidAt: Date,
): Promise<string> {
  const [row] = await tx
    .insert(feeSettings)
    .values({ estateId, receiptSeq: 1 })
    .onConflictDoUpdate({ target: feeSettings.estateId, set: { receiptSeq: sql`${feeSettings.receiptSeq} + 1` } })
    .returning({ seq: feeSettings.receiptSeq });
  const receiptNo = formatReceiptNo(slug, paidAt, row.seq);
  await tx
    .update(payments)
    .set({ receiptNo })
    .where(and(eq(payments.id, paymentId), eq(payments.estateId, estateId)));
  return receiptNo;
}

export function receiptPath(slug: string, paymentId: string): string {
  return `/e/${slug}/receipts/${paymentId}`;
}

async function estateSlug(tx: Queryable, estateId: string): Promise<string> {
  const [estate] = await tx.select({ slug: estates.slug }).from(estates).where(eq(estates.id, estateId));
  return estate.slug;
}

/**
 * Finds and locks our checkout for a provider session: by the session id, else by the
 * checkout id the session carries in its metadata (a session whose id we never stored).
 */
export async function lockCheckout(
  tx: Queryable,
  provider: string,
  session: Pick<ProviderSession, "id" | "metadata">,
): Promise<CheckoutRow | null> {
  const [bySession] = await tx
    .select()
    .from(checkouts)
    .where(and(eq(checkouts.provider, provider), eq(checkouts.sessionId, session.id)))
    .for("update");
  if (bySession) return bySession;
  const checkoutId = session.metadata?.checkout_id;
  if (!isUuid(checkoutId)) return null;
  const [byId] = await tx
    .select()
    .from(checkouts)
    .where(and(eq(checkouts.id, checkoutId), eq(checkouts.provider, provider), sql`${checkouts.sessionId} is null`))
    .for("update");
  if (!byId) return null;
  await tx.update(checkouts).set({ sessionId: session.id }).where(eq(checkouts.id, byId.id));
  return { ...byId, sessionId: session.id };
}

const unsettled = new Set<CheckoutRow["status"]>(["creating", "open", "processing"]);

/** The customer finished but an asynchronous payment is still settling: keep the bills held. */
export async function settleAwaiting(tx: Queryable, checkout: CheckoutRow): Promise<"awaiting" | "already"> {
  if (checkout.status !== "creating" && checkout.status !== "open") return "already";
  await tx.update(checkouts).set({ status: "processing" }).where(eq(checkouts.id, checkout.id));
  return "awaiting";
}

/** The session expired or its payment failed: the bills it held are free to pay again. */
export async function settleReleased(
  tx: Queryable,
  checkout: CheckoutRow,
  status: "expired" | "failed",
  now: Date,
): Promise<"released" | "already"> {
  if (!unsettled.has(checkout.status)) return "already";
  await tx.update(checkouts).set({ status, closedAt: now }).where(eq(checkouts.id, checkout.id));
  await tx
    .update(bills)
    .set({ status: "unpaid", pendingCheckoutId: null })
    .where(and(eq(bills.pendingCheckoutId, checkout.id), eq(bills.status, "pending")));
  return "released";
}

export interface PaidFacts {
  amountTotal: number | null;
  currency: string | null;
  paymentIntentId: string | null;
}

export type PaidOutcome =
  | { outcome: "paid" | "unapplied"; paymentId: string; receiptNo: string }
  | { outcome: "already"; paymentId: string | null };

/**
 * The provider says the session is paid. Records the payment (once: payment_checkout_once)
 * and marks the checkout's bills paid — unless one of them has been paid meanwhile, or the
 * amount is not what we asked for: then the money is recorded as received but not applied,
 * the bills keep their state, and the payment waits for a refund (audit-logged).
 * A bill held by another, unfinished checkout is taken over: money in hand wins.
 */
export async function settlePaid(
  tx: Queryable,
  checkout: CheckoutRow,
  facts: PaidFacts,
  now: Date,
): Promise<PaidOutcome> {
  const [existing] = await tx.select({ id: payments.id }).from(payments).where(eq(payments.checkoutId, checkout.id));
  if (checkout.status === "completed" || existing) return { outcome: "already", paymentId: existing?.id ?? null };

  const held = await tx
    .select({ id: bills.id, status: bills.status, amountFen: bills.amountFen, heldFen: checkoutBills.amountFen })
    .from(checkoutBills)
    .innerJoin(bills, eq(bills.id, checkoutBills.billId))
    .where(and(eq(checkoutBills.checkoutId, checkout.id), eq(checkoutBills.estateId, checkout.estateId)))
    .orderBy(asc(bills.id))
    .for("update", { of: bills });
  const heldTotal = held.reduce((sum, b) => sum + b.heldFen, 0);
  const amountMatches =
    facts.amountTotal === checkout.amountFen &&
    heldTotal === checkout.amountFen &&
    (facts.currency ?? "").toLowerCase() === checkout.currency;
  const billsFree = held.length > 0 && held.every((b) => b.status !== "paid" && b.amountFen === b.heldFen);
  const applied = amountMatches && billsFree;

  // The receipt number is taken last (see assignReceiptNo); until then the row carries a placeholder.
  const paymentId = randomUUID();
  const [payment] = await tx
    .insert(payments)
    .values({
      id: paymentId,
      estateId: checkout.estateId,
      receiptNo: placeholderReceiptNo(paymentId),
      method: "online",
      provider: checkout.provider,
      checkoutId: checkout.id,
      providerPaymentIntent: facts.paymentIntentId,
      amountFen: facts.amountTotal && facts.amountTotal > 0 ? facts.amountTotal : checkout.amountFen,
      applied,
      payerUserId: checkout.userId,
      paidAt: now,
    })
    .returning();

  if (applied) {
    const ids = held.map((b) => b.id);
    const updated = await tx
      .update(bills)
      .set({ status: "paid", paymentId: payment.id, paidAt: now, pendingCheckoutId: null })
      .where(and(inArray(bills.id, ids), eq(bills.estateId, checkout.estateId), sql`${bills.status} <> 'paid'`))
      .returning({ id: bills.id });
    // The rows are locked above, so this cannot differ; if it ever did, nothing commits.
    if (updated.length !== ids.length)
      throw new Error(`checkout ${checkout.id}: ${updated.length} of ${ids.length} bills marked paid`);
    await tx
      .insert(paymentBills)
      .values(
        held.map((b) => ({ paymentId: payment.id, billId: b.id, estateId: checkout.estateId, amountFen: b.amountFen })),
      );
  } else {
    await tx
      .update(bills)
      .set({ status: "unpaid", pendingCheckoutId: null })
      .where(and(eq(bills.pendingCheckoutId, checkout.id), eq(bills.status, "pending")));
    await recordAudit(tx, {
      estateId: checkout.estateId,
      actorUserId: null,
      act: "payment_unapplied",
      subjectType: "payment",
      subjectId: payment.id,
      detail: {
        checkoutId: checkout.id,
        amountMatches,
        billsFree,
        amountFen: facts.amountTotal,
        currency: facts.currency,
        expectedFen: checkout.amountFen,
      },
      at: now,
    });
  }
  await tx
    .update(checkouts)
    .set({ status: "completed", closedAt: now, paymentIntentId: facts.paymentIntentId })
    .where(eq(checkouts.id, checkout.id));

  const slug = await estateSlug(tx, checkout.estateId);
  const receiptNo = await assignReceiptNo(tx, payment.id, checkout.estateId, slug, now);
  // A refund reported before the payment (events out of order) is applied now.
  if (facts.paymentIntentId) {
    const deferred = await tx
      .select()
      .from(paymentEvents)
      .where(
        and(
          eq(paymentEvents.relatedRef, facts.paymentIntentId),
          eq(paymentEvents.outcome, "deferred"),
          eq(paymentEvents.provider, checkout.provider),
        ),
      )
      .orderBy(asc(paymentEvents.receivedAt))
      .for("update");
    for (const event of deferred) {
      const detail = event.detail as { totalRefundedFen?: number; amountFen?: number; chargeId: string | null };
      const total = await refundedTotal(tx, payment.id, detail);
      if (total !== null) await refundPayment(tx, payment, total, detail.chargeId, event.eventId, now);
      await tx
        .update(paymentEvents)
        .set({ outcome: "refund_applied_late" })
        .where(eq(paymentEvents.eventId, event.eventId));
    }
  }

  if (applied) {
    await enqueue(tx, [
      {
        template: "payment-receipt",
        userId: checkout.userId,
        estateId: checkout.estateId,
        props: {
          amountFen: payment.amountFen,
          paidAt: now.toISOString(),
          receiptNo,
          path: receiptPath(slug, payment.id),
          ...(checkout.provider === "sandbox" ? { sandbox: true } : {}),
        },
        idempotencyKey: `payment-receipt:${payment.id}`,
      },
    ]);
  }
  return { outcome: applied ? "paid" : "unapplied", paymentId: payment.id, receiptNo };
}

/**
 * Brings a payment's refunded total up to what the provider reports (charge.refunded carries
 * the running total, so a late or repeated report changes nothing). A full refund reopens the
 * bills the payment paid: the money is no longer collected. Audit-logged.
 */
export async function refundPayment(
  tx: Queryable,
  payment: PaymentRow,
  totalRefundedFen: number,
  chargeId: string | null,
  eventId: string,
  now: Date,
): Promise<"refunded" | "stale"> {
  const [current] = await tx.select().from(payments).where(eq(payments.id, payment.id)).for("update");
  const total = Math.min(totalRefundedFen, current.amountFen);
  if (total <= current.refundedFen) return "stale";
  const amount = total - current.refundedFen;
  await tx.update(payments).set({ refundedFen: total }).where(eq(payments.id, current.id));
  await tx.insert(refunds).values({
    estateId: current.estateId,
    paymentId: current.id,
    providerChargeId: chargeId,
    totalFen: total,
    amountFen: amount,
    eventId,
    createdAt: now,
  });
  let reopened = 0;
  if (total === current.amountFen) {
    const rows = await tx
      .update(bills)
      .set({ status: "unpaid", paymentId: null, paidAt: null })
      .where(and(eq(bills.paymentId, current.id), eq(bills.estateId, current.estateId)))
      .returning({ id: bills.id });
    reopened = rows.length;
  }
  await recordAudit(tx, {
    estateId: current.estateId,
    actorUserId: null,
    act: "payment_refund",
    subjectType: "payment",
    subjectId: current.id,
    detail: { receiptNo: current.receiptNo, amountFen: amount, totalRefundedFen: total, reopenedBills: reopened },
    at: now,
  });
  return "refunded";
}

/**
 * The payment's refunded total after a refund report: the report's running total when it
 * carries one (Stripe, Alipay), else the refunds recorded under other refund ids plus this
 * one's amount (WeChat Pay reports each refund alone); null when this refund id is recorded
 * already (a repeated report).
 */
async function refundedTotal(
  tx: Queryable,
  paymentId: string,
  report: { totalRefundedFen?: number; amountFen?: number; chargeId: string | null },
): Promise<number | null> {
  if (report.totalRefundedFen !== undefined) return report.totalRefundedFen;
  const amount = report.amountFen ?? 0;
  const recorded = await tx
    .select({ chargeId: refunds.providerChargeId, amountFen: refunds.amountFen })
    .from(refunds)
    .where(eq(refunds.paymentId, paymentId));
  if (report.chargeId && recorded.some((r) => r.chargeId === report.chargeId)) return null;
  return recorded.reduce((sum, r) => sum + r.amountFen, 0) + amount;
}

/** A refund report: applied to its payment, or kept (deferred) until the payment is recorded. */
export async function recordRefund(
  tx: Queryable,
  input: {
    provider: string;
    paymentIntentId: string | null;
    chargeId: string | null;
    /** The payment's running refunded total (Stripe, Alipay) … */
    totalRefundedFen?: number;
    /** … or this one refund's amount (WeChat Pay), with its id in chargeId. */
    amountFen?: number;
    eventId: string;
    now: Date;
  },
): Promise<{ outcome: "refunded" | "stale" | "deferred" | "ignored"; relatedRef?: string; detail?: unknown }> {
  const reported = input.totalRefundedFen ?? input.amountFen;
  if (
    !input.paymentIntentId ||
    reported === undefined ||
    !Number.isSafeInteger(reported) ||
    reported <= 0 ||
    (input.totalRefundedFen === undefined && !input.chargeId)
  )
    return { outcome: "ignored" };
  const [payment] = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.provider, input.provider), eq(payments.providerPaymentIntent, input.paymentIntentId)))
    // Locked before the total is worked out: two refund reports of one payment queue here.
    .for("update");
  if (!payment) {
    return {
      outcome: "deferred",
      relatedRef: input.paymentIntentId,
      detail:
        input.totalRefundedFen !== undefined
          ? { totalRefundedFen: input.totalRefundedFen, chargeId: input.chargeId }
          : { amountFen: input.amountFen, chargeId: input.chargeId },
    };
  }
  const total = await refundedTotal(tx, payment.id, { ...input, chargeId: input.chargeId });
  if (total === null) return { outcome: "stale" };
  return { outcome: await refundPayment(tx, payment, total, input.chargeId, input.eventId, input.now) };
}

export type OfflineResult =
  | { ok: true; paymentId: string; receiptNo: string; amountFen: number }
  | { ok: false; error: "notFound" | "alreadyPaid" | "pendingOnline" | "noBills" };

/**
 * Property staff record money received in cash or by bank transfer against some of a unit's
 * bills. The owners of the unit who have accounts get the receipt by mail. Audit-logged.
 */
export async function recordOfflinePayment(
  tx: Queryable,
  input: {
    estateId: string;
    unitId: string;
    billIds: string[];
    method: "cash" | "bank_transfer";
    reference: string | null;
    paidAt: Date;
    actorId: string;
    now: Date;
  },
): Promise<OfflineResult> {
  const ids = [...new Set(input.billIds)];
  if (ids.length === 0) return { ok: false, error: "noBills" };
  const rows = await tx
    .select({ id: bills.id, status: bills.status, amountFen: bills.amountFen, unitId: bills.unitId })
    .from(bills)
    .where(and(inArray(bills.id, ids), eq(bills.estateId, input.estateId), eq(bills.unitId, input.unitId)))
    .orderBy(asc(bills.id))
    .for("update");
  if (rows.length !== ids.length) return { ok: false, error: "notFound" };
  if (rows.some((b) => b.status === "paid")) return { ok: false, error: "alreadyPaid" };
  if (rows.some((b) => b.status === "pending")) return { ok: false, error: "pendingOnline" };
  const amountFen = rows.reduce((sum, b) => sum + b.amountFen, 0);
  const paymentId = randomUUID();
  const [payment] = await tx
    .insert(payments)
    .values({
      id: paymentId,
      estateId: input.estateId,
      receiptNo: placeholderReceiptNo(paymentId),
      method: input.method,
      amountFen,
      recordedBy: input.actorId,
      reference: input.reference,
      paidAt: input.paidAt,
      createdAt: input.now,
    })
    .returning();
  await tx
    .update(bills)
    .set({ status: "paid", paymentId: payment.id, paidAt: input.paidAt })
    .where(and(inArray(bills.id, ids), eq(bills.estateId, input.estateId)));
  await tx
    .insert(paymentBills)
    .values(
      rows.map((b) => ({ paymentId: payment.id, billId: b.id, estateId: input.estateId, amountFen: b.amountFen })),
    );
  const ownerUsers = await tx
    .selectDistinct({ userId: owners.userId })
    .from(ownerships)
    .innerJoin(owners, eq(owners.id, ownerships.ownerId))
    .where(
      and(
        eq(ownerships.estateId, input.estateId),
        eq(ownerships.unitId, input.unitId),
        sql`${owners.userId} is not null`,
      ),
    );
  const slug = await estateSlug(tx, input.estateId);
  const receiptNo = await assignReceiptNo(tx, payment.id, input.estateId, slug, input.paidAt);
  await recordAudit(tx, {
    estateId: input.estateId,
    actorUserId: input.actorId,
    act: "payment_offline",
    subjectType: "payment",
    subjectId: payment.id,
    detail: { receiptNo, method: input.method, amountFen, unitId: input.unitId, bills: ids.length },
    at: input.now,
  });
  await enqueue(
    tx,
    ownerUsers.map((o) => ({
      template: "payment-receipt" as const,
      userId: o.userId!,
      estateId: input.estateId,
      props: { amountFen, paidAt: input.paidAt.toISOString(), receiptNo, path: receiptPath(slug, payment.id) },
      idempotencyKey: `payment-receipt:${payment.id}`,
    })),
  );
  return { ok: true, paymentId: payment.id, receiptNo, amountFen };
}
