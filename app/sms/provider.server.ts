/**
 * The one interface every SMS carrier sits behind (Alibaba Cloud, Tencent Cloud), and the held
 * stand-in used when none is configured (the embedded demo, tests): it sends nothing and the
 * message stays in sms_message for /dev/sms.
 */
export interface SmsProvider {
  readonly name: "aliyun" | "tencent" | "held";
  /** Sends one templated message; throws when the carrier refuses it (the caller records the failure). */
  send(message: OutgoingSms): Promise<{ providerId: string | null }>;
}

export interface OutgoingSms {
  /** Eleven digits. */
  phone: string;
  template: string;
  params: Record<string, string>;
}

export const heldSmsProvider: SmsProvider = {
  name: "held",
  async send() {
    return { providerId: null };
  },
};
