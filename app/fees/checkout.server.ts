import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import {
  maxBillsPerCheckout,
  sessionLifetimeMs,
  type MerchantSettings,
  type PayAction,
  type PayChannel,
  type PaymentProvider,
  type ProviderName,
  type ProviderSession,
} from "~/payments/provider.server";
import { getPaymentProvider, getProvider } from "~/payments/factory.server";
import { enabledProviders, merchantFor } from "~/payments/settings.server";
import { deviceOf, payChoices } from "./pay-methods";
import { payableUnits } from "./bills.server";
import { fees } from "./fees.messages";
import { lockCheckout, settleAwaiting, settlePaid, settleReleased } from "./ledger.server";

const { bills, buildings, checkoutBills, checkouts, units } = schema;

export type StartResult =
  /** url: where to send the owner (the provider's page, or our bills page showing the QR code or calling JSAPI). */
  | { ok: true; checkoutId: string; url: string; action: PayAction }
  | { ok: false; error: "none" | "tooMany" | "notFound" | "unavailable" | "provider" | "offline" };

/**
 * An owner or resident pays some bills of their units online:
 * 1. one transaction locks the bills, checks they are the caller's and unpaid, records the
 *    checkout and holds the bills as "pending" (so a second person cannot pay them meanwhile);
 * 2. the provider makes ONE session for all of them (idempotency key: our checkout's id);
 * 3. the session's id and page are stored, and the caller is sent there.
 * If the provider fails, the bills are released at once.
 */
