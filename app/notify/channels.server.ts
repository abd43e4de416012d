import { sql, type SQL } from "drizzle-orm";
import type { OutboxChannel } from "#db/schema/notify";
import type { NotifyCategory } from "#db/schema/notify";

/**
 * One outbox row as a channel's sender gets it: the message (template, stored props) and its
 * recipient as they are now (a phone is given only while verified, an email only while set).
 */
export interface OutboxDelivery {
  id: string;
  channel: OutboxChannel;
  template: string;
  props: unknown;
  category: NotifyCategory;
  attempts: number;
  userId: string;
  estateId: string | null;
  estateName: string | null;
  displayName: string;
  locale: string;
  email: string | null;
  /** Eleven digits, only when the user's phone is verified; null otherwise. */
  phone: string | null;
}

/**
 * What became of one delivery. Throwing means a failure worth retrying (with backoff, up to the
 * worker's maxAttempts); an error with `permanent: true` (or an SMTP 5xx) is not retried.
 * held: kept and not sent (nothing configured to send it); skipped: will never be sent (reason).
 */
export type DeliveryOutcome =
  { status: "sent" } | { status: "held"; reason?: string } | { status: "skipped"; reason: string };

/** A channel's sender. The worker calls it for each claimed row of that channel. */
export interface ChannelSender {
  send(delivery: OutboxDelivery, settings: { appUrl: string }): Promise<DeliveryOutcome>;
  close?(): void;
}

/** A failure that retrying will not mend (a template that cannot render, an unknown recipient). */
export class PermanentDeliveryError extends Error {
  readonly permanent = true;
}

// Senders registered by other features (WeChat), on globalThis like the database handle.
const key = Symbol.for("yishitang.outbox-senders");
type Holder = { [key]?: Partial<Record<OutboxChannel, ChannelSender>> };

/**
 * Registers the sender of a channel for every worker made afterwards (app/wechat registers
 * "wechat" when configured). Without one, a channel's rows are held. Tests pass their own
 * through WorkerOptions.senders instead.
 */
export function registerOutboxSender(channel: OutboxChannel, sender: ChannelSender | undefined) {
  const holder = globalThis as Holder;
  holder[key] ??= {};
  if (sender) holder[key][channel] = sender;
  else delete holder[key][channel];
}

export function registeredOutboxSender(channel: OutboxChannel): ChannelSender | undefined {
  return (globalThis as Holder)[key]?.[channel];
}

/**
 * Who can get WeChat messages, as a condition on the recipient's user id (the enqueue statement's
 * `x.u`): those with a binding to the official account (app/wechat).
 */
export function wechatBound(userId: SQL): SQL {
  return sql`exists (select 1 from wechat_binding b where b.user_id = ${userId})`;
}
