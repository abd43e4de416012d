import type { OptionalCategory } from "#db/schema/notify";

/** Safe for the browser bundle (the schema module is not). */
export const emailCategories = ["votes", "minutes", "bills", "tickets"] as const satisfies readonly OptionalCategory[];

export const mailStatuses = ["queued", "sending", "sent", "failed", "held", "skipped"] as const;
export type MailStatus = (typeof mailStatuses)[number];

/** The outbox's channels besides the site's own notice list (db/schema/notify.ts outboxChannels). */
export const notifyChannels = ["mail", "sms", "wechat"] as const;
export type NotifyChannel = (typeof notifyChannels)[number];

/**
 * What a person gets when they never chose: mail for everything; SMS only for what is urgent
 * or personal and worth its cost (votes, bills, their own tickets), not minutes; WeChat (once
 * bound) for everything, as it is free and where owners already look.
 */
export const channelDefaults: Record<NotifyChannel, Record<OptionalCategory, boolean>> = {
  mail: { votes: true, minutes: true, bills: true, tickets: true },
  sms: { votes: true, minutes: false, bills: true, tickets: true },
  wechat: { votes: true, minutes: true, bills: true, tickets: true },
};
