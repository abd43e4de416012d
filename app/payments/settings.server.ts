import { and, eq } from "drizzle-orm";
import { getDb, schema, type Queryable } from "#db/client";
import { env } from "~/env.server";
import { open, seal, secretKey } from "~/lib/secret-box.server";
import type { MerchantSettings, ProviderName } from "./provider.server";

const { estatePaymentMethods } = schema;

export type PaymentMethodRow = typeof estatePaymentMethods.$inferSelect;

/** The associated data a sealed app_auth_token is bound to. */
export const appAuthTokenPurpose = "estate_payment_method.alipay_app_auth_token";

/** Seals an estate's payment secret with PAYMENT_SECRETS_KEY (throws when the key is not set). */
export function sealPaymentSecret(plain: string, purpose = appAuthTokenPurpose): string {
  return seal(secretKey(env().PAYMENT_SECRETS_KEY), plain, purpose);
}

export function openPaymentSecret(sealed: string, purpose = appAuthTokenPurpose): string {
  return open(secretKey(env().PAYMENT_SECRETS_KEY), sealed, purpose);
}

/** The estate's payment settings, one row per provider it has configured (enabled or not). */
export async function paymentMethodsOf(estateId: string, db: Queryable = getDb()): Promise<PaymentMethodRow[]> {
  return db.select().from(estatePaymentMethods).where(eq(estatePaymentMethods.estateId, estateId));
}

/** The providers an estate offers its owners (enabled rows). */
export async function enabledProviders(estateId: string, db: Queryable = getDb()): Promise<Set<ProviderName>> {
  const rows = await paymentMethodsOf(estateId, db);
  return new Set(rows.filter((r) => r.enabled).map((r) => r.provider as ProviderName));
}

/** The estate's merchant at a provider, secrets opened; undefined when it has none there. */
export async function merchantFor(
  estateId: string,
  provider: ProviderName,
  db: Queryable = getDb(),
): Promise<MerchantSettings | undefined> {
  if (provider === "stripe" || provider === "sandbox") return undefined;
  const [row] = await db
    .select()
    .from(estatePaymentMethods)
    .where(and(eq(estatePaymentMethods.estateId, estateId), eq(estatePaymentMethods.provider, provider)));
  if (!row) return undefined;
  return {
    ...(row.wechatSubMchid ? { subMchid: row.wechatSubMchid } : {}),
    ...(row.wechatSubAppid ? { subAppid: row.wechatSubAppid } : {}),
    ...(row.alipayAppAuthTokenEnc ? { appAuthToken: openPaymentSecret(row.alipayAppAuthTokenEnc) } : {}),
    ...(row.alipaySellerId ? { sellerId: row.alipaySellerId } : {}),
  };
}
