import { eq, sql } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { optionalCategories, type OptionalCategory } from "#db/schema/notify";

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
