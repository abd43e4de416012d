import { index, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { users } from "./people";

/**
 * An official-account openid bound to an account: logs its owner in inside WeChat and receives
 * template messages. One openid per app belongs to one account, one account has one binding per app.
 */
export const wechatBindings = pgTable(
  "wechat_binding",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The official account's AppID (an openid means something only for its app). */
    appId: text("app_id").notNull(),
    openid: text("openid").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    boundAt: timestamp("bound_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("wechat_binding_openid").on(t.appId, t.openid),
    unique("wechat_binding_user").on(t.appId, t.userId),
    index("wechat_binding_user_idx").on(t.userId),
  ],
);

/**
 * The official account's access token, shared by every app instance: one row per app, refreshed
 * by whichever instance finds it near its end (WeChat's stable_token returns the same token to
 * all callers while it is valid, so two instances refreshing at once do not invalidate each other).
 */
export const wechatTokens = pgTable("wechat_token", {
  appId: text("app_id").primaryKey(),
  accessToken: text("access_token").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
