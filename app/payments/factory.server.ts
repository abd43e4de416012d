import Stripe from "stripe";
import { env, type Env } from "~/env.server";
import { sandboxWebhookSecret, type PaymentProvider, type ProviderName } from "./provider.server";
import { sandboxProvider } from "./sandbox.server";
import { stripeProvider } from "./stripe.server";
import { wechatPayConfigFromEnv, wechatPayProvider } from "./wechatpay.server";
import { alipayProviderFromEnv } from "./alipay.server";

/*
 * Which provider this process uses. The interface (provider.server.ts) knows no provider; the
 * providers (stripe.server.ts, sandbox.server.ts) implement it; this file picks one.
 */

export type PaymentsMode = "stripe" | "sandbox" | "none";

/**
 * Which provider takes online payments: Stripe with STRIPE_SECRET_KEY; else the sandbox, which
 * charges nothing, only outside production, on the embedded demo (no DATABASE_URL) or with an
 * explicit PAYMENTS_SANDBOX=1; else none: a production server without Stripe takes no online
 * payment (bills are paid offline and recorded by the property staff).
 */
export function paymentsMode(
  config: Pick<Env, "NODE_ENV" | "DATABASE_URL" | "STRIPE_SECRET_KEY" | "PAYMENTS_SANDBOX"> = env(),
): PaymentsMode {
  if (config.STRIPE_SECRET_KEY) return "stripe";
  if (config.PAYMENTS_SANDBOX === "1") return "sandbox";
  if (config.PAYMENTS_SANDBOX === "0") return "none";
  return config.NODE_ENV !== "production" || !config.DATABASE_URL ? "sandbox" : "none";
}

/** From the environment (see paymentsMode); null when online payment is off. */
export function providerFromEnv(): PaymentProvider | null {
  const config = env();
  const mode = paymentsMode(config);
  if (mode === "stripe") {
    if (!config.STRIPE_WEBHOOK_SECRET)
      throw new Error("STRIPE_WEBHOOK_SECRET must be set together with STRIPE_SECRET_KEY");
    const stripe = new Stripe(config.STRIPE_SECRET_KEY!, { maxNetworkRetries: 2, timeout: 20_000 });
    return stripeProvider({ stripe, webhookSecret: config.STRIPE_WEBHOOK_SECRET });
  }
  if (mode === "sandbox") return sandboxProvider({ webhookSecret: sandboxWebhookSecret(config.SESSION_SECRET) });
  return null;
}

// One provider per process, on globalThis like the database handle (tests hand in their own).
const key = Symbol.for("yishitang.payments");
type Holder = { [key]?: PaymentProvider | null };

/** A test's provider; null: online payment off; undefined: from the environment again. */
export function setPaymentProvider(provider: PaymentProvider | null | undefined) {
  (globalThis as Holder)[key] = provider;
}

/** The process's provider, or null when online payment is off (paymentsMode "none"). */
export function getPaymentProvider(): PaymentProvider | null {
  const holder = globalThis as Holder;
  if (holder[key] === undefined) holder[key] = providerFromEnv();
  return holder[key];
}

/** What the pages tell owners and staff: the provider in use, or "none" when online payment is off. */
export function onlinePayments(): PaymentsMode {
  const name = getPaymentProvider()?.name;
  return name === "stripe" || name === "sandbox" ? name : "none";
}

/*
 * More than one provider at once: the process's default above (Stripe or the sandbox) and the
 * mainland providers, each configured by its own environment variables (WeChat Pay: WECHATPAY_*,
 * see wechatpay.server.ts; Alipay: ALIPAY_*). An estate offers those of them its payment
 * settings choose (estate_payment_method).
 */
type Builder = () => PaymentProvider | null;
/** How each mainland provider is made from the environment (null: not configured). */
const builders: Partial<Record<ProviderName, Builder>> = {
  wechatpay: () => {
    const config = env();
    const wechat = wechatPayConfigFromEnv(config);
    if (!wechat) return null;
    // A plain-http endpoint only for a local stand-in, never in production unless the sandbox is
    // asked for (PAYMENTS_SANDBOX=1: the browser tests), as for Alipay's gateway.
    if (
      config.NODE_ENV === "production" &&
      config.PAYMENTS_SANDBOX !== "1" &&
      wechat.baseUrl &&
      !wechat.baseUrl.startsWith("https://")
    )
      throw new Error("WECHATPAY_BASE_URL must be https in production (unless PAYMENTS_SANDBOX=1)");
    return wechatPayProvider(wechat);
  },
  // Alipay (third-party application): ALIPAY_* (alipay.server.ts).
  alipay: () => alipayProviderFromEnv(env()),
};

const namedKey = Symbol.for("yishitang.payments.named");
type NamedHolder = { [namedKey]?: Partial<Record<ProviderName, PaymentProvider | null>> };

function named(): Partial<Record<ProviderName, PaymentProvider | null>> {
  return ((globalThis as NamedHolder)[namedKey] ??= {});
}

/** A test's provider for one name; null: that provider off; undefined: from the environment again. */
export function setProviderFor(name: ProviderName, provider: PaymentProvider | null | undefined) {
  if (provider === undefined) delete named()[name];
  else named()[name] = provider;
}

/**
 * The provider of that name, or null when this process has none: Stripe and the sandbox are
 * the default provider when it has that name; the others come from their builders.
 */
export function getProvider(name: ProviderName): PaymentProvider | null {
  const held = named();
  if (held[name] !== undefined) return held[name];
  if (name === "stripe" || name === "sandbox") {
    const provider = getPaymentProvider();
    return provider?.name === name ? provider : null;
  }
  const build = builders[name];
  held[name] = build ? build() : null;
  return held[name];
}