export async function startCheckout(input: {
  estate: { id: string; slug: string };
  user: { id: string; email: string | null };
  billIds: string[];
  origin: string;
  locale: "zh-CN" | "en";
  /** null: that provider is not configured on this server. */
  provider?: PaymentProvider | null;
  /** How the owner pays (default "hosted"), and what that channel needs: the openid (WeChat JSAPI), the IP (WeChat H5). */
  channel?: PayChannel;
  openid?: string;
  clientIp?: string;
  /** The estate's merchant at this provider (its payment settings, secrets decrypted). */
  merchant?: MerchantSettings;
  now?: Date;
}): Promise<StartResult> {
  const ids = [...new Set(input.billIds)];
  if (ids.length === 0) return { ok: false, error: "none" };
  if (ids.length > maxBillsPerCheckout) return { ok: false, error: "tooMany" };
  const provider = input.provider === undefined ? getPaymentProvider() : input.provider;
  // No provider (a production server without Stripe and without PAYMENTS_SANDBOX=1): bills are paid offline.
  if (!provider) return { ok: false, error: "offline" };
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs);
  const db = getDb();
  const merchant = input.merchant ?? (await merchantFor(input.estate.id, provider.name));

  const held = await db.transaction(async (tx) => {
    const mine = new Set((await payableUnits(tx, input.estate.id, input.user.id)).map((u) => u.unitId));
    const rows = await tx
      .select({
        id: bills.id,
        unitId: bills.unitId,
        status: bills.status,
        amountFen: bills.amountFen,
        periodKey: bills.periodKey,
        charge: bills.charge,
        building: buildings.name,
        number: units.number,
      })
      .from(bills)
      .innerJoin(units, eq(units.id, bills.unitId))
      .innerJoin(buildings, eq(buildings.id, bills.buildingId))
      .where(and(eq(bills.estateId, input.estate.id), inArray(bills.id, ids)))
      .orderBy(asc(bills.id))
      .for("update", { of: bills });
    if (rows.length !== ids.length || rows.some((r) => !mine.has(r.unitId)))
      return { ok: false as const, error: "notFound" as const };
    if (rows.some((r) => r.status !== "unpaid")) return { ok: false as const, error: "unavailable" as const };
    const amountFen = rows.reduce((sum, r) => sum + r.amountFen, 0);
    const [checkout] = await tx
      .insert(checkouts)
      .values({
        estateId: input.estate.id,
        userId: input.user.id,
        provider: provider.name,
        channel: input.channel ?? "hosted",
        amountFen,
        expiresAt,
        createdAt: now,
      })
      .returning({ id: checkouts.id });
    await tx
      .insert(checkoutBills)
      .values(
        rows.map((r) => ({ checkoutId: checkout.id, billId: r.id, estateId: input.estate.id, amountFen: r.amountFen })),
      );
    await tx
      .update(bills)
      .set({ status: "pending", pendingCheckoutId: checkout.id })
      .where(and(eq(bills.estateId, input.estate.id), inArray(bills.id, ids)));
    return { ok: true as const, checkoutId: checkout.id, amountFen, rows };
  });
  if (!held.ok) return held;

  const m = fees[input.locale];
  const ordered = [...held.rows].sort(
    (a, b) =>
      a.periodKey.localeCompare(b.periodKey) ||
      a.building.localeCompare(b.building, "zh-CN", { numeric: true }) ||
      a.number.localeCompare(b.number),
  );
  const back = `${input.origin}/e/${input.estate.slug}/bills?checkout=${held.checkoutId}`;
  let session: ProviderSession;
  try {
    session = await provider.createCheckout({
      checkoutId: held.checkoutId,
      estateId: input.estate.id,
      estateSlug: input.estate.slug,
      origin: input.origin,
      channel: input.channel ?? "hosted",
      openid: input.openid,
      clientIp: input.clientIp,
      merchant,
      description: describe(m, ordered),
      billIds: ordered.map((r) => r.id),
      lineItems: ordered.map((r) => ({
        name: `${r.building} ${r.number} · ${r.periodKey} · ${m.charges[r.charge]}`,
        amountFen: r.amountFen,
      })),
      amountFen: held.amountFen,
      payerId: input.user.id,
      customerEmail: input.user.email ?? undefined,
      successUrl: back,
      cancelUrl: `${back}&cancelled=1`,
      expiresAt,
      locale: input.locale,
      idempotencyKey: `checkout:${held.checkoutId}`,
    });
  } catch (error) {
    console.error(`[payments] ${provider.name} could not create a checkout session`, error);
    await db.transaction(async (tx) => {
      const [checkout] = await tx.select().from(checkouts).where(eq(checkouts.id, held.checkoutId)).for("update");
      await settleReleased(tx, checkout, "failed", new Date());
    });
    return { ok: false, error: "provider" };
  }
  const action: PayAction | null = session.action ?? (session.url ? { kind: "redirect", url: session.url } : null);
  const [stored] = await db
    .update(checkouts)
    .set({ sessionId: session.id, url: session.url, action, status: "open" })
    .where(and(eq(checkouts.id, held.checkoutId), eq(checkouts.status, "creating")))
    .returning({ id: checkouts.id });
  if (!stored || !action) return { ok: false, error: "provider" };
  // A QR code or WeChat's JSAPI is shown on our own bills page, which then waits for the payment.
  return { ok: true, checkoutId: held.checkoutId, url: action.kind === "redirect" ? action.url : back, action };
}

/**
 * The ways to pay this estate offers on this device: the providers its payment settings enable
 * that this server has credentials for, and the sandbox when it is the server's provider.
 */
export async function payOptionsFor(estateId: string, userAgent: string | null) {
  const enabled = await enabledProviders(estateId);
  const available = new Set<ProviderName>();
  for (const name of ["wechatpay", "alipay", "stripe"] as const)
    if (enabled.has(name) && getProvider(name)) available.add(name);
  if (getProvider("sandbox")) available.add("sandbox");
  return payChoices({ device: deviceOf(userAgent), available });
}

/** One line for the owner's payment app: the first bill, and how many there are. */
function describe(
  m: { payDescription: string; charges: Record<string, string> },
  ordered: { building: string; number: string; periodKey: string; charge: string }[],
): string {
  const first = `${ordered[0].building} ${ordered[0].number} · ${ordered[0].periodKey} · ${m.charges[ordered[0].charge]}`;
  if (ordered.length === 1) return first;
  return m.payDescription
    .replace("{{first}}", first)
    .replace("{{count}}", String(ordered.length))
    .replace("{{more}}", String(ordered.length - 1));
}

