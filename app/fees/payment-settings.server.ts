import { and, eq } from "drizzle-orm";
import { getDb, schema } from "#db/client";
import { recordAudit } from "~/audit/audit.server";
import { getProvider } from "~/payments/factory.server";
import { paymentMethodsOf, sealPaymentSecret } from "~/payments/settings.server";

/*
 * An estate's payment settings (estate_payment_method): which providers it offers its owners
 * and its merchant ids there. Only providers this server has keys for can be switched on;
 * Stripe only with the admin's confirmation of the cross-border statement (PIPL Art. 38–39).
 * Alipay's app_auth_token is sealed before it is stored and never read back out to a page.
 */

const { estatePaymentMethods } = schema;

export const configurableProviders = ["wechatpay", "alipay", "stripe"] as const;
export type ConfigurableProvider = (typeof configurableProviders)[number];

/** What the settings page may see of one provider: no secret, only whether one is set. */
export interface PaymentSettingView {
  provider: ConfigurableProvider;
  /** This server has the platform's keys for the provider. */
  available: boolean;
  enabled: boolean;
  wechatSubMchid: string | null;
  wechatSubAppid: string | null;
  alipayTokenSet: boolean;
  alipaySellerId: string | null;
  crossBorderConfirmedAt: string | null;
  /** When last saved (the page's forms start afresh after each save). */
  updatedAt: string | null;
}

export function providerAvailable(provider: ConfigurableProvider): boolean {
  return getProvider(provider) !== null;
}

export async function paymentSettingsView(estateId: string): Promise<PaymentSettingView[]> {
  const rows = await paymentMethodsOf(estateId);
  return configurableProviders.map((provider) => {
    const row = rows.find((r) => r.provider === provider);
    return {
      provider,
      available: providerAvailable(provider),
      enabled: row?.enabled ?? false,
      wechatSubMchid: row?.wechatSubMchid ?? null,
      wechatSubAppid: row?.wechatSubAppid ?? null,
      alipayTokenSet: Boolean(row?.alipayAppAuthTokenEnc),
      alipaySellerId: row?.alipaySellerId ?? null,
      crossBorderConfirmedAt: row?.crossBorderConfirmedAt?.toISOString() ?? null,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  });
}

export interface PaymentSettingInput {
  provider: ConfigurableProvider;
  enabled: boolean;
  wechatSubMchid?: string;
  wechatSubAppid?: string;
  /** A new app_auth_token; absent keeps the stored one. */
  alipayAppAuthToken?: string;
  alipaySellerId?: string;
  /** Stripe: the admin ticked the cross-border confirmation. */
  crossBorderConfirmed?: boolean;
}

export type PaymentSettingRefusal =
  "notConfigured" | "crossBorderUnconfirmed" | "subMchidRequired" | "tokenRequired" | "sellerIdRequired";

/** Saves one provider's settings in one transaction with its audit row; refuses before writing anything. */
export async function savePaymentSetting(input: {
  estateId: string;
  actorId: string;
  values: PaymentSettingInput;
  now?: Date;
}): Promise<{ ok: true } | { ok: false; error: PaymentSettingRefusal }> {
  const now = input.now ?? new Date();
  const v = input.values;
  return getDb().transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(estatePaymentMethods)
      .where(and(eq(estatePaymentMethods.estateId, input.estateId), eq(estatePaymentMethods.provider, v.provider)))
      .for("update");
    if (v.enabled && !providerAvailable(v.provider)) return { ok: false, error: "notConfigured" };
    const set: Partial<typeof estatePaymentMethods.$inferInsert> = {
      enabled: v.enabled,
      updatedBy: input.actorId,
      updatedAt: now,
    };
    let confirmed = false;
    if (v.provider === "wechatpay") {
      if (v.enabled && !v.wechatSubMchid) return { ok: false, error: "subMchidRequired" };
      set.wechatSubMchid = v.wechatSubMchid || null;
      set.wechatSubAppid = v.wechatSubAppid || null;
    } else if (v.provider === "alipay") {
      const tokenSet = Boolean(v.alipayAppAuthToken) || Boolean(current?.alipayAppAuthTokenEnc);
      if (v.enabled && !tokenSet) return { ok: false, error: "tokenRequired" };
      if (v.enabled && !v.alipaySellerId) return { ok: false, error: "sellerIdRequired" };
      if (v.alipayAppAuthToken) set.alipayAppAuthTokenEnc = sealPaymentSecret(v.alipayAppAuthToken);
      set.alipaySellerId = v.alipaySellerId || null;
    } else {
      // Stripe: a cross-border transfer. Switching it on needs the admin's confirmation; one
      // already given stands while it stays on; switching it off withdraws it.
      const standing = Boolean(current?.enabled && current.crossBorderConfirmedAt);
      if (v.enabled && !v.crossBorderConfirmed && !standing) return { ok: false, error: "crossBorderUnconfirmed" };
      if (v.enabled && v.crossBorderConfirmed) {
        set.crossBorderConfirmedBy = input.actorId;
        set.crossBorderConfirmedAt = now;
        confirmed = true;
      }
      if (!v.enabled) {
        set.crossBorderConfirmedBy = null;
        set.crossBorderConfirmedAt = null;
      }
    }
    await tx
      .insert(estatePaymentMethods)
      .values({ estateId: input.estateId, provider: v.provider, ...set })
      .onConflictDoUpdate({ target: [estatePaymentMethods.estateId, estatePaymentMethods.provider], set });
    await recordAudit(tx, {
      estateId: input.estateId,
      actorUserId: input.actorId,
      act: "payment_settings_change",
      subjectType: "estate",
      subjectId: input.estateId,
      // Never the token itself: only that it was replaced.
      detail: {
        method: v.provider,
        enabled: v.enabled,
        ...(v.provider === "wechatpay" ? { subMchid: set.wechatSubMchid, subAppid: set.wechatSubAppid } : {}),
        ...(v.provider === "alipay"
          ? { sellerId: set.alipaySellerId, tokenReplaced: Boolean(v.alipayAppAuthToken) }
          : {}),
        ...(v.provider === "stripe" ? { crossBorderConfirmed: confirmed } : {}),
      },
      at: now,
    });
    return { ok: true };
  });
}
