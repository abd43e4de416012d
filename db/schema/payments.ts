import { sql } from "drizzle-orm";
import { boolean, check, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./people";
import { estates } from "./places";

/**
 * The payment providers an estate offers its owners, one row per provider, and the estate's
 * merchant there. The platform's own credentials (WeChat Pay 服务商 mchid and keys, Alipay
 * application keys, Stripe keys) come from the environment; only the estate's ids live here,
 * and its secrets (Alipay's app_auth_token) only encrypted (AES-256-GCM, key PAYMENT_SECRETS_KEY:
 * app/lib/secret-box.server.ts).
 */
export const estatePaymentMethods = pgTable(
  "estate_payment_method",
  {
    estateId: uuid("estate_id")
      .notNull()
      .references(() => estates.id),
    /** "stripe" | "wechatpay" | "alipay" (the sandbox needs no settings). */
    provider: text("provider").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** WeChat Pay 服务商 mode: the estate's 子商户号 (sub_mchid). */
    wechatSubMchid: text("wechat_sub_mchid"),
    /** WeChat Pay: the sub-merchant's own AppID, if any (sub_appid). */
    wechatSubAppid: text("wechat_sub_appid"),
    /** Alipay third-party application: the merchant's app_auth_token, encrypted (secret-box). */
    alipayAppAuthTokenEnc: text("alipay_app_auth_token_enc"),
    /** Alipay: the merchant's PID (seller_id). */
    alipaySellerId: text("alipay_seller_id"),
    /** Stripe: who confirmed the cross-border transfer statement (PIPL Art. 38–39), and when. */
    crossBorderConfirmedBy: uuid("cross_border_confirmed_by").references(() => users.id),
    crossBorderConfirmedAt: timestamp("cross_border_confirmed_at", { withTimezone: true }),
    updatedBy: uuid("updated_by").references(() => users.id),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.estateId, t.provider] }),
    check("estate_payment_method_provider", sql`${t.provider} in ('stripe', 'wechatpay', 'alipay')`),
    // Stripe is offered only once an admin has confirmed the cross-border statement.
    check(
      "estate_payment_method_stripe_confirmed",
      sql`${t.provider} <> 'stripe' or not ${t.enabled} or ${t.crossBorderConfirmedAt} is not null`,
    ),
    check(
      "estate_payment_method_wechat_sub_mchid",
      sql`${t.provider} <> 'wechatpay' or not ${t.enabled} or ${t.wechatSubMchid} is not null`,
    ),
  ],
);
