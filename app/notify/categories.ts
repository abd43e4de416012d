import type { OptionalCategory } from "#db/schema/notify";

/** Safe for the browser bundle (the schema module is not). */
export const emailCategories = ["votes", "minutes", "bills", "tickets"] as const satisfies readonly OptionalCategory[];

export const mailStatuses = ["queued", "sending", "sent", "failed", "held"] as const;
export type MailStatus = (typeof mailStatuses)[number];
