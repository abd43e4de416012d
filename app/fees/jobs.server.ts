import { getPaymentProvider, getProvider } from "~/payments/factory.server";
import type { PaymentProvider } from "~/payments/provider.server";
import { reconcileCheckouts, type ReconcileResult } from "./checkout.server";
import { sendOverdueReminders, type ReminderResult } from "./reminders.server";
import { runEvery } from "~/lib/periodic.server";

/**
 * The fee jobs: reconcile checkouts still pending after an hour (asking the provider), and send
 * the month's overdue reminders where an estate's reminder day has come. Both are safe to run
 * in any number of processes at once and as often as you like.
 */
export async function runFeeJobs(now = new Date()): Promise<{ reconcile: ReconcileResult; reminders: ReminderResult }> {
  const reconcile = await reconcileAll(now);
  const reminders = await sendOverdueReminders({ now });
  return { reconcile, reminders };
}

/** Every provider this process has: the default (Stripe or the sandbox) and the mainland ones. */
export function configuredProviders(): PaymentProvider[] {
  const list = [getPaymentProvider(), getProvider("wechatpay"), getProvider("alipay")];
  const seen = new Set<string>();
  return list.filter((p): p is PaymentProvider => {
    if (!p || seen.has(p.name)) return false;
    seen.add(p.name);
    return true;
  });
}

/** Reconciles each configured provider's stale checkouts; the results are summed. */
async function reconcileAll(now: Date): Promise<ReconcileResult> {
  const total: ReconcileResult = { checked: 0, paid: 0, released: 0, awaiting: 0, stillOpen: 0, errors: 0 };
  for (const provider of configuredProviders()) {
    const r = await reconcileCheckouts({ provider, now });
    for (const k of Object.keys(total) as (keyof ReconcileResult)[]) total[k] += r[k];
  }
  return total;
}

export interface FeeJobs {
  stop(): Promise<void>;
}

/** Runs the fee jobs every `everyMs` (default 5 minutes) until stopped; a failed pass is logged and retried next time. */
export function startFeeJobs(options: { everyMs?: number; onError?: (error: unknown) => void } = {}): FeeJobs {
  const everyMs = options.everyMs ?? 5 * 60_000;
  return runEvery(runFeeJobs, {
    everyMs,
    firstAfterMs: Math.min(everyMs, 30_000),
    onError: options.onError ?? ((error) => console.error("[fees] job pass failed", error)),
  });
}