export interface ReconcileResult {
  checked: number;
  paid: number;
  released: number;
  awaiting: number;
  stillOpen: number;
  errors: number;
}

/** Applies what the provider says about a session to our checkout (the webhook's effects, without an event). */
async function applySession(
  provider: PaymentProvider,
  checkoutId: string,
  session: ProviderSession | null,
  now: Date,
): Promise<keyof ReconcileResult> {
  return getDb().transaction(async (tx) => {
    const [checkout] = await tx.select().from(checkouts).where(eq(checkouts.id, checkoutId)).for("update");
    if (!checkout || !["creating", "open", "processing"].includes(checkout.status)) return "checked";
    if (!session) {
      // No session was ever stored (the process stopped between holding the bills and the
      // provider's answer): nobody was sent to pay, so the hold can go.
      await settleReleased(tx, checkout, "failed", now);
      return "released";
    }
    const locked = await lockCheckout(tx, provider.name, session);
    if (!locked || locked.id !== checkout.id) return "checked";
    if (session.status === "complete" && session.paymentStatus === "paid") {
      const result = await settlePaid(tx, locked, session, now);
      return result.outcome === "already" ? "checked" : "paid";
    }
    if (session.status === "complete")
      return (await settleAwaiting(tx, locked)) === "awaiting" ? "awaiting" : "checked";
    if (session.status === "expired") {
      await settleReleased(tx, locked, "expired", now);
      return "released";
    }
    return "stillOpen";
  });
}

/**
 * The reconciliation job: for checkouts still unsettled an hour after they began, ask the
 * provider (retrieveSession) and settle them as the lost webhook would have. Safe to run in
 * several processes at once: each checkout is settled under its row lock, and settling twice
 * changes nothing.
 */
export async function reconcileCheckouts(
  options: { provider?: PaymentProvider; now?: Date; olderThanMs?: number; limit?: number; estateId?: string } = {},
): Promise<ReconcileResult> {
  const provider = options.provider ?? getPaymentProvider();
  const now = options.now ?? new Date();
  if (!provider) return { checked: 0, paid: 0, released: 0, awaiting: 0, stillOpen: 0, errors: 0 };
  const cutoff = new Date(now.getTime() - (options.olderThanMs ?? 60 * 60_000));
  const stale = await getDb()
    .select({
      id: checkouts.id,
      sessionId: checkouts.sessionId,
      estateId: checkouts.estateId,
      expiresAt: checkouts.expiresAt,
    })
    .from(checkouts)
    .where(
      and(
        eq(checkouts.provider, provider.name),
        sql`${checkouts.status} in ('creating', 'open', 'processing')`,
        lt(checkouts.createdAt, cutoff),
        options.estateId ? eq(checkouts.estateId, options.estateId) : undefined,
      ),
    )
    .orderBy(asc(checkouts.createdAt))
    .limit(options.limit ?? 200);
  const result: ReconcileResult = { checked: 0, paid: 0, released: 0, awaiting: 0, stillOpen: 0, errors: 0 };
  for (const row of stale) {
    result.checked++;
    try {
      const merchant = await merchantFor(row.estateId, provider.name);
      let session = row.sessionId ? await provider.retrieveSession(row.sessionId, merchant) : null;
      // An order past its expiry that the provider still holds open (WeChat Pay's NOTPAY) is
      // closed there, so it can no longer be paid, then asked about again.
      if (session?.status === "open" && row.expiresAt.getTime() < now.getTime() && provider.closeSession) {
        await provider.closeSession(session.id, merchant).catch((error: unknown) => {
          console.error(`[payments] closing ${provider.name} order ${session!.id} failed`, error);
        });
        session = await provider.retrieveSession(session.id, merchant);
      }
      const outcome = await applySession(provider, row.id, session, now);
      if (outcome !== "checked") result[outcome]++;
    } catch (error) {
      result.errors++;
      console.error(`[payments] reconciling checkout ${row.id} failed`, error);
    }
  }
  return result;
}
