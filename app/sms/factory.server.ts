import { heldSmsProvider, type SmsProvider } from "./provider.server";

// One provider per process, on globalThis like the database handle (tests hand in their own).
const key = Symbol.for("yishitang.sms");
type Holder = { [key]?: SmsProvider };

/** From the environment; without carrier keys every message is held (kept, never sent). */
export function smsProviderFromEnv(): SmsProvider {
  return heldSmsProvider;
}

/** A test's provider; undefined: from the environment again. */
export function setSmsProvider(provider: SmsProvider | undefined) {
  (globalThis as Holder)[key] = provider;
}

export function getSmsProvider(): SmsProvider {
  const holder = globalThis as Holder;
  holder[key] ??= smsProviderFromEnv();
  return holder[key];
}
