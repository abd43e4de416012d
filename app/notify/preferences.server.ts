import { eq, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { optionalCategories, type OptionalCategory } from "#db/schema/notify";
import { channelDefaults, type NotifyChannel } from "./categories";
import { wechatBound } from "./channels.server";

const { notificationPreferences } = schema;

export type EmailPreferences = Record<OptionalCategory, boolean>;

/** Which categories a user gets by email; a category never chosen is on. */
export async function emailPreferences(userId: string, db: Queryable = getDb()): Promise<EmailPreferences> {
  const rows = await db
    .select({ category: notificationPreferences.category, email: notificationPreferences.email })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  const prefs = Object.fromEntries(optionalCategories.map((c) => [c, true])) as EmailPreferences;
  for (const row of rows) if (row.category in prefs) prefs[row.category as OptionalCategory] = row.email;
  return prefs;
}

export async function setEmailPreferences(userId: string, prefs: Partial<EmailPreferences>, db: Queryable = getDb()) {
  const values = optionalCategories
    .filter((c) => prefs[c] !== undefined)
    .map((category) => ({ userId, category, email: prefs[category]! }));
  if (values.length === 0) return;
  await db
    .insert(notificationPreferences)
    .values(values)
    .onConflictDoUpdate({
      target: [notificationPreferences.userId, notificationPreferences.category],
      set: { email: sql`excluded.email`, updatedAt: sql`now()` },
    });
}

/** Turns one category off (an unsubscribe link); false when the user no longer exists. */
export async function unsubscribe(
  userId: string,
  category: OptionalCategory | "security",
  db: Queryable = getDb(),
): Promise<boolean> {
  if (category === "security") return false;
  const [user] = await db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.id, userId));
  if (!user) return false;
  await setEmailPreferences(userId, { [category]: false }, db);
  return true;
}

/** Per category, whether each channel is on (a channel never chosen takes channelDefaults). */
export type ChannelPreferences = Record<OptionalCategory, Record<NotifyChannel, boolean>>;

/** The user's choices for every channel, with the defaults filled in where they never chose. */
export async function channelPreferences(userId: string, db: Queryable = getDb()): Promise<ChannelPreferences> {
  const rows = await db
    .select({
      category: notificationPreferences.category,
      email: notificationPreferences.email,
      sms: notificationPreferences.sms,
      wechat: notificationPreferences.wechat,
    })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  const prefs = Object.fromEntries(
    optionalCategories.map((c) => [
      c,
      { mail: channelDefaults.mail[c], sms: channelDefaults.sms[c], wechat: channelDefaults.wechat[c] },
    ]),
  ) as ChannelPreferences;
  for (const row of rows) {
    if (!(row.category in prefs)) continue;
    const p = prefs[row.category as OptionalCategory];
    p.mail = row.email;
    if (row.sms !== null) p.sms = row.sms;
    if (row.wechat !== null) p.wechat = row.wechat;
  }
  return prefs;
}

/**
 * Saves the given channels of the given categories in one statement; a channel left out keeps
 * what it was (for sms and wechat: null, the default, when never chosen).
 */
export async function setChannelPreferences(
  userId: string,
  prefs: Partial<Record<OptionalCategory, Partial<Record<NotifyChannel, boolean>>>>,
  db: Queryable = getDb(),
) {
  const chosen = optionalCategories.filter((c) => prefs[c] !== undefined);
  if (chosen.length === 0) return;
  const values = chosen.map((category) => {
    const p = prefs[category]!;
    return {
      userId,
      category,
      email: p.mail ?? channelDefaults.mail[category],
      sms: p.sms ?? null,
      wechat: p.wechat ?? null,
    };
  });
  // On conflict keep a stored value where this save does not name the channel.
  const keep = (column: "email" | "sms" | "wechat", given: boolean) =>
    given ? sql.raw(`excluded.${column}`) : sql.raw(`notification_preference.${column}`);
  const all = (channel: NotifyChannel) => chosen.every((c) => prefs[c]![channel] !== undefined);
  const some = (channel: NotifyChannel) => chosen.some((c) => prefs[c]![channel] !== undefined);
  if (some("mail") !== all("mail") || some("sms") !== all("sms") || some("wechat") !== all("wechat")) {
    // Mixed shapes: save category by category.
    for (const category of chosen) await setChannelPreferences(userId, { [category]: prefs[category] }, db);
    return;
  }
  await db
    .insert(notificationPreferences)
    .values(values)
    .onConflictDoUpdate({
      target: [notificationPreferences.userId, notificationPreferences.category],
      set: {
        email: keep("email", all("mail")),
        sms: keep("sms", all("sms")),
        wechat: keep("wechat", all("wechat")),
        updatedAt: sql`now()`,
      },
    });
}

/** What the settings page needs about where notices can reach the user. */
export async function channelReach(userId: string, db: Queryable = getDb()) {
  const [row] = await db
    .select({
      email: schema.users.email,
      phone: schema.users.phone,
      phoneVerified: sql<boolean>`${schema.users.phoneVerifiedAt} is not null`,
      wechatBound: sql<boolean>`${wechatBound(sql`${schema.users.id}`)}`,
    })
    .from(schema.users)
    .where(eq(schema.users.id, userId));
  return row ?? { email: null, phone: null, phoneVerified: false, wechatBound: false };
}
